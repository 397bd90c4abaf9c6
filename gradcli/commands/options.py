"""What every command shares: expressions that may start with '-', user errors as one line
and exit status 2, warnings on stderr, VALUE bindings, and the options several commands take.

Only click is imported here; NumPy, Lark and rich load when a command needs them.
"""

from __future__ import annotations

import re

import click


class ExprCommand(click.Command):
    """A command whose EXPR arguments may start with '-' (`gradcli eval '-x**2' -a x=3`).

    Click would read '-x**2' as an unknown option; here a dash-led word is an option only
    when it names one of ours (with a value of the expected form), otherwise an expression.
    """

    # the form an option's value takes when written straight after it (`-ax=3`, `-gx,y`);
    # patterns, not compiled: compiling six at import cost every run 1 ms
    _ATTACHED = {"-a": r"\s*[A-Za-z_]\w*\s*=", "-s": r"\s*[A-Za-z_]\w*\s*=", "-g": r"[\w,\s]+$",
                 "-w": r"[\d.@\[+\-]", "-p": r"\d+$", "-m": r"(sgd|momentum|adam|newton)$"}

    def format_help_text(self, ctx, formatter):
        # `{functions}` in a help text is the function table's names, read only when help is shown
        if self.help and "{functions}" in self.help:
            self.help = self.help.replace("{functions}", function_list())
        super().format_help_text(ctx, formatter)

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


def fail(exc) -> None:
    raise InputError(exc.render()) from None


def warn(messages) -> None:
    for msg in messages:
        click.echo(f"gradcli: warning: {msg}", err=True)


def expression_text(arg: str) -> str:
    """EXPR as typed, or read from standard input (`-`) or a file (`@FILE`): a long
    expression does not fit in a command line."""
    from ..bindings import read_text

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
    from ..bindings import parse_value, split_bindings
    from ..validate import add_binding

    values = {} if into is None else into
    for item in items:
        for name, text in split_bindings(item):
            add_binding(values, name, parse_value(text, what=f"the value of {name}"), where=f" with {option}")
    return values



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
