"""`gradcli check`: is a hand-derived derivative right? One problem, or a whole sheet."""

from __future__ import annotations

import sys

import click

from ..defaults import ATOL, MAX_POINTS, POINTS, RTOL
from .options import ExprCommand, bindings_from, bindings_text, call_core, decided, expression_text, json_option, precision_option, warn

CHECK_HELP = """Check a hand-derived derivative of EXPR against the true one, and explain.

\b
Examples:
  gradcli check 'x**2*sin(x)' --wrt x --answer '2x sin(x) + x^2 cos(x)'
  gradcli check 'sin(x**2)' --wrt x --answer 'cos(x**2)'        # diagnosed: missing 2x
  gradcli check 'x**2*y**3' --wrt x,y --answer '6x y^2'          # mixed partial
  gradcli check 'log(x)' --wrt x,x --answer '-1/x^2' --json      # no --domain needed
  gradcli check 'a*x**2' --wrt x --answer 6 --at a=1,x=3         # a number, all pinned
  gradcli check --sheet problems.toml --answers alice.toml --json

\b
Beyond f'(x):
  gradcli check 'x^2 + x' --tangent --at x=1 --answer 'y = 3x - 1'
  gradcli check 'x^2 + y^2 = 25' --implicit --answer '-x/y'
  gradcli check 'x^2 + y^2 = 25' --implicit --tangent --at x=3,y=-4 --answer 'y - (-4) = 3/4(x - 3)'
  gradcli check 'x = cos t, y = sin(2t)' --parametric --answer '-2cos(2t)/sin t'
  gradcli check 'e^x' --taylor 3 --answer '1 + x + x^2/2 + x^3/6'

--wrt x checks df/dx; --wrt x,y the mixed partial; --wrt x,x the second derivative.
ANSWER is a formula in the same variables. Unpinned variables are sampled at --points
random points in their --domain (default -10:10), redrawn where the expression or its
derivative is undefined; the --seed is fixed by default and printed, so every verdict can
be reproduced. Values match within --rtol (default 1e-4, as WeBWorK), or --atol near zero.
--tangent and --normal check a line (y = m x + c, y - b = m(x - a), its right-hand side, or
x = a) at the point of --at; --implicit an equation's dy/dx (in x and y, judged at points on
the curve), --parametric a curve's dy/dx (in t); --wrt x,x asks for the second derivative.
Exit status: 0 correct, 1 incorrect, 2 bad input."""


@click.command("check", cls=ExprCommand, help=CHECK_HELP)
@click.argument("expr", metavar="EXPR", required=False)
@click.option("--wrt", metavar="VARS",
              help="Variables to differentiate by, one per order: x, x,y or x,x (default: EXPR's one variable).")
@click.option("--answer", metavar="ANSWER", help="The derivative to check: a formula or a number, as written "
                                                  "(f'(x) = ..., dy/dx = ...); @FILE or - reads it.")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="Pin a variable (it is not sampled).")
@click.option("--points", type=click.IntRange(1, MAX_POINTS), default=POINTS, show_default=True, help="How many points.")
@click.option("--domain", multiple=True, metavar="NAME=LO:HI", help="Where to sample a variable (default -10:10).")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Random seed for the points (default fixed and printed).")
@click.option("--rtol", type=click.FloatRange(0), default=RTOL, show_default=True, help="Relative tolerance.")
@click.option("--atol", type=click.FloatRange(0), default=ATOL, show_default=True, help="Absolute tolerance near zero.")
@click.option("--sheet", metavar="PROBLEMS.toml", type=click.Path(dir_okay=False, allow_dash=True), help="Grade a sheet of problems ('-' for standard input).")
@click.option("--answers", "answers_file", metavar="ANSWERS.toml", type=click.Path(dir_okay=False, allow_dash=True),
              help="A student's answers for --sheet: id = \"answer\".")
@click.option("--taylor", "taylor_degree", type=click.IntRange(0, 1000), metavar="N",
              help="ANSWER is the Taylor polynomial of degree N (about the center --at x=C, default 0).")
@click.option("--tangent", is_flag=True, help="ANSWER is the tangent line at the point given with --at.")
@click.option("--normal", is_flag=True, help="ANSWER is the normal line at the point given with --at.")
@click.option("--implicit", is_flag=True, help="EXPR is an equation in x and y; ANSWER is dy/dx in x and y.")
@click.option("--parametric", is_flag=True, help="EXPR is 'x = X(t), y = Y(t)'; ANSWER is dy/dx in t.")
@click.option("--dependent", metavar="NAME", help="With --implicit: the variable that is a function of the other "
                                                   "(default y).")
@click.option("--show-answer", is_flag=True, help="After the verdict, print the correct derivative as a formula.")
@precision_option
@json_option
def check_cmd(expr, wrt, answer, at, points, domain, seed, rtol, atol, sheet, answers_file, taylor_degree, tangent,
              normal, implicit, parametric, dependent, show_answer, precision, as_json):
    from . import render

    kind = _kind(tangent, normal, implicit, parametric, dependent, sheet)
    if taylor_degree is not None:
        if kind != "derivative":
            raise click.UsageError("--taylor checks a Taylor polynomial: not with --tangent, --normal, --implicit or "
                                   "--parametric")
        kind = "taylor"
    from ..homework.kinds import KINDS

    line = KINDS[kind].at_point
    if line:
        ctx = click.get_current_context()
        for name in ("points", "domain", "seed"):
            if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
                raise click.UsageError(f"--{name} has no use for a {'polynomial' if kind == 'taylor' else 'line'}: it "
                                       f"is judged at the point of --at")

    if sheet:
        if expr or wrt or answer:
            raise click.UsageError("--sheet grades a whole sheet: give no EXPR, --wrt or --answer with it")

        def grade_sheet():
            from ..homework.sheets import grade, load_answers, load_sheet

            problems = load_sheet(sheet)
            return grade(problems, load_answers(answers_file, problems) if answers_file else {},
                         show_answers=show_answer)

        outcomes = call_core(grade_sheet)
        decided(1 if any(o.verdict != "correct" for o in outcomes) else 0)
        if as_json:
            click.echo(render.dumps(render.sheet_dict(outcomes)))
        else:
            render.print_renderables(render.sheet_tables(outcomes, precision))
        wrong = [o.id for o in outcomes if o.verdict != "correct"]
        if wrong:
            click.echo(f"gradcli: {len(wrong)} of {len(outcomes)} problems not correct: {', '.join(wrong)}", err=True)
        sys.exit(1 if wrong else 0)
    if answers_file:
        raise click.UsageError("--answers goes with --sheet")
    if not expr or answer is None:
        raise click.UsageError("give EXPR and --answer, and --wrt unless EXPR has one variable (or --sheet)")
    if expr == answer == "-":
        raise click.UsageError("EXPR and --answer cannot both be read from standard input: give one as @FILE")
    answer = call_core(lambda: expression_text(answer))

    def check_answer():
        from ..homework.kinds import check_problem
        from ..inputs.validate import SEED, domains

        curve = "implicit" if implicit else "parametric" if parametric else "explicit" if line else None
        # a polynomial's center and a line's point stay as typed: pi/2 is exact
        pinned = bindings_text(at) if KINDS[kind].at_point else bindings_from(at)
        return check_problem(kind, expression_text(expr), answer, wrt, at=pinned, domain=domains(domain),
                             points=points, seed=SEED if seed is None else seed, rtol=rtol, atol=atol,
                             dependent=dependent or "y", curve=curve, degree=taylor_degree)

    result = call_core(check_answer)
    decided(0 if result.correct else 1)
    if show_answer:
        from ..homework.kinds import correct_answer

        result.correct_answer = correct_answer(result, dependent or "y", bindings_text(at))
    warn(result.notes)
    if as_json:
        click.echo(render.dumps(render.check_dict(result)))
    else:
        render.print_renderables(render.check_tables(result, precision))
    if not result.correct:
        where = "" if line else f" at {len(result.failing)} of {len(result.expected)} points"
        if kind == "taylor":
            where = f" in {len(result.failing)} of {len(result.expected)} coefficients" if result.failing else ""
        click.echo(f"gradcli: incorrect{where}" + (f": {result.diagnosis}" if result.diagnosis else ""), err=True)
        sys.exit(1)


def _kind(tangent, normal, implicit, parametric, dependent, sheet) -> str:
    """What is checked, from the flags: a line, an implicit or parametric derivative, or d/dx."""
    if tangent and normal:
        raise click.UsageError("--tangent and --normal: give one (a line is one or the other)")
    if implicit and parametric:
        raise click.UsageError("--implicit and --parametric: give one (a curve is one or the other)")
    if dependent and not implicit:
        raise click.UsageError("--dependent goes with --implicit")
    if sheet and (tangent or normal or implicit or parametric):
        raise click.UsageError("with --sheet, each problem says its own kind (kind = \"tangent\", ...)")
    if tangent or normal:
        return "tangent" if tangent else "normal"
    return "implicit" if implicit else "parametric" if parametric else "derivative"
