"""`gradcli plot`: a function and its derivatives, drawn in the terminal or to a file."""

from __future__ import annotations

import os
import sys

import click

from .options import ExprCommand, InputError, bindings_text, call_core, expression_text, json_option

PLOT_HELP = """Draw EXPR and its derivatives up to order N, mark its critical and inflection points, and list them.

\b
Examples:
  gradcli plot 'x^3 - 3x' --domain x=-2.5:2.5       # f and f', the max at -1, min at 1, inflection at 0
  gradcli plot 'sin x' --order 2                     # f, f' and f'' on -10:10
  gradcli plot 'x e^-x' --domain x=-1:6 --tangent 2  # and the tangent at 2: y = m*x + c
  gradcli plot 'tan x' --domain x=-3:3               # no line across the poles
  gradcli plot 'a sin(b t)' --at a=2,b=pi            # other letters pinned with --at
  gradcli plot 'log x' --json | jq .critical_points
  gradcli plot 'x^2 e^-x' -o plot.svg                # .png, .svg or .pdf: pip install 'gradcli[plot]'

Every derivative comes from the engine's Taylor pass, on the whole grid at once; critical
points (f' = 0 or undefined: minimum, maximum or neither) and inflection points (f'' changes sign) are
found as sign changes on the grid, refined with Newton's method on the next derivative.
Without --domain the plot spans -10:10, narrowed to where f is defined. Where f is
undefined or breaks (a pole, a jump) nothing is drawn, and the y-range is clipped when
values near a pole would flatten the rest (a note says so). In a pipe the plot is plain
characters, COLUMNS wide (else 80). Exit status: 0 success, 2 bad input."""


@click.command("plot", cls=ExprCommand, help=PLOT_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--wrt", metavar="NAME", help="The variable plotted (default: EXPR's one variable, or x).")
@click.option("--domain", "-d", metavar="NAME=A:B", help="The range of the variable (default -10:10, where f is defined).")
@click.option("--order", "-n", type=click.IntRange(0, 4), default=1, show_default=True, metavar="N",
              help="Draw the derivatives up to order N (0: f alone).")
@click.option("--tangent", "-t", metavar="X0", help="Draw the tangent line at X0 and print its equation.")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="Values for the other letters.")
@click.option("--output", "-o", metavar="FILE", help="Write the figure to FILE.png, .svg or .pdf (needs matplotlib).")
@json_option
def plot_cmd(expr, wrt, domain, order, tangent, at, output, as_json):
    from .figure import FORMATS

    if output is not None and os.path.splitext(output)[1].lower() not in FORMATS:
        raise click.UsageError(f"--output writes {', '.join(FORMATS)} files, not {output!r}")

    def work_out():
        from ..calculus import sketch as plotting

        return plotting.plot(expression_text(expr), wrt, at=bindings_text(at), domain=[domain] if domain else None,
                             order=order, tangent=tangent)

    p = call_core(work_out)
    if output is not None:
        _save(p, output)   # before anything is printed: a failure leaves stdout empty
    if as_json:
        from .render import dumps

        click.echo(dumps(to_dict(p)))
        return
    lines = [] if output is not None else _drawing(p)
    columns = _size()[0]
    if output is not None:
        lines.append(f"wrote {output}")
    lines += _listing(p, columns)
    click.echo("\n".join(lines))


def to_dict(p) -> dict:
    return {"expression": p.expression, "variable": p.variable, "domain": list(p.domain),
            "x": p.x, "f": p.curves[0], "derivatives": {str(k): p.curves[k] for k in range(1, len(p.curves))},
            "critical_points": [{"x": q.x, "y": q.y, "kind": q.kind, "y_digits": q.digits} for q in p.critical_points],
            "inflection_points": [{"x": q.x, "y": q.y, "y_digits": q.digits} for q in p.inflection_points],
            "tangent": None if p.tangent is None else {"x0": p.tangent.x0, "slope": p.tangent.slope,
                                                        "intercept": p.tangent.intercept},
            "y_range": list(p.y_range), "y_range_clipped": p.clipped, "notes": p.notes}


def _size() -> tuple[int, int, bool]:
    """(columns, plot rows, at a terminal): the terminal's size there; in a pipe COLUMNS, else 80."""
    import shutil

    tty = sys.stdout.isatty()
    if tty:
        columns, lines = shutil.get_terminal_size()
        rows = max(8, min(lines - 14, 40))
    else:
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 80
        rows = 20
    return max(columns, 30), rows, tty


def _drawing(p) -> list[str]:
    from .figure import terminal

    columns, rows, tty = _size()
    colour = tty and not os.environ.get("NO_COLOR")
    head = f"f({p.variable}) = {p.expression}"
    if len(head) > columns:
        head = head[: columns - 3] + "..."
    return [head] + terminal(p, columns, rows, colour)


def _listing(p, columns: int) -> list[str]:
    import textwrap

    v = p.variable
    import numpy as np

    f = np.abs(p.curves[0][np.isfinite(p.curves[0])])
    noise = 1e-13 * max(1.0, float(np.median(f)) if f.size else 1.0)  # the size f typically has

    def y(q):  # sin(x) at the float nearest 3 pi is 1e-15: for the eye, 0; never a digit not known
        from ..symbolic.numbers import trusted

        value = 0.0 if abs(q.y) <= noise else q.y + 0.0
        return trusted(value, 12 if q.digits is None else q.digits, 12)

    out = []
    if p.critical_points:
        out.append("critical points (f' = 0 or undefined):")
        out += [f"  {v} = {q.x + 0.0:<20.12g} f = {y(q):<20} {q.kind}" for q in p.critical_points]
    else:
        out.append(f"critical points (f' = 0 or undefined): none in [{p.domain[0]:g}, {p.domain[1]:g}]")
    if p.inflection_points:
        out.append("inflection points (f'' changes sign):")
        out += [f"  {v} = {q.x + 0.0:<20.12g} f = {y(q)}" for q in p.inflection_points]
    else:
        out.append(f"inflection points (f'' changes sign): none in [{p.domain[0]:g}, {p.domain[1]:g}]")
    if p.tangent is not None:
        out.append(f"tangent at {v} = {p.tangent.x0:.12g}: {p.tangent.equation}")
    for note in p.notes:
        out += textwrap.wrap(f"note: {note}", width=columns, subsequent_indent="  ")
    return [line.rstrip() for line in out]


def _save(p, path: str) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError(f"writing {os.path.splitext(path)[1]} files needs matplotlib: "
                         "pip install 'gradcli[plot]'") from None
    from .figure import save

    try:
        save(p, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
