"""The rules in their general form, and each step's rule applied: this problem's pieces put
into the general form and nothing simplified, the line a textbook writes between the rule and
the answer (issue 25).

A step (symbolic/derive.Step) keeps its sub-expression as written and the value and derivative
of each of its children; from those, `explain` writes three things: the rule in general
(`(f/g)' = (f'g - fg')/g^2`), the pieces it names (f = x + 1, g' = 1, u = x^2 + 1, du/dx = 2x),
and the rule applied, an expression tree in gradcli's syntax that reads back into `eval`.
The pieces are the children as written and their derivatives as the steps below print them,
so a reader can follow one step without the one before. Function rules are read from the
function table (language/functions.py, `d`), like the derivative itself.

Nothing here recurses: the trees built are a few nodes over the children, and the printers
walk them with explicit stacks.

>>> from gradcli.language.grammar import parse
>>> from gradcli.symbolic.derive import derive
>>> from gradcli.symbolic.printer import plain
>>> _, _, steps = derive(parse("(x+1)/(x-1)"), "x")
>>> e = explain(steps[0], "x")
>>> e.formula
"(f/g)' = (f'g - fg')/g^2"
>>> plain(e.applied)
'(1(x - 1) - (x + 1)(1))/(x - 1)^2'
>>> [(name, plain(piece)) for name, piece in e.pieces]
[('f', 'x + 1'), ('g', 'x - 1'), ("f'", '1'), ("g'", '1')]
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import NamedTuple

from ..language.tree import Call, Chain, Expr, Num, Pow, Unary, Var, transform
from . import algebra as A


class Explained(NamedTuple):
    formula: str          # the rule in general, in text: (f/g)' = (f'g - fg')/g^2
    formula_latex: str    # the same in LaTeX
    pieces: tuple         # (name, Expr): what the general form's letters stand for here
    applied: Expr         # the general form with the pieces put in, not simplified
    lines: tuple = ()     # (left side, Expr, simplified Expr): logarithmic differentiation's in-between lines


# The rules whose general form does not depend on the function: (text, LaTeX).
GENERAL = {
    "sum rule": ("(f + g)' = f' + g'", r"(f + g)' = f' + g'"),
    "difference rule": ("(f - g)' = f' - g'", r"(f - g)' = f' - g'"),
    "constant multiple rule": ("(c f)' = c f'", r"(c f)' = c f'"),
    "product rule": ("(fg)' = f'g + fg'", r"(f g)' = f' g + f g'"),
    "product rule, three factors": ("(fgh)' = f'gh + fg'h + fgh'", r"(f g h)' = f' g h + f g' h + f g h'"),
    "product rule, n factors": ("(f1 f2 ... fn)' = f1' f2 ... fn + f1 f2' ... fn + ... + f1 f2 ... fn'",
                                r"(f_1 f_2 \cdots f_n)' = f_1' f_2 \cdots f_n + f_1 f_2' \cdots f_n + \cdots"
                                r" + f_1 f_2 \cdots f_n'"),
    "quotient rule": ("(f/g)' = (f'g - fg')/g^2", r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}"),
    "power rule": ("(x^n)' = n x^(n - 1)", r"\left(x^{n}\right)' = n x^{n - 1}"),
    "power rule with the chain rule": ("(u^n)' = n u^(n - 1) u'", r"\left(u^{n}\right)' = n u^{n - 1} u'"),
    "square root": ("(sqrt(u))' = (u^(1/2))' = 1/2 u^(-1/2) u'",
                    r"\left(\sqrt{u}\right)' = \left(u^{1/2}\right)' = \frac{1}{2} u^{-1/2} u'"),
    "cube root": ("(cbrt(u))' = (u^(1/3))' = 1/3 u^(-2/3) u'",
                  r"\left(\sqrt[3]{u}\right)' = \left(u^{1/3}\right)' = \frac{1}{3} u^{-2/3} u'"),
    "exp rule": ("(e^x)' = e^x", r"\left(e^{x}\right)' = e^{x}"),
    "exp rule with the chain rule": ("(e^u)' = e^u u'", r"\left(e^{u}\right)' = e^{u} u'"),
    "exponential rule": ("(a^x)' = a^x ln(a)", r"\left(a^{x}\right)' = a^{x} \ln a"),
    "exponential rule with the chain rule": ("(a^u)' = a^u ln(a) u'", r"\left(a^{u}\right)' = a^{u} \ln a \, u'"),
    "logarithmic differentiation": (
        "y = u^v: ln(y) = v ln(u), so y'/y = v' ln(u) + v u'/u and y' = u^v (v' ln(u) + v u'/u)",
        r"y = u^{v}:\ \ln y = v \ln u,\ \frac{y'}{y} = v' \ln u + \frac{v u'}{u},\ "
        r"y' = u^{v} \left(v' \ln u + \frac{v u'}{u}\right)"),
}


def explain(step, wrt: str) -> Explained:
    """The step's rule in general, its pieces here and the rule applied to them; `wrt` is the
    variable this step differentiates by."""
    node = step.node
    if isinstance(node, Chain):
        if node.ops[0] in "+-":
            return _sum(step, wrt)
        if step.rule == "quotient rule":
            return _quotient(step, wrt)
        return _product(step, wrt)
    if isinstance(node, Pow):
        if step.rule.startswith("power rule"):
            return _power(step, wrt)
        if step.rule.startswith("logarithmic"):
            return _logarithmic(step, wrt)
        return _exponential(step, wrt)
    if isinstance(node, Call):
        return _function(step, wrt)
    raise TypeError(f"no general form for a step at {type(node).__name__}")  # pragma: no cover


def general_forms() -> dict:
    """Every rule a step can name, with the general form shown for it (for functions, the one
    of each function in the table): what the tests hold every named rule to."""
    from ..language.functions import FUNCTIONS

    forms = {rule: text for rule, (text, _) in GENERAL.items()}
    for fn in FUNCTIONS.values():
        try:
            text, _ = _function_form(fn.name, fn.name, len(fn.params) - len(fn.optional), chained=True)
        except _NoForm:
            continue
        forms[f"{fn.name}: {fn.family or fn.name + ' rule'}"] = text
    return forms


# --- building expressions ------------------------------------------------------------------------

def _d(term, wrt: str) -> Expr:
    from .printer import to_expr

    return to_expr(term, wrt)


def _number(value) -> Expr:
    from .printer import to_expr

    return to_expr(A.num(value))


def group(e: Expr) -> Expr:
    """`e` in parentheses where it follows an operator: 1 - (-sin(x)), not 1 - -sin(x). (A call
    without a name prints as parentheses; the LaTeX renderer drops the empty name.)"""
    if isinstance(e, Unary) and e.op == "-":
        return Call("", (e,), 0)
    return e


def factor(e: Expr, first: bool = False) -> Expr:
    """`e` in parentheses when it is a factor beside others and more than one piece, or a number
    after another factor, as textbooks write them: (1/2)(x^2 + 1)^(-1/2)(2x), (x + 1)(1).
    `1/2 (x^2 + 1)^(-1/2) 2x` reads back the same, but a student cannot see the pieces in it."""
    if isinstance(e, Chain) or (isinstance(e, Unary) and e.op == "-") or (isinstance(e, Num) and not first):
        return Call("", (e,), 0)
    return e


def latex_of(e: Expr) -> str:
    """LaTeX of an applied line: the nameless call of `group` and `factor` as plain parentheses."""
    import re

    from .latex import latex

    text = re.sub(r"\\operatorname\{\} ([0-9.]+)", r"\\left(\1\\right)", latex(e))
    return text.replace(r"\operatorname{}", "")


def _chain(items: list, ops: list) -> Expr:
    return items[0] if len(items) == 1 else Chain(tuple(items), tuple(ops), (0,) * len(ops))


def _times(*items) -> Expr:
    """A product of the rule's factors, each in parentheses when it has pieces of its own."""
    items = [i for i in items if i is not None]
    if len(items) > 1:
        items = [factor(i, first=k == 0) for k, i in enumerate(items)]
    return _chain(items, ["*"] * (len(items) - 1))


def _over(top: Expr, bottom: Expr) -> Expr:
    return Chain((top, bottom), ("/",), (0,))


def _ln(arg: Expr) -> Expr:
    return Call("ln", (arg,), 0)


def _is_variable(node: Expr, wrt: str) -> bool:
    return isinstance(node, Var) and node.name == wrt


def _chain_pieces(inner: Expr, d_inner, wrt: str) -> tuple:
    """The chain rule's u and du/dx (not `u = u` when the expression names its own u)."""
    named = isinstance(inner, Var) and inner.name == "u"
    return (() if named else (("u", inner),)) + ((f"du/d{wrt}", _d(d_inner, wrt)),)


def _letters(n: int) -> list:
    return ["f", "g", "h"][:n] if n <= 3 else [f"f{k}" for k in range(1, n + 1)]


# --- the rules -----------------------------------------------------------------------------------

def _sum(step, wrt: str) -> Explained:
    """(f + g)' = f' + g': each term's derivative, with the sum's own signs."""
    node = step.node
    ds = [_d(d, wrt) for _, d in step.kids]
    applied = _chain([ds[0]] + [group(e) for e in ds[1:]], list(node.ops))
    minus = "-" in node.ops
    text, tex = GENERAL["difference rule" if minus and "+" not in node.ops else "sum rule"]
    if minus and "+" in node.ops:
        text, tex = "(f + g - h)' = f' + g' - h'", r"(f + g - h)' = f' + g' - h'"
    pieces = tuple((f"({_plain(item)})'", e) for item, e in zip(node.items, ds))
    return Explained(text, tex, pieces, applied)


def _factors(node: Chain) -> tuple:
    """The top factors (first and after '*') and the bottom ones (after '/'), by index."""
    top = [0] + [k + 1 for k, op in enumerate(node.ops) if op == "*"]
    bottom = [k + 1 for k, op in enumerate(node.ops) if op == "/"]
    return top, bottom


def _with_replaced(node: Chain, k: int, replacement: Expr) -> Expr:
    items = list(node.items)
    items[k] = factor(replacement, first=k == 0) if len(items) > 1 else replacement
    return Chain(tuple(items), node.ops, (0,) * len(node.ops))


def _product(step, wrt: str) -> Explained:
    """(c f)' = c f' and (fg)' = f'g + fg': one term per varying factor, that factor replaced by
    its derivative, the constant factors (and constant divisors) left where they are."""
    node = step.node
    varying = [k for k, (_, d) in enumerate(step.kids) if not A.is_num(d, 0)]
    ds = {k: _d(step.kids[k][1], wrt) for k in varying}
    terms = [_with_replaced(node, k, ds[k]) for k in varying]
    applied = _chain(terms, ["+"] * (len(terms) - 1))
    if len(varying) == 1:
        (k,) = varying
        rest_items, rest_ops = [], []
        for j, item in enumerate(node.items):
            if j == k:
                continue
            op = "*" if j == 0 else node.ops[j - 1]
            if not rest_items and op == "/":
                rest_items.append(_number(1))  # x/2: c is 1/2
            if rest_items:
                rest_ops.append(op)
            rest_items.append(item)
        text, tex = GENERAL["constant multiple rule"]
        pieces = (("c", _chain(rest_items, rest_ops)), ("f", node.items[k]), ("f'", ds[k]))
        return Explained(text, tex, pieces, applied)
    names = _letters(len(varying))
    key = "product rule" if len(varying) == 2 else "product rule, three factors" if len(varying) == 3 \
        else "product rule, n factors"
    text, tex = GENERAL[key]
    pieces = tuple((n, node.items[k]) for n, k in zip(names, varying)) + \
        tuple((n + "'", ds[k]) for n, k in zip(names, varying))
    return Explained(text, tex, pieces, applied)


def _quotient(step, wrt: str) -> Explained:
    """(f/g)' = (f'g - fg')/g^2, f the factors above the line and g those below."""
    from .derive import _product as product

    node = step.node
    top, bottom = _factors(node)
    f = _chain([node.items[k] for k in top], ["*"] * (len(top) - 1))
    g = _chain([node.items[k] for k in bottom], ["*"] * (len(bottom) - 1))
    df = product([step.kids[k] for k in top])[1]
    dg = product([step.kids[k] for k in bottom])[1]
    fp, gp = _d(df, wrt), _d(dg, wrt)
    numerator = Chain((_times(fp, g), _times(f, gp)), ("-",), (0,))
    applied = _over(numerator, Pow(g, _number(2), 0))
    text, tex = GENERAL["quotient rule"]
    return Explained(text, tex, (("f", f), ("g", g), ("f'", fp), ("g'", gp)), applied)


def _power(step, wrt: str) -> Explained:
    """(u^n)' = n u^(n-1) u', n - 1 worked out (the one sum a textbook does in its head)."""
    node = step.node
    (u, du), (n, _) = step.kids
    lowered = _d(A.sub(n, 1), wrt)  # (a sum, as pi - 1, is parenthesised by the printer)
    chained = not _is_variable(node.base, wrt)
    power = Pow(node.base, lowered, 0)
    pieces = (("n", _d(n, wrt)),)
    if chained:
        text, tex = GENERAL["power rule with the chain rule"]
        pieces += _chain_pieces(node.base, du, wrt)
        applied = _times(_d(n, wrt), power, (_d(du, wrt)))
    else:
        text, tex = _in_variable(GENERAL["power rule"], wrt)
        applied = _times(_d(n, wrt), power)
    return Explained(text, tex, pieces, applied)


def _exponential(step, wrt: str) -> Explained:
    """(e^u)' = e^u u' and (a^u)' = a^u ln(a) u'."""
    node = step.node
    (a, _), (_, dv) = step.kids
    chained = not _is_variable(node.exponent, wrt)
    key = "exp rule" if step.rule.startswith("exp rule") else "exponential rule"
    text, tex = _in_variable(GENERAL[key + (" with the chain rule" if chained else "")], wrt)
    pieces = () if key == "exp rule" else (("a", node.base),)
    log = None if key == "exp rule" else _ln(node.base)
    if chained:
        pieces += _chain_pieces(node.exponent, dv, wrt)
        applied = _times(node, log, (_d(dv, wrt)))
    else:
        applied = _times(node, log) if log is not None else node
    return Explained(text, tex, pieces, applied)


def _logarithmic(step, wrt: str) -> Explained:
    """y = u^v: ln y = v ln u, y'/y = v' ln u + v u'/u, y' = y (v' ln u + v u'/u)."""
    node = step.node
    (u, du), (v, dv) = step.kids
    base, exponent = node.base, node.exponent
    ln_y = _times(exponent, _ln(base))
    ratio = Chain((_times(_d(dv, wrt), _ln(base)), _over(_times(exponent, _d(du, wrt)), base)),
                  ("+",), (0,))
    simplified = _d(A.add(A.mul(dv, A.fn("log", u)), A.mul(v, du, A.pow_(u, -1))), wrt)
    applied = _times(node, ratio)
    text, tex = GENERAL["logarithmic differentiation"]
    pieces = (("y", node), ("u", base), ("v", exponent), ("u'", _d(du, wrt)), ("v'", _d(dv, wrt)))
    lines = (("ln(y)", ln_y, None), ("y'/y", ratio, simplified))
    return Explained(text, tex, pieces, applied, lines)


def _function(step, wrt: str) -> Explained:
    """(f(u))' = f'(u) u', f' the formula in f's row of the function table; sqrt and cbrt as the
    powers they are (a textbook's 1/2 u^(-1/2) u')."""
    from ..language.functions import lookup

    node = step.node
    fn = lookup(node.name)
    varying = [k for k, (_, d) in enumerate(step.kids)
               if not A.is_num(d, 0) and fn.params[k] not in fn.static]
    single = len(varying) == 1
    chained = not (single and _is_variable(node.args[varying[0]], wrt))
    if fn.name in ("sqrt", "cbrt") and single:
        n = Fraction(1, 2 if fn.name == "sqrt" else 3)
        (k,) = varying
        text, tex = GENERAL["square root" if fn.name == "sqrt" else "cube root"]
        if not chained:
            text, tex = _in_variable((text.replace(" u'", ""), tex.replace(r" u'", "")), wrt, "u")
        applied = _times(_number(n), Pow(node.args[k], _number(n - 1), 0),
                         (_d(step.kids[k][1], wrt)) if chained else None)
        pieces = _chain_pieces(node.args[k], step.kids[k][1], wrt) if chained else ()
        return Explained(text, tex, pieces, applied)
    if fn.name == "exp" and single:
        (k,) = varying
        text, tex = _in_variable(GENERAL["exp rule" + (" with the chain rule" if chained else "")], wrt)
        text, tex = text.replace("e^x", f"exp({wrt})").replace("e^u", "exp(u)"), \
            tex.replace("e^{x}", rf"\exp({wrt})").replace("e^{u}", r"\exp(u)")
        pieces = _chain_pieces(node.args[k], step.kids[k][1], wrt) if chained else ()
        applied = _times(node, (_d(step.kids[k][1], wrt)) if chained else None)
        return Explained(text, tex, pieces, applied)
    text, tex = _function_form(fn.name, node.name, len(node.args), chained, wrt,
                               tuple(fn.params[k] for k in varying))
    terms = []
    for k in varying:
        rule = _rule_expr(fn.name, fn.params[k], len(node.args))
        bound = dict(zip(fn.params, node.args))
        inside = transform(rule, lambda e: bound.get(e.name, e) if isinstance(e, Var) else e)
        terms.append(_times(inside, (_d(step.kids[k][1], wrt))) if chained else inside)
    applied = _chain(terms, ["+"] * (len(terms) - 1))
    pieces = ()
    if chained:
        names = _argument_names(len(varying))
        for name, k in zip(names, varying):
            pieces += ((name, node.args[k]), (f"d{name}/d{wrt}", _d(step.kids[k][1], wrt)))
    # the constant arguments keep their parameter's name in the general form: say what it is here
    pieces += tuple((fn.params[k], a) for k, a in enumerate(node.args) if k not in varying)
    return Explained(text, tex, pieces, applied)


class _NoForm(Exception):
    pass


def _argument_names(n: int) -> list:
    return ["u", "v", "w"][:n] if n <= 3 else [f"u{k}" for k in range(1, n + 1)]


@functools.lru_cache(maxsize=None)
def _rule_term_text(name: str, param: str, nargs: int, names: tuple) -> tuple:
    """d f/d param from the function table, simplified, with the parameters named `names`
    (defaults for those left out: ln(u) is log(u, e), so 1/(u ln(e)) is 1/u); as text and LaTeX
    of the expression (cached: the same few rules serve every step)."""
    from .derive import _substitute, derive, derivative_rule, _parsed
    from .latex import latex
    from .printer import plain, to_expr
    from ..language.functions import FUNCTIONS

    fn = FUNCTIONS[name]
    rule = derivative_rule(name, param)
    if rule is None:
        raise _NoForm(name)
    with A.one_request():
        bound = {p: A.sym(n) for p, n in zip(fn.params[:nargs], names)}
        for p, default in fn.defaults:
            bound.setdefault(p, derive(_parsed(default), "", steps=False)[0])
        e = to_expr(_substitute(rule, bound))
        return plain(e), latex(e)


@functools.lru_cache(maxsize=None)
def _rule_expr(name: str, param: str, nargs: int) -> Expr:
    """The derivative formula for `param`, simplified, in the table's own parameter names (the
    tree is shared: `transform` builds new nodes and never changes it)."""
    from ..language.functions import FUNCTIONS
    from ..language.grammar import parse

    fn = FUNCTIONS[name]
    text, _ = _rule_term_text(name, param, nargs, tuple(fn.params[:nargs]))
    return parse(text)


def _function_form(name: str, written: str, nargs: int, chained: bool, wrt: str = "x",
                   varying: tuple | None = None) -> tuple:
    """(text, LaTeX) of f's rule in general: (sin(u))' = cos(u) u', (atan(x))' = 1/(x^2 + 1),
    (log(u, b))' = u'/(u ln(b)); constant arguments keep their parameter's name."""
    from .derive import derive
    from .latex import latex
    from .printer import plain, to_expr
    from ..language.functions import FUNCTIONS
    from ..language.grammar import parse

    fn = FUNCTIONS[name]
    params = fn.params[:nargs]
    varying = tuple(p for p in params if p not in fn.static) if varying is None else varying
    if not chained:
        names = {varying[0]: wrt}
    else:
        names = dict(zip(varying, _argument_names(len(varying))))
    arg_names = tuple(names.get(p, p) for p in params)
    with A.one_request():
        total = []
        for p in varying:
            rule_text, _ = _rule_term_text(name, p, nargs, arg_names)
            term = derive(parse(rule_text), "", steps=False)[0]  # (the cached text as this request's term)
            total.append(A.mul(term, A.sym(names[p] + "'")) if chained else term)
        rhs = to_expr(A.add(*total))
        left = Call(written, tuple(Var(n, 0) for n in arg_names), 0)
        text = f"({plain(left)})' = {plain(rhs)}"
        tex = rf"\left({latex(left)}\right)' = {latex(rhs)}"
    for n in _argument_names(3):
        tex = tex.replace(rf"\mathrm{{{n}'}}", f"{n}'")
    return text, tex


def _in_variable(form: tuple, wrt: str, letter: str = "x") -> tuple:
    """A general form in the variable differentiated by: (t^n)' = n t^(n - 1) for d/dt."""
    if wrt == letter:
        return form
    import re

    pattern = re.compile(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])")
    return tuple(pattern.sub(wrt, f) for f in form)


def _plain(e: Expr) -> str:
    from .printer import plain

    return plain(e)
