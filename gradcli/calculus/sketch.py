"""A function and its derivatives, sampled to be seen: where it is undefined or breaks (a pole,
a jump) the samples hold NaN, so no line is drawn across; a y-range that a pole does not
flatten; critical and inflection points to full precision; a tangent line.

Every derivative comes from the engine's Taylor pass (engine/taylor.py), which gives f, f',
f'' ... on a whole grid of x in one forward pass; sign changes on the grid are refined with
Newton's method on the next derivative, from the same pass.

>>> p = plot("x^3 - 3x", domain={"x": "-2:2"})
>>> [(round(c.x, 12), c.kind) for c in p.critical_points]
[(-1.0, 'maximum'), (1.0, 'minimum')]
>>> [abs(round(i.x, 12)) for i in p.inflection_points]
[0.0]
>>> plot("x^3 - 3x", tangent="2").tangent.equation
'y = 9*x - 16'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..inputs import validate
from ..inputs.values import as_array
from ..language.problem import function_side, read
from ..symbolic.numbers import significant
from .roots import MAX_STEPS, bisect, in_brackets
from .sides import corner, step
from ..engine.tensor import Tensor
from ..errors import NameLookupError, ValueInputError
from ..language.build import build, elementwise
from ..language.tree import free_variables, to_text
from .evaluator import taylor_at

MAX_ORDER = 4          # five curves, a tangent and two kinds of marks: what a terminal can tell apart
POINTS = 1001          # samples of the domain
FIND = 4097            # samples of -10:10 when looking for where f is defined
NEAR_POLE = 0.05       # values this share of the domain from a break or gap do not set the y-range


class Marked(NamedTuple):
    x: float
    y: float
    kind: str | None = None     # minimum, maximum or neither (critical points only)
    digits: int | None = None   # how many of y's digits are right (engine/accuracy.py)


class Tangent(NamedTuple):
    x0: float
    y0: float
    slope: float
    intercept: float
    variable: str = "x"

    @property
    def equation(self) -> str:
        """y = m*x + c, in gradcli's syntax so it pastes back into eval."""
        m, c, v = self.slope + 0.0, self.intercept + 0.0, self.variable
        if m == 0:
            return f"y = {significant(c, 12)}"
        head = v if m == 1 else f"-{v}" if m == -1 else f"{significant(m, 12)}*{v}"
        if c == 0:
            return f"y = {head}"
        return f"y = {head} {'-' if c < 0 else '+'} {significant(abs(c), 12)}"


@dataclass
class Plot:
    expression: str
    expression_read: str
    variable: str
    domain: tuple
    x: np.ndarray
    curves: list                 # f, f', ..., f^(order) at x; NaN where undefined or broken
    y_range: tuple
    clipped: bool                # some finite value lies outside y_range
    critical_points: list
    inflection_points: list
    tangent: Tangent | None = None
    notes: list = field(default_factory=list)

    @property
    def order(self) -> int:
        return len(self.curves) - 1

    def name(self, k: int) -> str:
        """f, f', f'', f''', f^(4)."""
        return "f" + ("'" * k if k <= 3 else f"^({k})")


# --- reading -------------------------------------------------------------------------------

class _Problem(NamedTuple):
    tree: object
    variable: str
    pinned: dict
    domain: tuple | None


def _read(expr: str, wrt, at: dict | None, domain) -> _Problem:
    names = validate.names(wrt, "--wrt") if wrt else []
    given = validate.bindings(at)
    domains = validate.domains(domain or {})
    tree = read(function_side(expr), set(names) | set(given) | set(domains))
    free = free_variables(tree)
    unpinned = [n for n in free if n not in given]
    if names:
        if len(names) != 1:
            raise ValueInputError("a plot is of one variable: --wrt x, not several")
        v = names[0]
    elif len(domains) == 1:
        v = next(iter(domains))
    elif len(unpinned) == 1:
        v = unpinned[0]
    elif not free:
        v = "x"  # a constant: a flat line over x
    elif "x" in free:
        v = "x"
    else:
        raise ValueInputError(f"give --wrt: the variable to plot against (the expression's are {', '.join(free)})")
    if v in given:
        raise ValueInputError(f"{v} is the variable plotted: give its range with --domain {v}=A:B, "
                              f"not a value with --at")
    for n in domains:
        if n != v:
            raise NameLookupError(f"a domain is given for '{n}', but the variable plotted is {v}")
    for n in given:
        if n not in free:
            raise NameLookupError(f"'{n}' is given a value but does not appear in the expression")
    if free and v not in free:
        raise NameLookupError(f"'{v}' does not appear in the expression, so nothing varies with it "
                              f"(its variables: {', '.join(free)})")
    missing = [n for n in free if n != v and n not in given]
    if missing:
        raise NameLookupError(f"no value for {', '.join(missing)}: a plot is of f as {v} varies, so pin the "
                              f"other letters with --at, as in --at {missing[0]}=1 (--wrt chooses the variable)")
    pinned = {}
    for n, text in given.items():
        arr = np.asarray(as_array(text, what=f"the value of {n}"), dtype=np.float64)
        if arr.ndim or not np.isfinite(arr):
            raise ValueInputError(f"the value of {n} must be one finite number for a plot")
        pinned[n] = arr
    return _Problem(tree, v, pinned, domains.get(v))


class _Function:
    """f and its derivatives at many points, from the Taylor pass: one pass for the whole
    array when the expression is elementwise, else one pass a point."""

    def __init__(self, problem: _Problem):
        self.tree, self.variable, self.pinned = problem.tree, problem.variable, problem.pinned
        self.vectorized = elementwise(problem.tree)

    def __call__(self, xs, degree: int) -> np.ndarray:
        """f^(k)(x) for k = 0..degree, shape (degree + 1, len(xs)); NaN where not finite."""
        xs = np.asarray(xs, dtype=np.float64)
        if self.vectorized:
            out = self._pass(xs, degree)
        else:
            out = np.empty((degree + 1, len(xs)))
            for i, x in enumerate(xs):  # no recursion: one point at a time
                out[:, i] = self._pass(np.float64(x), degree)
        with np.errstate(all="ignore"):
            out = out * np.array([math.factorial(k) for k in range(degree + 1)], dtype=np.float64)[:, None]
        out[~np.isfinite(out)] = np.nan
        return out

    def _pass(self, x, degree: int) -> np.ndarray:
        # Gaps are expected here (log of negatives is the point of drawing one): they become NaN
        # and blank stretches, never NumPy warnings.
        coefs = taylor_at(self.tree, self.pinned, self.variable, x, degree)
        want = (degree + 1,) + np.shape(x)
        if np.ndim(coefs) == 1:  # f does not depend on x (a constant): the same series everywhere
            coefs = np.reshape(coefs, (degree + 1,) + (1,) * np.ndim(x))
        try:
            return np.broadcast_to(coefs, want).astype(np.float64)
        except ValueError:
            raise ValueInputError(f"a plot needs an expression whose value is one number for each {self.variable}; "
                                  f"this one has shape {coefs.shape[1:]}") from None


# --- the domain ----------------------------------------------------------------------------

def _edges(fn: _Function, bad, good) -> np.ndarray:
    """Where f starts being defined, between points where it is not (bad) and is (good)."""
    return bisect(lambda mid: ~np.isfinite(fn(mid, 0)[0]), bad, good)[1]


def _snap(v: float, tol: float) -> float:
    """The shortest decimal within tol of v: the edge of sqrt(4 - x^2) is 2, not 1.9999999999999998."""
    for digits in range(17):
        r = round(v, digits)
        if abs(r - v) <= tol:
            return r + 0.0
    return v


def _domain(fn: _Function, given) -> tuple[tuple, list]:
    """The domain given, or -10:10 narrowed to where f is defined (as `check` finds it: by
    sampling, then the edges bisected), so sqrt x is drawn on [0, 10] and asin x on [-1, 1]."""
    if given is not None:
        return given, []
    lo, hi = validate.DOMAIN
    xs = np.linspace(lo, hi, FIND)
    values = fn(xs, 0)[0]
    ok = np.isfinite(values)
    v = fn.variable
    if not ok.any():
        raise ValueInputError(f"the expression is undefined everywhere in {v} = {lo:g}:{hi:g}; give a --domain "
                              f"where it is defined")
    first, last = np.flatnonzero(ok)[[0, -1]]
    if first == 0 and last == len(xs) - 1:
        return (lo, hi), []
    edges = _edges(fn, [xs[max(first - 1, 0)], xs[min(last + 1, len(xs) - 1)]], [xs[first], xs[last]])
    tol = 1e-9 * (hi - lo)
    a = lo if first == 0 else _snap(float(edges[0]), tol)
    b = hi if last == len(xs) - 1 else _snap(float(edges[1]), tol)
    if not a < b:  # defined at one point only: a little around it
        return (a - 1.0, b + 1.0), [f"f is defined at {v} = {a:g} only, of the default {lo:g}:{hi:g}"]
    # fn gives NaN for inf too: whether f is undefined beyond or only too large, its raw value says
    with np.errstate(all="ignore"):
        raw = build(fn.tree, {**{n: Tensor(p) for n, p in fn.pinned.items()}, v: Tensor(xs[~ok])}).data
    why = "too large for floating point" if np.all(np.isinf(raw)) else "undefined"
    return (a, b), [f"f is finite for {v} in [{a:g}, {b:g}] only, of the default {lo:g}:{hi:g} ({why} beyond): "
                    f"plotted there (--domain chooses another)"]


# --- breaks: poles and jumps between samples -----------------------------------------------

def _suspects(xs, D, k) -> np.ndarray:
    """Intervals where curve k may break: both ends finite, and the change across them is not
    what the slope at either end predicts (a smooth stretch agrees, a pole or jump does not)."""
    s, ds = D[k], D[k + 1]
    h = np.diff(xs)
    delta = s[1:] - s[:-1]
    with np.errstate(all="ignore"):
        err = np.fmax(np.abs(s[:-1] + ds[:-1] * h - s[1:]), np.abs(s[1:] - ds[1:] * h - s[:-1]))
    finite = np.abs(s[np.isfinite(s)])
    tiny = 1e-12 * (1 + (np.percentile(finite, 90) if finite.size else 0))
    both = np.isfinite(s[:-1]) & np.isfinite(s[1:])
    return np.flatnonzero(both & (np.abs(delta) > tiny) & ~(err <= 0.25 * np.abs(delta)))


def _breaks(fn: _Function, xs, D, top: int) -> dict:
    """{k: [(interval index, where, unbounded)]} for the curves k = 0..top that break between
    two samples: bisected towards the bigger change, a continuous curve's change shrinks with
    the interval, a jump's stays and a pole's grows."""
    pairs = [(i, k) for k in range(top + 1) for i in _suspects(xs, D, k)]
    out: dict = {k: [] for k in range(top + 1)}
    if not pairs:
        return out
    idx = np.array([p[0] for p in pairs])
    ks = np.array([p[1] for p in pairs])
    cols = np.arange(len(pairs))
    a, b = xs[idx].copy(), xs[idx + 1].copy()
    sa, sb = D[ks, idx].copy(), D[ks, idx + 1].copy()
    first = np.abs(sb - sa)
    jump = first.copy()
    biggest = np.maximum(np.abs(sa), np.abs(sb))
    state = np.zeros(len(pairs), dtype=int)   # 0 bisecting, 1 continuous, 2 broken
    for _ in range(MAX_STEPS):
        live = state == 0
        if not live.any():
            break
        m = (a + b) / 2
        stuck = live & ((m == a) | (m == b))
        state[stuck] = np.where(jump[stuck] > 1e-3 * first[stuck], 2, 1)
        live &= ~stuck
        sm = fn(m, top)[ks, cols]
        gap = live & ~np.isfinite(sm)
        state[gap] = 2
        live &= ~gap
        left, right = np.abs(sm - sa), np.abs(sb - sm)
        # Follow a change of sign (a jump, an odd pole like tan's); else, when the middle
        # stands above both ends, the side that grows (an even pole like sec^2's, whose two
        # halves change alike); else the bigger change.
        flip_left, flip_right = np.sign(sm) * np.sign(sa) < 0, np.sign(sm) * np.sign(sb) < 0
        growing = np.abs(sm) > np.fmax(np.abs(sa), np.abs(sb))
        go_left = np.where(flip_left != flip_right, flip_left,
                           np.where(growing, np.abs(sa) >= np.abs(sb), left >= right))
        b = np.where(live & go_left, m, b)
        sb = np.where(live & go_left, sm, sb)
        a = np.where(live & ~go_left, m, a)
        sa = np.where(live & ~go_left, sm, sa)
        jump = np.where(live, np.fmax(left, right), jump)
        biggest = np.where(live, np.fmax(biggest, np.abs(sm)), biggest)
        state[live & (jump < 1e-3 * first)] = 1
    state[state == 0] = np.where(jump[state == 0] > 1e-3 * first[state == 0], 2, 1)
    for j in np.flatnonzero(state == 2):
        unbounded = bool(not np.isfinite(biggest[j]) or biggest[j] > 10 * max(abs(D[ks[j], idx[j]]),
                                                                             abs(D[ks[j], idx[j] + 1])))
        out[int(ks[j])].append((int(idx[j]), float((a[j] + b[j]) / 2), unbounded))
    _even_poles(fn, xs, D, top, out, set(pairs))
    return out


def _even_poles(fn: _Function, xs, D, top: int, out: dict, suspects: set) -> None:
    """A pole where a curve keeps its sign (sec^2 at pi/2) gives bisection no sign to follow,
    but its derivative changes sign there and is found: where curve k + 1 has a pole inside an
    interval suspect for curve k, and curve k is far larger just beside it than on the grid,
    curve k has the pole too (x^(1/3), steep but finite at 0, has not)."""
    width = xs[-1] - xs[0]
    for k in range(top - 1, -1, -1):
        known = {i for i, _, _ in out[k]}
        for i, where, unbounded in out[k + 1]:
            if not unbounded or i in known or (i, k) not in suspects:
                continue
            step = 1e-9 * width
            near = fn(np.array([where - step, where + step]), k)[k]
            grid = max(abs(D[k, i]), abs(D[k, i + 1]))
            if not np.all(np.isfinite(near)) or np.min(np.abs(near)) > 1e3 * grid:
                out[k].append((i, where, True))
                known.add(i)


# --- the y-range ----------------------------------------------------------------------------

def _y_range(xs, curves, places) -> tuple[tuple, bool]:
    """All of every curve, unless values near a break or gap (`places`) would stretch the range
    beyond twice what the rest needs: then the rest, and a clipped range."""
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size == 0:
        return (-1.0, 1.0), False
    width = xs[-1] - xs[0]
    far = np.ones(len(xs), dtype=bool)
    for p in places:
        far &= np.abs(xs - p) > NEAR_POLE * width
    calm = np.concatenate([c[far & np.isfinite(c)] for c in curves])
    if calm.size == 0:
        calm = finite[(finite >= np.percentile(finite, 10)) & (finite <= np.percentile(finite, 90))]
    lo, hi = float(calm.min()), float(calm.max())
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    all_lo, all_hi = float(finite.min()), float(finite.max())
    clipped = False
    if all_lo >= lo - span:
        lo = all_lo
    else:
        lo, clipped = lo - span, True
    if all_hi <= hi + span:
        hi = all_hi
    else:
        hi, clipped = hi + span, True
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - max(1.0, abs(lo)) / 2, hi + max(1.0, abs(hi)) / 2
    pad = 0.0 if clipped else 0.04 * (hi - lo)
    return (lo - pad, hi + pad), clipped


# --- critical and inflection points ----------------------------------------------------------

def _noise(fn: _Function, xs, D, top: int) -> np.ndarray:
    """How much of each curve is rounding, point by point: its change when x moves by a few
    ulps, which leaves a true value alone (to 1e-15 of it) and shuffles rounding noise (the
    1e-16 of sin^2 + cos^2's derivative, whose sign means nothing), the largest of three nudges."""
    dx = np.finfo(float).eps * np.maximum(np.abs(xs), 1e-3 * (xs[-1] - xs[0]))
    change = np.zeros_like(D[: top + 1])
    with np.errstate(all="ignore"):
        for ulps in (-3, 2, 5):  # several nudges: one may round alike by chance
            moved = np.abs(fn(xs + ulps * dx, top) - D[: top + 1])
            change = np.fmax(change, np.where(np.isfinite(moved), moved, 0.0))
    return change


def _real(s, noise) -> np.ndarray:
    """Values, not rounding, whose signs mean something: well above the rounding seen nearby."""
    return np.abs(s) > 100 * noise


def _zeros(fn: _Function, xs, D, k: int, broken: set, noise) -> list[tuple[float, np.ndarray, int, int]]:
    """Zeros of curve k (k >= 1) where f is continuous: exact zeros on the grid, and sign
    changes refined by calculus/roots.py on curve k + 1, to the last digit. Returns (x, derivatives there, sign of
    curve k left of it, right of it)."""
    s = D[k]
    n = len(xs)
    real = _real(s, noise[k])
    found = []
    for i in np.flatnonzero((s == 0) | ~real):
        left = int(np.nan_to_num(np.sign(s[i - 1]))) if i > 0 and real[i - 1] else 0
        right = int(np.nan_to_num(np.sign(s[i + 1]))) if i < n - 1 and real[i + 1] else 0
        at_end = (i == 0 and right) or (i == n - 1 and left)  # f'(a) = 0 on a closed interval
        # isolated: where f' is 0 all along (a constant, or rounding of one) no point stands out
        if (left and right and abs(s[i]) <= 1e-6 * min(abs(s[i - 1]), abs(s[i + 1]))) or (at_end and s[i] == 0):
            found.append((float(xs[i]), D[:, i], left, right))
    with np.errstate(invalid="ignore"):
        change = np.flatnonzero((s[:-1] * s[1:] < 0) & real[:-1] & real[1:])
    change = np.array([i for i in change if i not in broken], dtype=int)
    if change.size:
        def value_and_slope(x):
            V = fn(x, k + 1)
            return V[k], V[k + 1]

        x = in_brackets(value_and_slope, xs[change], xs[change + 1], s[change], s[change + 1])
        V = fn(x, max(k + 1, 2))
        for j, i in enumerate(change):
            scale = max(abs(s[i]), abs(s[i + 1]))
            # a sign change across a pole of curve k is no zero: its value there is not small
            if np.isfinite(V[0, j]) and abs(V[k, j]) <= 1e-6 * scale:
                found.append((float(x[j]), V[:, j], int(np.sign(s[i])), int(np.sign(s[i + 1]))))
    found.sort(key=lambda z: z[0])
    return found


def _points(fn: _Function, xs, D, broken: dict, noise) -> tuple[list, list]:
    def cut(up_to):
        return {i for k in range(up_to + 1) for i, _, _ in broken.get(k, [])}

    with np.errstate(all="ignore"):
        scale2 = np.nanpercentile(np.abs(D[2]), 90) if np.isfinite(D[2]).any() else 1.0
    critical = []
    for x, V, left, right in _zeros(fn, xs, D, 1, cut(2), noise):
        if abs(V[2]) > 1e-9 * (1 + scale2):
            kind = "minimum" if V[2] > 0 else "maximum"
        else:  # f'' = 0 tells nothing: the sign of f' on either side does
            kind = "minimum" if (left, right) == (-1, 1) else "maximum" if (left, right) == (1, -1) else "neither"
        critical.append(Marked(x, float(V[0]), kind))
    inflection = []
    for x, V, left, right in _zeros(fn, xs, D, 2, cut(3), noise):
        if left * right >= 0:
            continue  # f'' touches 0 without changing sign: no change of concavity
        inflection.append(Marked(x, float(V[0])))
        # a flat inflection (x^3 at 0) is a critical point too, of neither kind
        i = min(max(int(np.searchsorted(xs, x)) - 1, 0), len(xs) - 2)
        beside = max(abs(D[1, i]), abs(D[1, i + 1]))  # f' on the grid on either side: 0 here is flat
        if abs(V[1]) <= 1e-6 * beside and not any(abs(c.x - x) <= 1e-9 * (xs[-1] - xs[0]) for c in critical):
            critical.append(Marked(x, float(V[0]), "neither"))
    _corners(fn, xs, D, broken, noise, critical, inflection)
    critical.sort(key=lambda c: c.x)
    inflection.sort(key=lambda c: c.x)
    return _dedupe(critical, xs), _dedupe(inflection, xs)


def _corners(fn: _Function, xs, D, broken: dict, noise, critical: list, inflection: list) -> None:
    """Where f is continuous but f' breaks and changes sign (|x| at 0, the cusp of x^(2/3)),
    f has a minimum or maximum, a critical point where f' is undefined; where f'' breaks
    and changes sign (x^(1/3) at 0), f changes concavity: an inflection point."""
    width = xs[-1] - xs[0]
    f_breaks = {i for i, _, _ in broken.get(0, [])}
    for k, found in ((1, critical), (2, inflection)):
        real = _real(D[k], noise[k])
        # at a grid point: f finite, curve k not (the cusp of (x - 2)^(2/3) at 2), signs either side
        for i in np.flatnonzero(~np.isfinite(D[k, 1:-1]) & np.isfinite(D[0, 1:-1])) + 1:
            if real[i - 1] and real[i + 1] and not f_breaks & {i - 1, i}:
                _undefined(found, k, float(xs[i]), float(D[0, i]), D[k, i - 1], D[k, i + 1])
        for i, where, _ in broken.get(k, []):
            # the signs either side, from the nearest samples that are values, not rounding
            # (a sample an ulp from the corner is "noisy": a nudge crosses it)
            before = next((j for j in (i, i - 1, i - 2) if j >= 0 and real[j]), None)
            after = next((j for j in (i + 1, i + 2, i + 3) if j < len(xs) and real[j]), None)
            if i in f_breaks or before is None or after is None:
                continue
            x = _snap(where, 1e-9 * width)
            y = float(fn(np.array([x]), 0)[0, 0])
            if np.isfinite(y):
                _undefined(found, k, x, y, D[k, before], D[k, after])


def _undefined(found: list, k: int, x: float, y: float, before: float, after: float) -> None:
    """f' undefined where f is defined is a critical point (a minimum or maximum where f'
    changes sign, else neither: cbrt's vertical tangent); f'' undefined is an inflection
    point only where f'' changes sign."""
    left, right = np.sign(before), np.sign(after)
    if k == 1:
        found.append(Marked(x, y, "minimum" if left < 0 < right else "maximum" if right < 0 < left else "neither"))
    elif left * right < 0:
        found.append(Marked(x, y))


def _dedupe(points: list, xs) -> list:
    tol = 1e-9 * (xs[-1] - xs[0])
    out: list = []
    for p in points:
        if not out or p.x - out[-1].x > tol:
            out.append(p)
    return out


# --- the tangent -----------------------------------------------------------------------------

def _tangent(fn: _Function, text: str, domain) -> Tangent:
    v = fn.variable
    x0 = np.asarray(as_array(str(text), what="the point of --tangent"), dtype=np.float64)
    if x0.ndim or not np.isfinite(x0):
        raise ValueInputError("--tangent takes one finite number: the x of the point of tangency")
    x0 = float(x0)
    if not domain[0] <= x0 <= domain[1]:
        raise ValueInputError(f"the tangent point {v} = {x0:g} is outside the domain [{domain[0]:g}, {domain[1]:g}]; "
                              f"give a --domain that holds it")
    V = fn(np.array([x0]), 1)[:, 0]
    if not np.isfinite(V[0]):
        raise ValueInputError(f"f is not defined at {v} = {x0:g}: no tangent there")
    if not np.isfinite(V[1]):
        raise ValueInputError(f"f has no finite derivative at {v} = {x0:g}: no tangent line there")
    eps = step(x0)
    values, sides = fn(np.array([x0 - eps, x0 + eps]), 1)
    if not np.all(np.isfinite(values)) or np.max(np.abs(values - V[0])) > 1e-3 * (1 + abs(V[0])):
        raise ValueInputError(f"f is not continuous at {v} = {x0:g} (it jumps, or is undefined beside it): "
                              f"no tangent line there")
    if corner(*sides):
        raise ValueInputError(f"f has a corner at {v} = {x0:g} (slopes {sides[0]:.6g} and {sides[1]:.6g} on "
                              f"either side): no tangent line there")
    slope = float(V[1])
    if abs(slope) * (domain[1] - domain[0]) <= 1e-12 * (1 + abs(float(V[0]))):
        slope = 0.0  # sin at the float nearest pi/2 has slope 6e-17: for the eye, flat
    return Tangent(x0, float(V[0]), slope, float(V[0]) - slope * x0, v)


# --- the whole plot --------------------------------------------------------------------------

def plot(expr: str, wrt=None, at: dict | None = None, domain=None, order: int = 1,
         tangent: str | None = None) -> Plot:
    """f and its derivatives up to `order` on the domain (a {name: "A:B"} table; by default
    -10:10 narrowed to where f is defined), with breaks, y-range, critical and inflection
    points, and the tangent at `tangent` when given."""
    order = validate.whole(order, "--order", low=0, high=MAX_ORDER)
    problem = _read(expr, wrt, at, domain)
    # gaps and overflow are what a plot shows (blank, clipped), not NumPy warnings
    with np.errstate(all="ignore"):
        return _plot(expr, problem, order, tangent)


def _plot(expr: str, problem: _Problem, order: int, tangent) -> Plot:
    fn = _Function(problem)
    (a, b), notes = _domain(fn, problem.domain)
    v = problem.variable
    xs = np.linspace(a, b, POINTS)
    top = max(order, 2)
    D = fn(xs, top + 1)
    if not np.isfinite(D[0]).any():
        raise ValueInputError(f"the expression is undefined everywhere in {v} = {a:g}:{b:g}; give a --domain "
                              f"where it is defined")
    broken = _breaks(fn, xs, D, top)
    critical, inflection = _points(fn, xs, D, broken, _noise(fn, xs, D, 3))
    critical, inflection = _known(problem, critical, notes), _known(problem, inflection, notes)
    line = _tangent(fn, tangent, (a, b)) if tangent is not None else None

    # A break between two samples becomes a sample of its own, NaN in the curves that break
    # there, so no line joins its two sides.
    cuts: dict = {}   # interval -> (the curves that break in it, where the lowest of them does)
    for k in range(order + 1):
        for i, where, _ in broken[k]:
            cuts.setdefault(i, (set(), where))[0].add(k)
    x, curves = xs, [D[k].copy() for k in range(order + 1)]
    if cuts:
        at_i = np.array(sorted(cuts))
        mids = np.array([cuts[i][1] for i in at_i])
        M = fn(mids, order)
        for j, i in enumerate(at_i):
            M[list(cuts[i][0]), j] = np.nan
        x = np.insert(xs, at_i + 1, mids)
        curves = [np.insert(curves[k], at_i + 1, M[k]) for k in range(order + 1)]

    places = [where for k in range(order + 1) for _, where, unbounded in broken[k]]
    places += list(x[~np.isfinite(curves[0])])
    if notes:  # narrowed to where f is defined: f may blow up at an edge (log x at 0)
        places += [a, b]
    y_range, clipped = _y_range(x, curves, places)
    notes += _gap_notes(x, curves[0], v)
    if clipped:
        notes.append(f"the y-range is clipped to [{y_range[0]:.4g}, {y_range[1]:.4g}]: values near a pole or an edge "
                     f"of the domain go beyond it, and would flatten the rest")
    return Plot(expr, to_text(problem.tree), v, (a, b), x, curves, y_range, clipped, critical, inflection, line,
                notes)


def _known(problem: _Problem, points: list, notes: list) -> list:
    """Each marked point's f with its right digits: recomputed in ball arithmetic where the
    grid's float value cannot vouch for 12 (engine/accuracy.py), and said when even that
    falls short. A point where f is not finite keeps its value."""
    from .evaluator import accurate_taylor_at

    out = []
    for m in points:
        if not math.isfinite(m.y):
            out.append(m)
            continue
        found = accurate_taylor_at(problem.tree, problem.pinned, problem.variable, m.x, 0)
        y, digits = float(found.values[0]), int(found.digits[0])
        if digits < 12:
            notes.append(f"f at {problem.variable} = {m.x:.12g} is known to {digits} digits only")
        out.append(m._replace(y=y if digits else m.y, digits=digits))
    return out


def _near(v: float, width: float) -> str:
    """v for a note: 0 for what is 0 but for rounding (sign x breaks at -7.9e-33)."""
    return f"{0.0 if abs(v) <= 1e-9 * width else v + 0.0:.4g}"


def _gap_notes(x, f, v) -> list[str]:
    width = x[-1] - x[0]
    notes = []
    bad = ~np.isfinite(f)
    if bad.any():
        runs = np.flatnonzero(np.diff(np.r_[0, bad.astype(np.int8), 0]))
        spans = []
        for s, e in zip(runs[::2], runs[1::2]):
            text = _near(x[s], width) if e - s == 1 else f"[{_near(x[s], width)}, {_near(x[e - 1], width)}]"
            if text not in spans:
                spans.append(text)
        shown = ", ".join(spans[:4]) + (f" and {len(spans) - 4} more" if len(spans) > 4 else "")
        notes.append(f"f is undefined or breaks at {v} = {shown}: left blank")
    return notes
