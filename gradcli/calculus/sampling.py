"""Values and derivatives of an expression at random points where they are defined, and a
candidate formula compared with the derivative there.

The true derivative comes from the engine at each point, so no symbolic algebra is needed;
points where the expression or its derivative is undefined are redrawn, so log(x) or
sqrt(x-3) are compared without a --domain.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..engine.tensor import set_grad_enabled
from ..engine.trouble import NumericTrouble
from ..errors import NameLookupError, ValueInputError
from ..inputs import validate
from ..inputs.values import as_array
from ..language.grammar import parse
from ..language.problem import single_letters
from ..language.reading import known_variables
from ..language.tree import Expr, free_variables
from .compare import close
from .evaluator import Evaluator


class NoValidPoints(ValueInputError):
    """Nowhere in the domain are the expression and its derivative both defined."""


class Comparison(NamedTuple):
    """What a comparison found at its points, and what it needs to look further there."""
    tree: Expr
    answer_tree: Expr
    wrt: list
    names: list
    pinned: dict
    sampled: list
    domains: dict
    notes: list
    points: dict              # the sampled variables' values
    values: np.ndarray        # the expression
    expected: np.ndarray      # its derivative
    got: np.ndarray           # the answer
    failing: list
    truth: "Evaluator"
    trouble: NumericTrouble
    seed: int
    rtol: float
    atol: float
    refined: list = []        # points re-checked at higher precision before being called failing


def compare(expr: str, wrt=None, answer: str = "", at: dict | None = None, domain: dict | None = None,
            points: int = validate.POINTS, seed: int = validate.SEED, rtol: float = validate.RTOL,
            atol: float = validate.ATOL, read: tuple | None = None) -> Comparison:
    """`answer` against the derivative of `expr` along `wrt` (a list of names, one per order) at
    sampled points: the homework checker's verdict and diff's self-check both rest on it.

    Without `wrt`, the expression's one variable. Both texts are read knowing the problem's
    variables, so `xy` in either is x*y and `x(x+1)` multiplies (language/problem.py).
    `read`: both already read, as (expression tree, answer tree): diff's self-check, whose
    formula is a tree before it is text.

    >>> c = compare("x^3", ["x"], "3x^2", points=5)
    >>> c.failing, len(c.got)
    ([], 5)
    """
    wrt = [] if wrt is None else validate.names(wrt, "--wrt")
    points = validate.points(points)
    seed = validate.seed(seed)
    rtol, atol = validate.tolerance(rtol, "--rtol"), validate.tolerance(atol, "--atol")
    at = validate.bindings(at)
    domain = validate.domains(domain or {})
    given = set(wrt) | set(at) | set(domain) | single_letters(expr, answer)
    if read is None:
        with known_variables(given):
            tree = parse(expr)
    else:
        tree, answer_tree = read
    names = free_variables(tree)
    if not wrt:
        if len(names) != 1:
            which = f"its variables are {', '.join(names)}" if names else "it has no variable"
            raise ValueInputError(f"give --wrt: {which}")
        wrt = list(names)
    notes = []
    for w in dict.fromkeys(wrt):
        if w in names:
            continue
        if names:  # most likely a slip: say which variables there are
            raise NameLookupError(f"cannot differentiate with respect to '{w}': it does not appear in the "
                                  f"expression (its variables: {', '.join(names)})")
        notes.append(f"the expression is a constant: its derivative with respect to {w} is 0")
    if read is None:
        with known_variables(set(names) | given):
            answer_tree = parse(str(answer))  # its errors carry the answer's text for the caret
    extra = [n for n in free_variables(answer_tree) if n not in names and n not in wrt]
    if extra:
        hint = None
        for n in extra:  # x2 from a lost superscript
            stem = n.rstrip("0123456789")
            if stem in names and stem != n:
                hint = f"for {stem} to the power {n[len(stem):]}, write {stem}^{n[len(stem):]}"
                break
        raise NameLookupError(f"the answer uses {', '.join(extra)}, which the expression does not",
                              source=str(answer), pos=None, hint=hint)
    names = names + [w for w in dict.fromkeys(wrt) if w not in names]
    pinned = {n: np.asarray(as_array(v, what=f"the value of {n}"), dtype=float) for n, v in at.items()}
    for n, v in pinned.items():
        if n not in names:
            raise NameLookupError(f"'{n}' is given a value but does not appear in the expression")
        if not np.all(np.isfinite(v)):
            raise ValueInputError(f"the value of {n} is not a finite number; pin it to a number")
    domains = {n: domain.get(n, validate.DOMAIN) for n in names if n not in pinned}
    for n in domain:
        if n not in names:
            raise NameLookupError(f"a domain is given for '{n}', which does not appear in the expression")
    sampled = [n for n in names if n not in pinned]

    trouble = NumericTrouble()
    with trouble.watch(), set_grad_enabled(True):
        true_fn = Evaluator(tree, expr, pinned, trouble)
        answer_fn = Evaluator(answer_tree, str(answer), pinned, trouble)
        rng = np.random.default_rng(seed)
        pts, sample_notes, known = _sample(true_fn, wrt, sampled, domains, points, rng, atol)
        notes += sample_notes
        values, expected = known if known is not None else true_fn(pts, wrt)
        if not sampled and not np.all(np.isfinite(expected)):
            where = ", ".join(f"{n} = {float(v):g}" for n, v in pinned.items() if np.ndim(v) == 0)
            raise ValueInputError(f"the derivative is not defined at {where} (it comes out as "
                                  f"{float(np.ravel(expected)[0])}): there is nothing to check there")
        got = answer_fn(pts, [])[0]
        ok = close(got, expected, rtol, atol)
        failing = [int(i) for i in np.flatnonzero(~ok)]
        refined = []
        if failing and sampled:
            expected, got = np.array(expected, dtype=float), np.array(got, dtype=float)
            before = len(failing)
            doubtful = _doubtful(true_fn, answer_fn, wrt, pts, failing, expected, got)
            failing, refined = _refine(tree, answer_tree, wrt, pinned, pts, failing, expected, got, rtol, atol,
                                       doubtful)
            if len(failing) < before:
                notes.append(f"{before - len(failing)} of the points agreed once re-checked at higher precision: "
                             f"floating point was not enough there (overflow or cancellation)")
    return Comparison(tree, answer_tree, wrt, names, pinned, sampled, domains, notes, pts, values, expected, got,
                      failing, true_fn, trouble, seed, rtol, atol, refined)


REFINE_MAX = 50   # disputed points re-checked at most (each costs a ball pass or two)


def _doubtful(true_fn, answer_fn, wrt, pts, failing, expected, got) -> set:
    """The disputed points where floating point may be what disagrees, found at the cost of one
    more float evaluation of both sides: a value that is not finite (overflow), one that moves
    by more than 1e-10 when the point moves by four ulps (cancellation, as in sin(e^(2x)) at
    x near 10, whose float derivative is 2e-4 off). Elsewhere both floats are sound, and a
    point where they disagree stands without a ball pass."""
    idx = np.array(failing)
    moved = {n: p[idx] + 4 * np.spacing(p[idx]) for n, p in pts.items()}
    with np.errstate(all="ignore"):
        e2 = true_fn(moved, wrt)[1]
        g2 = answer_fn(moved, [])[0]
        e, g = expected[idx], got[idx]

        def unsteady(a, b):
            return ~np.isfinite(a) | ~np.isfinite(b) | (np.abs(a - b) > 1e-10 * np.maximum(np.abs(a), np.abs(b)))

        return set(idx[unsteady(e, e2) | unsteady(g, g2)].tolist())


def _refine(tree, answer_tree, wrt, pinned, pts, failing, expected, got, rtol, atol, doubtful=None):
    """Before a doubtful point counts against the answer, its expected value (the derivative) and the
    answer's value are computed again with their digits known (engine/accuracy.py: ball
    arithmetic, exact constants), so gradcli's own rounding never fails a right answer:
    sin(e^(2x)) at x near 10 has a float derivative 2e-4 off. `expected` and `got` are
    updated in place where the new values are known to 6 digits; (failing, refined) back."""
    from ..engine.errors import GradcliError
    from .evaluator import accurate_derivatives_at, accurate_value

    if len(set(wrt)) != 1 or any(np.ndim(v) for v in pinned.values()):
        return failing, []  # mixed partials and array values: the float comparison stands
    var = wrt[0]
    still, refined = [], []
    for i in failing:
        if len(refined) >= REFINE_MAX or (doubtful is not None and i not in doubtful):
            still.append(i)
            continue
        point = {n: float(p[i]) for n, p in pts.items()} | {n: float(v) for n, v in pinned.items()}
        others = {n: v for n, v in point.items() if n != var}
        try:
            with np.errstate(all="ignore"):
                truth = accurate_derivatives_at(tree, others, var, point[var], len(wrt))
                answer = accurate_value(answer_tree, point)
        except (GradcliError, ValueError, ZeroDivisionError):
            still.append(i)
            continue
        refined.append(i)
        if truth.digits[-1] >= 6:
            expected[i] = truth.values[-1]
        if answer.digits[0] >= 6:
            got[i] = answer.values[0]
        if not close(np.array([got[i]]), np.array([expected[i]]), rtol, atol)[0]:
            still.append(i)
    return still, refined


VALUE, DERIVATIVE = " value", " derivative"   # (no variable has a space in its name)


def _sample(true_fn, wrt, sampled, domains, want, rng, atol):
    """`want` points where the expression and its derivative are finite (or fewer, with a
    note), the notes, and (values, derivatives) there (None without variables to sample).

    Points where the derivative is negligible (below atol, as e^(-100x^2) is at x = 3) prove
    little: any answer that is also negligible there agrees. They are used only when too few
    others can be found."""
    if not sampled:
        return {}, [], None
    # the points, and the value and derivative there (kept: no need to work them out again)
    keys = sampled + [VALUE, DERIVATIVE]
    found: dict[str, list] = {n: [] for n in keys}      # finite, derivative not negligible
    spare: dict[str, list] = {n: [] for n in keys}      # finite, derivative negligible
    got = 0

    def draw(cells, count):
        nonlocal got
        cand = _draw(cells, count, rng)
        values, ders = true_fn(cand, wrt)
        good = np.isfinite(values) & np.isfinite(ders)
        telling = good & (np.abs(ders) > atol)
        cand = cand | {VALUE: values, DERIVATIVE: ders}
        for n in keys:
            found[n].extend(cand[n][telling][: max(0, want - got)].tolist())
            spare[n].extend(cand[n][good & ~telling][: max(0, want - len(spare[n]))].tolist())
        got = len(found[sampled[0]])
        return good.mean()

    cells = {n: [domains[n]] for n in sampled}
    rate = draw(cells, 4 * want)
    if got < want and rate < 0.5:
        # Most draws fail: find, variable by variable, the sub-intervals where they do not.
        cells = _valid_cells(true_fn, wrt, sampled, domains, rng)
        if cells is None and got == 0:
            span = ", ".join(f"{n} in [{domains[n][0]:g}, {domains[n][1]:g}]" for n in sampled)
            raise NoValidPoints(f"the expression or its derivative is undefined everywhere in the domain "
                                  f"({span}); give a --domain where it is defined")
        cells = cells or {n: [domains[n]] for n in sampled}
    for _ in range(50):
        if got >= want:
            break
        draw(cells, 4 * want)
    notes = []
    if got < want:
        extra = min(want - got, len(spare[sampled[0]]))
        if got and extra:
            notes.append(f"the derivative is negligible (below --atol) at {extra} of the {got + extra} points")
        for n in keys:
            found[n].extend(spare[n][:extra])
        got += extra
    if got < want:
        if got == 0:
            raise NoValidPoints("no point found where the expression and its derivative are defined; "
                                  "give a --domain where they are")
        notes.append(f"only {got} valid points found of the {want} asked for")
    known = (np.array(found[VALUE][:want]), np.array(found[DERIVATIVE][:want]))
    return {n: np.array(found[n][:want]) for n in sampled}, notes, known


def _draw(cells: dict, count: int, rng) -> dict:
    """`count` points, each variable uniform over its own list of (lo, hi) cells."""
    out = {}
    for n, boxes in cells.items():
        bounds = np.array(boxes)
        pick = rng.integers(len(bounds), size=count)
        out[n] = rng.uniform(bounds[pick, 0], bounds[pick, 1])
    return out


def _valid_cells(true_fn, wrt, sampled, domains, rng, probes: int = 8) -> dict | None:
    """For each variable, the cells of its domain where some point is defined, with the others
    drawn from their own cells found so far: a cost linear in the number of variables (two
    passes of `cells` x `probes` evaluations each), not one that grows as cells^variables."""
    count = 4096 if len(sampled) == 1 else 64
    cells = {n: [domains[n]] for n in sampled}
    for _ in range(1 if len(sampled) == 1 else 2):
        for n in sampled:
            edges = np.linspace(*domains[n], count + 1)
            cand = _draw(cells, count * probes, rng)
            which = np.repeat(np.arange(count), probes)
            cand[n] = rng.uniform(edges[which], edges[which + 1])
            values, ders = true_fn(cand, wrt)
            good = (np.isfinite(values) & np.isfinite(ders)).reshape(count, probes).any(axis=1)
            if not good.any():
                return None
            cells[n] = [(edges[k], edges[k + 1]) for k in np.flatnonzero(good)]
    return cells
