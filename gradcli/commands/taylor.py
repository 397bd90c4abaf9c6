"""`gradcli taylor`: the Taylor polynomial of an expression, and its error at a point."""

from __future__ import annotations

import click

from .options import ExprCommand, bindings_text, call_core, expression_text, json_option

TAYLOR_HELP = """Print the Taylor polynomial of EXPR of degree N about a point, from the engine's Taylor pass.

\b
Examples:
  gradcli taylor 'e^x' --degree 4                    # 1 + x + x^2/2 + x^3/6 + x^4/24
  gradcli taylor 'sqrt x' --at x=1 --degree 3        # exact fractions, in powers of (x - 1)
  gradcli taylor 'sin x' --degree 5 --estimate x=0.1 # the error at 0.1, and its Lagrange bound
  gradcli taylor 'cos x' --at x=pi/4 --degree 2 --latex
  gradcli taylor 'a e^(b x)' --at a=2,b=3 --degree 3 --json

--at gives the center (x=C, default 0) and values for the other letters. A coefficient is a
fraction when one with a denominator up to 10^6 matches it to 1e-13, else it is printed in
full; the polynomial is in gradcli's syntax, so it pastes back into eval. --estimate x=X adds
p(X), f(X), the actual error and the Lagrange bound max|f^(N+1)|/(N+1)! |X - C|^(N+1), whose
maximum is found on a grid of [C, X]. Exit status: 0 success, 2 bad input."""


@click.command("taylor", cls=ExprCommand, help=TAYLOR_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--degree", "-n", type=click.IntRange(0, 1000), required=True, metavar="N", help="The degree N.")
@click.option("--wrt", metavar="NAME", help="The variable (default: EXPR's one variable, or x).")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="The center (x=C) and other values.")
@click.option("--estimate", metavar="NAME=X", help="The error of the polynomial at X, and its Lagrange bound.")
@click.option("--latex", "as_latex", is_flag=True, help="Print the polynomial in LaTeX.")
@json_option
def taylor_cmd(expr, degree, wrt, at, estimate, as_latex, as_json):
    def work_out():
        from ..calculus import taylor as polynomials

        text = expression_text(expr)
        p = polynomials.taylor(text, wrt, at=bindings_text(at), degree=degree)
        e = None
        if estimate is not None:
            name, _, value = estimate.partition("=")
            if name.strip() != p.variable or not value.strip():
                raise click.UsageError(f"--estimate takes {p.variable}=X, the point where the error is wanted")
            e = polynomials.estimate(p, value.strip())
        return p, e

    p, e = call_core(work_out)
    if as_json:
        from .render import dumps

        out = {"expression": p.expression, "variable": p.variable, "center": p.center, "degree": p.degree,
               "coefficients": p.coefficients, "derivatives": p.derivatives, "polynomial": p.polynomial,
               "latex": p.latex}
        if e is not None:
            out["estimate"] = {"at": e.at, "polynomial_value": e.polynomial_value, "function_value": e.function_value,
                               "error": e.error, "bound": e.bound, "bound_found_on_a_grid": True}
        click.echo(dumps(out))
        return
    if as_latex:
        click.echo(p.latex)
    else:
        click.echo(f"p{p.degree}({p.variable}) = {p.polynomial}")
    if e is not None:
        click.echo(f"at {p.variable} = {e.at:.12g}: p = {e.polynomial_value:.12g}, f = {e.function_value:.12g}, "
                   f"error {e.error:.3g}; Lagrange bound {e.bound:.3g} (its maximum of |f^({p.degree + 1})| found on a "
                   f"grid of [{min(p.center, e.at):g}, {max(p.center, e.at):g}], at {e.worst_at:.6g})")
