"""Loading and caching the Lark parser; Lark's errors become ParseError with a column.

>>> from gradcli.grammar import parse
>>> parse("2x**2")
(2 * (x ** 2))
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from .errors import ParseError

_HERE = Path(__file__).resolve().parent
# Installed wheels carry the grammar inside the package; a source checkout keeps it at the top.
_CANDIDATES = (_HERE / "grammars" / "gradcli.lark", _HERE.parent / "grammars" / "gradcli.lark")

# Friendly names for the terminals Lark reports as expected.
_TERMINALS = {
    "NUMBER": "a number", "NAME": "a name", "FUNC": "a function call",
    "ADD_OP": "'+' or '-'", "MUL_OP": "'*', '/' or '@'", "POW_OP": "'**'",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COMMA": "','",
    "COLON": "':'", "SEMICOLON": "';'", "EQUAL": "'='", "$END": "the end of the expression",
}


def grammar_path() -> Path:
    for path in _CANDIDATES:
        if path.is_file():
            return path
    raise FileNotFoundError("gradcli.lark not found; the installation is incomplete")


@functools.lru_cache(maxsize=None)
def _parser():
    from lark import Lark

    from .tree import ToExpr

    path = grammar_path()
    # The analysed LALR tables are cached on disk, so later runs skip grammar analysis.
    cache = os.path.join(tempfile.gettempdir(), f".gradcli-lark-{os.getuid() if hasattr(os, 'getuid') else 0}.cache")
    # The transformer is embedded: Expr nodes are built as the parser reduces, with no
    # recursion, so 10,000 nested parentheses parse at Python's default recursion limit.
    return Lark(path.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                maybe_placeholders=True, transformer=ToExpr(), cache=cache)


def _describe(expected) -> str:
    names = sorted({_TERMINALS.get(t, repr(t)) for t in expected if not t.startswith("__")})
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def parse(text: str):
    """Parse an expression (with optional `name = expr;` definitions) into an Expr tree."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

    if not text.strip():
        raise ParseError("the expression is empty", source=text)
    try:
        return _parser().parse(text)
    except UnexpectedCharacters as exc:
        char = text[exc.pos_in_stream]
        raise ParseError(f"unexpected character {char!r}", source=text, pos=exc.pos_in_stream) from None
    except UnexpectedToken as exc:
        tok = exc.token
        if tok.type == "$END":
            pos, what = len(text.rstrip()), "the expression ends too early"
        else:
            pos, what = tok.start_pos, f"unexpected {str(tok)!r}"
        expected = _describe(exc.expected)
        msg = f"{what}; expected {expected}" if expected else what
        raise ParseError(msg, source=text, pos=pos) from None
    except UnexpectedEOF as exc:
        expected = _describe(exc.expected)
        raise ParseError("the expression ends too early" + (f"; expected {expected}" if expected else ""),
                         source=text, pos=len(text.rstrip())) from None
    except VisitError as exc:  # a ParseError raised inside the transformer
        if isinstance(exc.orig_exc, ParseError):
            raise exc.orig_exc.with_source(text) from None
        raise
