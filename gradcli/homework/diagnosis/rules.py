"""One rule misapplied inside the expression: for every node n, the derivative is D = (the
rest) + a_n * t_n, where t_n is n's own derivative and a_n its adjoint; a mistake at n
replaces t_n by some w, and each hypothesis per kind of node (a call, a power, a product or
quotient) is one such w, compared with the answer at every point."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...calculus.compare import all_close, matches
from ...engine.autograd import grad
from ...engine.tensor import Tensor
from ...language.functions import FAMILIES, INVERSE_OF, lookup
from ...language.tree import Call, Chain, Expr, Num, Pow, Program, Unary, Var, preorder
from ...symbolic.numbers import factor_text
from ...symbolic.printer import plain
from .evidence import Evidence


class _Node(NamedTuple):
    value: np.ndarray      # the node's value at each point
    deriv: np.ndarray      # its derivative along wrt
    adjoint: np.ndarray    # how much the whole moves per unit of the node


SIGN_HINTS = {"cos": "d/dx cos x = -sin x", "sec": "d/dx sec x = sec x tan x", "csc": "d/dx csc x = -csc x cot x",
              "cot": "d/dx cot x = -csc^2 x", "acos": "d/dx acos x = -1/sqrt(1 - x^2)",
              "acot": "d/dx acot x = -1/(1 + x^2)", "sech": "d/dx sech x = -sech x tanh x"}
# functions whose derivatives students trade for one another: the table's families of
# circular and hyperbolic functions and their inverses, each inverse trig function with its
# hyperbolic twin, and two pairs students confuse
_TWINS = list(zip(FAMILIES["inverse trig rule"], FAMILIES["inverse hyperbolic rule"]))
TRADED = [FAMILIES[rule] for rule in ("trig rule", "hyperbolic rule", "inverse trig rule", "inverse hyperbolic rule")] \
    + _TWINS + [("atan", "acoth"), ("exp", "log")]


def one_rule(ev: Evidence, most: int = 3) -> str | None:
    """The one misapplied rule that explains the answer, among hypotheses of rank <= most
    (3 admits "this node's derivative off by a constant factor", which names no rule)."""
    if len(ev.wrt) != 1 or isinstance(ev.tree, Program) or not ev.vectorized:
        return None
    nodes = _node_data(ev)
    if nodes is None:
        return None
    context = _product_context(ev.tree)
    found: list = []
    by_kind: dict = {}       # kind -> [(node, data, wrong, text)], for the same mistake made everywhere
    for node in preorder(ev.tree):
        data = nodes.get(id(node))
        if data is None or isinstance(node, (Num, Var)) or not np.any(data.deriv) or not np.any(data.adjoint):
            continue
        for rank, kind, text, wrong in _hypotheses(node, data, nodes, ev):
            if wrong is None or rank > most:
                continue
            with np.errstate(all="ignore"):
                change = data.adjoint * (wrong - data.deriv)
                answer = ev.expected + change
                scale = np.abs(ev.expected) + np.abs(data.adjoint * wrong) + np.abs(data.adjoint * data.deriv)
            if kind in SYSTEMATIC:
                by_kind.setdefault(kind, []).append((node, data, wrong))
            if matches(ev.got, answer, scale, ev.rtol, ev.atol) and not all_close(answer, ev.expected, ev.rtol,
                                                                                   ev.atol):
                found.append((rank, len(found), context.get(id(node), "") + text, kind, node))
    if found:
        best = min(found)
        if best[3] == "sign":
            # a sign lost anywhere in f(g(x)) flips the whole, so every function on the way says
            # "f has the wrong sign": name the one whose sign students lose (cos, cot, ...),
            # then one of the circular and hyperbolic families, then the outermost
            best = min((f for f in found if f[3] == "sign" and f[0] == best[0]),
                       key=lambda f: (_sign_prone(f[4]), f[1]))
        return best[2]
    return _everywhere(ev, by_kind)


def _sign_prone(node) -> int:
    """0 for a function whose derivative's sign students lose (SIGN_HINTS), 1 for the other
    circular and hyperbolic functions and their inverses, 2 for the rest (ln, sqrt, ...)."""
    fn = lookup(node.name) if isinstance(node, Call) else None
    if fn is None:
        return 2
    return 0 if fn.name in SIGN_HINTS else 1 if any(fn.name in family for family in TRADED[:4]) else 2


# Mistakes a student may make at every place the rule is used (every power of a polynomial).
SYSTEMATIC = {
    "product": "the product rule was skipped: each product's derivative is given as the product of the derivatives",
    "chain": "the chain-rule factors are missing: each derivative of an inner function is left out",
    "not-lowered": "in each power rule the exponent was not lowered by 1 (n x^n instead of n x^(n-1))",
    "raised": "in each power rule the exponent went up by 1 instead of down",
    "sign": "the derivatives of the functions have the wrong signs",
    "outer-power": "the power rule was applied to the inner derivatives (n (u')^(n-1)) instead of the inner functions",
}


def _everywhere(ev: Evidence, by_kind: dict) -> str | None:
    """The same mistake at every node where it can be made (outermost ones, whose changes add)."""
    for kind, entries in by_kind.items():
        if len(entries) < 2:
            continue
        chosen, inside = [], set()
        for node, data, wrong in entries:  # preorder: an outer node comes before those inside it
            if id(node) in inside:
                continue
            chosen.append((data, wrong))
            inside.update(id(n) for n in preorder(node))
        if len(chosen) < 2:
            continue
        with np.errstate(all="ignore"):
            answer = ev.expected + sum(d.adjoint * (w - d.deriv) for d, w in chosen)
            scale = np.abs(ev.expected) + sum(np.abs(d.adjoint * w) + np.abs(d.adjoint * d.deriv) for d, w in chosen)
        if matches(ev.got, answer, scale, ev.rtol, ev.atol):
            return SYSTEMATIC[kind]
    return None


def _node_data(ev: Evidence) -> dict | None:
    """Value, derivative and adjoint of every node, at the sample points, from the engine."""
    from ...engine.tensor import set_grad_enabled

    (x_name,) = ev.wrt
    env = ev.env([x_name])
    record: dict = {}
    with set_grad_enabled(True):
        out = ev.build(ev.tree, env, record)
        if not out.requires_grad:
            return None
        count = ev.got.shape[0]
        x = env[x_name]
        tensors = {id(t): t for t in record.values() if t.requires_grad}
        adjoints = dict(zip(tensors, grad([out], list(tensors.values()), [Tensor(np.ones(out.shape))],
                                          retain_graph=True, allow_unused=True)))
        data = {"variable": np.broadcast_to(x.data, (count,))}
        for key, t in record.items():
            if not t.requires_grad:
                zero = np.zeros(count)
                data[key] = _Node(np.broadcast_to(t.data, (count,)), zero, zero)
                continue
            (d,) = grad([t], [x], [Tensor(np.ones(t.shape))], retain_graph=True, allow_unused=True)
            a = adjoints.get(id(t))
            data[key] = _Node(np.broadcast_to(t.data, (count,)),
                              np.zeros(count) if d is None else np.broadcast_to(d.data, (count,)),
                              np.zeros(count) if a is None else np.broadcast_to(a.data, (count,)))
    return data


def _product_context(tree: Expr) -> dict:
    """For each node inside a factor of a product: 'in the product rule for ..., '."""
    context: dict = {}
    for node in preorder(tree):
        if isinstance(node, Chain) and all(op == "*" for op in node.ops) and len(node.items) > 1:
            varying = [item for item in node.items if not isinstance(item, Num)]
            if len(varying) < 2:
                continue
            phrase = f"in the product rule for {plain(node)}, "
            for item in node.items:
                for inner in preorder(item):
                    context.setdefault(id(inner), phrase)
    return context


def _is_constant(arr: np.ndarray, rtol: float) -> bool:
    return bool(np.all(np.abs(arr - arr[0]) <= rtol * max(1.0, abs(float(arr[0])))))


def _is_one(deriv: np.ndarray, rtol: float) -> bool:
    return _is_constant(deriv, rtol) and abs(float(deriv[0]) - 1) <= rtol


def _missing_chain(name: str, inner: Expr, deriv: np.ndarray, rtol: float) -> str:
    if _is_constant(deriv, rtol):
        return (f"the derivative of {name} is missing the chain-rule factor {factor_text(float(deriv[0]))}, "
                f"the derivative of {plain(inner)}")
    return f"the derivative of {name} is missing the chain-rule factor, the derivative of {plain(inner)}"


def _hypotheses(node, data: _Node, nodes: dict, ev: Evidence):
    """(rank, kind, description, the wrong derivative of node) for the mistakes a student makes
    there; rank orders the descriptions when several explain the answer."""
    rtol = ev.rtol
    name = plain(node)
    with np.errstate(all="ignore"):
        if isinstance(node, Call) and node.args:
            yield from _call(node, name, data, nodes, ev)
        elif isinstance(node, Pow):
            yield from _power(node, name, data, nodes[id(node.base)], nodes[id(node.exponent)], rtol)
        elif isinstance(node, Chain) and set(node.ops) <= {"+", "-"}:
            signs = [1.0] + [1.0 if op == "+" else -1.0 for op in node.ops]
            for item, sign in zip(node.items, signs):
                t = nodes[id(item)].deriv
                if not np.any(t):
                    # a term constant along wrt copied into the derivative instead of giving 0
                    kept = nodes[id(item)].value
                    if np.all(np.abs(kept) > ev.atol):
                        yield 1, "constant-kept", (f"the constant term {plain(item)} was not differentiated: its "
                                                   f"derivative is 0"), data.deriv + sign * kept
                    continue
                yield 1, "term", f"the derivative of the term {plain(item)} is missing", data.deriv - sign * t
                yield 2, "term-sign", f"the derivative of the term {plain(item)} has the wrong sign", \
                    data.deriv - 2 * sign * t
        elif isinstance(node, Chain):
            yield from _product(node, name, data, nodes, rtol)
        elif isinstance(node, Unary) and node.op == "-":
            yield 2, "minus", f"the minus sign in front of {plain(node.operand)} is missing", -data.deriv
        # generic: this node's derivative off by a constant factor
        share = data.adjoint * data.deriv
        if np.all(np.abs(share) > ev.atol):
            c = 1 + (ev.got - ev.expected) / share
            if np.all(np.isfinite(c)) and _is_constant(c, 10 * rtol) and abs(c[0] - 1) > 1e-6 and c[0] != 0:
                yield 3, "factor", f"the derivative of {name} is off by a factor {factor_text(float(c[0]))}", \
                    c[0] * data.deriv


def _call(node: Call, name: str, data: _Node, nodes: dict, ev: Evidence):
    rtol = ev.rtol
    fn = lookup(node.name)
    if fn is None or any(np.any(nodes[id(a)].deriv) for a in node.args[1:]):
        return
    base = fn.name
    inner = node.args[0]
    u = nodes[id(inner)]
    rest = [nodes[id(a)].value for a in node.args[1:]]
    fp = _local_derivative(fn, u.value, rest)
    if fp is None:
        return
    if not _is_one(u.deriv, rtol):
        yield 1, "chain", _missing_chain(name, inner, u.deriv, rtol), fp
    # the outer derivative taken at the variable itself instead of at the inner function
    at_x = _local_derivative(fn, nodes["variable"], rest)
    if at_x is not None and not _is_one(u.deriv, rtol) and not isinstance(inner, Var):
        yield 1, "outer-at-x", (f"the derivative of {name} takes {base}' at {ev.wrt[0]} instead of at "
                                f"{plain(inner)}"), at_x * u.deriv
    if base in ("sqrt", "cbrt") and not rest:
        # sqrt(u) is u^(1/2) and cbrt(u) is u^(1/3): the power rule's mistakes (the 1/2 not
        # brought down, the exponent not lowered, ...) are made on them too
        n = 0.5 if base == "sqrt" else 1 / 3
        yield from _power_rule(name, inner, factor_text(n), n, u, rtol, data)
    hint = SIGN_HINTS.get(base)
    yield 2, "sign", f"the derivative of {name} has the wrong sign" + (f" ({hint})" if hint else ""), -data.deriv
    for family in TRADED:
        if base not in family:
            continue
        for other in family:
            if other == base:
                continue
            g = _local_derivative(lookup(other), u.value, rest)
            # acos' = -asin', acot' = -atan', ...: trading those is a lost sign, which the
            # "sign" hypothesis names with the rule's reminder
            if g is not None and not all_close(g, -fp, rtol, ev.atol):
                yield 1, "confused", f"the derivative of {name} uses the rule for {other} instead of {base}", \
                    g * u.deriv
    if base == "exp":
        yield 1, "exp-power", f"the power rule was used on {name}: d/dx e^u is e^u u', not u e^(u-1)", \
            u.value * np.exp(u.value - 1) * u.deriv
        yield 1, "exp-power", f"the power rule was used on {name}: d/dx e^u is e^u u', not u e^(u-1)", \
            u.value * np.exp(u.value - 1)
    if base == "tan":
        yield 1, "tan-sec", f"the derivative of {name} uses sec instead of sec^2", u.deriv / np.cos(u.value)
    if base == "log" and rest:
        # log(u, b) is ln(u)/ln(b): its derivative given as u'/u, without the 1/ln(b)
        yield 1, "log-base", f"the derivative of {name} is missing the factor 1/ln({plain(node.args[1])})", \
            fp * np.log(rest[0]) * u.deriv
    if base == "log":
        yield 1, "log-inverse", f"the derivative of {name} should be u'/u; the answer has 1/u'", 1 / u.deriv
    if base in ("asec", "acsc"):
        yield 1, "abs", f"the derivative of {name} needs |{plain(inner)}|; the absolute value is missing", \
            data.deriv * np.sign(u.value)
    if base in INVERSE_OF:
        f = lookup(INVERSE_OF[base])
        value = f.build(Tensor(np.array(u.value, dtype=float))).data
        fprime = _local_derivative(f, u.value, [])
        yield 1, "reciprocal", (f"{node.name}^-1 means the inverse function {base}, not 1/{INVERSE_OF[base]}: "
                                f"the answer differentiates 1/{INVERSE_OF[base]}({plain(inner)})"), \
            -fprime / value ** 2 * u.deriv


def _local_derivative(fn, at: np.ndarray, rest: list):
    """f'(u) at u's values (the first argument; the others held), from the engine's own rule."""
    if fn is None or fn.static or not len(fn.params) - len(fn.optional) <= 1 + len(rest) <= len(fn.params):
        return None
    leaf = Tensor(np.array(at, dtype=float), requires_grad=True)
    out = fn.build(leaf, *[Tensor(np.array(r, dtype=float)) for r in rest])
    if not out.requires_grad:
        return np.zeros_like(at)
    (d,) = grad([out], [leaf], [Tensor(np.ones(out.shape))], allow_unused=True)
    return np.zeros_like(at) if d is None else np.broadcast_to(d.data, np.shape(at))


def _power(node, name, data: _Node, u: _Node, v: _Node, rtol):
    base, exponent = plain(node.base), plain(node.exponent)
    if not np.any(v.deriv):              # u^n, n constant
        n = v.value
        yield from _power_rule(name, node.base, exponent, n, u, rtol, data)
    elif not np.any(u.deriv):            # a^v, a constant
        a = u.value
        is_e = bool(np.allclose(a, np.e))
        if not is_e:
            yield 1, "ln-a", f"the derivative of {name} is missing the factor ln({base})", data.value * v.deriv
        if not _is_one(v.deriv, rtol):
            yield 1, "chain", _missing_chain(name, node.exponent, v.deriv, rtol), data.value * np.log(a)
        text = f"the power rule was used on {name}, whose exponent varies: d/dx a^u is a^u ln(a) u'"
        yield 1, "exp-power", text, v.value * a ** (v.value - 1) * v.deriv
        yield 1, "exp-power", text, v.value * a ** (v.value - 1)
    else:                                # u^v, both varying
        yield 1, "uv", f"only the power-rule part of the derivative of {name} is there; u^v ln(u) v' is missing", \
            v.value * u.value ** (v.value - 1) * u.deriv
        yield 1, "uv", f"only the exponential part of the derivative of {name} is there; v u^(v-1) u' is missing", \
            data.value * np.log(u.value) * v.deriv


def _power_rule(name, base_expr, exponent: str, n, u: _Node, rtol, data: _Node, scale=1.0):
    """The power rule's mistakes for scale * u^n (n constant)."""
    if not _is_one(u.deriv, rtol):
        yield 1, "chain", _missing_chain(name, base_expr, u.deriv, rtol), scale * n * _rpow(u.value, n - 1)
    yield 1, "not-lowered", f"in the power rule for {name}, the exponent {exponent} was not lowered by 1", \
        scale * n * _rpow(u.value, n) * u.deriv
    yield 1, "raised", f"in the power rule for {name}, the exponent went up by 1 instead of down", \
        scale * n * _rpow(u.value, n + 1) * u.deriv
    if float(np.ravel(n)[0]) < 0:
        # before "not brought down": for n = -1 the two are the same answer, and the lost sign
        # is what a student does with 1/x
        yield 1, "exponent-sign", (f"in the power rule for {name}, the exponent {exponent} was brought down "
                                   f"without its minus sign"), -scale * n * _rpow(u.value, n - 1) * u.deriv
    yield 1, "not-brought-down", f"in the power rule for {name}, the exponent {exponent} was not brought down " \
                                 f"as a factor", scale * _rpow(u.value, n - 1) * u.deriv
    k = float(np.ravel(n)[0]) - 1
    dropped = plain(base_expr) if k == 1 else f"{plain(base_expr)}^{factor_text(k)}"
    yield 1, "n-only", f"in the power rule for {name}, only the exponent was kept: the factor {dropped} is missing", \
        scale * n * u.deriv
    if not isinstance(base_expr, Var):
        yield 1, "outer-power", f"the power rule for {name} was applied to the derivative of {plain(base_expr)}", \
            scale * n * _rpow(u.deriv, n - 1)
    yield 1, "as-exponential", f"{name} was differentiated as an exponential; the power rule gives n u^(n-1) u'", \
        scale * _rpow(u.value, n) * np.log(u.value) * u.deriv
    yield 1, "as-exponential", f"{name} was differentiated as an exponential; the power rule gives n u^(n-1) u'", \
        scale * _rpow(u.value, n) * np.log(u.value)


def _rpow(a, p):
    """a ** p, with the real root for negative a when p is p/q with q odd, as check reads
    powers (language/build.py, _odd_root)."""
    from fractions import Fraction

    p0 = float(np.ravel(p)[0])
    frac = Fraction(p0).limit_denominator(999)
    if p0.is_integer() or frac.denominator % 2 == 0 or abs(float(frac) - p0) > 1e-12 * max(1.0, abs(p0)):
        return a ** p
    magnitude = np.abs(a) ** p
    return np.sign(a) * magnitude if frac.numerator % 2 else magnitude


def _product(node: Chain, name, data: _Node, nodes: dict, rtol):
    items = [nodes[id(item)] for item in node.items]
    if all(op == "*" for op in node.ops):
        varying = [k for k, it in enumerate(items) if np.any(it.deriv)]
        held = [k for k, it in enumerate(items) if not np.any(it.deriv)]
        if held and varying:
            k = np.prod([items[j].value for j in held], axis=0)
            if np.all(np.abs(k) > 0) and not _is_one(k, rtol):
                what = " ".join(plain(node.items[j]) for j in held)
                yield 1, "constant", f"the constant factor {what} of {name} was dropped", data.deriv / k
            for j in held:  # one factor held constant (a variable, in a partial derivative) dropped
                if not isinstance(node.items[j], Num) and np.all(np.abs(items[j].value) > 0):
                    yield 1, "constant", (f"the factor {plain(node.items[j])} of {name}, a constant here, was "
                                          f"dropped"), data.deriv / items[j].value
        if len(varying) >= 2:
            terms = {}
            for k in varying:
                others = np.prod([it.value for j, it in enumerate(items) if j != k], axis=0)
                terms[k] = others * items[k].deriv
            held_value = np.prod([items[j].value for j in held], axis=0) if held else 1.0
            yield 1, "product", f"the product rule was skipped in {name}: the answer multiplies the derivatives", \
                np.prod([items[k].deriv for k in varying], axis=0) * held_value
            yield 1, "product-sum", f"the product rule was skipped in {name}: the answer adds the derivatives", \
                np.sum([items[k].deriv for k in varying], axis=0) * held_value
            for k in varying:
                which = plain(node.items[k])
                yield 1, "term", f"in the product rule for {name}, the term with the derivative of {which} is missing", \
                    data.deriv - terms[k]
                yield 2, "term-sign", f"in the product rule for {name}, the term with the derivative of {which} " \
                                      f"has the wrong sign", data.deriv - 2 * terms[k]
        return
    # otherwise the last step, a * b or a / b, with a everything before it
    k = len(items) - 1
    left = Chain(node.items[:k], node.ops[:k - 1], node.op_pos[:k - 1], node.implicit[:k - 1]) if k > 1 \
        else node.items[0]
    a_v, a_d = _fold(items[:k], node.ops[:k - 1])
    if a_v is None:
        return
    b, op = items[k], node.ops[k - 1]
    num, den = plain(left), plain(node.items[k])
    if op == "*" and np.any(a_d) and np.any(b.deriv):
        yield 1, "product", f"the product rule was skipped in {name}: the answer multiplies the derivatives", \
            a_d * b.deriv
        yield 1, "term", f"in the product rule for {name}, the term with the derivative of {den} is missing", \
            a_d * b.value
        yield 1, "term", f"in the product rule for {name}, the term with the derivative of {num} is missing", \
            a_v * b.deriv
    if op != "/" or not np.any(b.deriv):
        return
    right = (a_d * b.value - a_v * b.deriv) / b.value ** 2
    not_squared = (1, "quotient-square", f"in the quotient rule for {name}, the denominator ({den})^2 is not squared",
                   right * b.value)
    if np.any(a_d):
        yield not_squared
        yield 1, "quotient-order", (f"in the quotient rule for {name}, the numerator's terms are in the wrong order "
                                    f"(it is ({num})' ({den}) - ({num}) ({den})')"), -right
        yield 1, "quotient-plus", (f"in the quotient rule for {name}, the numerator's terms are added; it is "
                                   f"({num})' ({den}) - ({num}) ({den})'"), (a_d * b.value + a_v * b.deriv) / b.value ** 2
        yield 1, "quotient", f"the quotient rule was skipped in {name}: the answer divides the derivatives", \
            a_d / b.deriv
        yield 1, "quotient-term", f"in the quotient rule for {name}, the term with the derivative of {den} is missing", \
            a_d / b.value
        yield 1, "quotient-term", f"in the quotient rule for {name}, the term with the derivative of {num} is missing", \
            -a_v * b.deriv / b.value ** 2
        return
    # a constant over something: c/u, the same as c u^-1
    yield 1, "reciprocal-inverse", f"the derivative of {name} is not c/u' but -c u'/u^2", a_v / b.deriv
    yield 1, "chain", f"the derivative of {name} is missing the chain-rule factor, the derivative of {den}", \
        -a_v / b.value ** 2
    power = _as_power(node.items[k], nodes)
    if power is not None:
        u_expr, m = power
        u = nodes[id(u_expr)]
        yield from _power_rule(name, u_expr, factor_text(-m), -m, u, rtol, data, scale=a_v)
    # after the power rule: c/u^m is c u^-m to a student, and where "n u^n" or "n u^(n+1)" and
    # "u^m not squared" are the same answer, the power rule is the one they used
    yield not_squared


def _as_power(expr, nodes) -> tuple | None:
    """(u, m) when expr is u^m with m constant: u^m itself, sqrt(u), cbrt(u), or u."""
    if isinstance(expr, Pow) and not np.any(nodes[id(expr.exponent)].deriv):
        m = nodes[id(expr.exponent)].value
        return (expr.base, float(m[0])) if _is_constant(m, 1e-12) else None
    if isinstance(expr, Call) and expr.name in ("sqrt", "cbrt") and len(expr.args) == 1:
        return expr.args[0], 0.5 if expr.name == "sqrt" else 1 / 3
    if isinstance(expr, (Var, Call, Chain)):
        return expr, 1.0
    return None


def _fold(items: list, ops) -> tuple:
    """Value and derivative of items[0] op items[1] ..., by the product and quotient rules."""
    value, deriv = items[0].value, items[0].deriv
    for op, b in zip(ops, items[1:]):
        if op == "*":
            value, deriv = value * b.value, deriv * b.value + value * b.deriv
        elif op == "/":
            value, deriv = value / b.value, (deriv * b.value - value * b.deriv) / b.value ** 2
        else:
            return None, None
    return value, deriv
