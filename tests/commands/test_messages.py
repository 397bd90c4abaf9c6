"""Messages that name the right thing (issue 25): the option a value came from, the end of a
grid that is wrong, the command meant, the call a PyTorch habit meant, and a window around
the caret in a very long line."""

from outcomes import bad


def test_a_name_given_twice_names_its_option(run):
    bad(run("minimize", "x^2", "-s", "x=1", "-s", "x=2"), "given a value twice with --start")
    bad(run("eval", "x^2", "-a", "x=1", "-a", "x=2"), "given a value twice with --at")


def test_a_grid_names_the_end_that_is_wrong(run):
    bad(run("eval", "x^2", "--grid", "x=a:1:3"), "the grid's start for x")
    bad(run("eval", "x^2", "--grid", "x=0:b:3"), "the grid's end for x")


def test_a_misspelt_command_is_suggested(run):
    r = run("evl", "x")
    assert r.exit_code == 2 and "Did you mean 'eval'?" in r.stderr


def test_missing_files_read_alike(run):
    a, b = run("eval", "x", "--points", "nope.npy"), run("eval", "x", "--points", "nope.json")
    bad(a, "cannot read nope.npy")
    bad(b, "cannot read nope.json")
    assert a.stderr.replace("npy", "json") == b.stderr


def test_pytorch_method_calls_get_the_call_gradcli_reads(run):
    bad(run("eval", "(w*x+b).sum()", "-a", "w=1,x=2,b=3"), "write sum(w*x+b)")
    bad(run("eval", "x.mean()", "-a", "x=[1,2]"), "write mean(x)")


def test_a_syntax_error_in_a_long_line_shows_the_part_around_the_caret(run):
    text = "+".join(["x"] * 25_000) + ")"
    r = bad(run("eval", text, "-a", "x=1"), "unexpected ')'")
    line, caret = r.stderr.splitlines()[1:3]
    assert len(line) < 120 and line.lstrip().startswith("...")
    assert line[caret.index("^")] == ")"
