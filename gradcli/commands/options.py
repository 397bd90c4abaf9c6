"""What every command shares: expressions that may start with '-', user errors as one line
and exit status 2, warnings on stderr, VALUE bindings, and the options several commands take.

Only click is imported here; NumPy, Lark and rich load when a command needs them.
"""

from __future__ import annotations

import re

import click


class ExprCommand(click.Command):
    """A command whose EXPR arguments may start with '-' (`gradcli eval '-x**2' -a x=3`).

    Click would read '-x**2' as an unknown option. Here: a word that is exactly one of our
    options is that option (`-h` is help everywhere); a word of a dash and letters only
    (`-gx`, `-json`) is an expression when it names a variable given a value (`-gamma`
    with `-a gamma=2`) or a constant, and otherwise an error that says how to write either;
    every other dash-led word (`-x**2`, `-2x`, `-(x+1)`, `-p2`) is an expression. Nothing
    is ever dropped or split: `-p2` is never `-p 2`.
    """

    # options whose values name variables: a dash-led word naming one of them is an expression
    _NAMING = ("--at", "--start", "--grad", "--wrt")

    def format_help_text(self, ctx, formatter):
        # `{functions}` in a help text is the function table's names, read only when help is shown
        if self.help and "{functions}" in self.help:
            self.help = self.help.replace("{functions}", function_list())
        super().format_help_text(ctx, formatter)

    def parse_args(self, ctx, args):
        takes_value, long_form, once = {}, {}, set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = param.opts + param.secondary_opts
                longs = [n for n in names if n.startswith("--")]
                for name in names:
                    takes_value[name] = not (param.is_flag or param.count)
                    long_form[name] = longs[0] if longs else name
                if not (param.is_flag or param.count or param.multiple):
                    once.add(long_form[names[0]])
        named = self._named_variables(args, takes_value, long_form)
        options, positional = [], []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                positional.extend(args[i + 1:])
                break
            option = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if arg == "-" or not arg.startswith("-"):
                positional.append(arg)
            elif option in takes_value:
                if takes_value[option] and option == arg:
                    if i + 1 < len(args):
                        # `-a VALUE` goes to Click as `--at VALUE`: Click looks every option up
                        # as a long one first, and that failed lookup imports difflib to
                        # suggest names, 1.5 ms of every run.
                        options += [long_form[arg], args[i + 1]]
                        i += 1
                    elif not ctx.resilient_parsing:
                        # Shell completion parses unfinished lines (resilient parsing) and must not fail here.
                        raise click.BadOptionUsage(arg, f"Option '{arg}' requires an argument.", ctx=ctx)
                else:
                    options.append(arg)
            elif arg.startswith("--"):
                options.append(arg)  # Click says it knows no such option, and suggests one
            elif "=" in arg and takes_value.get(arg[:2]) and re.match(r"-[A-Za-z]\s*[A-Za-z_]\w*\s*=", arg):
                # -ax=3, an option glued to its NAME=VALUE: no expression holds '=' there
                if long_form[arg[:2]] in self._NAMING:
                    options += [long_form[arg[:2]], arg[2:]]
                elif not ctx.resilient_parsing:
                    raise click.UsageError(f"no such option: {arg} (for {long_form[arg[:2]]} write "
                                           f"{arg[:2]} {arg[2:]})", ctx=ctx)
            elif arg[1:].isalpha() and arg[1:].isascii() and arg[1:] not in named and not _constant(arg[1:]):
                if not ctx.resilient_parsing:
                    raise click.UsageError(self._unknown(arg, takes_value, long_form), ctx=ctx)
            else:
                positional.append(arg)
            i += 1
        if not ctx.resilient_parsing:
            given = [long_form.get(o.split("=", 1)[0]) for o in options if o.startswith("-")]
            for name in once:
                if given.count(name) > 1:  # never silently the last one
                    raise click.UsageError(f"{name} is given {given.count(name)} times; give it once"
                                           + (" (x,y for a mixed partial)" if name == "--wrt" else ""), ctx=ctx)
        return super().parse_args(ctx, options + ["--"] + positional)

    def _named_variables(self, args, takes_value, long_form) -> set:
        """The variable names the command line gives values to or differentiates by."""
        named = set()
        for k, arg in enumerate(args):
            option, _, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            if long_form.get(option) not in self._NAMING and long_form.get(arg[:2]) not in self._NAMING:
                continue
            if long_form.get(arg[:2]) in self._NAMING and len(arg) > 2 and not arg.startswith("--"):
                value = arg[2:]  # -ax=3
            elif not value and k + 1 < len(args):
                value = args[k + 1]
            named.update(re.findall(r"(?:^|[,\s])([A-Za-z_]\w*)\s*(?==|,|$)", value))
        return named

    def _unknown(self, arg, takes_value, long_form) -> str:
        hints = []
        if "-" + arg in takes_value:
            hints.append(f"did you mean -{arg}?")
        elif arg[:2] in takes_value and takes_value[arg[:2]]:
            hints.append(f"for {long_form[arg[:2]]} write {arg[:2]} {arg[2:]}")
        hints.append(f"an expression starting with '-' goes after --, as in: gradcli {self.name} -- {arg}")
        return f"no such option: {arg} ({'; '.join(hints)})"


# The exit status a command has decided on before it prints: when the reader closes the
# pipe early (`| head`), the run still ends with it (1 incorrect, 3 diverged, 0 otherwise).
_STATUS = [0]


def decided(status: int) -> None:
    _STATUS[0] = status


def decided_status() -> int:
    return _STATUS[0]


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit 1; this
    passes through Click, running every `finally` (a trace file is flushed) on its way."""


class PipeClosed(BaseException):
    """The reader of our stdout has gone (`| head`): a BaseException, so it passes Click
    (which exits 1 on a closed pipe) to run(), which ends quietly with the run's status."""


class InputError(click.ClickException):
    """A user error from the core: one message (with a caret line for syntax), exit 2."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"gradcli: {self.message}", err=True)


def fail(exc) -> None:
    raise InputError(exc.render()) from None


def warn(messages) -> None:
    for msg in messages:
        click.echo(f"gradcli: warning: {msg}", err=True)


def expression_text(arg: str) -> str:
    """EXPR as typed, or read from standard input (`-`) or a file (`@FILE`): a long
    expression does not fit in a command line."""
    from ..inputs.values import read_text

    if arg == "-":
        return read_text("-").strip()
    if arg.startswith("@"):
        return read_text(arg[1:]).strip()
    return arg


def call_core(request):
    """Run the core; typed errors become one stderr message and exit 2, never a traceback."""
    from ..errors import GradcliError

    try:
        return request()
    except GradcliError as exc:
        fail(exc)
    except RecursionError:
        raise InputError("the input is nested too deeply") from None
    except MemoryError:
        raise InputError("not enough memory for this computation; use smaller inputs or narrow --grad") from None


def bindings_from(items, into: dict | None = None, option: str = "--at") -> dict:
    """NAME=VALUE words (several per word, comma-separated) -> {name: array}; a name given
    twice (here or already in `into`) is an error."""
    from ..inputs.values import parse_value, split_bindings
    from ..inputs.validate import bindings

    pairs = (pair for item in items for pair in split_bindings(item))
    return bindings(pairs, f" with {option}", lambda name, text: parse_value(text, what=f"the value of {name}"),
                    into)



def bindings_text(items) -> dict:
    """NAME=VALUE words -> {name: value text}: for diff, which keeps pi/4 exact."""
    from ..inputs.values import split_bindings
    from ..inputs.validate import bindings

    return bindings((pair for item in items for pair in split_bindings(item)), " with --at")


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print one strict-JSON object instead of tables.")(fn)


def precision_option(fn):
    return click.option("--precision", "-p", type=click.IntRange(1, 17), default=6, show_default=True,
                        help="Significant digits in tables (JSON always carries full precision).")(fn)


def function_list(width: int = 84) -> str:
    """Every function name from the table, wrapped for help text (no NumPy is loaded)."""
    import textwrap

    from ..language.functions import FUNCTIONS

    return textwrap.fill(" ".join(FUNCTIONS), width=width, subsequent_indent="  ")


def _constant(name: str) -> bool:
    """-pi and -e are expressions, never options (read only for a dash-led word)."""
    from ..language.tree import CONSTANTS

    return name in CONSTANTS
