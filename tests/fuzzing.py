"""Random command lines for `gradcli eval`, `check` and `parse`, and the rules every run obeys.

Used by test_fuzz.py (a few thousand cases in CI) and stress/fuzz_cli.py (as many as asked).
"""

import json
import random

VALID = [
    "a*x**2 + b*x + c", "sum(w*x + b)", "-x**2", "1/2x", "2x**2 + 3(x+1)", "(x+1)(x-1)", "sin(x)*exp(-x)",
    "log(x) + sqrt(y)", "u = x*y; sin(u) + u**2", "[x**2, y**3, y**4]", "x[0] + x[1:]", "mean(x**2/(x-2))",
    "maximum(x, y) - minimum(x, 2)", "dot(x, x) + norm(x)", "logsumexp(x) + prod(x)", "transpose(x) @ x",
    "sigmoid(x) + relu(y) + softplus(x)", "asin(x/10) + acos(y/10) + atan(x)", "2\u03c0x\u00b2 \u2212 y",
    "x^2^3", "detach(x)*x", "abs(x) + tanh(y)", "sum(x, 0)", "x[::2]", "x[-1]", "pow(x, y)",
    # textbook notation
    "sin x cos x", "sec^2x", "tan^-1 x", "|x| + ||y|-1|", "1/2 x^(-1/2)", "e^x sin x", "ln x^2", "\u221ax + \u221by",
    "\u03b8 sin \u03b8", "xy + x(y+1)", "sin^2(x) y", "log(x, 2) + root(3, y)", "arcsec x + coth y",
]
ALPHABET = list("xyzabcw0123456789.+-*/^@()[],:;= _eE|{}!") + ["**", "sin(", "log(", "sum(", "\u2212", "\u00d7",
                                                               "sin ", "sec^2", "tan^-1 ", "\u2013", "\u03b8",
                                                         "\u00b2", "\u03c0", "\u00a0", "\x00", "\n", "\t", "\U0001f600",
                                                         "\u221a", "\ud800", "'", '"', "$", "\\", "`"]
VALUES = ["1", "-2", "0", "1e308", "-1e-308", "[1,2,3]", "[[1,2],[3,4]]", "pi/4", "sqrt(2)", "[]", "[1,[2]]",
          "nan", "inf", "1e400", "x", "@/nonexistent.json", "@-", "[1,2", "1,2", "", "=", "\u2212" + "3"]


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice("idrs")
        pos = rng.randint(0, len(chars))
        if op == "i" or not chars:
            chars.insert(pos, rng.choice(ALPHABET))
        elif op == "d":
            del chars[min(pos, len(chars) - 1)]
        elif op == "r":
            chars[min(pos, len(chars) - 1)] = rng.choice(ALPHABET)
        else:
            i, j = rng.randrange(len(chars)), rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def expression(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 30))).decode("utf-8", "replace")
    if kind < 0.35:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))
    if kind < 0.5:
        return rng.choice(VALID)
    return mutate(rng, rng.choice(VALID))


def binding(rng: random.Random) -> str:
    names = ["a", "b", "c", "x", "y", "w", "u", "pi", "1x", ""]
    parts = [f"{rng.choice(names)}={rng.choice(VALUES) if rng.random() < 0.8 else mutate(rng, rng.choice(VALUES) or '1')}"
             for _ in range(rng.randint(1, 4))]
    return ",".join(parts)


WELL_FORMED = [("a*x**2 + b*x + c", "abcx"), ("log(x) + 1/y", "xy"), ("sin(x)*exp(-y)", "xy"),
               ("x**y", "xy"), ("sqrt(x) + acos(y)", "xy"), ("x/y + y/x", "xy"), ("tan(x)**2", "x"),
               ("sum(x**2)", "x"), ("prod(x) + norm(x)", "x"), ("logsumexp(x*y)", "xy")]
NUMBERS = ["0", "-1", "1", "0.5", "-0.0", "1e308", "-1e308", "1e-320", "nan", "inf", "-inf", "[0,1,2]", "[1e308,-1e308]"]


def well_formed(rng: random.Random) -> list[str]:
    """A sound expression with every variable bound, often to a troublesome number."""
    expr, names = rng.choice(WELL_FORMED)
    args = ["eval", expr, "-a", ",".join(f"{n}={rng.choice(NUMBERS)}" for n in names)]
    return args + rng.choice([[], ["--hessian"], ["--jacobian"], ["--check-grad"], ["--order", "3", "-g", "x"]])


SHORT = ["-a", "-g", "-w", "-p", "-s", "-m", "-h", "-V"]
SETTINGS = ["inf", "-inf", "nan", "-1", "0", "1e400", "1.5", "x", "", "1e-300"]
SHEET_FIELDS = {"id": ['"p"', "1", "true", "[1]"], "expr": ['"x^2"', '"sin x"', "3", "[1]", '"x^"'],
                "wrt": ['"x"', "1", '"x,,"', '["x"]', "[1]"], "answer": ['"2x"', "2", '"2x+"', "{a=1}"],
                "at": ['{ a = 2 }', '"a=3"', "3", "{ pi = 3 }", "{ a = nan }"],
                "domain": ['{ x = [0, 5] }', '{ x = 5 }', '{ x = "0:pi" }', '{ x = [5, 0] }', '"x=0:5"'],
                "points": ["5", "0", "-1", "1.5", '"many"', "100000"], "seed": ["1", "-1", "1.5", "true"],
                "rtol": ["1e-4", "inf", "nan", "-1", '"a"'], "points_worth": ["1", "-1", "0", "inf"]}


def glued(rng: random.Random) -> list[str]:
    """A short option glued to text, anywhere on an eval, check, minimize or parse line."""
    word = rng.choice(SHORT) + rng.choice(["x", "2", "x=3", "(x)", "xy1", "json", "-x", ""])
    base = rng.choice([["eval", "x", "-a", "x=1"], ["check", "x^2", "--answer", "2x"], ["minimize", "x^2", "-s", "x=1"],
                       ["parse", "x"]])
    args = base[:]
    args.insert(rng.randint(1, len(args)), word)
    return args


def bad_setting(rng: random.Random) -> list[str]:
    value = rng.choice(SETTINGS)
    return rng.choice([["eval", "x^2", "-a", "x=1", "--check-grad", "--check-tol", value],
                       ["check", "x^2", "--answer", "2x", "--rtol", value],
                       ["check", "x^2", "--answer", "2x", "--atol", value],
                       ["check", "x^2", "--answer", "2x", "--seed", value],
                       ["check", "x^2", "--answer", "2x", "--domain", f"x={value}:{rng.choice(SETTINGS)}"],
                       ["minimize", "x^2", "-s", "x=1", "--lr", value],
                       ["minimize", "x^2", "-s", "x=1", "--tol", value],
                       ["minimize", "x^2", "-s", f"x={value}"],
                       ["eval", "x^2", "-a", f"x={value}", "-w", value]]) + (["--json"] if rng.random() < 0.5 else [])


def sheet(rng: random.Random) -> tuple[list[str], str]:
    """A sheet on standard input with each field of a random type."""
    lines = ["[[problem]]"]
    for key, choices in SHEET_FIELDS.items():
        if key in ("id", "expr") or rng.random() < 0.6:
            lines.append(f"{key} = {rng.choice(choices)}")
    return ["check", "--sheet", "-"] + (["--json"] if rng.random() < 0.5 else []), "\n".join(lines) + "\n"


def command(rng: random.Random) -> list[str]:
    """One random command line (without the program name)."""
    which = rng.random()
    if which < 0.08:
        return glued(rng)
    if which < 0.16:
        return bad_setting(rng)
    if which < 0.3:
        return well_formed(rng) + (["--json"] if rng.random() < 0.7 else [])
    if which < 0.6:
        args = ["eval"] + [expression(rng) for _ in range(rng.randint(1, 2))]
        for _ in range(rng.randint(0, 3)):
            args += ["-a", binding(rng)]
        extra = [["--json"], ["--jacobian"], ["--hessian"], ["--order", str(rng.randint(-1, 25))],
                 ["-g", rng.choice(["x", "x,y", "z", "", "x,,"])], ["-w", rng.choice(VALUES)], ["--no-grad"],
                 ["-p", str(rng.randint(-1, 20))], ["--check-grad"], ["--max-entries", str(rng.randint(0, 100))]]
        for _ in range(rng.randint(0, 3)):
            args += rng.choice(extra)
        if rng.random() < 0.5:
            args.append("--json")
        return args
    if which < 0.9:
        args = ["check", expression(rng), "--wrt", rng.choice(["x", "x,y", "x,x", "y", "z", ""]),
                "--answer", expression(rng), "--points", str(rng.randint(1, 30))]
        if rng.random() < 0.4:
            args += ["--at", binding(rng)]
        if rng.random() < 0.3:
            args += ["--domain", rng.choice(["x=0:5", "x=5:0", "x=a:b", "x=-1e400:1", "y=1:2", "x=1"])]
        if rng.random() < 0.3:
            args += ["--seed", str(rng.randint(-5, 10**6))]
        if rng.random() < 0.5:
            args.append("--json")
        return args
    return ["parse", expression(rng)] + (["--json"] if rng.random() < 0.5 else [])


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"non-strict JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def violations(args: list[str], exit_code: int, stdout: str, stderr: str) -> list[str]:
    """What a run did wrong: the rules every gradcli run obeys, whatever it was given."""
    wrong = []
    if exit_code not in ((0, 2, 3) if args and args[0] == "minimize" else (0, 1, 2)):
        wrong.append(f"exit status {exit_code}")
    if exit_code != 0 and not stderr.strip():
        wrong.append("no message on stderr")
    if "Traceback" in stderr or "Traceback" in stdout:
        wrong.append("a traceback")
    if exit_code == 2 and stdout:
        wrong.append("output on stdout despite bad input")
    if "--json" in args and exit_code in (0, 1) and stdout:
        try:
            strict_json(stdout)
        except ValueError as exc:
            wrong.append(f"stdout is not strict JSON: {exc}")
    return wrong
