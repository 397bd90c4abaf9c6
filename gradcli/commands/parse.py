"""`gradcli parse`: how an expression is read."""

from __future__ import annotations

import click

from .options import ExprCommand, call_core, expression_text

PARSE_HELP = """Show how EXPR is read: fully parenthesised, its variables and functions.

\b
Examples:
  gradcli parse '1/2x'              # ((1 / 2) * x): juxtaposition is * and /, left to right
  gradcli parse 'sin^2 x cos 2x'    # ((sin(x) ** 2) * cos(2 * x))
  gradcli parse '|x - 1| + sqrt x'  # (abs(x - 1) + sqrt(x))
  gradcli parse '-x**2 + 2x(x+1)'   # an unknown function x: write 2x*(x+1) (check reads it as a product)
  gradcli parse 'sec^2x/(1 + x^2)' --latex # \\frac{\\sec^{2} x}{1 + x^{2}}
  gradcli parse 'u = x*y; sin(u)' --json"""


@click.command("parse", cls=ExprCommand, help=PARSE_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--latex", "as_latex", is_flag=True, help="Print the expression in LaTeX, as read.")
@click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object.")
@click.option("--wrt", metavar="NAMES", help="The problem's variables (comma-separated): read EXPR as check, diff and "
                                              "taylor read it, so ln(xyz) with --wrt x is ln(x y z).")
def parse_cmd(expr, as_latex, as_json, wrt):
    def read_expression():
        from ..language.problem import function_side

        text = expression_text(expr)
        if function_side(text) != text:  # f(x) = x^3, as check, diff, taylor and plot read it
            return {**read_expression_text(function_side(text)), "expression": text}
        return read_expression_text(text)

    def read_expression_text(text):
        from ..language.build import check_calls
        from ..language.grammar import parse
        from ..language.tree import free_variables, functions_used, to_text

        from ..errors import about

        from ..errors import ParseError

        try:
            if wrt:
                from ..inputs.validate import names
                from ..language.problem import read

                tree = read(text, names(wrt, "--wrt"))
            else:
                tree = parse(text)  # its errors carry the text already
        except ParseError:
            if "=" not in text:
                raise
            return read_equations(text)
        with about(text):
            check_calls(tree)
        info = {"expression": text, "read": to_text(tree), "variables": free_variables(tree),
                "functions": functions_used(tree)}
        if as_latex:
            from ..symbolic.latex import latex

            info["latex"] = latex(tree)
        return info

    def read_equations(text):
        """Not an expression, but equations: what check --implicit, --parametric and lines read."""
        from ..errors import about
        from ..language.build import check_calls
        from ..language.grammar import parse_equations
        from ..language.tree import Chain, free_variables, functions_used, to_text

        from ..inputs.validate import names
        from ..language.problem import single_letters
        from ..language.reading import known_variables

        given = set(names(wrt, "--wrt")) if wrt else set()
        with known_variables(given | single_letters(text)):  # as check reads them: 6xy is 6 x y
            eqs = parse_equations(text)
        sides = [side for e in eqs for side in (e.lhs, e.rhs) if side is not None]
        with about(text):
            for side in sides:
                check_calls(side)
        whole = Chain(tuple(sides), ("+",) * (len(sides) - 1), (0,) * (len(sides) - 1)) if len(sides) > 1 else sides[0]
        info = {"expression": text, "read": ", ".join(to_text(e.lhs) + ("" if e.rhs is None else f" = {to_text(e.rhs)}")
                                                        for e in eqs),
                "equations": [{"lhs": to_text(e.lhs), "rhs": None if e.rhs is None else to_text(e.rhs)} for e in eqs],
                "variables": free_variables(whole), "functions": functions_used(whole)}
        if as_latex:
            from ..symbolic.latex import latex

            info["latex"] = ",\\quad ".join(latex(e.lhs) + ("" if e.rhs is None else f" = {latex(e.rhs)}") for e in eqs)
        return info

    info = call_core(read_expression)
    if as_latex and not as_json:
        click.echo(info["latex"])
        return
    if as_json:
        from .render import dumps

        click.echo(dumps(info))
        return
    if "equations" in info:
        click.echo("an equation: gradcli check reads it with --implicit (one), --parametric (x = ..., y = ...) "
                   "or as a line")
    click.echo(f"read as:    {info['read']}")
    click.echo(f"variables:  {', '.join(info['variables']) or '(none)'}")
    click.echo(f"functions:  {', '.join(info['functions']) or '(none)'}")
