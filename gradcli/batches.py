"""Values and derivatives at many points, a chunk of points at a time.

When every function in the expressions is elementwise and every constant is one number,
point i's outputs depend on point i's inputs only, so a chunk of N points is one graph of
N-element arrays: each point's gradient is the gradient of the chunk's sum, its Hessian row
for x_j the gradient of the sum of df/dx_j, its higher derivatives one Taylor pass. Other
expressions (sum, indexing, @, array constants) are evaluated point by point: the same
answers, at Python's pace. Either way each point gets what `evaluate` gives at one point,
and `evaluate` itself checks the request first, so errors read the same.

>>> r = evaluate_points(["x*y"], {"x": [1, 2], "y": [3, 4]})
>>> r.values[0].tolist(), r.grad["x"].tolist()
([3.0, 8.0], [3.0, 4.0])
>>> list(r.columns())
['x', 'y', 'f', 'df/dx', 'df/dy']
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from .engine.autograd import grad as _grad
from .engine.tensor import Tensor, set_grad_enabled
from .errors import GradcliError, NameLookupError, ValueInputError, about
from .evaluation import evaluate
from .language.build import build, elementwise
from .language.grammar import parse
from .language.tree import free_variables, to_text
from .defaults import MAX_MATRIX_ENTRIES
from .inputs.pointfiles import Chunk, from_arrays
from .engine.tensor import element_labels
from .result import Matrix, output_names
from .engine.trouble import NumericTrouble

SHOWN = 3   # lines named in a warning before "and N more"


class Points:
    """What was found at each point of a chunk: every array has the points along axis 0
    (values[i][p] is output i at point p); the parts nobody asked for stay None."""

    __slots__ = ("expressions", "variables", "points", "values", "grad", "per_output_grad", "jacobian", "hessian",
                 "derivatives", "warnings", "chunk")

    def __init__(self, expressions, variables, points, values, chunk=None):
        self.expressions, self.variables, self.points, self.values = expressions, variables, points, values
        self.grad = self.per_output_grad = self.jacobian = self.hessian = self.derivatives = None
        self.warnings: list[str] = []
        self.chunk = chunk

    def __len__(self) -> int:
        return len(self.values[0]) if self.values else 0

    def __repr__(self) -> str:
        return f"Points({len(self)} points of {', '.join(self.expressions)})"

    def where(self, i: int) -> str:
        return self.chunk.where(i) if self.chunk is not None else f"point {i}"

    def columns(self) -> dict[str, np.ndarray]:
        """One 1-D array per column, points along it: the point's variables, `f` (or `f1`,
        `f2`, ...), `df/dx` ..., then the Jacobian's, the Hessian's and higher derivatives'
        entries (`d2f/dx2`, `d2f/dxdy`, `d3f/dx3`). The CSV's columns, and a DataFrame's."""
        n = len(self)
        out: dict[str, np.ndarray] = dict(self.points)
        names = output_names(len(self.values))

        def add(label, arr):
            out.setdefault(label, arr)  # --order's df/dx is the gradient's: one column

        def flat(prefix, arr):
            flat_arr = np.asarray(arr).reshape(n, int(np.prod(np.shape(arr)[1:])))
            for k, lab in enumerate(element_labels("", np.shape(arr)[1:])):
                add(prefix(lab), flat_arr[:, k])

        for name, v in zip(names, self.values):
            flat(lambda lab, name=name: name + lab, v)
        for x, g in (self.grad or {}).items():  # several outputs' gradients add up, as in eval
            flat(lambda lab, x=x: f"df/d{x}{lab}", g)
        if self.jacobian is not None:
            j = self.jacobian
            for r, row in enumerate(j.rows):
                for c, col in enumerate(j.cols):
                    add(f"d{row}/d{col}", j.matrix[:, r, c])
        if self.hessian is not None:
            h = self.hessian
            for a, row in enumerate(h.rows):
                for b, col in enumerate(h.cols):
                    add(f"d2f/d{row}2" if a == b and row.isidentifier() else f"d2f/d{row}d{col}", h.matrix[:, a, b])
        for x, ds in (self.derivatives or {}).items():
            for k, d in enumerate(ds, start=1):
                add("df/d" + x if k == 1 else f"d{k}f/d{x}{k}", d)
        return out


class Plan:
    """One request (expressions, constants, what to differentiate), run chunk after chunk."""

    def __init__(self, exprs, names: list[str], at: dict | None = None, grad=None, weights: list | None = None,
                 jacobian: bool = False, hessian: bool = False, order: int | None = None,
                 max_entries: int = MAX_MATRIX_ENTRIES, source: str = "the points"):
        if not exprs:
            raise ValueInputError("no expression given")
        self.texts = [e if isinstance(e, str) else to_text(e) for e in exprs]
        self.trees = [parse(e) if isinstance(e, str) else e for e in exprs]
        at = dict(at or {})
        for name in names:
            if name in at:
                raise ValueInputError(f"{name} is given both in {source} and with --at: give it once")
        used = {v for t in self.trees for v in free_variables(t)}
        self.unused = [n for n in names if n not in used]
        self.names = [n for n in names if n in used]
        missing = [v for t in self.trees for v in free_variables(t) if v not in at and v not in names]
        if missing:
            v = missing[0]
            place = f"in {source}" if source.startswith("--") else f"as a column of {source}"
            raise NameLookupError(f"no value for variable '{v}': give it {place} or with --at {v}=VALUE")
        outputs = output_names(len(self.trees))
        for name in names:
            if name in outputs:
                raise ValueInputError(f"{source} has a column named {name}, which is also the name of the "
                                      f"expression's value ({', '.join(outputs)}): rename the column")
        self.options = dict(grad=grad, weights=weights, jacobian=jacobian, hessian=hessian, order=order,
                            max_entries=max_entries)
        self.at_given = at
        self.at = {n: np.asarray(v, dtype=np.float64) for n, v in at.items() if n in used}
        self.template = None
        self.report = _Report(source)
        # elementwise functions of numbers give a number per point: a chunk is one graph
        self.vectorized = (all(elementwise(t) for t in self.trees) and all(v.ndim == 0 for v in self.at.values())
                           and all(np.ndim(w) == 0 for w in (weights or []) if w is not None))

    def _prepare(self, chunk: Chunk) -> None:
        """evaluate() at the first point says what is wrong with the request, in its own words
        (0 for every variable when there is no point)."""
        first = {n: (chunk.columns[n][0] if chunk.count else 0.0) for n in self.names}
        template = evaluate(*self.trees, at={**self.at_given, **first}, **self.options)
        self.wrt = template.variables
        self.template = template
        self.unused_at = [w for w in template.warnings if w.endswith("does not appear in the expression")]
        weights = self.options["weights"] or []
        if self.vectorized:
            self.weights = [1.0 if w is None else float(np.asarray(w)) for w in weights]
            self.weights += [1.0] * (len(self.trees) - len(self.weights))

    def __call__(self, chunk: Chunk) -> Points:
        if self.template is None:
            self._prepare(chunk)
        columns = {n: chunk.columns[n] for n in self.names}
        points = Points(self.texts, self.wrt, dict(chunk.columns), [], chunk)
        if chunk.count == 0:
            self._empty(points)
        elif self.vectorized:
            try:
                self._batch(points, columns, chunk.count)
            except GradcliError:
                # a static argument that varies by point (the n of root(n, x) from a column)
                # cannot be one array: each point on its own, whose errors are its own
                self.vectorized = False
                self._each(points, columns, chunk.count)
        else:
            self._each(points, columns, chunk.count)
        self.report.chunk(points)
        return points

    def warnings(self) -> list[str]:
        unused = [f"{n} is given in {self.report.source} but does not appear in the expression" for n in self.unused]
        return unused + getattr(self, "unused_at", []) + self.report.messages()

    # --- one graph for the chunk --------------------------------------------------------------
    def _batch(self, points: Points, columns: dict, n: int) -> None:
        trouble = NumericTrouble()
        wrt = self.wrt
        with trouble.watch(), set_grad_enabled(True):
            leaves = {name: Tensor(np.full(n, float(v)) if name in wrt else v, requires_grad=name in wrt)
                      for name, v in self.at.items()}
            leaves.update({name: Tensor(col, requires_grad=name in wrt) for name, col in columns.items()})
            outs = []
            for text, tree in zip(self.texts, self.trees):
                with about(text):
                    outs.append(build(tree, leaves, trouble.at))
            points.values = [_per_point(o.data, n) for o in outs]
            if wrt:
                trouble.at("derivative")
                self._derivatives(points, outs, [leaves[x] for x in wrt], n)
        self.report.trouble.update(trouble.seen)

    def _derivatives(self, points: Points, outs: list, inputs: list, n: int) -> None:
        wrt, opts = self.wrt, self.options
        ones = Tensor(np.ones(n))
        # seeded with each output's weight, as evaluate() seeds its backward pass
        weighted = [_gradient(o, inputs, n, weight=w) for o, w in zip(outs, self.weights)]
        points.grad = {x: functools.reduce(operator.add, [g[j] for g in weighted]) for j, x in enumerate(wrt)}
        if len(outs) > 1:
            points.per_output_grad = [{x: g[j] for j, x in enumerate(wrt)} for g in weighted]
        if opts["jacobian"]:
            unit = weighted if all(w == 1.0 for w in self.weights) else [_gradient(o, inputs, n) for o in outs]
            t = self.template.jacobian
            points.jacobian = Matrix(t.rows, t.cols, np.stack([np.stack(u, axis=1) for u in unit], axis=1))
        if not (opts["hessian"] or opts["order"]):
            return
        total = None
        for o, w in zip(outs, self.weights):
            term = o if w == 1.0 else o * w
            total = term if total is None else total + term
        if opts["hessian"]:
            first = _gradient(total, inputs, n, graph=True)
            rows = []
            for g in first:
                rows.append(np.stack(_gradient(g, inputs, n), axis=1) if isinstance(g, Tensor)
                            else np.zeros((n, len(inputs))))
            t = self.template.hessian
            points.hessian = Matrix(t.rows, t.cols, np.stack(rows, axis=1))
        if opts["order"]:
            from .engine import taylor

            if total.ndim == 0:
                total = total * ones
            ds = taylor.derivatives(total, inputs[0], opts["order"])
            points.derivatives = {wrt[0]: [_per_point(d, n) for d in ds]}

    # --- one point at a time ------------------------------------------------------------------
    def _each(self, points: Points, columns: dict, n: int) -> None:
        results = []
        for i in range(n):
            r = evaluate(*self.trees, at={**self.at, **{name: col[i] for name, col in columns.items()}}, **self.options)
            results.append(r)
            self.report.trouble.update(dict.fromkeys(w for w in r.warnings if not _said_per_line(w)))
        first = results[0]
        points.values = [np.stack([r.values[k] for r in results]) for k in range(len(first.values))]
        if first.grad is not None:
            points.grad = {x: np.stack([r.grad[x] for r in results]) for x in first.grad}
        if first.per_output_grad is not None:
            points.per_output_grad = [{x: np.stack([r.per_output_grad[k][x] for r in results]) for x in g}
                                      for k, g in enumerate(first.per_output_grad)]
        for part in ("jacobian", "hessian"):
            if getattr(first, part) is not None:
                m = getattr(first, part)
                setattr(points, part, Matrix(m.rows, m.cols, np.stack([getattr(r, part).matrix for r in results])))
        if first.derivatives is not None:
            x = next(iter(first.derivatives))
            points.derivatives = {x: [np.array([float(r.derivatives[x][k]) for r in results])
                                      for k in range(len(first.derivatives[x]))]}

    def _empty(self, points: Points) -> None:
        t = self.template
        points.values = [np.empty((0,) + v.shape) for v in t.values]
        if t.grad is not None:
            points.grad = {x: np.empty((0,) + g.shape) for x, g in t.grad.items()}
        if t.per_output_grad is not None:
            points.per_output_grad = [{x: np.empty((0,) + g.shape) for x, g in d.items()} for d in t.per_output_grad]
        for part in ("jacobian", "hessian"):
            m = getattr(t, part)
            if m is not None:
                setattr(points, part, Matrix(m.rows, m.cols, np.empty((0,) + m.shape)))
        if t.derivatives is not None:
            points.derivatives = {x: [np.empty(0) for _ in ds] for x, ds in t.derivatives.items()}


def _said_per_line(warning: str) -> bool:
    """evaluate()'s warnings that the run's report says better, once, by line."""
    return (warning.startswith(("the value of ", "the result contains NaN"))
            or warning.endswith("does not appear in the expression"))


def _per_point(data, n: int) -> np.ndarray:
    """An output that does not depend on the points (a constant) has one value for all."""
    return np.array(np.broadcast_to(np.asarray(data, dtype=np.float64), (n,)))


def _gradient(out, inputs: list, n: int, graph: bool = False, weight: float = 1.0) -> list:
    """weight * d out / d input at each point (arrays; Tensors when graph is True, for what
    comes next)."""
    if not isinstance(out, Tensor) or not out.requires_grad:
        return [np.zeros(n) for _ in inputs]
    seed = Tensor(np.full(out.shape, weight))
    found = _grad([out], inputs, [seed], allow_unused=True, retain_graph=True, create_graph=graph)
    if graph:
        return [g if g is not None else np.zeros(n) for g in found]
    return [np.zeros(n) if g is None else _per_point(g.data, n) for g in found]


class _Report:
    """Non-finite inputs and results, by line, across every chunk of a run."""

    def __init__(self, source: str):
        self.source = source
        self.trouble: dict[str, None] = {}
        self.inputs: list[str] = []
        self.input_count = 0
        self.results: list[str] = []
        self.result_count = 0

    def chunk(self, points: Points) -> None:
        n = len(points)
        if not n:
            return
        bad_in = np.zeros(n, dtype=bool)
        for col in points.points.values():
            bad_in |= ~np.isfinite(col)
        if bad_in.any():
            rows = np.flatnonzero(bad_in)
            self.input_count += len(rows)
            for i in rows[: SHOWN - len(self.inputs)]:
                which = [name for name, col in points.points.items() if not np.isfinite(col[i])]
                self.inputs.append(f"{points.where(int(i))} ({', '.join(which)})")
        bad_out = np.zeros(n, dtype=bool)
        for arr in _arrays(points):
            bad_out |= ~np.isfinite(arr.reshape(n, -1)).all(axis=1)
        bad_out &= ~bad_in
        if bad_out.any():
            rows = np.flatnonzero(bad_out)
            self.result_count += len(rows)
            self.results.extend(points.where(int(i)) for i in rows[: SHOWN - len(self.results)])

    def messages(self) -> list[str]:
        out = []
        if self.input_count:
            out.append(f"NaN or infinite values in {self.source} at {_count(self.input_count)}: "
                       + _listed(self.inputs, self.input_count))
        if self.result_count:
            out.append(f"the result is NaN or infinite at {_count(self.result_count)}: "
                       + _listed(self.results, self.result_count)
                       + (f" ({'; '.join(self.trouble)})" if self.trouble else ""))
        elif self.trouble:
            out.extend(self.trouble)
        return out


def _count(k: int) -> str:
    return f"{k:,} point{'s' if k != 1 else ''}"


def _listed(shown: list[str], total: int) -> str:
    more = total - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def _arrays(points: Points):
    yield from points.values
    yield from (points.grad or {}).values()
    for m in (points.jacobian, points.hessian):
        if m is not None:
            yield m.matrix
    for ds in (points.derivatives or {}).values():
        yield from ds


def evaluate_points(exprs, points, at: dict | None = None, grad=None, weights: list | None = None,
                    jacobian: bool = False, hessian: bool = False, order: int | None = None,
                    max_entries: int = MAX_MATRIX_ENTRIES) -> Points:
    """Values and derivatives at every point of `points` (a mapping of name -> 1-D array, such
    as a dict or a pandas DataFrame, one element per point), as one Points."""
    source = from_arrays(points)
    plan = Plan(list(exprs), source.names, at=at, grad=grad, weights=weights, jacobian=jacobian, hessian=hessian,
                order=order, max_entries=max_entries, source="the points")
    (result,) = [plan(chunk) for chunk in source]  # arrays given whole are one chunk
    result.warnings = plan.warnings()
    return result
