"""How the words of an expression are read: function names, split names, and bars.

The grammar's lexer finds names, numbers and bars; this post-lexer (a Lark `postlex`) decides
what each one is, with what it knows about the problem:
- a name of a function (`sin`, `ln`, `arcsec`) not followed by `(` is FNAME, so `sin x`
  applies sin; Greek letters are variables spelled out (`θ` is `theta`);
- in `check`, where the problem's variables are known, a name that is none of them but
  splits into them, constants and functions is read as their product (`xy` is x*y, `xe`
  is x*e, `xcos(x)` is x*cos(x), `x2y` is x*2*y), and a known variable before `(` multiplies
  (`x(x+1)`); outside `check` nothing is split;
- each `|` opens or closes an absolute value: where only one way of pairing the bars makes
  sense it is taken, otherwise the reading is refused at the first bar that could go either way.

>>> from gradcli.language.grammar import parse
>>> parse("sin x cos x")
(sin(x) * cos(x))
>>> with known_variables({"x", "y"}):
...     parse("4/(xy)")
(4 / (x * y))
>>> parse("||x|-1|")
abs(abs(x) - 1)
"""

from __future__ import annotations

import contextlib
import contextvars

from .errors import ParseError
from .tree import CONSTANTS

GREEK = {"\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma", "\u03b4": "delta", "\u03b5": "epsilon",
         "\u03b6": "zeta", "\u03b7": "eta", "\u03b8": "theta", "\u03b9": "iota", "\u03ba": "kappa",
         "\u03bb": "lambda", "\u03bc": "mu", "\u03bd": "nu", "\u03be": "xi", "\u03bf": "omicron", "\u03c0": "pi",
         "\u03c1": "rho", "\u03c2": "sigma", "\u03c3": "sigma", "\u03c4": "tau", "\u03c5": "upsilon",
         "\u03c6": "phi", "\u03c7": "chi", "\u03c8": "psi", "\u03c9": "omega",
         "\u0393": "Gamma", "\u0394": "Delta", "\u0398": "Theta", "\u039b": "Lambda", "\u039e": "Xi",
         "\u03a0": "Pi", "\u03a3": "Sigma", "\u03a6": "Phi", "\u03a8": "Psi", "\u03a9": "Omega"}
SPELLED_GREEK = frozenset(GREEK.values())
_RADICALS = {"\u221a": "sqrt", "\u221b": "cbrt"}
# tokens after which a bar closes an absolute value rather than opens one
_OPERAND_END = frozenset({"NUMBER", "NAME", "RPAR", "RSQB", "SUPERSCRIPT", "RBAR"})

_KNOWN: contextvars.ContextVar = contextvars.ContextVar("gradcli_known_variables", default=None)


@contextlib.contextmanager
def known_variables(names):
    """Read expressions knowing the problem's variables (what `check` does): names that are
    none of them may split into them."""
    token = _KNOWN.set(frozenset(names))
    try:
        yield
    finally:
        _KNOWN.reset(token)


def _function_names() -> frozenset:
    from .functions import ALIASES, FUNCTIONS

    return frozenset(FUNCTIONS) | frozenset(ALIASES)


def canonical_name(name: str) -> str:
    """A variable's name with Greek letters spelled out: `θ1` -> `theta1`."""
    if name.isascii():
        return name
    return "".join(GREEK.get(ch, ch) for ch in name)


def split_name(name: str, known, functions=None) -> list[tuple[str, str]] | None:
    """`xy` -> [("NAME", "x"), ("NAME", "y")] when the pieces make sense, else None.

    Pieces are the known variables, constants, function names, spelled Greek letters, digits
    between letters and at most one single letter that is no variable yet (`xy` with only x
    known: y is a new variable, as in 4/(xy) with --wrt x; `rate` with t known is not r*a*t*e).
    At least one piece must be a known variable or a function; among the ways to split, the
    fewest new letters win, then the fewest pieces.

    >>> split_name("xcos", {"x"})
    [('NAME', 'x'), ('FUNC', 'cos')]
    >>> split_name("ab", {"x"}) is None, split_name("rate", {"t"}) is None, split_name("sinn", {"x"}) is None
    (True, True, True)
    >>> [w for _, w in split_name("xyz", {"x"})], split_name("max", {"x"})
    (['x', 'y', 'z'], None)
    """
    functions = _function_names() if functions is None else functions
    n = len(name)
    # best[i]: (new letters, pieces, anchored, pieces list) for name[:i]
    best: list = [None] * (n + 1)
    best[0] = (0, 0, False, [])
    for i in range(n):
        if best[i] is None:
            continue
        new, count, anchored, pieces = best[i]
        for j in range(i + 1, n + 1):
            word = name[i:j]
            if word in known:
                kind, cost, anchor = "NAME", 0, True
            elif word in functions and len(word) > 1:
                kind, cost, anchor = "FUNC", 0, True
            elif word in CONSTANTS or word in SPELLED_GREEK:
                kind, cost, anchor = "NAME", 0, False
            elif word.isdigit() and j < n:
                kind, cost, anchor = "NUMBER", 0, False
            elif len(word) == 1 and word.isalpha():
                kind, cost, anchor = "NAME", 1, False
            else:
                continue
            candidate = (new + cost, count + 1, anchored or anchor, pieces + [(kind, word)])
            if best[j] is None or candidate[:2] < best[j][:2] or (
                    candidate[:2] == best[j][:2] and candidate[2] and not best[j][2]):
                best[j] = candidate
    found = best[n]
    if found is None or not found[2] or found[1] < 2 or (found[0] > 1 and not _letters(name, found[3])):
        return None
    if found[0] and known and not any(kind == "NAME" and word in known for kind, word in found[3]):
        # a new letter beside a function only (`sinn` with x known) is a typo, not sin(n)
        return None
    return found[3]


def _letters(name: str, pieces: list) -> bool:
    """Three letters, each a variable, with a known one among them (`xyz` with --wrt x, as in
    ln(xyz)): a product, though two of its letters are new. Longer names (`rate`) and the
    names of functions people mean (`max`) stay names."""
    from .functions import MEANINGS

    return len(name) <= 3 and all(kind == "NAME" and len(word) == 1 for kind, word in pieces) \
        and name.lower() not in MEANINGS


def reading_hint(name: str, known) -> str | None:
    """What an unknown name probably means, given the names that have values.

    >>> reading_hint("xy", {"x", "y"}), reading_hint("sinx", {"x"})
    ('to multiply, write x*y', 'for the function, write sin(x) or sin x')
    """
    pieces = split_name(name, set(known))
    if pieces is None:
        return None
    words = [w for _, w in pieces]
    if pieces[0][0] == "FUNC" and len(pieces) == 2:
        return f"for the function, write {words[0]}({words[1]}) or {words[0]} {words[1]}"
    if all(kind != "FUNC" for kind, _ in pieces):
        return "to multiply, write " + "*".join(words)
    return "to multiply, write " + " ".join(words)


class Reading:
    """The post-lexer. `always_accept` keeps the raw terminals it rewrites in the lexer."""

    always_accept = ("LBAR", "RADICAL")

    def process(self, stream):
        tokens = self._read(stream)
        for tok in tokens:
            if tok.type != "LBAR":
                yield tok
                continue
            # pairing bars needs all of them: from the first bar on, read to the end
            yield from _pair_bars([tok, *tokens])
            return

    def _read(self, stream):
        """Every token, with names, radicals and numbers decided (one pass: this runs for
        every token of a 100,000-term expression)."""
        known = _KNOWN.get()
        functions = _function_names()
        stream = iter(stream)
        tok, nxt, after = next(stream, None), next(stream, None), next(stream, None)
        while tok is not None:
            kind = tok.type
            if kind == "NAME" or kind == "FUNC":
                value = str(tok)
                if known is None and value not in functions and value.isascii() and not value.startswith("log_") \
                        and not (kind == "FUNC" and value in CONSTANTS):  # pi(x + 1) multiplies everywhere
                    yield tok  # the common case, unchanged
                else:
                    yield from self._name(tok, known, functions)
            elif kind == "NUMBER":
                if nxt is not None and nxt.start_pos == tok.end_pos:
                    _check_number(tok, nxt, after)
                yield tok
            elif kind == "RADICAL":
                yield _retype(tok, "FUNC" if nxt is not None and nxt.type == "LPAR" else "FNAME", _RADICALS[str(tok)])
            else:
                yield tok
            if nxt is not None and nxt.line != tok.line and kind in _ENDS and nxt.type in _STARTS:
                raise ParseError("a line break between two factors: one expression per run; to multiply "
                                 "across lines, end the line with *",
                                 pos=nxt.start_pos)
            tok, nxt, after = nxt, after, next(stream, None)

    def _name(self, tok, known, functions):
        value = canonical_name(str(tok))
        kind = tok.type
        if value.startswith("log_") and len(value) > 4:
            base = value[4:]
            raise ParseError(f"{value} is not a name gradcli knows: for the base-{base} logarithm of x write "
                             f"log(x, {base})", pos=tok.start_pos)
        if value in functions:
            yield _retype(tok, "FUNC" if kind == "FUNC" else "FNAME", value)
            return
        if value in CONSTANTS or value in SPELLED_GREEK:
            yield _retype(tok, "NAME", value)  # pi(x + 1) multiplies: a constant is no function
            return
        if known is not None and value in known:
            yield _retype(tok, "NAME", value)  # before "(" too: x(x+1) multiplies
            return
        if known is None or value in CONSTANTS or value in SPELLED_GREEK or len(value) == 1:
            yield _retype(tok, kind, value)
            return
        pieces = split_name(value, known, functions)
        if pieces is None:
            yield _retype(tok, kind, value)
            return
        offset = tok.start_pos
        for k, (piece_kind, word) in enumerate(pieces):
            last = k == len(pieces) - 1
            if piece_kind == "FUNC":
                piece_kind = "FUNC" if (last and kind == "FUNC") else "FNAME"
            yield _retype(tok, piece_kind, word, offset)
            offset += len(word)


# a token that can end a factor, and one that can start the next: juxtaposition
_ENDS = frozenset({"NUMBER", "NAME", "RPAR", "RSQB", "SUPERSCRIPT"})
_STARTS = frozenset({"NUMBER", "NAME", "FUNC", "LPAR", "RADICAL", "FNAME"})


def _retype(tok, kind: str, value: str, pos: int | None = None):
    if kind == tok.type and value == str(tok) and pos is None:
        return tok
    start = tok.start_pos if pos is None else pos
    return type(tok)(kind, value, start_pos=start, line=tok.line, column=(tok.column or 1) + start - tok.start_pos,
                     end_pos=start + len(value))


def _check_number(tok, nxt, after) -> None:
    if tok.type != "NUMBER" or nxt is None or nxt.start_pos != tok.end_pos:
        return
    if nxt.type == "NUMBER" and str(nxt).startswith("."):
        raise ParseError(f"{tok}{nxt} is not a number", pos=tok.start_pos)
    if nxt.type == "NAME" and str(nxt) in ("e", "E") and (
            after is None or (after.type == "ADD_OP" and after.start_pos == nxt.end_pos)):
        raise ParseError(f"{tok}{nxt} is not a number: write {tok}{nxt}0 for the number, or {tok} {nxt} for "
                         f"{tok} times e", pos=tok.start_pos)


def _pair_bars(tokens: list) -> list:
    """Decide for every `|` whether it opens or closes, as the only consistent pairing.

    A bar right after an operand may close the innermost open bar or open a new one (a
    product: x|x|); anywhere else it opens. When more than one pairing of all the bars
    works, the reading is ambiguous and refused at the first bar that could go either way;
    when none does, the bars are paired greedily and the parser says what is missing."""
    top = sum(1 for t in tokens if t.type == "LBAR")
    # reach[k]: the states (open bars, just after an operand) before token k from which
    # the end can be reached with every bar closed
    reach = [set()] * (len(tokens) + 1)
    good = {(0, False), (0, True)}
    reach[len(tokens)] = good
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        if tok.type == "LBAR":
            good = {(d, a) for d in range(top + 1) for a in (False, True)
                    if (d + 1, False) in good or (a and d > 0 and (d - 1, True) in good)}
        else:
            operand = tok.type in _OPERAND_END
            good = {(d, a) for d in range(top + 1) for a in (False, True) if (d, operand) in good}
        reach[k] = good
    if (0, False) not in reach[0]:
        raise ParseError("the bars | do not pair up: each absolute value needs an opening and a closing |",
                         pos=tokens[max(k for k, t in enumerate(tokens) if t.type == "LBAR")].start_pos)
    greedy = False
    closing, depth, after = set(), 0, False
    for k, tok in enumerate(tokens):
        if tok.type != "LBAR":
            after = tok.type in _OPERAND_END
            continue
        if greedy:
            can_close, can_open = after and depth > 0, True
        else:
            can_open = (depth + 1, False) in reach[k + 1]
            can_close = after and depth > 0 and (depth - 1, True) in reach[k + 1]
            if can_open and can_close:
                raise ParseError("the bars | | can be paired in more than one way here; write abs(...) "
                                 "for each absolute value", pos=tok.start_pos)
        if can_close:
            closing.add(k)
            depth, after = depth - 1, True
        else:
            depth, after = depth + 1, False
    return [_retype(t, "RBAR", "|") if k in closing else t for k, t in enumerate(tokens)]


def tight_juxtaposition(root):
    """The other common reading of juxtaposition, binding tighter than * and / (`1/2x` as
    1/(2x), `a/(b)(c)` as a/(b c)), or None when the text reads the same both ways."""
    from .tree import Chain, transform

    changed = False

    def regroup(node):
        nonlocal changed
        if not isinstance(node, Chain) or not any(node.implicit):
            return node
        # runs of juxtaposed factors become one factor each
        groups, ops, op_pos = [[node.items[0]]], [], []
        for item, op, pos, implicit in zip(node.items[1:], node.ops, node.op_pos, node.implicit):
            if implicit:
                groups[-1].append(item)
            else:
                groups.append([item])
                ops.append(op)
                op_pos.append(pos)
        if not any(op == "/" and len(group) > 1 for op, group in zip(ops, groups[1:])):
            return node
        changed = True
        items = [g[0] if len(g) == 1 else Chain(tuple(g), ("*",) * (len(g) - 1), tuple(x.pos for x in g[1:]),
                                                (True,) * (len(g) - 1)) for g in groups]
        return items[0] if not ops else Chain(tuple(items), tuple(ops), tuple(op_pos))

    result = transform(root, regroup)
    return result if changed else None


def wide_exponent(root):
    """The reading that takes more into a bare-number exponent: `e^-2x` as e^(-2x), `x^1/2` as
    x^(1/2); None when nothing reads differently. (Not gradcli's reading: what a student may
    have meant, for the diagnosis.)"""
    from .tree import Chain, Num, Pow, Unary, transform

    changed = False

    def bare_number(e):
        return isinstance(e, Num) or (isinstance(e, Unary) and isinstance(e.operand, Num))

    def widen(node):
        nonlocal changed
        if not isinstance(node, Chain) or node.ops[0] in "+-":
            return node
        items, ops, pos, implicit = list(node.items), list(node.ops), list(node.op_pos), list(node.implicit)
        k = 0
        while k < len(items) - 1:
            item = items[k]
            if isinstance(item, Pow) and bare_number(item.exponent):
                if implicit[k]:                         # e^-2x: the juxtaposed run joins the exponent
                    j = k + 1
                    while j < len(items) - 1 and implicit[j]:
                        j += 1
                    run = items[k + 1:j + 1]
                    exponent = _times(item.exponent, run)
                    del items[k + 1:j + 1], ops[k:j], pos[k:j], implicit[k:j]
                    items[k] = Pow(item.base, exponent, item.op_pos)
                    changed = True
                    continue
                if ops[k] == "/" and isinstance(items[k + 1], Num):   # x^1/2
                    exponent = Chain((item.exponent, items[k + 1]), ("/",), (pos[k],))
                    del items[k + 1], ops[k], pos[k], implicit[k]
                    items[k] = Pow(item.base, exponent, item.op_pos)
                    changed = True
                    continue
            k += 1
        if len(items) == 1:
            return items[0]
        return Chain(tuple(items), tuple(ops), tuple(pos), tuple(implicit))

    def _times(exponent, run):
        sign = isinstance(exponent, Unary) and exponent.op == "-"
        first = exponent.operand if sign else exponent
        product = Chain((first, *run), ("*",) * len(run), tuple(r.pos for r in run), (True,) * len(run))
        return Unary("-", product, exponent.pos) if sign else product

    result = transform(root, widen)
    return result if changed else None
