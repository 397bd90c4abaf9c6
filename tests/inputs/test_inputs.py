"""Every input meets one boundary: dash-led words, settings, duplicates, sheets and values.

Each case here was once dropped, silently misread, or reported as an internal bug."""

import json

import pytest

from gradcli.commands.group import main

# --- dash-led words ----------------------------------------------------------------------------


def test_a_dash_led_word_with_more_than_letters_is_an_expression(run):
    data = json.loads(run("eval", "x*2", "-p2", "-a", "x=1,p2=3", "--json").stdout)
    assert data["expressions"] == ["x*2", "-p2"] and data["values"] == [2.0, -3.0]
    for expr, at, value in [("-w[0]*x", "w=[1,2],x=3", -3.0), ("-w+x", "w=1,x=2", 1.0), ("-(x+1)", "x=1", -2.0),
                            ("-2x", "x=1", -2.0)]:
        res = run("eval", expr, "-a", at, "--json")
        assert res.exit_code == 0 and json.loads(res.stdout)["values"] == [value], expr


def test_letters_after_a_dash_are_an_expression_only_when_they_name_a_variable(run):
    assert json.loads(run("eval", "-gamma", "-a", "gamma=2", "--json").stdout)["values"] == [-2.0]
    assert json.loads(run("eval", "-pi", "--json").stdout)["values"][0] == pytest.approx(-3.141592653589793)
    for word, hint in [("-gx", "for --grad write -g x"), ("-json", "did you mean --json?"), ("-V", "-- -V")]:
        res = run("eval", "x", "-a", "x=1", word)
        assert res.exit_code == 2 and res.stdout == "" and hint in res.stderr, word


@pytest.mark.parametrize("command", ["eval", "check", "minimize", "parse"])
def test_dash_h_is_help_everywhere(run, command):
    res = run(command, "-h")
    first = res.stdout.splitlines()[0]
    assert res.exit_code == 0 and first.startswith("Usage:") and f" {command} [OPTIONS]" in first


def _short_options(command):
    cmd = main.get_command(None, command)
    return [o for p in cmd.params for o in getattr(p, "opts", []) if len(o) == 2 and o.startswith("-")]


@pytest.mark.parametrize("command", ["eval", "check", "minimize", "parse"])
def test_no_glued_short_option_is_ever_dropped(run, command):
    """Every short option glued to text is the option with its value (-ax=3), an expression
    (-p2) or an error; the text never vanishes."""
    base = {"eval": ["x", "-a", "x=1"], "check": ["x^2", "--answer", "2x"], "minimize": ["x^2", "-s", "x=1"],
            "parse": ["x"]}[command]
    plain = run(command, *base, "--json") if command != "parse" else None
    for option in _short_options(command) + ["-h"]:
        for glued in ("x", "2", "x=3", "(x)", "xy1"):
            word = option + glued
            res = run(command, *base, word, "--json") if command != "parse" else run(command, word, "--json")
            if res.exit_code == 0:
                # the word is there as an expression, or it changed the result as an option's value
                assert word in res.stdout or (plain is not None and res.stdout != plain.stdout), (command, word)
            else:
                assert res.exit_code == 2 and res.stdout == "" and res.stderr.strip(), (command, word)


# --- settings that were internal errors -------------------------------------------------------------

@pytest.mark.parametrize("args,words", [
    (["eval", "x^2", "-a", "x=1", "--check-grad", "--check-tol", "inf", "--json"], "--check-tol must be a finite"),
    (["check", "x^2", "--answer", "2x", "--rtol", "inf", "--json"], "--rtol must be a finite"),
    (["check", "x^2", "--answer", "2x", "--seed", "-1"], "-1"),
    (["check", "x^2", "--answer", "2x", "--domain", "x=[1,2]:3"], "single numbers"),
    (["check", "x^2", "--answer", "2x", "--domain", "x=0:1", "--domain", "x=2:3"], "given twice"),
    (["check", "pi*x", "--answer", "pi", "--at", "pi=3"], "pi is a constant"),
    (["eval", "x^2", "-a", "x=3", "-a", "x=4"], "x is given a value twice"),
    (["eval", "x^2", "-a", "x=3,x=4"], "x is given a value twice"),
    (["eval", "1.2.3"], "1.2.3"),
    (["eval", "1e"], "1e"),
    (["eval", "x*2", "-a", "x=[1,2]", "--jacobian", "--check-grad"], "give --weights"),
])
def test_bad_settings_are_bad_input(run, args, words):
    res = run(*args)
    assert res.exit_code == 2 and res.stdout == "" and words in res.stderr, res.stderr


def test_json_null_and_true_are_not_numbers(run):
    for text in ('{"x": null}', '{"x": [1, true]}', '{"x": false}'):
        res = run("eval", "sum(x)", "--at-json", "-", input=text)
        assert res.exit_code == 2 and "not numbers" in res.stderr, text


# --- sheets ---------------------------------------------------------------------------------------

SHEET = '[[problem]]\nid = "power"\nexpr = "a*x^3"\nanswer = "3a x^2"\nwrt = "x"\nat = { a = 2 }\n'


@pytest.mark.parametrize("line,words", [
    ('wrt = 1', "wrt must be variable names"),
    ('domain = { x = 5 }', "LO:HI"),
    ('at = "a=3"', "at must be a table"),
    ('at = 3', "at must be a table"),
    ('points_worth = -1', "points_worth must be at least 0"),
    ('seed = 1.5', "seed must be a whole number"),
    ('points = "many"', "points must be a whole number"),
    ('rtol = inf', "rtol must be a finite number"),
])
def test_every_sheet_field_is_checked(run, tmp_path, line, words):
    text = SHEET.replace('wrt = "x"\n', "").replace("at = { a = 2 }\n", "") + line + "\n"
    if not line.startswith("at"):
        text += "at = { a = 2 }\n"
    path = tmp_path / "sheet.toml"
    path.write_text(text)
    res = run("check", "--sheet", str(path))
    assert res.exit_code == 2 and words in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and "object" not in res.stderr


def test_an_answers_file_with_an_unknown_id_is_refused(run, tmp_path):
    sheet, answers = tmp_path / "sheet.toml", tmp_path / "alice.toml"
    sheet.write_text(SHEET)
    answers.write_text('powr = "6x^2"\n')
    res = run("check", "--sheet", str(sheet), "--answers", str(answers))
    assert res.exit_code == 2 and "did you mean 'power'?" in res.stderr
    answers.write_text('answers = "2x"\n')
    res = run("check", "--sheet", str(sheet), "--answers", str(answers))
    assert res.exit_code == 2 and "answers must be a table" in res.stderr


# --- values that are not finite ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["eval", "x^2", "-a", "x=1/0"], ["eval", "x^2", "-a", "x=log(0)", "--json"], ["eval", "x^2", "-a", "x=1", "-w", "0/0"],
    ["minimize", "x^2", "-s", "x=1/0"], ["check", "a*x^2", "--answer", "2a x", "--at", "a=log(0)"],
    ["eval", "sum(x)", "-a", "x=[1, 0/0]", "--json"],
])
def test_nan_and_inf_inputs_are_reported_in_gradclis_words(args):
    """A fresh process, so that NumPy's own RuntimeWarning would show on stderr."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "gradcli", *args], capture_output=True, text=True)
    assert "RuntimeWarning" not in proc.stderr and "Traceback" not in proc.stderr and ".py:" not in proc.stderr
    assert proc.returncode in (0, 2) and proc.stderr.strip()
    if args[0] == "minimize":
        assert proc.returncode == 2 and "diverged" not in proc.stderr
    if args[0] == "check":
        assert proc.returncode == 2 and "undefined everywhere" not in proc.stderr


# --- the rest of what testing found -----------------------------------------------------------------

@pytest.mark.parametrize("args,status", [
    (["eval", "sum(x**2)", "-a", "x=[1,2,3]"], 0),
    (["check", "x^2", "--answer", "2x"], 0),
    (["check", "x^2", "--answer", "3x"], 1),          # a closed pipe keeps the verdict
    (["minimize", "x^2", "-s", "x=1", "--lr", "10"], 3),
])
def test_a_closed_pipe_ends_quietly_with_the_commands_own_status(args, status):
    import shlex
    import shutil
    import subprocess

    line = " ".join(shlex.quote(a) for a in [shutil.which("gradcli"), *args])
    proc = subprocess.run(["bash", "-c", f"{line} 2>/tmp/gradcli-pipe-err | head -c1 >/dev/null; "
                                         f"echo ${{PIPESTATUS[0]}}; cat /tmp/gradcli-pipe-err"],
                          capture_output=True, text=True)
    code, _, err = proc.stdout.partition("\n")
    assert int(code) == status
    assert "Traceback" not in err and "Broken pipe" not in err and "internal error" not in err


def test_the_domain_search_grows_linearly_with_the_variables():
    from gradcli.homework.derivative import check

    names = "+".join(f"x{k}" for k in range(1, 18))
    r = check(f"log(x0-9)+{names}", "x0", "1/(x0-9)", points=5)   # 18 variables, x0 valid on 5% of its domain
    assert r.correct and all(p["x0"] > 9 for p in r.points)


def test_check_grad_is_bounded(run):
    res = run("eval", "sum(x**2)", "-a", "x=@-", "--check-grad", input=json.dumps(list(range(20000))))
    assert res.exit_code == 2 and "over the limit" in res.stderr


def test_logsumexp_of_nothing_is_minus_infinity_as_in_pytorch():
    import numpy as np

    import gradcli

    assert float(gradcli.logsumexp(gradcli.tensor([]))) == -np.inf
    assert gradcli.logsumexp(gradcli.tensor(np.zeros((2, 0))), 1).tolist() == [-np.inf, -np.inf]


def test_tensors_are_truthy_and_iterable_as_in_pytorch():
    import gradcli

    assert not bool(gradcli.tensor(0.0)) and not bool(gradcli.tensor([0.0])) and bool(gradcli.tensor(2.0))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(gradcli.tensor([1.0, 2.0]))
    assert [float(t) for t in gradcli.tensor([1.0, 2.0, 3.0])] == [1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match="0-d"):
        list(gradcli.tensor(1.0))


def test_an_option_given_twice_is_refused_never_the_last_one_silently(run):
    for args in (["eval", "x", "-a", "x=1", "--precision", "3", "--precision=4"],
                 ["check", "x^2", "--wrt", "x", "--wrt", "y", "--answer", "2x"],
                 ["diff", "x^2 y", "--wrt", "x", "--wrt=y"]):
        r = run(*args)
        assert r.exit_code == 2 and "given 2 times" in r.stderr and r.stdout == "", args


def test_a_line_break_between_two_factors_is_refused(run):
    r = run("diff", "-", input="x^2\ny^2\n")
    assert r.exit_code == 2 and "a line break between two factors" in r.stderr
    assert run("diff", "-", input="x^2 +\ny^2\n").exit_code == 0     # an operator carries the line on
