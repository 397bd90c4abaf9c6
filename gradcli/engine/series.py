"""Truncated Taylor series: the arithmetic of Taylor mode (Griewank and Walther, Evaluating
Derivatives, ch. 13; JAX's jet).

A series is a NumPy array of shape (d + 1, *shape): row k holds the k-th Taylor coefficients
f^(k)/k! of every element. A product is a convolution; exp, log, powers, sin and cos, and
the inverse functions each have a recurrence of the same O(d^2) cost, read off from the
differential equation the function satisfies (y' = y a' for exp, a y' = a' for log, ...).
Every operation here takes and returns series, broadcasting over the element shape.

>>> x = np.array([0.0, 1.0, 0.0, 0.0])          # x itself about 0, to degree 3
>>> sin(x).round(6).tolist()                      # x - x^3/6
[0.0, 1.0, 0.0, -0.166667]
>>> exp(x).round(6).tolist()
[1.0, 1.0, 0.5, 0.166667]
"""

from __future__ import annotations

import threading

import numpy as np


def constant(value, degree: int) -> np.ndarray:
    value = np.asarray(value, dtype=np.float64)
    out = np.zeros((degree + 1,) + value.shape)
    out[0] = value
    return out


def align(*series) -> list:
    """The series with the same number of element dimensions, for NumPy to broadcast."""
    ndim = max(s.ndim for s in series)
    return [s.reshape(s.shape[:1] + (1,) * (ndim - s.ndim) + s.shape[1:]) if s.ndim < ndim else s for s in series]


def _coef(k: int, ndim: int) -> np.ndarray:
    """1, 2, ..., k shaped to multiply a block of k coefficients."""
    return np.arange(1, k + 1, dtype=np.float64).reshape((k,) + (1,) * (ndim - 1))


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum_j a[j] * b[j] over the first axis (nudged while the error is estimated: the sums
    inside a recurrence are where its cancellation happens)."""
    out = np.einsum("i...,i...->...", a, b) if a.ndim > 1 else float(a @ b)
    rng = getattr(JITTER, "rng", None)
    if rng is not None:
        out = out * (1.0 + rng.choice(_NUDGES, size=np.shape(out)))
    return out


# --- arithmetic ---------------------------------------------------------------------------------

def add(a, b):
    a, b = align(a, b)
    return a + b


def sub(a, b):
    a, b = align(a, b)
    return a - b


def neg(a):
    return -a


def _common(a, b):
    """Both series of one degree and one element shape: (a, b, degree)."""
    a, b = align(a, b)
    d = a.shape[0] - 1
    shape = (d + 1,) + np.broadcast_shapes(a.shape[1:], b.shape[1:])
    return np.broadcast_to(a, shape), np.broadcast_to(b, shape), d


def mul(a, b):
    """(a b)_k = sum_j a_j b_(k-j)."""
    a, b, d = _common(a, b)
    out = np.empty(a.shape)
    for k in range(d + 1):
        out[k] = _dot(a[:k + 1], b[k::-1])
    return out


def div(a, b):
    """q = a/b: q_k = (a_k - sum_(j<k) q_j b_(k-j)) / b_0.

    Where b starts with m zero coefficients and a with at least as many (sin x / x at 0),
    both are divided by t^m first: that is the limit, the removable singularity removed.
    Such an element's top m coefficients are then unknown (NaN): the caller asks for a
    longer series (taylor.series does, told by `lost()`)."""
    a, b, d = _common(a, b)
    q = _divide(a, b, d)
    zero = np.asarray(b[0] == 0)
    if d and zero.any():
        q = _cancel(a, b, q, zero, d)
    return q


def _divide(a, b, d):
    q = np.empty(a.shape)
    with np.errstate(all="ignore"):
        for k in range(d + 1):
            q[k] = (a[k] - (_dot(q[:k], b[k:0:-1]) if k else 0.0)) / b[0]
    return q


def _leading_zeros(s: np.ndarray) -> np.ndarray:
    """How many coefficients at the start of each element's series are exactly 0."""
    nonzero = s != 0
    return np.where(nonzero.any(0), nonzero.argmax(0), s.shape[0])


def _cancel(a, b, q, zero, d):
    """q, with the 0/0 elements divided after cancelling their common leading zeros."""
    q = np.array(q)
    mb, ma = _leading_zeros(b), _leading_zeros(a)
    worst = 0
    for m in np.unique(mb[zero]):
        m = int(m)
        where = zero & (mb == m) & (ma >= m)
        if m > d or not where.any():
            continue  # a pole, or b is 0 to every known order: nothing to cancel
        top = _divide(a[m:], b[m:], d - m)
        q[:d + 1 - m] = np.where(where, top, q[:d + 1 - m])
        q[d + 1 - m:] = np.where(where, np.nan, q[d + 1 - m:])
        worst = max(worst, m)
    _LOST.shift = getattr(_LOST, "shift", 0) + worst  # divisions in a chain lose their sum
    return q


# How many top coefficients a division by leading zeros has left unknown in this thread's
# current pass: taylor.series reads it and computes that many more.
_LOST = threading.local()


def lost(reset: bool = False) -> int:
    """The coefficients lost to cancelled leading zeros since the last reset."""
    n = getattr(_LOST, "shift", 0)
    if reset:
        _LOST.shift = 0
    return n


def scale(a, c):
    return a * c


# --- functions by their differential equations ------------------------------------------------
# y' = u a' with u a series known up to the order needed:  k y_k = sum_(j=1..k) j a_j u_(k-j)

def _ode(a, y0, u_of):
    """y with y' = u(y) a', u_of(y, k) giving the series u up to degree k - 1 from y up to k - 1."""
    d = a.shape[0] - 1
    y = np.empty_like(a, dtype=np.float64)
    y[0] = y0
    with np.errstate(all="ignore"):
        for k in range(1, d + 1):
            u = u_of(y, k)
            y[k] = _dot(_coef(k, a.ndim) * a[1:k + 1], u[k - 1::-1]) / k
    return y


def exp(a):
    with np.errstate(all="ignore"):
        return _ode(a, np.exp(a[0]), lambda y, k: y)  # y' = y a'


def integral(p, y0):
    """y with y' = p (p a series of the derivative), y(0) = y0."""
    d = p.shape[0] - 1
    y = np.empty_like(p)
    y[0] = y0
    y[1:] = p[:d] / _coef(d, p.ndim)
    return y


def derivative(a):
    """The series of a' (one degree shorter, padded with 0 to keep the length)."""
    d = a.shape[0] - 1
    out = np.zeros_like(a)
    out[:d] = a[1:] * _coef(d, a.ndim)
    return out


def log(a):
    """a y' = a': y' = a'/a."""
    with np.errstate(all="ignore"):
        return integral(div(derivative(a), a), np.log(a[0]))


def power(a, r: float, y0=None):
    """y = a^r for a constant r: a y' = r y a', so
    k a_0 y_k = sum_(j=1..k) (r j - (k - j)) a_j y_(k-j).
    Where a_0 = 0 (sqrt at 0) the function has no Taylor series: its derivatives of order
    below r are 0 and those above are infinite, as the engine's reverse mode has them."""
    d = a.shape[0] - 1
    y = np.empty_like(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        y[0] = np.power(a[0], r) if y0 is None else y0
        for k in range(1, d + 1):
            j = _coef(k, a.ndim)
            y[k] = _dot((r * j - (k - j)) * a[1:k + 1], y[k - 1::-1]) / (k * a[0])
        at_zero = np.asarray(a[0]) == 0
        if np.any(at_zero):
            orders = np.arange(d + 1, dtype=np.float64).reshape((d + 1,) + (1,) * (a.ndim - 1))
            # above r the k-th derivative is r (r - 1) ... (r - k + 1) a^(r - k) (a')^k: infinite,
            # with that product's sign and a' to the k (sqrt'' at 0+ is -inf), or 0 past a whole r
            falling = np.cumprod(np.r_[1.0, r - np.arange(d)]).reshape(orders.shape)
            slope = np.sign(a[1]) if d else 1.0
            above = np.where(falling == 0, 0.0, np.sign(falling) * np.power(slope, orders) * np.inf)
            edge = np.where(orders < np.asarray(r), 0.0, np.where(orders == np.asarray(r), y, above))
            y = np.where(at_zero, edge, y)
    return y


def sqrt(a):
    with np.errstate(all="ignore"):
        return power(a, 0.5, np.sqrt(a[0]))


def cbrt(a):
    """The real cube root, of negative numbers too."""
    return power(a, 1.0 / 3.0, np.cbrt(a[0]))


def sincos(a):
    """(sin a, cos a): s' = c a', c' = -s a'."""
    d = a.shape[0] - 1
    s, c = np.empty_like(a, dtype=np.float64), np.empty_like(a, dtype=np.float64)
    s[0], c[0] = np.sin(a[0]), np.cos(a[0])
    for k in range(1, d + 1):
        ja = _coef(k, a.ndim) * a[1:k + 1]
        s[k] = _dot(ja, c[k - 1::-1]) / k
        c[k] = -_dot(ja, s[k - 1::-1]) / k
    return s, c


def sinhcosh(a):
    """(sinh a, cosh a): s' = c a', c' = s a'."""
    d = a.shape[0] - 1
    s, c = np.empty_like(a, dtype=np.float64), np.empty_like(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        s[0], c[0] = np.sinh(a[0]), np.cosh(a[0])
    for k in range(1, d + 1):
        ja = _coef(k, a.ndim) * a[1:k + 1]
        s[k] = _dot(ja, c[k - 1::-1]) / k
        c[k] = _dot(ja, s[k - 1::-1]) / k
    return s, c


def sin(a):
    return sincos(a)[0]


def cos(a):
    return sincos(a)[1]


def sinh(a):
    return sinhcosh(a)[0]


def cosh(a):
    return sinhcosh(a)[1]


def _square_ode(a, y0, sign, u0=None):
    """y with y' = (1 + sign y^2) a' (tan: +1, tanh: -1); u = 1 + sign y^2 is kept up to date
    one coefficient a step, so the whole costs O(d^2). `u0`: u's value computed without
    cancelling (tanh's 1 - y^2 is sech^2, which keeps its digits where y is nearly 1)."""
    d = a.shape[0] - 1
    y = np.empty_like(a, dtype=np.float64)
    u = np.empty_like(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        y[0] = y0
        u[0] = 1.0 + sign * y[0] * y[0] if u0 is None else u0
        for k in range(1, d + 1):
            y[k] = _dot(_coef(k, a.ndim) * a[1:k + 1], u[k - 1::-1]) / k
            u[k] = sign * _dot(y[:k + 1], y[k::-1])
    return y


def tan(a):
    return _square_ode(a, np.tan(a[0]), 1.0)


def tanh(a):
    with np.errstate(all="ignore"):
        return _square_ode(a, np.tanh(a[0]), -1.0, 1.0 / np.cosh(a[0]) ** 2)


def one(a):
    return constant(np.ones(a.shape[1:]), a.shape[0] - 1)


def signed(a):
    """|a| near a point where a is not 0: a times its sign there (0 at 0, as the engine)."""
    return a * np.sign(a[0])


# --- the Taylor rule of a function known by its derivative ------------------------------------

# While taylor.series estimates its error, the Generator nudging every computed series.
JITTER = threading.local()
_NUDGES = np.array([-2.0, -1.0, 1.0, 2.0]) * 2.0 ** -52


class Series:
    """A series standing where a Tensor would, so that a derivative written with the engine's
    operations (`1.0 / sqrt(1.0 - x * x)`) computes its own Taylor series: the arithmetic
    operators here, the named operations through their primitives' Taylor rules (apply()
    hands a call with a Series among its inputs to `through`)."""

    __slots__ = ("c",)
    __array_priority__ = 2000  # `ndarray * Series` comes here

    def __init__(self, c):
        rng = getattr(JITTER, "rng", None)
        if rng is not None:  # estimating the error (taylor.series): each result nudged as if rounded
            c = c * (1.0 + rng.choice(_NUDGES, size=np.shape(c)))
        self.c = c

    @staticmethod
    def through(rule, inputs, params):
        """`rule` (a primitive's Taylor rule) applied to series and constants alike."""
        d = next(x.c.shape[0] for x in inputs if type(x) is Series) - 1
        return Series(rule(*[x.c if type(x) is Series else constant(getattr(x, "data", x), d) for x in inputs],
                           **params))

    def _other(self, b):
        return b.c if type(b) is Series else constant(b, self.c.shape[0] - 1)

    def __add__(self, b):
        return Series(add(self.c, self._other(b)))

    __radd__ = __add__

    def __sub__(self, b):
        return Series(sub(self.c, self._other(b)))

    def __rsub__(self, b):
        return Series(sub(self._other(b), self.c))

    def __mul__(self, b):
        return Series(mul(self.c, b.c) if type(b) is Series else self.c * b)  # a number scales

    __rmul__ = __mul__

    def __truediv__(self, b):
        return Series(div(self.c, b.c) if type(b) is Series else self.c / b)

    def __rtruediv__(self, b):
        return Series(div(self._other(b), self.c))

    def __neg__(self):
        return Series(-self.c)


def from_slope(slope, forward):
    """The Taylor rule of y = f(a) from f' alone: y' = f'(a) a', so k y_k = sum_(j=1..k)
    j a_j [f'(a)]_(k-j), O(d^2) when f' has O(d^2) series rules. `slope(x, y)` is the
    function's derivative written with the engine's operations; it may not read y, whose
    series this is computing (a function whose derivative needs y keeps a recurrence of its own)."""
    def rule(a):
        with np.errstate(all="ignore"):
            return integral(mul(slope(Series(a), None).c, derivative(a)), forward(a[0]))
    return rule
