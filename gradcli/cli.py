"""The command line: thin Click commands that hand one request to the core.

Only click is imported at start-up; NumPy, Lark and rich load when a command needs them.
"""

from __future__ import annotations

import os
import re
import sys

import click

from . import __version__

MAX_ORDER = 20  # mirrors evaluation.MAX_ORDER without importing NumPy for --help


class ExprCommand(click.Command):
    """A command whose EXPR arguments may start with '-' (`gradcli eval '-x**2' -a x=3`).

    Click would read '-x**2' as an unknown option; here a dash-led word is an option only
    when it names one of ours (with a value of the expected form), otherwise an expression.
    """

    # the form an option's value takes when written straight after it (`-ax=3`, `-gx,y`);
    # patterns, not compiled: compiling six at import cost every run 1 ms
    _ATTACHED = {"-a": r"\s*[A-Za-z_]\w*\s*=", "-s": r"\s*[A-Za-z_]\w*\s*=", "-g": r"[\w,\s]+$",
                 "-w": r"[\d.@\[+\-]", "-p": r"\d+$", "-m": r"(sgd|momentum|adam|newton)$"}

    def parse_args(self, ctx, args):
        takes_value, long_form = {}, {}
        for param in self.params:
            if isinstance(param, click.Option):
                names = param.opts + param.secondary_opts
                for name in names:
                    takes_value[name] = not (param.is_flag or param.count)
                longs = [n for n in names if n.startswith("--")]
                for name in names:
                    if len(name) == 2 and longs:
                        long_form[name] = longs[0]
        options, positional = [], []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                positional.extend(args[i + 1:])
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg[:2]
            is_option = arg.startswith("--") or (
                arg.startswith("-") and name in takes_value
                and (len(arg) == 2 or (name in self._ATTACHED and re.match(self._ATTACHED[name], arg[2:]))))
            if arg.startswith("-") and len(arg) > 1 and is_option:
                needs_value = takes_value.get(name) and len(arg) == len(name)
                if needs_value and i + 1 < len(args):
                    # `-a VALUE` goes to Click as `--at VALUE`: Click looks every option up
                    # as a long one first, and that failed lookup imports difflib to
                    # suggest names, 1.5 ms of every run.
                    options += [long_form.get(arg, arg), args[i + 1]]
                    i += 1
                elif needs_value and not ctx.resilient_parsing:
                    # Click would take our "--" as its value. Shell completion parses
                    # unfinished lines (resilient parsing) and must not fail here.
                    raise click.BadOptionUsage(arg, f"Option '{arg}' requires an argument.", ctx=ctx)
                else:
                    options.append(arg)
            else:
                positional.append(arg)
            i += 1
        return super().parse_args(ctx, options + ["--"] + positional)


class InputError(click.ClickException):
    """A user error from the core: one message (with a caret line for syntax), exit 2."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"gradcli: {self.message}", err=True)


def _fail(exc) -> None:
    raise InputError(exc.render()) from None


def _warn(messages) -> None:
    for msg in messages:
        click.echo(f"gradcli: warning: {msg}", err=True)


def _expression_text(arg: str) -> str:
    """EXPR as typed, or read from standard input (`-`) or a file (`@FILE`): a long
    expression does not fit in a command line."""
    from .bindings import read_text

    if arg == "-":
        return read_text("-").strip()
    if arg.startswith("@"):
        return read_text(arg[1:]).strip()
    return arg


def _run(work):
    """Run the core; typed errors become one stderr message and exit 2, never a traceback."""
    from .errors import GradcliError

    try:
        return work()
    except GradcliError as exc:
        _fail(exc)
    except RecursionError:
        raise InputError("the input is nested too deeply") from None
    except MemoryError:
        raise InputError("not enough memory for this computation; use smaller inputs or narrow --grad") from None


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

\b
Functions: sin cos tan asin acos atan sinh cosh tanh exp log log2 log10 sqrt abs
  sigmoid relu softplus pow maximum minimum sum mean prod dot transpose norm logsumexp
  detach; constants pi and e. Operators + - * / ** ^ @, and 2x for 2*x.

VALUE is a number, a constant expression (pi/4, sqrt(2)), a nested list [[1,2],[3,4]],
or @FILE (.json, .npy, .csv, .txt; @- reads standard input). Without --grad every
variable is differentiated. A non-scalar output needs --weights (the vector of the
vector-Jacobian product), or --jacobian, or a reduction such as sum() or mean().
Exit status: 0 success (numeric trouble such as log(-1) is a warning), 1 when
--check-grad finds a difference, 2 bad input."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="gradcli")
def main():
    """gradcli: values, gradients, Jacobians and Hessians of expressions, from the shell.

    \b
    Examples:
      gradcli eval 'a*x**2 + b*x + c' -a a=1,b=-2,c=1,x=0
      gradcli eval 'sum(x**2)' -a 'x=[1,2,3]' --json | jq .grad.x
      gradcli minimize 'x**2 - 2*x + 1' --start x=0 --lr 0.01 --steps 500
      gradcli check 'sin(x**2)' --wrt x --answer '2x cos(x**2)'
      gradcli parse '1/2x'

    Run `gradcli COMMAND --help` for every option of a command.
    """


@main.command("eval", cls=ExprCommand, help=EVAL_HELP)
@click.argument("exprs", nargs=-1, required=True, metavar="EXPR...")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE",
              help="Value of a variable; repeat, or separate several with commas: -a x=1,y=[1,2].")
@click.option("--at-json", metavar="FILE", help="Read a JSON object of NAME: VALUE bindings ('-' for standard input).")
@click.option("--grad", "-g", "grad", metavar="VARS", help="Comma-separated variables to differentiate (default: all).")
@click.option("--no-grad", is_flag=True, help="Values only, no derivatives.")
@click.option("--weights", "-w", multiple=True, metavar="W",
              help="Output weights, one per EXPR in order: number, nested list or @FILE of that output's shape.")
@click.option("--jacobian", is_flag=True, help="The full Jacobian: rows are output elements, columns variable elements.")
@click.option("--hessian", is_flag=True, help="The Hessian of the (weighted, summed) output.")
@click.option("--order", type=click.IntRange(1, MAX_ORDER), metavar="N",
              help=f"Derivatives of order 1..N with respect to one scalar variable (N <= {MAX_ORDER}).")
@click.option("--precision", "-p", type=click.IntRange(1, 17), default=6, show_default=True,
              help="Significant digits in tables (JSON always carries full precision).")
@click.option("--check-grad", is_flag=True,
              help="Compare the gradient with central finite differences; exit 1 if they differ.")
@click.option("--check-tol", type=click.FloatRange(0), default=1e-5, show_default=True, metavar="TOL",
              help="Largest allowed |engine - numeric| / max(1, |numeric|) for --check-grad.")
@click.option("--max-entries", type=click.IntRange(1), default=10_000_000, show_default=True, metavar="N",
              help="Largest Jacobian or Hessian (entries) to compute; larger ones are refused up front.")
@click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object instead of tables.")
def eval_cmd(exprs, at, at_json, grad, no_grad, weights, jacobian, hessian, order, precision, check_grad,
             check_tol, max_entries, as_json):
    if no_grad and (grad or jacobian or hessian or order or check_grad):
        raise click.UsageError("--no-grad cannot be combined with --grad, --jacobian, --hessian, --order or --check-grad")

    def work():
        from .bindings import parse_value, read_bindings_json
        from .evaluation import evaluate

        texts = [_expression_text(e) for e in exprs]
        values = read_bindings_json(at_json) if at_json else {}
        values.update(_bindings(at))
        ws = [parse_value(w, what="weights") for w in weights]
        return evaluate(*texts, at=values, grad=() if no_grad else grad, weights=ws,
                        jacobian=jacobian, hessian=hessian, order=order,
                        check_grad=check_tol if check_grad else None, max_entries=max_entries)

    result = _run(work)
    _warn(result.warnings)
    if as_json:
        from .render import to_json

        click.echo(to_json(result))
    else:
        from .render import print_tables

        print_tables(result, precision)
    if result.check_grad is not None and not result.check_grad.ok:
        c = result.check_grad
        click.echo(f"gradcli: gradient check failed: difference {c.max_difference:.3g} at {c.worst} "
                   f"exceeds {c.tolerance:g}", err=True)
        sys.exit(1)


def _bindings(items) -> dict:
    """NAME=VALUE words (several per word, comma-separated) -> {name: array}."""
    from .bindings import parse_value, split_bindings

    values = {}
    for item in items:
        for name, text in split_bindings(item):
            values[name] = parse_value(text, what=f"the value of {name}")
    return values


METHODS = ("sgd", "momentum", "adam", "newton")  # mirrors optimize.METHODS without importing NumPy

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


class _Progress:
    """A rich progress bar on stderr, only at a terminal and only once a run takes a while."""

    def __init__(self, total: int, enabled: bool):
        import time

        self.total, self.enabled, self.bar, self.began, self.clock = total, enabled, None, time.monotonic(), time.monotonic

    def __call__(self, step) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if self.clock() - self.began < 0.5:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("minimising", total=self.total)
        self.bar.update(self.task, completed=step.step, description=f"value {step.value:.6g}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command("minimize", cls=ExprCommand, help=MINIMIZE_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--start", "-s", "start", multiple=True, required=True, metavar="NAME=VALUE",
              help="A variable to optimise and its starting value (same VALUE forms as eval --at).")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="Pin a variable to a value.")
@click.option("--method", "-m", type=click.Choice(METHODS), default="sgd", show_default=True)
@click.option("--lr", type=float, help="Learning rate (step size).")
@click.option("--momentum", type=float, default=0.9, show_default=True, help="Momentum factor for --method momentum.")
@click.option("--steps", type=click.IntRange(0), default=1000, show_default=True, help="Most updates to take.")
@click.option("--tol", type=float, default=1e-8, show_default=True, help="Stop when the gradient norm falls below this.")
@click.option("--trace", metavar="FILE", help="Write every step as CSV, or JSON Lines when FILE ends in .jsonl.")
@click.option("--precision", "-p", type=click.IntRange(1, 17), default=6, show_default=True,
              help="Significant digits in tables.")
@click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object instead of tables.")
def minimize_cmd(expr, start, at, method, lr, momentum, steps, tol, trace, precision, as_json):
    progress = _Progress(steps, enabled=not as_json and sys.stderr.isatty())

    def work():
        from .optimize import minimize
        from .trace import TraceWriter

        text = _expression_text(expr)
        starts, pinned = _bindings(start), _bindings(at)
        try:
            writer = TraceWriter.open(trace) if trace else None
        except OSError as exc:
            raise InputError(f"cannot write the trace to {trace}: {exc.strerror or exc}") from None

        def on_step(step):
            if writer:
                writer.write(step)
            progress(step)

        try:
            return minimize(text, start=starts, at=pinned, method=method, lr=lr, momentum=momentum,
                            steps=steps, tol=tol, on_step=on_step)
        finally:  # also on Ctrl-C: what was traced so far is flushed
            progress.close()
            if writer:
                writer.close()

    result = _run(work)
    _warn(result.warnings)
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


CHECK_HELP = """Check a hand-derived derivative of EXPR against the true one, and explain.

\b
Examples:
  gradcli check 'x**2*sin(x)' --wrt x --answer '2x sin(x) + x^2 cos(x)'
  gradcli check 'sin(x**2)' --wrt x --answer 'cos(x**2)'        # diagnosed: missing 2x
  gradcli check 'x**2*y**3' --wrt x,y --answer '6x y^2'          # mixed partial
  gradcli check 'log(x)' --wrt x,x --answer '-1/x^2' --json      # no --domain needed
  gradcli check 'a*x**2' --wrt x --answer 6 --at a=1,x=3         # a number, all pinned
  gradcli check --sheet problems.toml --answers alice.toml --json

--wrt x checks df/dx; --wrt x,y the mixed partial; --wrt x,x the second derivative.
ANSWER is a formula in the same variables. Unpinned variables are sampled at --points
random points in their --domain (default -10:10), redrawn where the expression or its
derivative is undefined; the --seed is fixed by default and printed, so every verdict can
be reproduced. Values match within --rtol (default 1e-4, as WeBWorK), or --atol near zero.
Exit status: 0 correct, 1 incorrect, 2 bad input."""


@main.command("check", cls=ExprCommand, help=CHECK_HELP)
@click.argument("expr", metavar="EXPR", required=False)
@click.option("--wrt", metavar="VARS", help="Variables to differentiate by, one per order: x, x,y or x,x.")
@click.option("--answer", metavar="ANSWER", help="The derivative to check: a formula or a number.")
@click.option("--at", "-a", "at", multiple=True, metavar="NAME=VALUE", help="Pin a variable (it is not sampled).")
@click.option("--points", type=click.IntRange(1, 10000), default=20, show_default=True, help="How many points.")
@click.option("--domain", multiple=True, metavar="NAME=LO:HI", help="Where to sample a variable (default -10:10).")
@click.option("--seed", type=int, default=None, help="Random seed for the points (default fixed and printed).")
@click.option("--rtol", type=click.FloatRange(0), default=1e-4, show_default=True, help="Relative tolerance.")
@click.option("--atol", type=click.FloatRange(0), default=1e-10, show_default=True, help="Absolute tolerance near zero.")
@click.option("--sheet", metavar="PROBLEMS.toml", help="Grade a sheet of problems ('-' for standard input).")
@click.option("--answers", "answers_file", metavar="ANSWERS.toml", help="A student's answers for --sheet: id = \"answer\".")
@click.option("--precision", "-p", type=click.IntRange(1, 17), default=6, show_default=True,
              help="Significant digits in tables.")
@click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object instead of tables.")
def check_cmd(expr, wrt, answer, at, points, domain, seed, rtol, atol, sheet, answers_file, precision, as_json):
    from . import render

    if sheet:
        if expr or wrt or answer:
            raise click.UsageError("--sheet grades a whole sheet: give no EXPR, --wrt or --answer with it")

        def grade_sheet():
            from .sheet import grade, load_answers, load_sheet

            problems = load_sheet(sheet)
            return grade(problems, load_answers(answers_file) if answers_file else {})

        outcomes = _run(grade_sheet)
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
    if not expr or not wrt or answer is None:
        raise click.UsageError("give EXPR, --wrt and --answer (or --sheet)")

    def work():
        from .check import DEFAULT_SEED, check, parse_domain

        domains = {}
        for item in domain:
            domains.update(parse_domain(item))
        return check(_expression_text(expr), wrt, answer, at=_bindings(at), domain=domains, points=points,
                     seed=DEFAULT_SEED if seed is None else seed, rtol=rtol, atol=atol)

    result = _run(work)
    _warn(result.notes)
    if as_json:
        click.echo(render.dumps(render.check_dict(result)))
    else:
        render.print_renderables(render.check_tables(result, precision))
    if not result.correct:
        click.echo(f"gradcli: incorrect at {len(result.failing)} of {len(result.expected)} points"
                   + (f": {result.diagnosis}" if result.diagnosis else ""), err=True)
        sys.exit(1)


PARSE_HELP = """Show how EXPR is read: fully parenthesised, its variables and functions.

\b
Examples:
  gradcli parse '1/2x'              # (1 / (2 * x)): juxtaposition binds tighter than /
  gradcli parse '-x**2 + 2x(x+1)'   # an unknown function x: write 2x*(x+1)
  gradcli parse 'u = x*y; sin(u)' --json"""


@main.command("parse", cls=ExprCommand, help=PARSE_HELP)
@click.argument("expr", metavar="EXPR")
@click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object.")
def parse_cmd(expr, as_json):
    def work():
        from .build import check_calls
        from .grammar import parse
        from .tree import free_variables, functions_used, to_text

        from .errors import GradcliError

        text = _expression_text(expr)
        tree = parse(text)  # its errors carry the text already
        try:
            check_calls(tree)
        except GradcliError as exc:
            raise exc.with_source(text)
        return {"expression": text, "read": to_text(tree), "variables": free_variables(tree),
                "functions": functions_used(tree)}

    info = _run(work)
    if as_json:
        from .render import dumps

        click.echo(dumps(info))
        return
    click.echo(f"read as:    {info['read']}")
    click.echo(f"variables:  {', '.join(info['variables']) or '(none)'}")
    click.echo(f"functions:  {', '.join(info['functions']) or '(none)'}")


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit 1; this
    passes through Click, running every `finally` (a trace file is flushed) on its way."""


def _on_sigint(signum, frame):
    raise Interrupted()


def run():
    """Console entry point: quiet on a closed pipe, one line on Ctrl-C or on a bug."""
    import signal

    signal.signal(signal.SIGINT, _on_sigint)
    try:
        main()
    except Interrupted:
        click.echo("gradcli: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: still one line, and no traceback for the user
        if os.environ.get("GRADCLI_DEBUG"):
            raise
        click.echo(f"gradcli: internal error ({type(exc).__name__}: {exc}); please report it, "
                   "with GRADCLI_DEBUG=1 for the details", err=True)
        sys.exit(70)
    except BrokenPipeError:
        # `gradcli ... | head -c1`: stop quietly; point stdout at devnull so the
        # interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
