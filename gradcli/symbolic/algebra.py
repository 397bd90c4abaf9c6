"""Formulas as canonical terms: sums of products of powers, with exact rational coefficients.

A term is built only through add, mul, pow_ and fn, which put it in canonical form as it is
built (flat sums and products, like terms and powers of a base collected, numbers folded,
no *1, +0 or x^1), so simplification happens once, bottom-up, with no recursion: every
constructor only looks at its arguments, which are canonical already. Terms are interned:
equal terms are the same object, so shared subexpressions cost nothing.

>>> x = sym("x")
>>> add(mul(2, x), x, 1)
1 + 3*x
>>> mul(x, pow_(x, 2), num(1, 2))
1/2*x^3
>>> pow_(mul(2, x), 2)
4*x^2
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from fractions import Fraction
from typing import Iterable

from ..language.functions import FUNCTIONS
from ..language.functions import INVERSES as TABLE_INVERSES

# kinds, in the order canonical sums and products sort them
NUM, SYM, FN, POW, MUL, ADD = range(6)


class Term:
    """An interned, immutable formula node. Compare with `is` or ==; they agree."""

    __slots__ = ("kind", "args", "_hash", "order", "__weakref__")

    def __repr__(self) -> str:
        return debug_text(self)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return self is other

    def __lt__(self, other) -> bool:
        return self.order < other.order


class Terms:
    """One request's terms: the table that interns them, in the order they were made, and
    what is remembered about them.

    Terms sort by the order they were first made in (see _make), so a table shared by every
    request would print a derivative differently after other work in the process (issue 23),
    and would keep every term ever made. Each request (gradcli.diff, gradcli.taylor: see
    one_request) has a table of its own, which starts as a fresh process's does: with only
    the constants below (ZERO, ONE, E, ...), which are shared and never change. Terms of two
    tables never meet; a table is used by one thread at a time."""

    __slots__ = ("interned", "small", "content", "fractions", "count", "work")

    def __init__(self, base: "Terms | None" = None):
        self.interned: dict = dict(base.interned) if base else {}
        self.small: dict = dict(base.small) if base else {}   # int -> its term, without a Fraction
        self.content: dict = {}     # sum -> its content (terms are interned and immutable: asked once)
        self.fractions: dict = {}   # sum -> whether its terms share a negative power
        self.count = base.count if base else 0   # terms made: the last part of their sort key
        self.work = base.work if base else 0     # arguments of the terms made: what a formula cost


# The table of the request in progress. Outside any request (the doctests, the command line,
# which is one request a process) each context (each thread) makes a table of its own on
# first use; it lasts as long as that context.
_TERMS: contextvars.ContextVar = contextvars.ContextVar("gradcli_terms")
_IN_REQUEST: contextvars.ContextVar = contextvars.ContextVar("gradcli_in_request", default=False)
_BASE = Terms()   # the constants every table starts with (filled in below)


def _table() -> Terms:
    table = _TERMS.get(None)
    if table is None:
        table = Terms(_BASE)
        _TERMS.set(table)
    return table


@contextlib.contextmanager
def one_request():
    """Work out a request's terms in a table of its own, dropped at the end; inside another
    request, in that one's table (their terms meet).

    >>> with one_request():
    ...     add(sym("x"), 1)
    1 + x
    """
    if _IN_REQUEST.get():
        yield
        return
    token, inside = _TERMS.set(Terms(_BASE)), _IN_REQUEST.set(True)
    try:
        yield
    finally:
        _IN_REQUEST.reset(inside)
        _TERMS.reset(token)



class TooLarge(Exception):
    """A derivative outgrew its budget (see within_budget)."""


def work() -> int:
    return _table().work


def _make(kind: int, args: tuple) -> Term:
    key = (kind, args)
    table = _table()
    found = table.interned.get(key)
    if found is not None:
        return found
    t = Term()
    t.kind, t.args, t._hash = kind, args, hash(key)
    table.count += 1
    table.work += len(args)
    # sort key: the kind, then numbers by value and names by name, then the order terms were
    # first made in: the same input always makes them in the same order
    t.order = (kind, _sort_number(args[0]) if kind == NUM else 0.0,
               args[0] if kind in (SYM, FN) else "", table.count)
    table.interned[key] = t
    return t


def _existing(kind: int, args: tuple):
    """The term (kind, args) if this request has made it, else None."""
    return _table().interned.get((kind, args))


def _sort_number(v) -> float:
    try:
        return float(v) if v == v else 0.0
    except OverflowError:  # an exact number beyond floats: 10^400
        return math.inf if v > 0 else -math.inf


def num(value, denominator: int = 1) -> Term:
    """An exact number (a Fraction); floats are taken as the exact decimal they print as."""
    if isinstance(value, Term):
        return value
    if type(value) is int and denominator == 1:  # the common case, without making a Fraction
        small = _table().small
        found = small.get(value)
        if found is None:
            found = small[value] = _make(NUM, (value,))
        return found
    if isinstance(value, float):
        value = Fraction(repr(value)) if value == value and abs(value) != float("inf") else value
    if isinstance(value, float):  # inf or nan: kept as a float
        return _make(NUM, (value,))
    return _make(NUM, (exact(Fraction(value) / denominator),))


def exact(v):
    """A number as an int when it is whole (ints are fast, Fractions are not), else a Fraction."""
    if type(v) is int:
        return v
    if isinstance(v, Fraction):
        return v.numerator if v.denominator == 1 else v
    return v


def rational(v) -> bool:
    return type(v) is int or isinstance(v, Fraction)


def sym(name: str) -> Term:
    return _make(SYM, (name,))


_MAKING_BASE = _TERMS.set(_BASE)   # the constants below are made in the table every one copies
ZERO, ONE, MINUS_ONE, TWO = num(0), num(1), num(-1), num(2)


def is_num(t: Term, value=None) -> bool:
    return t.kind == NUM and (value is None or t.args[0] == value)


def value(t: Term):
    return t.args[0]


def _term(x) -> Term:
    return x if isinstance(x, Term) else num(x)


# --- sums --------------------------------------------------------------------------------------

def coefficient(t: Term) -> tuple:
    """(c, rest) with t = c * rest, c a number and rest without a numeric factor."""
    if t.kind == NUM:
        return value(t), ONE
    if t.kind == MUL and t.args[0].kind == NUM:
        rest = t.args[1:]
        return value(t.args[0]), rest[0] if len(rest) == 1 else _make(MUL, rest)
    return 1, t


def add(*terms) -> Term:
    collected: dict = {}
    constant = 0
    stack = [_term(t) for t in terms]
    flat = []
    while stack:
        t = stack.pop()
        if t.kind == ADD:
            stack.extend(t.args)
        elif t.kind == MUL and _polynomial_product(t):
            # polynomials multiplied out inside a sum: 2x(x - 1) + x is 2x^2 - x
            stack.extend(_multiplied_out(t))
        else:
            flat.append(t)
    if len(flat) > 1:
        flat = _distributed_where_it_collects(flat)
    for t in flat:
        c, rest = coefficient(t)
        if rest is ONE:
            constant = constant + c
        else:
            collected[rest] = collected.get(rest, 0) + c
    if len(collected) > 1 or (collected and constant != 0):
        constant = _pythagoras(collected, constant)
    constant = exact(constant)
    items = [_scale(exact(c), rest) for rest, c in collected.items() if c != 0]
    items.sort()
    if constant != 0 or not items:
        items.insert(0, num(constant))
    return items[0] if len(items) == 1 else _make(ADD, tuple(items))


def _keys(rest: Term) -> tuple:
    """What a term may collect with: its rest, and M sin(u)^2 with M cos(u)^2 (and the like)."""
    square = _square_of_function(rest)
    if square is None:
        return (rest,)
    others, name, args = square
    family = next((pair for pair in _PAIRS if name in pair), (name,))
    return rest, ("squares", others, family, args)


# f(u)^2 + k g(u)^2 = 1 (sin^2 + cos^2 = 1, sec^2 - tan^2 = 1, ...), and 1 + k f(u)^2 = g(u)^2
_PAIRS = {("sin", "cos"): 1, ("sec", "tan"): -1, ("csc", "cot"): -1, ("cosh", "sinh"): -1}
# c (1 + k f(u)^2) = s c g(u)^2, as name: (k, g, s)
_WITH_ONE = {"tan": (1, "sec", 1), "cot": (1, "csc", 1), "sin": (-1, "cos", 1), "cos": (-1, "sin", 1),
             "tanh": (-1, "sech", 1), "sinh": (1, "cosh", 1), "coth": (-1, "csch", -1), "cosh": (-1, "sinh", -1),
             "sec": (-1, "tan", -1), "csc": (-1, "cot", -1), "sech": (-1, "tanh", 1)}


def _square_of_function(rest: Term):
    """(the other factors, function name, its arguments) when rest is M f(u)^2."""
    factors = rest.args if rest.kind == MUL else (rest,)
    for i, f in enumerate(factors):
        if f.kind == POW and f.args[1] is TWO and f.args[0].kind == FN:
            return factors[:i] + factors[i + 1:], f.args[0].args[0], f.args[0].args[1:]
    return None


def _pythagoras(collected: dict, constant):
    """Apply the Pythagorean identities to like terms, in place; returns the new constant:
    c sin(u)^2 + c cos(u)^2 is c, 1 + tan(u)^2 is sec(u)^2, x - x sin(u)^2 is x cos(u)^2."""
    squares = {}
    for rest in collected:
        found = _square_of_function(rest)
        if found is not None:
            squares[(found[0], found[1], found[2])] = rest
    if not squares:
        return constant
    for (others, name, args), rest in list(squares.items()):
        if rest not in collected:
            continue
        c = collected[rest]
        for (a, b), k in _PAIRS.items():
            if name == a and (others, b, args) in squares and squares[(others, b, args)] in collected:
                partner = squares[(others, b, args)]
                if collected[partner] == k * c:
                    del collected[rest], collected[partner]
                    if others:
                        whole = mul(*others)
                        collected[whole] = collected.get(whole, 0) + c
                    else:
                        constant = constant + c
                    break
        else:
            if not others and name in _WITH_ONE and constant != 0:
                k, other, sign = _WITH_ONE[name]
                if c == k * constant:  # constant (1 + k f^2) is sign constant g^2
                    del collected[rest]
                    g = pow_(fn(other, *args), TWO)
                    collected[g] = collected.get(g, 0) + sign * constant
                    constant = 0
    return constant


def _monomial(t: Term) -> bool:
    """A number, or a product of whole powers of names (x, 2x^2 y, 5/x^3)."""
    if t.kind in (NUM, SYM):
        return True
    if t.kind == POW:
        b, e = t.args
        return b.kind == SYM and e.kind == NUM and type(value(e)) is int
    return t.kind == MUL and all(_monomial(f) for f in t.args)


def _polynomial_product(t: Term) -> bool:
    """Monomials times one or two polynomials, small enough to multiply out."""
    sums = [f for f in t.args if f.kind == ADD]
    if not sums or len(sums) > 2 or (len(sums) == 2 and len(sums[0].args) * len(sums[1].args) > 24):
        return False
    return all(_monomial(f) for f in t.args if f.kind != ADD) and all(
        _monomial(term) for s in sums for term in s.args)


def _multiplied_out(t: Term) -> list:
    outside = [f for f in t.args if f.kind != ADD]
    products = [mul(*outside)]
    for s in (f for f in t.args if f.kind == ADD):
        products = [mul(p, term) for p in products for term in s.args]
    return products


def _distributed_where_it_collects(flat: list) -> list:
    """A factor times a sum, multiplied out when one of the products then collects with
    another term or another such product: 3x(24x^3 - 1/(x + 1)) + 54x^4 is 270x^4 - 3x/(x + 1)."""
    spread: dict = {}
    for i, t in enumerate(flat):
        sums = [f for f in t.args if f.kind == ADD] if t.kind == MUL else []
        if len(sums) == 1 and len(sums[0].args) <= 8:
            others = [f for f in t.args if f is not sums[0]]
            spread[i] = [mul(*others, term) for term in sums[0].args]
    if not spread:
        return flat
    where: dict = {}   # each product's rest (and its square's Pythagorean class) -> the terms it comes from
    for i, t in enumerate(flat):
        for p in spread.get(i, (t,)):
            for key in _keys(coefficient(p)[1]):
                where.setdefault(key, set()).add(i)
    out = []
    for i, t in enumerate(flat):
        if i in spread and any(len(where[key]) > 1 for p in spread[i] for key in _keys(coefficient(p)[1])):
            out.extend(spread[i])
        else:
            out.append(t)
    return out


def _scale(c, rest: Term) -> Term:
    if c == 1:
        return rest
    if rest.kind == MUL:
        return _make(MUL, (num(c),) + rest.args)
    return _make(MUL, (num(c), rest))


def neg(t) -> Term:
    return mul(MINUS_ONE, t)


def sub(a, b) -> Term:
    return add(a, neg(b))


# --- products ----------------------------------------------------------------------------------

def base_exp(t: Term) -> tuple:
    if t.kind == POW:
        return t.args
    return t, ONE


def mul(*factors) -> Term:
    coef = 1
    powers: dict = {}
    stack = [_term(f) for f in factors]
    while stack:
        f = stack.pop()
        if f.kind == MUL:
            stack.extend(f.args)
        elif f.kind == NUM:
            coef = coef * value(f)
        else:
            if f.kind == ADD and len(factors) > 1:
                c = content(f)  # 2x + 2 is 2(x + 1), so that it meets (x + 1)^-2 as a power of x + 1
                if c != 1:
                    coef = coef * c
                    f = add(*(mul(exact(Fraction(1) / c), t) for t in f.args))
            b, e = base_exp(f)
            powers[b] = add(powers[b], e) if b in powers else e
    if coef == 0:
        return ZERO
    coef = exact(coef)
    if len(powers) > 1:
        functions = sum(1 for b in powers if b.kind == FN)
        if functions > 1:  # identities between functions of the same argument
            _reciprocals_met(powers)
            _quotients_of_sines(powers)
            _signs_over_absolutes(powers)
        if sum(1 for b in powers if b.kind == ADD) > 1:
            coef = coef * _sums_over_themselves(powers)
    items = []
    for b, e in powers.items():
        p = pow_(b, e)
        if p.kind == NUM:
            coef = coef * value(p)
        elif p.kind == MUL:  # a power that folded into a product (4^(1/2) x) joins the rest
            c, rest = coefficient(p)
            coef = coef * c
            items.extend(rest.args if rest.kind == MUL else (rest,))
        else:
            items.append(p)
    if len(items) > 1:
        # a sum's common number goes in front: (6x^2 - 2x + 6) y is 2(3x^2 - x + 3) y
        for i, item in enumerate(items):
            if item.kind == ADD:
                c = content(item)
                if c != 1:
                    items[i] = add(*(mul(exact(Fraction(1) / c), t) for t in item.args))
                    coef = coef * c
        sums = [item for item in items if item.kind == ADD]
        if sums and any(_has_fractions(s) for s in sums):
            # and their common denominators go below: (ln(x)/x^2 - 1/x^2) y is (ln(x) - 1) y/x^2
            return mul(coef, *(item for item in items if item.kind != ADD),
                       *(cancel(s, ONE) for s in sums))
    coef = exact(coef)
    items.sort()
    if coef != 1 and len(items) == 1 and items[0].kind == ADD:
        # a number times a sum is distributed, as SymPy does: -(x + 1) is -x - 1
        return add(*(mul(coef, t) for t in items[0].args))
    if coef != 1 or not items:
        items.insert(0, num(coef))
    return items[0] if len(items) == 1 else _make(MUL, tuple(items))


def content(t: Term):
    """The positive number common to a sum's coefficients (gcd of numerators over lcm of
    denominators): 2 for 6x^2 - 2x + 6, 1/2 for x/2 + 3/2; 1 when they are not all exact."""
    remembered = _table().content
    found = remembered.get(t)
    if found is None:
        found = remembered[t] = _content(t)
    return found


def _content(t: Term):
    from math import gcd, lcm

    numerators, denominators = [], []
    for term in t.args:
        c = coefficient(term)[0]
        if not rational(c):
            return 1
        c = Fraction(c)
        numerators.append(abs(c.numerator))
        denominators.append(c.denominator)
    return exact(Fraction(gcd(*numerators), lcm(*denominators)))


_QUOTIENTS = {"sin": ("cos", "tan", "cot"), "sinh": ("cosh", "tanh", "coth")}
_RECIPROCALS = {"cos": "sec", "sin": "csc", "cosh": "sech", "sinh": "csch"}


def _has_fractions(t: Term) -> bool:
    remembered = _table().fractions
    found = remembered.get(t)
    if found is None:
        found = remembered[t] = bool(_common(t.args, {}))
    return found


def _quotients_of_sines(powers: dict) -> None:
    """sin(u)^a cos(u)^-b is tan(u)^k sin(u)^(a-k) cos(u)^(k-b), k = min(a, b), and cos(u)^a
    sin(u)^-b likewise cot(u)^k ... (in place; the same for sinh and cosh)."""
    for b in [b for b in powers if b.kind == FN and b.args[0] in _QUOTIENTS]:
        partner, over, under = _QUOTIENTS[b.args[0]]
        c = _existing(FN, (partner,) + b.args[1:])
        if c is None or c not in powers:
            continue
        e, f = powers[b], powers[c]
        if e.kind != NUM or f.kind != NUM or type(value(e)) is not int or type(value(f)) is not int:
            continue  # whole powers only: sqrt(sin) sqrt(tan) is not sin/sqrt(cos) where sin < 0
        e, f = value(e), value(f)
        if e > 0 > f:
            k, name = min(e, -f), over
            e, f = e - k, f + k
        elif f > 0 > e:
            k, name = min(f, -e), under
            e, f = e + k, f - k
        else:
            continue
        for base, n in ((b, e), (c, f)):
            if n == 0:
                del powers[base]
            else:
                powers[base] = num(n)
        q = fn(name, *b.args[1:])
        powers[q] = add(powers[q], num(k)) if q in powers else num(k)


_PARTNERS = {v: k for k, v in _RECIPROCALS.items()}


def _reciprocals_met(powers: dict) -> None:
    """csc(u)^n beside sin(u) is sin(u)^-n, so that they cancel (in place); what is left
    becomes csc again at the end of mul."""
    for r in [b for b in powers if b.kind == FN and b.args[0] in _PARTNERS]:
        p = _existing(FN, (_PARTNERS[r.args[0]],) + r.args[1:])
        if p is not None and p in powers and powers[r].kind == NUM and type(value(powers[r])) is int:
            e = powers.pop(r)
            powers[p] = add(powers[p], neg(e))
            if powers[p] is ZERO:
                del powers[p]


def _negative_number(t: Term) -> bool:
    return t.kind == NUM and rational(value(t)) and value(t) < 0


def reciprocal(p: Term):
    """cos(u)^-n as sec(u)^n (and sin, cosh, sinh likewise), else None. For printing: terms
    keep cos(u)^-n, which cancels with cos(u) and makes tan with sin(u)."""
    if p.kind == POW and p.args[0].kind == FN and p.args[0].args[0] in _RECIPROCALS and _negative_number(p.args[1]):
        return pow_(fn(_RECIPROCALS[p.args[0].args[0]], *p.args[0].args[1:]), num(-value(p.args[1])))
    return None


def _signs_over_absolutes(powers: dict) -> None:
    """sign(u)/abs(u) is 1/u (in place): the derivative of ln|x| is 1/x."""
    for b in [b for b in powers if b.kind == FN and b.args[0] == "sign" and len(b.args) == 2]:
        a = _existing(FN, ("abs", b.args[1]))
        if a is not None and a in powers and powers[b] is ONE and powers[a] is MINUS_ONE:
            del powers[a], powers[b]
            u = b.args[1]
            powers[u] = add(powers[u], MINUS_ONE) if u in powers else MINUS_ONE


def _sums_over_themselves(powers: dict):
    """A sum over a sum it is a multiple of, cancelled, in place; returns the number that is
    left: (sec^2 x + sec x tan x)/(sec x + tan x) is sec x."""
    over = [b for b, e in powers.items() if b.kind == ADD and e is ONE]
    under = [b for b, e in powers.items() if b.kind == ADD and _negative_number(e)]
    factor = 1
    for a in over:
        for b in under:
            if len(a.args) != len(b.args) or b not in powers or a not in powers:
                continue
            common = _common(a.args, {}, every=True)
            if not common:
                continue
            out = mul(*common)
            inner = add(*(mul(t, pow_(out, MINUS_ONE)) for t in a.args))
            c = content(inner)
            if add(*(mul(exact(Fraction(1) / c), t) for t in inner.args)) is not b if inner.kind == ADD else True:
                continue
            del powers[a]
            powers[b] = add(powers[b], ONE)
            if powers[b] is ZERO:
                del powers[b]
            factor = factor * c
            for f in (out.args if out.kind == MUL else (out,)):
                base, e = base_exp(f)
                if base.kind == NUM:
                    factor = factor * value(f)
                else:
                    powers[base] = add(powers[base], e) if base in powers else e
            break
    return factor


def _factors(t: Term) -> dict:
    """{base: exponent} of a term without its number."""
    rest = coefficient(t)[1]
    if rest is ONE:
        return {}
    return dict(base_exp(f) for f in (rest.args if rest.kind == MUL else (rest,)))


def _common(terms, denominator: dict, every: bool = False) -> list:
    """The powers to take out of a sum of `terms` over a denominator ({base: exponent}):
    negative ones every term has (fractions inside a fraction); positive ones every term has
    that cancel with the denominator, or that are no plain variable (e^(2x), sin(x), a sum:
    e^(2x)(2x - 1)/x^2); with `every`, all that every term has."""
    each = [_factors(t) for t in terms]
    taken = []
    for b in set(each[0]).intersection(*each[1:]):
        exps = [f[b] for f in each]
        if all(e.kind == NUM and rational(value(e)) for e in exps):
            low = min(value(e) for e in exps)
            below = denominator.get(b)
            if low < 0:
                taken.append(pow_(b, low))
            elif low > 0 and (every or (below is not None and below.kind == NUM and rational(value(below))
                                        and value(below) > 0)):
                taken.append(pow_(b, low if every else min(low, value(below))))
            elif low > 0 and b.kind != SYM and denominator:
                taken.append(pow_(b, low))
        elif (b in denominator or every or (b.kind != SYM or b is E)) and all(e is exps[0] for e in exps):
            taken.append(pow_(b, exps[0]))  # e^(x^2) in every term, over e^(5x)
    return taken


def _denominators(t: Term) -> Term:
    """The product of the variables' powers that clears a sum's fractions: x^2 for 1/x + 1/x^2."""
    lowest: dict = {}
    for term in t.args:
        for b, e in _factors(term).items():
            if b.kind == SYM and b is not E and e.kind == NUM and rational(value(e)) and value(e) < 0:
                lowest[b] = min(lowest.get(b, 0), value(e))
    return mul(*(pow_(b, -e) for b, e in lowest.items())) if lowest else ONE


def cancel(numerator, denominator) -> Term:
    """numerator/denominator, with what the numerator's terms have in common taken out and
    cancelled: ((2x + 3)^3 - 6x(2x + 3)^2)/(2x + 3)^6 is (3 - 4x)/(2x + 3)^4."""
    numerator, denominator = _term(numerator), _term(denominator)
    if numerator.kind != ADD:
        return div(numerator, denominator)
    below = _factors(denominator)
    taken = _common(numerator.args, below)
    if not taken:
        return div(numerator, denominator)
    out = mul(*taken)
    inner = add(*(mul(t, pow_(out, MINUS_ONE)) for t in numerator.args))
    return mul(out, inner, pow_(denominator, MINUS_ONE))


def div(a, b) -> Term:
    return mul(a, pow_(b, MINUS_ONE))


# --- powers ------------------------------------------------------------------------------------

def pow_(base, exponent) -> Term:
    base, exponent = _term(base), _term(exponent)
    if is_num(exponent, 0):
        return ONE
    if is_num(exponent, 1):
        return base
    if is_num(base, 1):
        return ONE
    if base.kind == NUM and exponent.kind == NUM:
        folded = _power_of_numbers(value(base), value(exponent))
        if folded is not None:
            return folded
    if is_num(base, 0) and exponent.kind == NUM and value(exponent) > 0:
        return ZERO
    if base is E:  # e^(ln u) = u, e^(c ln u) = u^c
        c, rest = coefficient(exponent)
        if rest.kind == FN and rest.args[0] == "log" and len(rest.args) == 2:
            return pow_(rest.args[1], c)
    if exponent.kind == NUM and type(value(exponent)) is int:
        n = value(exponent)
        if base.kind == POW:  # (a^m)^n = a^(m n) for whole n
            return pow_(base.args[0], mul(base.args[1], n))
        if base.kind == MUL:  # (2 x y)^n = 2^n x^n y^n for whole n
            return mul(*(pow_(f, n) for f in base.args))
        if base.kind == ADD and n < 0:  # no fractions in a denominator: 1/(x^2/100 + 1) = 100/(x^2 + 100)
            c = content(base)
            if type(c) is not int:
                return mul(pow_(num(c), n), pow_(add(*(mul(exact(Fraction(1) / c), t) for t in base.args)), n))
            below = _denominators(base)
            if below is not ONE:  # 1/(1/x + 1) = x/(1 + x)
                return mul(pow_(below, -n), pow_(add(*(mul(t, below) for t in base.args)), n))
    return _make(POW, (base, exponent))


def _power_of_numbers(b, e):
    if not rational(b) or not rational(e):
        return None
    if e.denominator == 1:
        if b == 0 and e < 0:
            return None
        return num(exact(Fraction(b) ** int(e)))
    if b < 0 and e.denominator % 2:
        # the real root for an odd root's index, as language/build.py reads powers: (-8)^(2/3) = 4
        positive = _power_of_numbers(-b, e)
        magnitude = positive if positive is not None else _make(POW, (num(-b), num(e)))
        return mul(-1, magnitude) if e.numerator % 2 else magnitude
    if b < 0 or (b == 0 and e < 0):
        return None
    if e > 1 and _power_of_numbers(b, e - math.floor(e)) is None:
        # 3^(3/2) = 3 sqrt(3), so that it collects with the other multiples of sqrt(3)
        return mul(num(Fraction(b) ** math.floor(e)), _make(POW, (num(b), num(e - math.floor(e)))))
    # an exact root: 4^(1/2) = 2, (8/27)^(2/3) = 4/9
    p, q = e.numerator, e.denominator
    root_n, root_d = _exact_root(b.numerator, q), _exact_root(b.denominator, q)
    if root_n is None or root_d is None:
        return None
    return num(exact(Fraction(root_n, root_d) ** p))


def _exact_root(n: int, q: int):
    r = round(n ** (1.0 / q)) if n else 0
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** q == n:
            return c
    return None


# --- functions ---------------------------------------------------------------------------------

# sin(0) = 0 and the like: the special values in the function table's rows
SPECIAL = {(f.name, at): v for f in FUNCTIONS.values() for at, v in f.special}


def fn(name: str, *args) -> Term:
    args = tuple(_term(a) for a in args)
    if len(args) == 1 and args[0].kind == NUM and (name, value(args[0])) in SPECIAL:
        return num(SPECIAL[(name, value(args[0]))])
    if name == "log" and len(args) == 1 and args[0] is E:
        return ONE
    if name == "log" and len(args) == 1 and args[0].kind == POW and args[0].args[0] is E:
        return args[0].args[1]  # ln(e^u) = u
    if len(args) == 1 and args[0].kind == FN and len(args[0].args) == 2 and (name, args[0].args[0]) in INVERSES:
        return INVERSES[(name, args[0].args[0])](args[0].args[1])  # sin(asin(u)) = u
    if len(args) == 1 and name in _CIRCULAR:
        found = _on_the_unit_circle(name, args[0])
        if found is not None:
            return found
    if name == "exp":
        return pow_(E, args[0])
    if name == "sqrt":
        return pow_(args[0], num(1, 2))
    if name == "cbrt" and args[0].kind == NUM:  # cbrt(-8) = -2; cbrt(2) stays cbrt(2), as written
        folded = _power_of_numbers(value(args[0]), Fraction(1, 3))
        if folded is not None and folded.kind == NUM:
            return folded
    return _make(FN, (name,) + args)


E, PI = sym("e"), sym("pi")

# The unit circle's exact values, the ones textbooks use (multiples of pi/6 and pi/4): so a
# slope at x = pi/2 is 0, not the 6e-17 that cos(float(pi/2)) is, and a Taylor coefficient
# about pi/4 is sqrt(2)/2. Other angles stay as written (sin(1), cos(pi/5)).
_CIRCULAR = ("sin", "cos", "tan", "sec", "csc", "cot")


def _sine_of_pi_times(q: Fraction):
    """sin(q pi) for q a multiple of 1/6 or 1/4, else None."""
    q = q % 2
    sign = 1
    if q >= 1:
        sign, q = -1, q - 1
    if q > Fraction(1, 2):
        q = 1 - q
    half, root = num(1, 2), lambda n: pow_(num(n), num(1, 2))
    table = {0: ZERO, Fraction(1, 6): half, Fraction(1, 4): mul(half, root(2)),
             Fraction(1, 3): mul(half, root(3)), Fraction(1, 2): ONE}
    found = table.get(q)
    return None if found is None else mul(sign, found)


def _on_the_unit_circle(name: str, arg: Term):
    if arg is PI:
        q = Fraction(1)
    elif arg.kind == MUL and len(arg.args) == 2 and arg.args[1] is PI and arg.args[0].kind == NUM \
            and rational(value(arg.args[0])):
        q = Fraction(value(arg.args[0]))
    else:
        return None
    sine, cosine = _sine_of_pi_times(q), _sine_of_pi_times(q + Fraction(1, 2))
    if sine is None or cosine is None:
        return None
    # where a quotient's denominator is 0 (tan(pi/2)), no value: the expression is undefined there
    pairs = {"sin": (sine, ONE), "cos": (cosine, ONE), "tan": (sine, cosine), "sec": (ONE, cosine),
             "csc": (ONE, sine), "cot": (cosine, sine)}
    top, bottom = pairs[name]
    return None if bottom is ZERO else div(top, bottom)
_TERMS.reset(_MAKING_BASE)

# f(f^-1(u)) = u for every inverse the function table names, and identities beyond the table
INVERSES = {(f, inverse): (lambda u: u) for f, inverse in TABLE_INVERSES.items()}
INVERSES.update({
    ("cos", "asin"): lambda u: pow_(sub(1, pow_(u, 2)), num(1, 2)),
    ("sin", "acos"): lambda u: pow_(sub(1, pow_(u, 2)), num(1, 2)),
    ("cos", "asec"): lambda u: pow_(u, MINUS_ONE), ("sin", "acsc"): lambda u: pow_(u, MINUS_ONE),
    # and the inverses of one-to-one functions: atanh(tanh(x)) is x for every x
    ("atanh", "tanh"): lambda u: u, ("asinh", "sinh"): lambda u: u, ("acoth", "coth"): lambda u: u,
    ("acsch", "csch"): lambda u: u})


# --- reading a term ------------------------------------------------------------------------------

def free_symbols(t: Term) -> set:
    found, stack, seen = set(), [t], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.kind == SYM and node.args[0] not in ("e", "pi"):
            found.add(node.args[0])
        elif node.kind in (FN, POW, MUL, ADD):
            stack.extend(a for a in node.args if isinstance(a, Term))
    return found


def free_names(t: Term) -> set:
    """The SYM terms in t, e and pi included."""
    return {node for node in postorder(t) if node.kind == SYM}


def postorder(root: Term) -> list:
    """Every distinct node after its children (iterative: any depth)."""
    out, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            out.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for a in node.args:
            if isinstance(a, Term) and id(a) not in seen:
                stack.append((a, False))
    return out


def size(root: Term) -> int:
    """The number of operations in the tree as printed (shared nodes counted once each time
    they are used, as a reader reads them)."""
    counts: dict = {}
    for node in postorder(root):
        if node.kind in (NUM, SYM):
            counts[node] = 0
        elif node.kind == FN:
            counts[node] = 1 + sum(counts[a] for a in node.args[1:])
        else:
            kids = [a for a in node.args if isinstance(a, Term)]
            counts[node] = len(kids) - 1 + sum(counts[a] for a in kids) if node.kind != POW else \
                1 + counts[node.args[0]] + counts[node.args[1]]
    return counts[root]


def debug_text(root: Term) -> str:
    """A plain rendering for repr and doctests (the printer makes the real one)."""
    text: dict = {}
    for node in postorder(root):
        k, a = node.kind, node.args
        if k == NUM:
            v = a[0]
            text[node] = str(v) if not rational(v) or v.denominator == 1 else f"{v.numerator}/{v.denominator}"
        elif k == SYM:
            text[node] = a[0]
        elif k == FN:
            text[node] = f"{a[0]}({', '.join(text[x] for x in a[1:])})"
        elif k == POW:
            text[node] = f"{_paren(text[a[0]], a[0])}^{_paren(text[a[1]], a[1])}"
        elif k == MUL:
            text[node] = "*".join(_paren(text[x], x, power_ok=True) if i else text[x]
                                  for i, x in enumerate(a))
        else:
            text[node] = " + ".join(text[x] for x in a)
    return text[root]


def _paren(s: str, t: Term, power_ok: bool = False) -> str:
    grouped = (ADD, MUL) if power_ok else (ADD, MUL, POW)
    return f"({s})" if t.kind in grouped or (t.kind == NUM and ("/" in s or s.startswith("-"))) else s


def as_float(t: Term) -> float | None:
    return float(value(t)) if t.kind == NUM else None


def terms_of(t: Term) -> Iterable[Term]:
    return t.args if t.kind == ADD else (t,)
