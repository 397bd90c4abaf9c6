"""Derivatives as formulas, worked on the expression as written, with the textbook's steps.

The rules are the textbook's: sum, constant multiple, product, quotient, power, exponential,
and for each function the formula in its row of the function table (language/functions.py,
`d`), so a function's symbolic rule lives beside its numeric one. Every node of the tree is
visited once, children first, with an explicit stack; each result is built canonical
(algebra.py), so the derivative comes out simplified.

>>> from gradcli.language.grammar import parse
>>> from gradcli.symbolic.algebra import debug_text
>>> value, d, steps = derive(parse("x^2 sin(x)"), "x")
>>> debug_text(d)
'2*x*sin(x) + cos(x)*x^2'
>>> [s.rule for s in steps]
['product rule', 'power rule', 'trig rule']
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import NamedTuple

from ..language.errors import NameLookupError
from ..language.functions import FUNCTIONS
from ..language.tree import CONSTANTS, Call, Chain, Expr, Index, ListLit, Num, Pow, Program, Unary, Var, postorder
from . import algebra as A


class Step(NamedTuple):
    rule: str            # "product rule", "power rule with the chain rule", ...
    node: Expr           # the sub-expression, as written
    value: A.Term        # its value
    derivative: A.Term   # its derivative
    inner: A.Term | None = None   # for the chain rule: the inner function
    depth: int = 0       # how many steps enclose this one (the steps form a tree)
    order: int = 1       # of a higher derivative: which differentiation this step belongs to
    # (value, derivative) of each child of `node` (children() order): the pieces the rule is
    # applied to, kept so that symbolic/rules.py can write the rule with them put in
    kids: tuple = ()
    explained: object = None  # symbolic/rules.Explained, once worked out (calculus/formula.py)


# the rule each function's step is named after: its family in the function table
FAMILY = {f.name: f.family for f in FUNCTIONS.values() if f.family}


# functions whose terms are written otherwise by design (exp(x) is e^x, sqrt(x) is x^(1/2))
_REWRITTEN = {"exp", "sqrt", "cbrt", "root", "log", "log2", "log10"}


class Unsupported(NameLookupError):
    """diff works on scalar formulas: no indexing, lists or functions without a formula."""


def derive(root: Expr, wrt: str, env: dict | None = None, steps: bool = True, budget: int | None = None):
    """(value, derivative, steps) of `root` with respect to `wrt`; env maps names to
    (value, derivative) Terms (definitions, substituted values). Past `budget`
    (algebra.work()), TooLarge."""
    env = dict(env or {})
    if isinstance(root, Program):
        for name, expr, _ in root.definitions:
            v, d, _ = derive(expr, wrt, env, steps=False, budget=budget)
            env[name] = (v, d)
        root = root.body
    out: dict[int, tuple] = {}
    found: dict[int, Step] = {}
    for node in postorder(root):
        if budget is not None and A.work() > budget:
            raise A.TooLarge()
        out[id(node)], step = _rule(node, out, env, wrt)
        if step is not None and steps:
            found[id(node)] = step
    value, d = out[id(root)]
    return value, d, _tree_order(root, found)


def _tree_order(root: Expr, found: dict) -> list:
    """The steps outermost first, each with its depth among the steps that enclose it."""
    ordered, stack = [], [(root, 0)]
    while stack:
        node, depth = stack.pop()
        step = found.get(id(node))
        if step is not None:
            ordered.append(step._replace(depth=depth))
            depth += 1
        stack.extend((kid, depth) for kid in reversed(node.children()))
    return ordered


def _rule(node: Expr, out: dict, env: dict, wrt: str):
    if isinstance(node, Num):
        return (A.num(_exact(node.text)), A.ZERO), None
    if isinstance(node, Var):
        if node.name in env:
            return env[node.name], None
        if node.name in CONSTANTS:
            return (A.sym(node.name), A.ZERO), None
        return (A.sym(node.name), A.ONE if node.name == wrt else A.ZERO), None
    if isinstance(node, Unary):
        v, d = out[id(node.operand)]
        return ((A.neg(v), A.neg(d)) if node.op == "-" else (v, d)), None
    if isinstance(node, Chain):
        return _chain(node, [out[id(i)] for i in node.items])
    if isinstance(node, Pow):
        return _power(node, out[id(node.base)], out[id(node.exponent)], wrt)
    if isinstance(node, Call):
        return _call(node, [out[id(a)] for a in node.args], wrt)
    if isinstance(node, (Index, ListLit)):
        raise Unsupported("diff works on formulas of numbers: indexing and lists have none", pos=node.pos)
    raise Unsupported(f"diff cannot differentiate {type(node).__name__}", pos=node.pos)  # pragma: no cover


def _exact(text: str):
    try:
        return Fraction(text)
    except ValueError:
        return float(text)


def _chain(node: Chain, items: list):
    if node.ops[0] in "+-":
        signs = [1] + [1 if op == "+" else -1 for op in node.ops]
        v = A.add(*(A.mul(s, i[0]) for s, i in zip(signs, items)))
        d = A.add(*(A.mul(s, i[1]) for s, i in zip(signs, items)))
        return (v, d), Step("sum rule", node, v, d, kids=tuple(items))
    if "@" in node.ops:
        raise Unsupported("diff works on formulas of numbers: '@' multiplies arrays", pos=node.pos)
    top = [items[0]] + [i for op, i in zip(node.ops, items[1:]) if op == "*"]
    bottom = [i for op, i in zip(node.ops, items[1:]) if op == "/"]
    (n, dn), (q, dq) = _product(top), _product(bottom)
    if A.is_num(dn, 0) and A.is_num(dq, 0):
        return (A.div(n, q), A.ZERO), None
    v = A.div(n, q)
    if A.is_num(dq, 0):
        d = A.div(dn, q)
        varying = sum(not A.is_num(i[1], 0) for i in top)
        return (v, d), Step("product rule" if varying > 1 else "constant multiple rule", node, v, d,
                            kids=tuple(items))
    # (n/q)' = (n' q - n q') / q^2
    d = A.cancel(A.sub(A.mul(dn, q), A.mul(n, dq)), A.pow_(q, 2))
    return (v, d), Step("quotient rule", node, v, d, kids=tuple(items))


def _product(items: list) -> tuple:
    """(f1 f2 ... fn)' = f1' f2 ... fn + f1 f2' ... fn + ... : one term per varying factor."""
    values = [i[0] for i in items]
    terms = [A.mul(*values[:k], d, *values[k + 1:]) for k, (_, d) in enumerate(items) if not A.is_num(d, 0)]
    return A.mul(*values), A.add(*terms) if terms else A.ZERO


def _power(node: Pow, base: tuple, exponent: tuple, wrt: str):
    (u, du), (n, dn) = base, exponent
    v = A.pow_(u, n)
    if A.is_num(du, 0) and A.is_num(dn, 0):
        return (v, A.ZERO), None
    if A.is_num(dn, 0):                  # power rule: d u^n = n u^(n-1) u'
        d = A.mul(n, A.pow_(u, A.sub(n, 1)), du)
        return (v, d), _chained(Step("power rule", node, v, d, kids=(base, exponent)), node.base, u, du)
    if A.is_num(u, 0):                   # 0^v: 0 where it is defined, as the engine has it
        return (v, A.ZERO), None
    if A.is_num(du, 0):                  # d a^v = a^v ln(a) v'
        d = A.mul(v, A.fn("log", u), dn)
        rule = "exp rule" if u is A.E else "exponential rule"
        return (v, d), _chained(Step(rule, node, v, d, kids=(base, exponent)), node.exponent, n, dn)
    # u^v with both varying: d = u^v (v' ln u + v u'/u)
    d = A.mul(v, A.add(A.mul(dn, A.fn("log", u)), A.mul(n, du, A.pow_(u, -1))))
    return (v, d), Step("logarithmic differentiation", node, v, d, kids=(base, exponent))


def _chained(step: Step, inner_expr: Expr, inner: A.Term, d_inner: A.Term) -> Step:
    """Name the chain rule when the inside is not the variable itself."""
    if A.is_num(d_inner, 1):
        return step
    return step._replace(rule=f"{step.rule} with the chain rule", inner=inner)


def _call(node: Call, args: list, wrt: str):
    from ..language.functions import lookup

    fn = lookup(node.name)
    if fn is None:
        raise Unsupported(f"unknown function '{node.name}'", pos=node.pos)
    values = [a[0] for a in args]
    names = fn.params[:len(args)]
    v = _apply(fn, values)
    if fn.name in FAMILY and fn.name not in _REWRITTEN and not (v.kind == A.FN and v.args[0] == fn.name):
        # an identity made it simpler (tanh(atanh(x)) is x): the derivative of what it became
        d = derive_term(v, wrt) if wrt else A.ZERO
        return (v, d), (None if A.is_num(d, 0) else Step(FAMILY[fn.name], node, v, d, kids=tuple(args)))
    try:
        total = _function_terms(fn, values, [a[1] for a in args])
    except Unsupported as exc:
        raise Unsupported(exc.message, pos=node.pos) from None
    if not total:
        return (v, A.ZERO), None
    d = A.add(*total)
    step = Step(FAMILY.get(fn.name, f"{fn.name} rule"), node, v, d, kids=tuple(args))
    if len(total) == 1 and len(args) >= 1:
        i = next(k for k, (p, (a, da)) in enumerate(zip(names, args)) if not A.is_num(da, 0) and p not in fn.static)
        step = _chained(step, node.args[i], args[i][0], args[i][1])
    return (v, d), step


def _apply(fn, values: list) -> A.Term:
    """f(values) as a term (sqrt and exp become powers, so that they collect)."""
    name = fn.name
    if name == "pow":
        return A.pow_(values[0], values[1])
    if name == "root":
        return A.fn("root", *values)
    if name == "log" and len(values) == 2:
        return A.div(A.fn("log", values[0]), A.fn("log", values[1]))
    if name in ("sum", "mean", "prod", "transpose", "logsumexp", "detach"):
        return values[0]  # of a number, each is the number
    if name == "norm":
        return A.fn("abs", values[0])
    if name == "dot":
        return A.mul(values[0], values[1])
    return A.fn(name, *values)


@functools.lru_cache(maxsize=None)
def _parsed(text: str) -> Expr:
    from ..language.grammar import parse

    return parse(text)


@functools.lru_cache(maxsize=None)
def derivative_rule(name: str, param: str):
    """The parsed formula of d f / d param from the function table (None if it has none)."""
    from ..language.functions import FUNCTIONS
    from ..language.grammar import parse

    fn = FUNCTIONS[name]
    rule = fn.d.get(param) if isinstance(fn.d, dict) else (fn.d if param == fn.params[0] else None)
    return None if rule is None else parse(rule)


def _substitute(template: Expr, values: dict) -> A.Term:
    """The template's value with its parameter names standing for the given terms."""
    value, _, _ = derive(template, "", {n: (t, A.ZERO) for n, t in values.items()}, steps=False)
    return value


def _function_terms(fn, args: list, d_args: list) -> list:
    """The chain rule for f(args): one term df/dparam * d(arg) per argument that varies,
    df/dparam the formula in f's row of the function table with its parameters bound."""
    bound = dict(zip(fn.params, args))
    for param, default in fn.defaults:
        bound.setdefault(param, derive(_parsed(default), "", steps=False)[0])
    terms = []
    for param, a, da in zip(fn.params, args, d_args):
        if A.is_num(da, 0) or param in fn.static:
            continue
        rule = derivative_rule(fn.name, param)
        if rule is None:
            raise Unsupported(f"diff has no formula for {fn.signature}")
        terms.append(A.mul(_substitute(rule, bound), da))
    return terms


def derive_term(root: A.Term, wrt: str | dict, budget: int | None = None) -> A.Term:
    """d root / d wrt for a canonical term (higher orders: no re-reading of printed text).
    wrt is a variable's name, or {name term: its derivative} for every name that varies.
    Children first, once each, with an explicit stack; past `budget` (algebra.work()),
    TooLarge."""
    from ..language.functions import lookup

    leaf = {A.sym(wrt): A.ONE} if isinstance(wrt, str) else wrt
    d: dict = {}
    for node in A.postorder(root):
        k = node.kind
        if budget is not None and A.work() > budget:
            raise A.TooLarge()
        if k == A.NUM:
            d[node] = A.ZERO
        elif k == A.SYM:
            d[node] = leaf.get(node, A.ZERO)
        elif k == A.ADD:
            d[node] = A.add(*(d[t] for t in node.args))
        elif k == A.MUL:
            factors = node.args
            terms = [A.mul(*factors[:i], d[f], *factors[i + 1:]) for i, f in enumerate(factors) if d[f] is not A.ZERO]
            d[node] = A.add(*terms) if terms else A.ZERO
        elif k == A.POW:
            u, n = node.args
            du, dn = d[u], d[n]
            if dn is A.ZERO:
                d[node] = A.mul(n, A.pow_(u, A.sub(n, 1)), du) if du is not A.ZERO else A.ZERO
            elif du is A.ZERO:
                d[node] = A.mul(node, A.fn("log", u), dn)
            else:
                d[node] = A.mul(node, A.add(A.mul(dn, A.fn("log", u)), A.mul(n, du, A.pow_(u, -1))))
        else:  # a function
            args = node.args[1:]
            terms = _function_terms(lookup(node.args[0]), list(args), [d[a] for a in args])
            d[node] = A.add(*terms) if terms else A.ZERO
    return d[root]
