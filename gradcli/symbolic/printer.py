"""An expression as a person writes it: fewest parentheses, `^` for powers, `2x` and `x sin(x)`
for products, in gradcli's own syntax, so the text reads back as the same expression.

>>> from gradcli.language.grammar import parse
>>> plain(parse("((x**2) * sin(5*x)) + (2*x) / (x + 1)"))
'x^2 sin(5x) + 2x/(x + 1)'
>>> plain(parse("-(a - b) - (c + d)^(1/2)"))
'-(a - b) - (c + d)^(1/2)'
"""

from __future__ import annotations

import re

from .numbers import number_text
from ..language.tree import Call, Chain, Expr, Num, Pow, Program, Unary, Var, postorder, to_text

SUM, NEG, PROD, POW, ATOM = 1, 2, 3, 4, 5


def plain(root: Expr) -> str:
    """The text of `root` with minimal parentheses (iterative: any depth)."""
    out: dict[int, tuple[str, int]] = {}
    for node in postorder(root):
        out[id(node)] = _one(node, out)
    return out[id(root)][0]


def _one(node: Expr, out: dict) -> tuple[str, int]:
    if isinstance(node, Num):
        text = node.text if node.text and node.value >= 0 else number_text(node.value)
        return (text, ATOM) if not text.startswith("-") else (text, NEG)
    if isinstance(node, Var):
        return node.name, ATOM
    if isinstance(node, Call):
        return f"{node.name}({', '.join(out[id(a)][0] for a in node.args)})", ATOM
    if isinstance(node, Unary):
        text, prec = out[id(node.operand)]
        if node.op == "+":
            return text, prec
        return ("-(" + text + ")" if prec <= NEG else "-" + text), NEG
    if isinstance(node, Pow):
        base, bprec = out[id(node.base)]
        exp, eprec = out[id(node.exponent)]
        base = base if bprec == ATOM else f"({base})"
        negative_number = isinstance(node.exponent, Unary) and isinstance(node.exponent.operand, Num)
        exp = exp if eprec == ATOM or negative_number else f"({exp})"
        return f"{base}^{exp}", POW
    if isinstance(node, Chain):
        if node.ops[0] in "+-":
            return _sum(node, out), SUM
        return _product(node, out), PROD
    if isinstance(node, Program):
        parts = [f"{name} = {out[id(expr)][0]}" for name, expr, _ in node.definitions]
        return "; ".join(parts + [out[id(node.body)][0]]), SUM
    return to_text(node), ATOM  # lists, indexing: the reading as parsed


def _sum(node: Chain, out: dict) -> str:
    parts = [out[id(node.items[0])][0]]
    for op, item in zip(node.ops, node.items[1:]):
        text, prec = out[id(item)]
        parts.append(f" {op} " + (f"({text})" if prec <= SUM else text))
    return "".join(parts)


def _product(node: Chain, out: dict) -> str:
    first, prec = out[id(node.items[0])]
    parts = [f"({first})" if prec <= SUM else first]
    left = node.items[0]
    for op, item in zip(node.ops, node.items[1:]):
        text, prec = out[id(item)]
        if op == "*":
            if prec <= NEG:
                parts.append(f"*({text})" if _ends_with_name(parts[-1]) or prec == NEG else f"({text})")
            elif isinstance(item, Num) or text[0].isdigit() or text[0] == ".":
                parts.append(f"*{text}")
            elif isinstance(left, Num) and isinstance(item, Var) and item.name in ("e", "E"):
                parts.append(f" {text}")              # 2 e: 2e would read as a number cut short
            elif isinstance(left, Num) and not _function_like(item):
                parts.append(text)                    # 2x, 3(x + 1)^2
            elif text.startswith("(") and _ends_with_name(parts[-1]):
                parts.append(f"*{text}")              # x*(x + 1): x( would be a call
            elif text.startswith("("):
                parts.append(text)                    # (x - 1)^2(x + 1)^2, as a group follows a group
            else:
                parts.append(f" {text}")              # x sin(x), 2 sin(x), x y
        else:
            parts.append(f"{op}({text})" if prec <= PROD else f"{op}{text}")
        left = item
    return "".join(parts)


def _function_like(node: Expr) -> bool:
    """sin(x) and sin(x)^2: after a number, a space (2 sin(x)^2, not 2sin(x)^2)."""
    return isinstance(node, Call) or (isinstance(node, Pow) and isinstance(node.base, Call))


def _ends_with_name(text: str) -> bool:
    """Whether `(` right after the text would make a call: x(, u1(."""
    return _NAME_AT_END.search(text) is not None


_NAME_AT_END = re.compile(r"(?<![0-9.])[A-Za-z_][A-Za-z0-9_]*$")


# --- formulas (symbolic/algebra.py terms) as expressions people read ---------------------------

def to_expr(term, variable: str | None = None) -> Expr:
    """A term as an expression tree that prints the way a textbook writes it: a sum's terms by
    descending power of `variable`, the constant last; a product as a fraction, number in
    front (`3x^2/2`, never 1.5*x^2); roots as sqrt and cbrt; log as ln."""
    from . import algebra as A

    built: dict = {}
    for node in A.postorder(term):
        built[node] = _node_expr(node, built, variable)
    return built[term]


def _num_expr(value) -> Expr:
    from fractions import Fraction

    if isinstance(value, (int, Fraction)) and value.denominator != 1:
        top = Num(float(abs(value.numerator)), str(abs(value.numerator)), 0)
        frac = Chain((top, Num(float(value.denominator), str(value.denominator), 0)), ("/",), (0,))
        return Unary("-", frac, 0) if value < 0 else frac
    text = str(abs(value.numerator)) if isinstance(value, (int, Fraction)) else repr(float(value))
    n = Num(abs(float(value)), text.lstrip("-"), 0)
    return Unary("-", n, 0) if float(value) < 0 else n


def _node_expr(node, built, variable) -> Expr:
    from . import algebra as A

    k = node.kind
    if k == A.NUM:
        return _num_expr(node.args[0])
    if k == A.SYM:
        return Var(node.args[0], 0)
    if k == A.FN:
        name = "ln" if node.args[0] == "log" else node.args[0]
        return Call(name, tuple(built[a] for a in node.args[1:]), 0)
    if k == A.POW:
        return _power_expr(node, built)
    if k == A.MUL:
        return _product_expr(node, built)
    return _sum_expr(node, built, variable)


def _expr_of(term, built) -> Expr:
    """A term's expression, from the ones already built when it is among them."""
    return built[term] if term in built else to_expr(term)


def _power_expr(node, built) -> Expr:
    from fractions import Fraction

    from . import algebra as A

    base, exponent = node.args
    if A.reciprocal(node) is not None:  # 1/cos(x)^2 as sec(x)^2
        return _expr_of(A.reciprocal(node), built)
    if exponent.kind == A.NUM and A.rational(A.value(exponent)):
        e = Fraction(A.value(exponent))
        if e < 0:
            return Chain((Num(1.0, "1", 0), _expr_of(A.pow_(base, -e), built)), ("/",), (0,))
        root = {2: "sqrt", 3: "cbrt"}.get(e.denominator)
        if root and e.numerator == 1:
            return Call(root, (built[base],), 0)
    return Pow(built[base], built[exponent], 0)


def _product_expr(node, built) -> Expr:
    """c * factors as (|c|'s numerator * positive powers) / (denominator * negative powers)."""
    from fractions import Fraction

    from . import algebra as A

    factors = list(node.args)
    c = Fraction(1)
    if factors[0].kind == A.NUM:
        c = A.value(factors.pop(0))
        c = Fraction(c) if A.rational(c) else Fraction(repr(c))
    if c.denominator == 1 and any(A.reciprocal(f) for f in factors) and not any(
            f.kind == A.ADD or (A.reciprocal(f) is None and f.kind == A.POW and f.args[1].kind == A.NUM
                                and A.value(f.args[1]) < 0) for f in factors):
        # 1/cos(x)^2 as sec(x)^2, -sinh(x)/cosh(x)^2 as -sech(x) tanh(x): no fraction left
        factors = [A.reciprocal(f) or f for f in factors]
    top, bottom = [], []
    for f in sorted(factors, key=_factor_rank):
        b, e = A.base_exp(f)
        if e.kind == A.NUM and A.value(e) < 0:
            bottom.append(_expr_of(A.pow_(b, -A.value(e)), built))
        else:
            top.append(_expr_of(f, built))
    if abs(c.numerator) != 1 or not top:
        top.insert(0, Num(float(abs(c.numerator)), str(abs(c.numerator)), 0))
    if c.denominator != 1:
        bottom.insert(0, Num(float(c.denominator), str(c.denominator), 0))
    numerator = _juxtaposed(top)
    if bottom:
        numerator = Chain((numerator, _juxtaposed(bottom)), ("/",), (0,))
    return Unary("-", numerator, 0) if c < 0 else numerator


def _juxtaposed(items: list) -> Expr:
    if len(items) == 1:
        return items[0]
    return Chain(tuple(items), ("*",) * (len(items) - 1), (0,) * (len(items) - 1), (True,) * (len(items) - 1))


def _factor_rank(f):
    """Numbers and pi, then the variables' powers (x^2), then exponentials (e^x) and
    functions (sin x), then sums: 2pi x^2 e^x sin(x) (x + 1)."""
    from . import algebra as A

    b, e = A.base_exp(f)
    if b.kind == A.SYM:
        # pi and e are numbers (e^x, an exponential, ranks with the functions)
        rank = 0.5 if b.args[0] == "pi" or (b.args[0] == "e" and e.kind == A.NUM) else 2 if b.args[0] == "e" else 1
    else:
        rank = {A.NUM: 0, A.FN: 2.5}.get(b.kind, 3)
    # names in order, u2 before u10; functions by name: cos(x) ln(x) sin(x)
    name = _natural(b.args[0]) if b.kind in (A.SYM, A.FN) else ("", 0)
    return (rank, name, f.order)


def _natural(name: str) -> tuple:
    stem = name.rstrip("0123456789")
    return (stem, int(name[len(stem):] or 0))


def _sum_expr(node, built, variable) -> Expr:
    terms = sorted(node.args, key=lambda t: _term_rank(t, variable))
    if len(terms) == 2 and _negative(terms[0], built):  # 1 - 4x^2 rather than -4x^2 + 1
        first = next((t for t in terms if not _negative(t, built)), None)
        if first is not None:
            terms.remove(first)
            terms.insert(0, first)
    items, ops = [], []
    for t in terms:
        e = built[t]
        negative = isinstance(e, Unary) and e.op == "-"
        if items:
            ops.append("-" if negative else "+")
            items.append(e.operand if negative else e)
        else:
            items.append(e)
    return Chain(tuple(items), tuple(ops), (0,) * len(ops))


def _negative(t, built) -> bool:
    e = built[t]
    return isinstance(e, Unary) and e.op == "-"


def _term_rank(t, variable):
    """By descending power of the variable; numbers last."""
    from fractions import Fraction

    from . import algebra as A

    if t.kind == A.NUM:
        return (2, 0, t.order)
    degree = Fraction(0)
    for f in (t.args if t.kind == A.MUL else (t,)):
        b, e = A.base_exp(f)
        if b.kind == A.SYM and (variable is None or b.args[0] == variable) and e.kind == A.NUM:
            degree += A.value(e) if A.rational(A.value(e)) else 0
    return (0 if degree else 1, -degree, t.order)
