"""`gradcli diff`: the derivative as a formula, with its steps and its LaTeX."""

from __future__ import annotations

import sys

import click

from .options import ExprCommand, bindings_text, call_core, expression_text, json_option, warn

DIFF_HELP = """Print the derivative of EXPR as a formula, checked against the engine first.

\b
Examples:
  gradcli diff 'x^2 sin x'                       # x^2 cos(x) + 2x sin(x)
  gradcli diff 'a*x^2 + b*x + c' --wrt x --at a=1 # 2x + b
  gradcli diff 'sin(x^2)' --steps                 # the chain rule, step by step
  gradcli diff 'e^(2x)/x' --latex                 # \\frac{d}{dx}... = ...
  gradcli diff 'x^2 y^3'                          # the gradient: one formula per variable
  gradcli diff 'x^3 y' --wrt x,y --json           # a mixed partial, for a script

--wrt x is the first derivative, x,x the second, x,y the mixed partial; without it, the one
variable or the gradient. --at substitutes values (a=1, or pi/4) before differentiating;
with every variable given, the values are printed too. The formula is in gradcli's own
syntax, so it pastes back into eval, check or diff. Before it is printed it is compared
with the engine's derivative at random points; a mismatch is a bug and exits 70.
Exit status: 0 success, 2 bad input."""


@click.command("diff", cls=ExprCommand, help=DIFF_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--wrt", metavar="VARS", help="Variables to differentiate by, one per order: x, x,x or x,y.")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE",
              help="A value to substitute (a parameter), or the point at which to evaluate.")
@click.option("--steps", is_flag=True, help="Show the working: each rule, what it applies to and what it gives.")
@click.option("--latex", "as_latex", is_flag=True, help="Print LaTeX (an align block with --steps).")
@json_option
def diff_cmd(expr, wrt, at, steps, as_latex, as_json):
    def work_out():
        from ..calculus.formula import derivatives

        return derivatives(expression_text(expr), wrt, at=bindings_text(at), show_steps=steps)

    from ..calculus.formula import FormulaMismatch

    try:
        found = call_core(work_out)
    except FormulaMismatch as exc:  # never print a formula the engine disagrees with
        click.echo(f"gradcli: internal error: {exc}; nothing printed. Please report it.", err=True)
        sys.exit(70)
    from . import formulas

    warn(found.notes)

    if as_json:
        from .render import dumps

        click.echo(dumps(formulas.to_dict(found, steps)))
    elif as_latex:
        click.echo(formulas.latex_text(found, steps))
    else:
        formulas.print_text(found, steps)
