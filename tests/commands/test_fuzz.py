"""The CLI never falls over: a few thousand random command lines (tests/stress/fuzz_cli.py runs more)."""

import random

from click.testing import CliRunner

from fuzzing import command, sheet, violations
from gradcli.commands.group import main

CASES = 3000


def test_random_command_lines_obey_the_rules():
    runner = CliRunner()
    rng = random.Random(20261123)
    failures, codes = [], {}
    for _ in range(CASES):
        args = command(rng)
        try:
            res = runner.invoke(main, args, catch_exceptions=False)
        except Exception as exc:  # an exception escaping the CLI is a bug
            failures.append((args, f"{type(exc).__name__}: {exc}"))
            continue
        codes[res.exit_code] = codes.get(res.exit_code, 0) + 1
        for wrong in violations(args, res.exit_code, res.stdout, res.stderr):
            failures.append((args, wrong))
    assert not failures, "\n".join(f"{a!r}: {w}" for a, w in failures[:10])
    assert codes.get(0, 0) > CASES // 20 and codes.get(2, 0) > CASES // 20   # both kinds were exercised


def test_random_sheets_obey_the_rules():
    """Every field of a sheet with a value of a random type: a verdict, or one clear error."""
    runner = CliRunner()
    rng = random.Random(20261202)
    failures = []
    for _ in range(300):
        args, text = sheet(rng)
        res = runner.invoke(main, args, input=text, catch_exceptions=False)
        failures += [(text, wrong) for wrong in violations(args, res.exit_code, res.stdout, res.stderr)]
        if res.exit_code == 2:
            assert "object" not in res.stderr and "NoneType" not in res.stderr, (text, res.stderr)
    assert not failures, "\n".join(f"{a!r}: {w}" for a, w in failures[:10])
