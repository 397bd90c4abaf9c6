"""Loading and caching the Lark parser; Lark's errors become ParseError with a column.

>>> from gradcli.language.grammar import parse
>>> parse("2x**2")
(2 * (x ** 2))
"""

from __future__ import annotations

import functools
import os
import sys

from .errors import ParseError

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = os.path.dirname(_HERE)
# Installed wheels carry the grammar inside the package; a source checkout keeps it at the top.
_CANDIDATES = (os.path.join(_PACKAGE, "grammars", "gradcli.lark"),
               os.path.join(os.path.dirname(_PACKAGE), "grammars", "gradcli.lark"))
_STANDALONE = os.path.join(_HERE, "_parser.py")

# Friendly names for the terminals Lark reports as expected.
_TERMINALS = {
    "NUMBER": "a number", "NAME": "a name", "FUNC": "a function call",
    "ADD_OP": "'+' or '-'", "MUL_OP": "'*', '/' or '@'", "POW_OP": "'**'",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COMMA": "','",
    "COLON": "':'", "SEMICOLON": "';'", "EQUAL": "'='", "$END": "the end of the expression",
    "FNAME": "a function name", "LBAR": "'|'", "RBAR": "'|'", "SUPERSCRIPT": "a superscript power",
}
_OPTIONS = {"parser": "lalr", "lexer": "basic", "maybe_placeholders": True, "start": ["start", "equations"]}

# Refused up front with a clear message, rather than a slow death.
MAX_EXPRESSION_CHARS = 2_000_000
MAX_NESTING = 100_000             # brackets open at once


def grammar_path() -> str:
    for path in _CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("gradcli.lark not found; the installation is incomplete")


def grammar_text() -> str:
    with open(grammar_path(), encoding="utf-8") as f:
        return f.read()


@functools.lru_cache(maxsize=None)
def _parser():
    """(parser, its exceptions module): the generated parser when it matches the grammar file.

    gradcli/language/_parser.py is Lark's standalone parser generated from grammars/gradcli.lark
    (`python -m gradcli.language.grammar` regenerates it); it starts in a fraction of the time that
    importing Lark takes. Should the grammar change without regenerating, Lark itself builds
    the parser from the grammar, so the grammar file always decides the syntax.
    """
    from .reading import Reading
    from .tree import ToExpr

    try:
        from . import _parser as standalone
    except ImportError:
        standalone = None
    if standalone is not None and getattr(standalone, "GRAMMAR", None) == grammar_text():
        return standalone.Lark_StandAlone(transformer=ToExpr(), postlex=Reading()), standalone
    import tempfile

    import lark

    cache = os.path.join(tempfile.gettempdir(), f".gradcli-lark-{os.getuid() if hasattr(os, 'getuid') else 0}.cache")
    # The transformer is embedded: Expr nodes are built as the parser reduces, with no
    # recursion, so 10,000 nested parentheses parse at Python's default recursion limit.
    parser = lark.Lark(grammar_text(), transformer=ToExpr(), postlex=Reading(), cache=cache, **_OPTIONS)
    return parser, lark.exceptions


def generate_standalone(out=None) -> str:
    """Write gradcli/language/_parser.py from the grammar (needs Lark); returns its path."""
    import io
    import re

    import lark
    from lark.tools.standalone import gen_standalone

    from .reading import Reading

    buf = io.StringIO()
    gen_standalone(lark.Lark(grammar_text(), postlex=Reading(), **_OPTIONS), out=buf)
    code = buf.getvalue()
    # Lark's logger is set to CRITICAL and never speaks; a silent stand-in spares every run
    # the import of `logging`. Only these exact lines are replaced; otherwise the code stays.
    lines = {"import logging\n": "",
             'logger: logging.Logger = logging.getLogger("lark")\n':
                 "class _SilentLogger:\n    def __getattr__(self, name):\n"
                 "        return lambda *args, **kwargs: None\n\n\nlogger = _SilentLogger()\n",
             "logger.addHandler(logging.StreamHandler())\n": "",
             "logger.setLevel(logging.CRITICAL)\n": ""}
    quiet = code
    for old, new in lines.items():
        quiet = quiet.replace(old, new, 1)
    if "logging" not in quiet:
        code = quiet
    # The post-lexer is passed in at run time; the options saved with the tables would
    # otherwise hold its repr, which is not Python.
    code = re.sub(r"'postlex': <[^>]*>", "'postlex': None", code)
    # zlib and base64 serve only compressed tables, and ours are not compressed.
    lean = code.replace("import pickle, zlib, base64\n", "import pickle\n", 1)
    if "zlib" not in lean and "base64" not in lean:
        code = lean
    # The grammar it was made from rides along, so a stale parser is noticed at load time.
    # Postponed annotations: Lark never reads its annotations at run time, and evaluating
    # its typing expressions was a fifth of the module's import time.
    text = ("# Generated from grammars/gradcli.lark by `python -m gradcli.language.grammar`; do not edit.\n"
            "from __future__ import annotations\n"
            f"GRAMMAR = {grammar_text()!r}\n" + code)
    path = out or _STANDALONE
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def parse_equations(text: str) -> tuple:
    """`x^2 + y^2 = 25` or `x = cos t, y = sin t` (or an expression alone, as a line's
    right-hand side) as a tuple of Equation(lhs, rhs); rhs is None without `=`.

    >>> parse_equations("y - 4 = 3(x - 1)")
    (Equation(lhs=(y - 4), rhs=(3 * (x - 1))),)
    """
    return parse(text, start="equations")


def nesting_depth(text: str) -> int:
    """The most brackets open at once ( ( and [ ).

    >>> nesting_depth("f([x, (y)])")
    3
    """
    depth = deepest = 0
    for ch in text:
        if ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
    return deepest


_CHARACTER_HINTS = {"{": "group with ( ), not { }", "}": "group with ( ), not { }",
                    "\\": "write sqrt(x), sin x, ... rather than LaTeX", "!": "there is no factorial; write 3*2*1",
                    "\u00bd": "write 1/2", "\u00bc": "write 1/4", "\u00be": "write 3/4"}


_MODULES = frozenset({"np", "numpy", "math", "cmath", "torch", "sp", "sympy", "jnp", "scipy", "tf"})


def _method_hint(text: str, dot: int) -> str | None:
    """A PyTorch habit, `(w*x+b).sum()`: the call gradcli reads, `sum(w*x+b)`.

    >>> _method_hint("(w*x+b).sum()", 7)
    'write sum(w*x+b): functions are called as f(x), not x.f()'
    >>> _method_hint("x.mean(0)", 1)
    'write mean(x, 0): functions are called as f(x), not x.f()'
    >>> _method_hint("np.sin(x)", 2)
    "write sin(x): gradcli's functions need no np. prefix"
    """
    import re

    from .functions import ALIASES, FUNCTIONS, MEANINGS

    call = re.match(r"\.\s*([A-Za-z_]\w*)\s*\(([^()]*)\)", text[dot:])
    if not call or not (call.group(1) in FUNCTIONS or call.group(1) in ALIASES or call.group(1) in MEANINGS):
        return None
    start = dot
    if text[dot - 1:dot] == ")":  # the bracket that this one closes
        depth = 0
        for start in range(dot - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[start], 0)
            if depth == 0:
                break
        operand = text[start + 1:dot - 1]
    else:
        operand = re.search(r"[\w.]*$", text[:dot]).group(0)
        if operand in _MODULES:  # np.sin(x): the function alone
            return f"write {call.group(1)}({call.group(2).strip()}): gradcli's functions need no {operand}. prefix"
    if not operand:
        return None
    args = call.group(2).strip()
    return f"write {call.group(1)}({operand}{', ' + args if args else ''}): functions are called as f(x), not x.f()"


def _describe(expected) -> str:
    names = sorted({_TERMINALS.get(t, repr(t)) for t in expected if not t.startswith("__")})
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def parse(text: str, start: str = "start"):
    """Parse an expression (with optional `name = expr;` definitions) into an Expr tree;
    with start="equations", equations into a tuple of Equation (see parse_equations)."""
    if not text.strip():
        raise ParseError("the expression is empty", source=text)
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ParseError(f"the expression is {len(text):,} characters long; the limit is {MAX_EXPRESSION_CHARS:,}")
    if len(text) > MAX_NESTING and nesting_depth(text) > MAX_NESTING:
        raise ParseError(f"the expression nests brackets more than {MAX_NESTING:,} deep")
    parser, exc_module = _parser()
    UnexpectedCharacters, UnexpectedEOF = exc_module.UnexpectedCharacters, exc_module.UnexpectedEOF
    UnexpectedToken, VisitError = exc_module.UnexpectedToken, exc_module.VisitError
    from .tree import one_parse

    try:
        with one_parse():
            return parser.parse(text, start=start)
    except UnexpectedCharacters as exc:
        char = text[exc.pos_in_stream]
        code = f" (U+{ord(char):04X})" if not char.isascii() or not char.isprintable() else ""
        hint = _method_hint(text, exc.pos_in_stream) if char == "." else _CHARACTER_HINTS.get(char)
        raise ParseError(f"unexpected character {char!r}{code}", source=text, pos=exc.pos_in_stream,
                         hint=hint) from None
    except UnexpectedToken as exc:
        tok = exc.token
        if tok.type == "$END":
            pos, what = len(text.rstrip()), "the expression ends too early"
            if "SEMICOLON" in exc.expected:
                raise ParseError("a definition `name = ...` is followed by ';' and the expression that uses it, as "
                                 "in u = x^2; sin u; for an equation such as y = cos x, give only cos x",
                                 source=text, pos=pos) from None
        else:
            pos, what = tok.start_pos, f"unexpected {str(tok)!r}"
            if str(tok) == "=" and start == "start":
                raise ParseError("an expression has no '=': for y = f(x) give f(x) alone; a curve given by an "
                                 "equation in x and y is checked with gradcli check --implicit",
                                 source=text, pos=pos) from None
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
    except ParseError as exc:  # raised by the reading of names and bars
        raise exc.with_source(text) from None


if __name__ == "__main__":
    print("wrote", generate_standalone(sys.argv[1] if len(sys.argv) > 1 else None))
