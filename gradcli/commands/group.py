"""The `gradcli` command group and the console entry point.

Each command lives in a module of its own, imported only when that command runs (Click's
lazy-loading group), so `gradcli eval` never loads `check` or `minimize`.
"""

from __future__ import annotations

import errno
import gc
import importlib
import os
import sys

import click

from .. import __version__
from .options import Interrupted, PipeClosed, decided_status

COMMANDS = {"eval": "eval", "diff": "diff", "taylor": "taylor", "plot": "plot", "check": "check",
            "minimize": "minimize", "parse": "parse"}  # name -> module


class LazyGroup(click.Group):
    """Commands named in COMMANDS, each loaded from its module on first use."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            import difflib

            near = difflib.get_close_matches(args[0], self.list_commands(ctx), n=1, cutoff=0.6) if args else []
            if near and self.get_command(ctx, args[0]) is None:
                raise click.UsageError(f"No such command '{args[0]}'. Did you mean '{near[0]}'?", ctx) from exc
            raise

    def get_command(self, ctx, cmd_name):
        if cmd_name in COMMANDS:
            module = importlib.import_module(f"{__package__}.{COMMANDS[cmd_name]}")
            return getattr(module, f"{cmd_name}_cmd")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if _closed_pipe(exc):
                # past Click, whose own handler exits 1 on a closed pipe (1 is "incorrect"
                # for check): run() ends quietly with the status the command decided on
                raise PipeClosed() from None
            raise


def _closed_pipe(exc: OSError) -> bool:
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="gradcli")
def main():
    """gradcli: values, gradients, Jacobians and Hessians of expressions, from the shell.

    \b
    Examples:
      gradcli eval 'a*x**2 + b*x + c' -a a=1,b=-2,c=1,x=0
      gradcli eval 'sum(x**2)' -a 'x=[1,2,3]' --json | jq .grad.x
      gradcli minimize 'x**2 - 2*x + 1' --start x=0 --lr 0.01 --steps 500
      gradcli check 'sin(x**2)' --wrt x --answer '2x cos(x**2)'
      gradcli diff 'x^2 sin x' --steps
      gradcli taylor 'e^x' --degree 4
      gradcli plot 'x^3 - 3x' --domain x=-2.5:2.5 --tangent 2
      gradcli parse '1/2x'

    Run `gradcli COMMAND --help` for every option of a command.
    """


def _on_sigint(signum, frame):
    raise Interrupted()


def run():
    """Console entry point: quiet on a closed pipe (keeping the verdict's exit status), one
    line on Ctrl-C or on a bug."""
    import signal

    signal.signal(signal.SIGINT, _on_sigint)
    _import_numpy_early(sys.argv[1:])
    try:
        code = _main()
        sys.stdout.flush()
    except Interrupted as exc:
        click.echo(f"gradcli: {exc.args[0] if exc.args else 'interrupted'}", err=True)
        code = 130
    except (OSError, PipeClosed) as exc:
        if isinstance(exc, OSError) and not _closed_pipe(exc):
            # the output cannot be written (a full disk): say so, with the I/O error status
            click.echo(f"gradcli: cannot write the output: {exc.strerror or exc}", err=True)
            sys.exit(74)
        # `gradcli ... | head -c1`: the reader has all it wants. Stop quietly, with success;
        # stdout goes to devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = decided_status()
    except Exception as exc:  # a bug of ours: still one line, and no traceback for the user
        if os.environ.get("GRADCLI_DEBUG"):
            raise
        click.echo(f"gradcli: internal error ({type(exc).__name__}: {exc}); please report it, "
                   "with GRADCLI_DEBUG=1 for the details", err=True)
        code = 70
    sys.exit(code)


def _import_numpy_early(args: list) -> None:
    """Import NumPy here, near the bottom of the call stack, for a command that will load it.

    CPython 3.11 keeps Python frames in 16 KiB chunks that it maps and unmaps as the stack
    crosses a chunk's edge. Imported from inside the command (group -> command -> evaluation
    -> engine -> numpy, each import a few frames deep), NumPy's own start-up (its typing
    aliases call through many small functions) sat on such an edge and mapped and unmapped a
    chunk about a thousand times: a third more system time for `gradcli eval`. From here it
    runs at the depth `python -c "import numpy"` does. Help and --version never load NumPy.
    """
    if args and args[0] in COMMANDS and not {"-h", "--help"} & set(args):
        # The collector would walk NumPy's thousands of new module objects several times
        # while it loads, and free none of them: an eighth of the start-up's instructions.
        # Off while it loads; then everything loaded so far is frozen (never walked again),
        # and collection goes on as usual for the command's own objects.
        gc.disable()
        try:
            import numpy  # noqa: F401
        finally:
            gc.freeze()
            gc.enable()


def _main() -> int:
    """Click's own handling of its errors, but a closed pipe left to run() (standalone Click
    would exit 1 there, which means "check failed")."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Exit as exc:   # --help, --version
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return 0
