"""The Taylor pass again, in ball arithmetic: where float64 cannot vouch for its digits.

Each node's series is computed with Arb's balls (python-flint's `arb_series`): every
coefficient is a midpoint and a radius that provably contains the true value. The pass walks
the same graph as taylor.py, with one ball rule per primitive (flint's series functions where
it has them, else compositions of those: sinh from exp, atanh from log, ...). Decisions that
depend on a value's sign (abs, relu, maximum, where) are read from the float graph, as the
float pass reads them, so both passes differentiate the same branch.

The precision is raised (doubling) until every coefficient asked for has the digits wanted,
or a cap is reached; then each coefficient says how many digits it can vouch for. A ball
that contains 0 and nothing else is 0. This module imports flint, which costs start-up, so
nothing imports it until the float pass has said it is not accurate enough.

Constants are taken as the float the graph holds, unless the graph's builder recorded what
the number really is (tensor.EXACT: the literal 0.1, pi, e, or a constant expression such
as 1/3 built as a graph of its own): then the ball starts from that.

>>> import gradcli
>>> x = gradcli.tensor(1.0, requires_grad=True)
>>> found = derivatives(gradcli.sin(x) / x, x, 20, digits=30)
>>> found[19].text(12), found[19].digits >= 30
('0.0274959899223', True)
"""

from __future__ import annotations

import math

import numpy as np
from flint import arb, arb_series, ctx

from .autograd import toposort
from .errors import GradError
from .tensor import EXACT, Tensor

START_BITS = 128
MAX_BITS = 1 << 14       # 16,384 bits, about 4,900 digits: past it, say what is known


class Ball:
    """One number as a ball: its midpoint as a float, the digits it vouches for, its text."""

    __slots__ = ("ball", "digits")

    def __init__(self, ball: arb, digits: int):
        self.ball, self.digits = ball, digits

    @property
    def value(self) -> float:
        """The float nearest the midpoint (0 when the ball is 0; NaN when it knows nothing)."""
        if not self.ball.is_finite():
            return math.nan
        return float(self.ball.mid())

    def text(self, digits: int) -> str | None:
        """At most `digits` significant digits, only those vouched for; None when none is."""
        n = min(digits, self.digits)
        if self.ball.is_zero():
            return "0"
        if n < 1:
            return None
        return self.ball.mid().str(n, radius=False)

    def __repr__(self):
        return f"Ball({self.ball}, digits={self.digits})"


def digits_of(b: arb) -> int:
    """Significant decimal digits the ball vouches for (a large number for an exact one)."""
    if b.is_zero():
        return 10 ** 6
    if not b.is_finite():
        return 0
    bits = b.rel_accuracy_bits()
    if bits > 10 ** 7:  # exact
        return 10 ** 6
    # one digit kept back: a ball's midpoint rounded to d digits is right to d digits only
    # when the radius is below half a unit of the d-th digit
    return max(0, int(math.floor(bits * math.log10(2))) - 1)


def coefficients(output: Tensor, x: Tensor, degree: int, digits: int = 17, exact_x=None) -> list:
    """The Taylor coefficients f^(k)(x0)/k!, k = 0..degree, as Balls, for a scalar output in
    a scalar x; each with the digits wanted if MAX_BITS allows it (fewer where not)."""
    return _run(output, x, degree, digits, exact_x, scaled=False)


def derivatives(output: Tensor, x: Tensor, order: int, digits: int = 17, exact_x=None) -> list:
    """d^k output/dx^k for k = 1..order, as Balls (see coefficients)."""
    return _run(output, x, order, digits, exact_x, scaled=True)[1:]


def value(output: Tensor, digits: int = 17) -> Ball:
    """The value of a scalar graph's output as a Ball, its leaves taken as exact."""
    return _run(output, None, 0, digits, None, scaled=False)[0]


def _run(output, x, degree, digits, exact_x, scaled):
    if np.ndim(output.data) != 0 or (x is not None and np.ndim(x.data) != 0):
        raise GradError("the ball pass takes a single number in a single number")
    bits, extra = max(START_BITS, int(digits * 3.33) + 64), 0
    saved = ctx.prec, ctx.cap
    best = None
    try:
        while True:
            ctx.prec = bits
            while True:
                ctx.cap = degree + 1 + extra
                walk = _Walk(x, exact_x)
                out = walk.series(output)
                if walk.lost <= extra:
                    break
                extra = walk.lost
            coefs = _coeffs(out[()], degree + 1)
            zero = _zeros(coefs, digits)
            if scaled:
                coefs = [c * arb.fac_ui(k) for k, c in enumerate(coefs)]
            found = [Ball(arb(0), 10 ** 6) if z else Ball(c, digits_of(c)) for c, z in zip(coefs, zero)]
            best = found if best is None else [n if n.digits >= o.digits else o for n, o in zip(found, best)]
            if all(b.digits >= digits for b in best) or bits >= MAX_BITS:
                return best
            bits *= 2
    finally:
        ctx.prec, ctx.cap = saved


def _zeros(coefs: list, digits: int) -> list:
    """Which coefficients are 0 within their bound: the ball holds 0 and is narrower than
    10^-digits times its nearest neighbours that are not 0 (sin(pi x) at x = 1 is 0, and
    no precision makes its ball exactly 0)."""
    sizes = [abs(float(c.mid())) if c.is_finite() and not c.contains(0) else 0.0 for c in coefs]
    out = []
    for k, c in enumerate(coefs):
        if c.is_zero() or not c.is_finite() or not c.contains(0):
            out.append(False)
            continue
        near = max([sizes[j] for j in range(max(0, k - 2), min(len(coefs), k + 3)) if j != k], default=0.0)
        out.append(near > 0 and float(c.rad()) <= 10.0 ** -digits * near)
    return out


def _coeffs(s, n: int) -> list:
    c = s.coeffs() if isinstance(s, arb_series) else [arb(s)]
    return (list(c) + [arb(0)] * n)[:n]


# --- the walk ------------------------------------------------------------------------------------

def _obj(shape) -> np.ndarray:
    return np.empty(shape, dtype=object)


def _wrap(v) -> np.ndarray:
    """NumPy hands back a bare object for 0-d results: an array again."""
    if isinstance(v, np.ndarray):
        return v
    out = _obj(())
    out[()] = v
    return out


def _constant(value) -> np.ndarray:
    value = np.asarray(value, dtype=np.float64)
    out = _obj(value.shape)
    for i in np.ndindex(value.shape):
        out[i] = arb_series([arb(float(value[i]))])
    return out


def _map(f, *arrays) -> np.ndarray:
    """f on each element (arithmetic goes through here: NumPy's own operators on 0-d object
    arrays hand back bare series, which flint would then try to read as coefficient lists)."""
    return _wrap(np.frompyfunc(f, len(arrays), 1)(*arrays))


def _plus(u, v):
    return u + v


def _minus(u, v):
    return u - v


def _times(u, v):
    return u * v


def _negative(u):
    return -u


class _Walk:
    def __init__(self, x, exact_x):
        self.x, self.exact_x, self.lost = x, exact_x, 0

    def series(self, output: Tensor) -> np.ndarray:
        known = {}
        if self.x is not None:
            x0 = self.exact_x() if self.exact_x is not None else arb(float(self.x.data))
            known[id(self.x)] = _wrap(arb_series([x0, arb(1)]) if ctx.cap > 1 else arb_series([x0]))
        if not output.requires_grad:
            return self.leaf(output)
        for node in toposort([output]):
            if id(node) in known:
                continue
            if node._prim is None:
                known[id(node)] = self.leaf(node)
                continue
            rule = RULES.get(node._prim.name)
            if rule is None:
                raise GradError(f"{node._prim.name} has no ball rule")
            inputs = [known[id(p)] if id(p) in known else self.leaf(p) for p in node._parents]
            known[id(node)] = _wrap(rule(self, node, *inputs, **node._params))
        return known[id(output)]

    def leaf(self, t: Tensor) -> np.ndarray:
        """A constant (or a variable other than x): its exact value where one is recorded."""
        recipe = EXACT.get(t)
        if recipe is None:
            return _constant(t.data)
        if isinstance(recipe, Tensor):  # a constant expression, built as a graph of its own
            return _Walk(None, None).series(recipe)
        return _wrap(arb_series([_named(recipe)]))

    def div(self, a, b):
        return _map(self._div1, a, b)

    def _div1(self, a, b):
        """a/b, cancelling leading zeros both share (the limit, as series.div)."""
        bc = _coeffs(b, ctx.cap)
        if not bc[0].is_zero():
            return a / b
        ac = _coeffs(a, ctx.cap)
        m = next((k for k, c in enumerate(bc) if not c.is_zero()), len(bc))
        if m == len(bc) or any(not c.is_zero() for c in ac[:m]):
            return arb_series([arb.nan()] * ctx.cap)   # a pole: no digits
        self.lost += m
        return arb_series(ac[m:]) / arb_series(bc[m:])  # (the top m come out 0: cut off later)


def _named(recipe: str) -> arb:
    if recipe == "pi":
        return arb.pi()
    if recipe == "e":
        return arb(1).exp()
    try:
        return arb(recipe)   # a decimal literal, exactly as written
    except (ValueError, TypeError):
        return arb(float(recipe))  # one Arb does not read (1_000): its float, which is exact there


# --- one rule per primitive ----------------------------------------------------------------------

def _sign(node, i=0):
    return np.sign(np.asarray(node._parents[i].data))


def _mul_float(a, s):
    return _map(lambda u, v: u * float(v), a, np.asarray(s, dtype=object))


def _exp(a):
    return a.exp()


def _sinh(a):
    e = a.exp()
    return (e - 1 / e) / 2


def _cosh(a):
    e = a.exp()
    return (e + 1 / e) / 2


def _tanh(a):
    e = (2 * a).exp()
    return (e - 1) / (e + 1)


def _asinh(a):
    s = -1 if float(_coeffs(a, 1)[0].mid()) < 0 else 1   # odd: work where no digits cancel
    b = a * s
    return s * (b + (b * b + 1).sqrt()).log()


def _acosh(a):
    return (a + (a * a - 1).sqrt()).log()


def _atanh(a):
    return ((1 + a).log() - (1 - a).log()) / 2


def _cbrt(a):
    s = -1 if float(_coeffs(a, 1)[0].mid()) < 0 else 1
    return s * ((a * s).log() / 3).exp()


def _acot(a):
    if _coeffs(a, 1)[0].is_zero():
        return arb.pi() / 2 - a.atan()
    return (1 / a).atan()


def _elementwise(f):
    return lambda w, node, a: _map(f, a)


def _pow(w, node, a, b):
    exponent = node._parents[1]
    if not exponent.requires_grad:
        r = float(exponent.data) if exponent.ndim == 0 else None
        if r is not None and r.is_integer() and abs(r) <= 4096:
            n = int(r)
            up = _map(lambda u: u ** abs(n) if n else arb_series([arb(1)]), a)
            return up if n >= 0 else w.div(_constant(np.ones(np.shape(a))), up)
    return _map(lambda u, v: (v * u.log()).exp(), a, b)



def _pick(w, node, a, b, first):
    ad, bd = np.broadcast_arrays(np.asarray(node._parents[0].data), np.asarray(node._parents[1].data))
    a, b = np.broadcast_arrays(a, b)
    out = _obj(ad.shape)
    for i in np.ndindex(ad.shape):
        win = ad[i] > bd[i] if first else ad[i] < bd[i]
        out[i] = a[i] if win else (b[i] if ad[i] != bd[i] else (a[i] + b[i]) / 2)  # (elements: series)
    return out


def _scatter(w, node, a, idx, lead, shape):
    full = np.asarray(node.data).shape
    out = _obj(full)
    for i in np.ndindex(full):
        out[i] = arb_series([arb(0)])
    out[(slice(None),) * lead + idx] = a
    return out


def _logsumexp(w, node, a, axes):
    x = np.asarray(node._parents[0].data)
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    shifted = _map(_minus, a, _constant(np.broadcast_to(m, x.shape)))
    total = _wrap(np.sum(_map(_exp, shifted), axis=axes))
    return _map(_plus, _map(lambda u: u.log(), total), _constant(np.squeeze(m, axis=axes)))


def _prod(w, node, a):
    out = arb_series([arb(1)])
    for v in a.reshape(-1):
        out = out * v
    return out


RULES = {
    "add": lambda w, node, a, b: _map(_plus, a, b),
    "sub": lambda w, node, a, b: _map(_minus, a, b),
    "mul": lambda w, node, a, b: _map(_times, a, b),
    "div": lambda w, node, a, b: w.div(a, b),
    "neg": lambda w, node, a: _map(_negative, a),
    "pow": _pow,
    "maximum": lambda w, node, a, b: _pick(w, node, a, b, True),
    "minimum": lambda w, node, a, b: _pick(w, node, a, b, False),
    "where": lambda w, node, a, b, cond: np.where(cond, *np.broadcast_arrays(a, b)),
    "matmul": lambda w, node, a, b: np.matmul(a, b),
    "exp": _elementwise(_exp),
    "log": _elementwise(lambda a: a.log()),
    "log2": _elementwise(lambda a: a.log() / arb(2).log()),
    "log10": _elementwise(lambda a: a.log() / arb(10).log()),
    "sqrt": _elementwise(lambda a: a.sqrt()),
    "cbrt": _elementwise(_cbrt),
    "sin": _elementwise(lambda a: a.sin()),
    "cos": _elementwise(lambda a: a.cos()),
    "tan": _elementwise(lambda a: a.tan()),
    "cot": lambda w, node, a: w.div(_map(lambda u: u.cos(), a), _map(lambda u: u.sin(), a)),
    "asin": _elementwise(lambda a: a.asin()),
    "acos": _elementwise(lambda a: a.acos()),
    "atan": _elementwise(lambda a: a.atan()),
    "acot": _elementwise(_acot),
    "sinh": _elementwise(_sinh),
    "cosh": _elementwise(_cosh),
    "tanh": _elementwise(_tanh),
    "asinh": _elementwise(_asinh),
    "acosh": _elementwise(_acosh),
    "atanh": _elementwise(_atanh),
    "abs": lambda w, node, a: _mul_float(a, _sign(node)),
    "relu": lambda w, node, a: _mul_float(a, np.asarray(node._parents[0].data) > 0),
    "sigmoid": _elementwise(lambda a: 1 / (1 + (-a).exp())),
    "softplus": _elementwise(lambda a: (1 + a.exp()).log()),
    "sech": _elementwise(lambda a: 1 / _cosh(a)),
    "csch": lambda w, node, a: w.div(_constant(np.ones(np.shape(a))), _map(_sinh, a)),
    "coth": lambda w, node, a: w.div(_map(_cosh, a), _map(_sinh, a)),
    "asech": _elementwise(lambda a: _acosh(1 / a)),
    "acsch": _elementwise(lambda a: _asinh(1 / a)),
    "acoth": _elementwise(lambda a: _atanh(1 / a)),
    "erf": _elementwise(lambda a: a.erf()),
    "erfc": _elementwise(lambda a: a.erfc()),
    "sign": lambda w, node, a: _constant(_sign(node)),
    "sum": lambda w, node, a, axes, keepdims: np.sum(a, axis=axes, keepdims=keepdims),
    "prod": _prod,
    "logsumexp": _logsumexp,
    "norm": lambda w, node, a: _map(lambda u: u.sqrt(), _wrap(np.sum(_map(_times, a, a)))),
    "reshape": lambda w, node, a, shape: a.reshape(shape),
    "broadcast_to": lambda w, node, a, shape: np.broadcast_to(a, shape),
    "permute": lambda w, node, a, axes: np.transpose(a, axes),
    "index": lambda w, node, a, idx, lead: a[(slice(None),) * lead + idx],
    "scatter": _scatter,
    "stack": lambda w, node, *xs: np.stack(np.broadcast_arrays(*xs)),
    "add_n": lambda w, node, *xs, signs: _add_n(xs, signs),
}


def _add_n(xs, signs):
    acc = xs[0] if signs[0] > 0 else _map(_negative, xs[0])
    for x, s in zip(xs[1:], signs[1:]):
        acc = _map(_plus if s > 0 else _minus, acc, x)
    return acc
