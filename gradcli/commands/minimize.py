"""`gradcli minimize`: walk downhill with gradient descent or Newton's method."""

from __future__ import annotations

import sys

import click

from ..defaults import METHODS
from .options import ExprCommand, InputError, Interrupted, bindings_from, decided, call_core, expression_text, json_option, precision_option, warn
from .progress import Progress


MINIMIZE_HELP = """Minimise the scalar EXPR by gradient descent or Newton's method.

\b
Examples:
  gradcli minimize 'x**2 - 2*x + 1' --start x=0 --lr 0.01 --steps 500
  gradcli minimize 'w**2' -s w=5 --lr 0.4 --steps 3 --trace steps.csv
  gradcli minimize 'sum(100*(x[1:]-x[:-1]**2)**2 + (1-x[:-1])**2)' -s 'x=[0,0,0]' -m newton
  gradcli minimize '(x-a)**2' -s x=0 -a a=3 -m adam --lr 0.1 --json | jq .point.x

The variables named with --start are optimised; --at pins the others. sgd, momentum and
adam follow PyTorch's update rules (adam: betas 0.9, 0.999, eps 1e-8); newton uses the exact
Hessian and takes a gradient step where it is not positive definite.
Default --lr: 0.01 (adam 0.001). The run stops when the gradient norm falls below --tol
(converged), after --steps updates (step limit), or when the value or point stops being
finite (diverged).
Exit status: 0 converged or step limit, 2 bad input, 3 diverged."""


@click.command("minimize", cls=ExprCommand, help=MINIMIZE_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--start", "-s", "start", multiple=True, required=True, metavar="NAME=VALUE",
              help="A variable to optimise and its starting value (same VALUE forms as eval --at).")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="Pin a variable to a value.")
@click.option("--method", "-m", type=click.Choice(METHODS), default="sgd", show_default=True)
@click.option("--lr", type=float, help="Learning rate (step size).")
@click.option("--momentum", type=float, default=0.9, show_default=True, help="Momentum factor for --method momentum.")
@click.option("--steps", type=click.IntRange(0), default=1000, show_default=True, help="Most updates to take.")
@click.option("--tol", type=float, default=1e-8, show_default=True, help="Stop when the gradient norm falls below this.")
@click.option("--trace", metavar="FILE", type=click.Path(dir_okay=False, writable=False), help="Write every step as CSV, or JSON Lines when FILE ends in .jsonl.")
@precision_option
@json_option
def minimize_cmd(expr, start, at, method, lr, momentum, steps, tol, trace, precision, as_json):
    progress = Progress(steps, enabled=not as_json and sys.stderr.isatty())
    reached = []  # the last step taken, for Ctrl-C to report

    def descend():
        from ..calculus.optimize import minimize
        from .trace import TraceWriter

        text = expression_text(expr)
        starts, pinned = bindings_from(start, option="--start"), bindings_from(at)
        try:
            writer = TraceWriter.open(trace) if trace else None
        except OSError as exc:
            raise InputError(f"cannot write the trace to {trace}: {exc.strerror or exc}") from None

        def on_step(step):
            # written, then noted: Ctrl-C between the two leaves the trace a step ahead of the
            # message, never the message naming a step the trace does not have
            if writer:
                writer.write(step)
            reached[:] = [step]
            progress(step)

        try:
            return minimize(text, start=starts, at=pinned, method=method, lr=lr, momentum=momentum,
                            steps=steps, tol=tol, on_step=on_step)
        finally:  # also on Ctrl-C: what was traced so far is flushed
            progress.close()
            if writer:
                writer.close()

    try:
        result = call_core(descend)
    except Interrupted:
        if reached:
            raise Interrupted(f"interrupted at step {reached[0].step}: {_point_text(reached[0])}") from None
        raise
    decided(3 if result.stopped == "diverged" else 0)
    warn(result.warnings)
    for note in result.notes:
        click.echo(f"gradcli: note: {note}", err=True)
    if as_json:
        from .render import dumps, minimize_dict

        click.echo(dumps(minimize_dict(result)))
    else:
        from .render import print_tables

        print_tables(result, precision)
    if result.stopped == "diverged":
        click.echo(f"gradcli: the run diverged at step {result.steps} (the value or point is no longer "
                   f"finite): try a smaller --lr", err=True)
        sys.exit(3)


def _point_text(step) -> str:
    """`x = 0.99, y = [1, 2]; value 1.2e-05`, with every digit (to pick the run up again)."""
    import numpy as np

    parts = [f"{name} = {np.array2string(np.asarray(v), separator=', ', precision=17)}" for name, v in
             step.point.items()]
    return ", ".join(parts) + f"; value {step.value!r}"
