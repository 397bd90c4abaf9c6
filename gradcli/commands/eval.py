"""`gradcli eval`: values and derivatives of expressions at a point."""

from __future__ import annotations

import sys

import click

from ..defaults import CHECK_TOL, MAX_DIGITS, MAX_MATRIX_ENTRIES, MAX_ORDER
from .options import ExprCommand, bindings_from, decided, call_core, expression_text, json_option, precision_option, warn


EVAL_HELP = """Evaluate EXPR and its derivatives at a point.

\b
Examples:
  gradcli eval 'a*x**2 + b*x + c' -a a=1,b=-2,c=1,x=0
  gradcli eval 'sum(x**2 + 2*x + 5)' -a 'x=[1,2,3]'
  gradcli eval 'w*x + b' -a 'w=[[2,2],[2,2]],x=[[3,3],[3,3]],b=[[4,4],[4,4]]' -w '[[1,1],[1,1]]'
  gradcli eval 'x1*x2' 'x1 + x2' -a x1=1,x2=2          # gradients of several outputs add up
  gradcli eval '[x**2, x*y]' -a x=1,y=2 --jacobian
  gradcli eval 'x**3*y' -a x=1,y=2 --hessian --json | jq .hessian.matrix
  gradcli eval 'sin(x)' -a x=pi/4 --order 4
  gradcli eval 'sum(tanh(w*x))' -a 'w=[1,2],x=[0.5,-1]' --check-grad
  gradcli eval '-x**2' -a x=3                          # a leading '-' needs no '--'
  gradcli eval @long.txt -a x=1,y=2                    # EXPR from a file; '-' reads stdin
  gradcli eval 'x**2*y' --points points.csv --csv      # every row of a file, CSV out
  gradcli eval 'sin(x)*y' --grid x=0:1:5 -a y=2 --json # a grid, one JSON object per line

\b
Functions: {functions};
  constants pi and e. Operators + - * / ** ^ @, and 2x for 2*x.

VALUE is a number, a constant expression (pi/4, sqrt(2)), a nested list [[1,2],[3,4]],
or @FILE (.json, .npy, .csv, .txt; @- reads standard input). Without --grad every
variable is differentiated. A non-scalar output needs --weights (the vector of the
vector-Jacobian product), or --jacobian, or a reduction such as sum() or mean().
--points FILE computes every row of a CSV (a header row names the variables), JSON Lines
or .npz file ('-' reads standard input); --grid x=A:B:N takes N points from A to B for
each variable named, and every combination. Variables not in the file come from --at.
Output: --csv (full precision), --json (JSON Lines), or a table of the first and last rows.
Exit status: 0 success (numeric trouble such as log(-1) is a warning), 1 when
--check-grad finds a difference, 2 bad input (a bad row of a file: its line and column)."""



@click.command("eval", cls=ExprCommand, help=EVAL_HELP)
@click.argument("exprs", nargs=-1, required=True, metavar="EXPR...")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE",
              help="Value of a variable; repeat, or separate several with commas: -a x=1,y=[1,2].")
@click.option("--at-json", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True), help="Read a JSON object of NAME: VALUE bindings ('-' for standard input).")
@click.option("--grad", "-g", "grad", metavar="VARS", help="Comma-separated variables to differentiate (default: all).")
@click.option("--no-grad", is_flag=True, help="Values only, no derivatives.")
@click.option("--weights", "-w", multiple=True, metavar="W",
              help="Output weights, one per EXPR in order: number, nested list or @FILE of that output's shape.")
@click.option("--jacobian", is_flag=True, help="The full Jacobian: rows are output elements, columns variable elements.")
@click.option("--hessian", is_flag=True, help="The Hessian of the (weighted, summed) output.")
@click.option("--order", type=click.IntRange(1, MAX_ORDER), metavar="N",
              help=f"Derivatives of order 1..N with respect to one scalar variable (N <= {MAX_ORDER}).")
@click.option("--digits", type=click.IntRange(1, MAX_DIGITS), metavar="N",
              help="With --order: N significant digits of each derivative, in tables and as text in JSON "
                   "(beyond a float's 16 they come from ball arithmetic; only digits that are right are shown).")
@precision_option
@click.option("--check-grad", is_flag=True,
              help="Compare the gradient with central finite differences; exit 1 if they differ.")
@click.option("--check-tol", type=click.FloatRange(0), default=CHECK_TOL, show_default=True, metavar="TOL",
              help="Largest allowed |engine - numeric| / max(1, |numeric|) for --check-grad.")
@click.option("--max-entries", type=click.IntRange(1), default=MAX_MATRIX_ENTRIES, show_default=True, metavar="N",
              help="Largest Jacobian or Hessian (entries) to compute; larger ones are refused up front.")
@click.option("--points", "points_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Every row of FILE is a point: CSV with a header, JSON Lines, or .npz ('-': standard input).")
@click.option("--points-format", type=click.Choice(["csv", "jsonl", "npz"]),
              help="The format of --points (default: from the file's name, or its first bytes).")
@click.option("--grid", multiple=True, metavar="NAME=A:B:N",
              help="N points from A to B inclusive for NAME; several names: every combination.")
@click.option("--skip-bad-rows", is_flag=True, help="Skip rows of --points that are not numbers, and count them.")
@click.option("--csv", "as_csv", is_flag=True, help="With --points or --grid: CSV out, a row per point.")
@json_option
def eval_cmd(exprs, at, at_json, grad, no_grad, weights, jacobian, hessian, order, digits, precision, check_grad,
             check_tol, max_entries, points_file, points_format, grid, skip_bad_rows, as_csv, as_json):
    if no_grad and (grad or jacobian or hessian or order or check_grad):
        raise click.UsageError("--no-grad cannot be combined with --grad, --jacobian, --hessian, --order or --check-grad")
    if digits is not None and order is None:
        raise click.UsageError("--digits goes with --order N: it is the digits of the derivatives")
    many = points_file is not None or bool(grid)
    _points_options(points_file, points_format, grid, skip_bad_rows, as_csv, as_json, check_grad)
    if points_file == "-" and (at_json == "-" or any(w in ("-", "@-") for w in exprs)
                               or any("@-" in w for w in (*at, *weights))):
        raise click.UsageError("standard input is read once: it holds the points (--points -), so it cannot "
                               "also hold an expression or a value")
    if many:
        from . import points

        def prepare():
            from ..batches import Plan
            from ..inputs.values import parse_value, read_bindings_json
            from ..inputs.pointfiles import grid as make_grid, open_points

            values = read_bindings_json(at_json) if at_json else {}
            bindings_from(at, into=values)
            source = (open_points(points_file, points_format, skip_bad=skip_bad_rows) if points_file is not None
                      else make_grid(grid))
            where = "--grid" if grid else ("standard input" if points_file == "-" else points_file)
            plan = Plan([expression_text(e) for e in exprs], source.names, at=values,
                        grad=() if no_grad else grad, weights=[parse_value(w, what="weights") for w in weights],
                        jacobian=jacobian, hessian=hessian, order=order, max_entries=max_entries, source=where)
            return source, plan

        points.run(prepare, "csv" if as_csv else "json" if as_json else "table", precision)
        return

    def evaluate_request():
        from ..inputs.values import parse_value, read_bindings_json
        from ..evaluation import evaluate

        texts = [expression_text(e) for e in exprs]
        values = read_bindings_json(at_json) if at_json else {}
        bindings_from(at, into=values)
        ws = [parse_value(w, what="weights") for w in weights]
        return evaluate(*texts, at=values, grad=() if no_grad else grad, weights=ws,
                        jacobian=jacobian, hessian=hessian, order=order,
                        check_grad=check_tol if check_grad else None, max_entries=max_entries, digits=digits)

    result = call_core(evaluate_request)
    decided(1 if result.check_grad is not None and not result.check_grad.ok else 0)
    warn(result.warnings)
    if as_json:
        from .render import to_json

        click.echo(to_json(result, digits))
    else:
        from .render import print_tables

        print_tables(result, precision, digits=digits)
    if result.check_grad is not None and not result.check_grad.ok:
        c = result.check_grad
        click.echo(f"gradcli: gradient check failed: difference {c.max_difference:.3g} at {c.worst} "
                   f"exceeds {c.tolerance:g}", err=True)
        sys.exit(1)


def _points_options(points_file, points_format, grid, skip_bad_rows, as_csv, as_json, check_grad) -> None:
    """Options for many points make sense only with them, and not every pair together."""
    if points_file is not None and grid:
        raise click.UsageError("give --points or --grid, not both")
    if points_file is None and not grid:
        for flag, given in (("--csv", as_csv), ("--skip-bad-rows", skip_bad_rows), ("--points-format", points_format)):
            if given:
                raise click.UsageError(f"{flag} goes with --points FILE" + (" or --grid" if flag == "--csv" else ""))
        return
    if grid and (skip_bad_rows or points_format):
        raise click.UsageError("--skip-bad-rows and --points-format go with --points FILE, not --grid")
    if as_csv and as_json:
        raise click.UsageError("choose --csv or --json, not both")
    if check_grad:
        raise click.UsageError("--check-grad compares one point's gradient with finite differences; "
                               "run it at a point with --at, not with --points or --grid")
