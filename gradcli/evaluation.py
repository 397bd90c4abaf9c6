"""Request -> Result: parse, bind values, build the graph, differentiate as asked.

>>> r = evaluate("x1*x2", "x1 + x2", at={"x1": 1, "x2": 2})
>>> {k: float(v) for k, v in r.grad.items()}   # the two outputs' gradients accumulate
{'x1': 3.0, 'x2': 2.0}
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .defaults import MAX_DIGITS, MAX_ORDER
from .engine import ops
from .engine.autograd import grad as _grad
from .inputs.values import as_array
from .language.build import build
from .engine.trouble import NumericTrouble
from .inputs import validate
from .errors import NameLookupError, ValueInputError, about
from .language.grammar import parse
from .defaults import MAX_MATRIX_ENTRIES, describe_matrix
from .engine.tensor import element_labels
from .result import Matrix, Result, output_names
from .engine.tensor import Tensor, set_grad_enabled
from .language.tree import Expr, Program, free_variables, to_text

CHECK_GRAD_MAX = 2_000   # elements: central differences cost two evaluations each


def nonfinite_inputs(values: dict) -> list[str]:
    """A warning for each value given as NaN or infinite (1/0, log(0), a file's nan)."""
    return [f"the value of {name} is {'NaN' if np.isnan(v).any() else 'infinite'}"
            + ("" if v.ndim == 0 else " in places") for name, v in values.items() if not np.all(np.isfinite(v))]


def evaluate(*exprs, at: dict | None = None, grad: Iterable[str] | str | None = None,
             weights: list | None = None, jacobian: bool = False, hessian: bool = False,
             order: int | None = None, check_grad: float | None = None,
             max_entries: int = MAX_MATRIX_ENTRIES, digits: int | None = None) -> Result:
    """Values and derivatives of one or more expressions at the point `at`.

    grad: the variables to differentiate with respect to (None: all; empty: none).
    weights: one per expression, the output weights of the vector-Jacobian product
    (None entries mean 1 for scalar outputs).
    check_grad: a tolerance; compare the gradient with central differences (Result.check_grad).
    max_entries: the largest Jacobian or Hessian to compute; larger ones are refused up front.
    digits: with order, the significant digits wanted of each derivative (beyond a float's
    16 the ball pass supplies them: Result.derivative_balls); every derivative has at least
    12 right, or says how many it has (Result.derivative_digits).
    """
    if not exprs:
        raise ValueInputError("no expression given")
    texts = [e if isinstance(e, str) else to_text(e) for e in exprs]
    trees: list[Expr] = [parse(e) if isinstance(e, str) else e for e in exprs]

    variables: dict[str, None] = {}
    for tree in trees:
        variables.update(dict.fromkeys(free_variables(tree)))
    values = validate.bindings(at, value=lambda name, v: as_array(v, what=f"the value of {name}"))
    warnings = [f"{name} is given a value but does not appear in the expression"
                for name in values if name not in variables]
    warnings += nonfinite_inputs(values)

    wrt = list(variables) if grad is None else ([] if not grad else validate.names(grad, "--grad"))
    for name in wrt:
        if name not in variables:
            defined = any(isinstance(t, Program) and name in (d[0] for d in t.definitions) for t in trees)
            why = "it is defined inside the expression" if defined else "it does not appear in the expression"
            raise NameLookupError(f"cannot differentiate with respect to '{name}': {why}")
    validate.require_values(variables, values, lambda n: f"give one with --at {n}=VALUE")
    if check_grad is not None:
        check_grad = validate.tolerance(check_grad, "--check-tol")
        elements = sum(values[n].size for n in wrt)
        if elements > CHECK_GRAD_MAX:
            raise ValueInputError(f"--check-grad evaluates the expression twice per element: {elements:,} elements "
                                  f"is over the limit of {CHECK_GRAD_MAX:,}; narrow --grad to fewer variables")
    max_entries = validate.whole(max_entries, "--max-entries", low=1)
    if digits is not None:
        digits = validate.whole(digits, "--digits", low=1, high=MAX_DIGITS)
        if order is None:
            raise ValueInputError("--digits is for the derivatives of --order: give --order N")
    if order is not None:
        order = validate.whole(order, "--order", low=1, high=MAX_ORDER)
        if len(wrt) != 1:
            raise ValueInputError("--order needs exactly one variable: choose it with --grad NAME")

    trouble = NumericTrouble()
    with trouble.watch(), set_grad_enabled(True):
        result = _differentiate(texts, trees, values, wrt, weights, jacobian, hessian, order, trouble, max_entries,
                                digits)
        if check_grad is not None:
            if not wrt:
                raise ValueInputError("--check-grad needs a gradient: choose variables with --grad")
            if result.grad is None:
                k = next(i for i, v in enumerate(result.values) if v.ndim and (weights is None or i >= len(weights)
                                                                                or weights[i] is None))
                raise ValueInputError(f"--check-grad checks the gradient, and {result.output_names[k]} has shape "
                                      f"{result.values[k].shape}, not a single number: give --weights of that shape")
            result.check_grad = _check_gradient(trees, values, result, weights, check_grad)
    result.warnings = warnings + list(trouble.seen) + _nonfinite(result, trouble.seen or warnings) + _orders(result)
    return result


def _check_size(what: str, rows: int, cols: int, max_entries: int) -> None:
    if rows * cols > max_entries:
        raise ValueInputError(f"{describe_matrix(what, rows, cols)}, over the limit of {max_entries:,} entries: "
                              f"narrow --grad to fewer variables, or raise --max-entries")


def _differentiate(texts, trees, values, wrt, weights, want_jacobian, want_hessian, order, trouble, max_entries,
                   digits=None) -> Result:
    leaves = {name: Tensor(values[name], requires_grad=name in wrt) for name in values}
    outputs = []
    for text, tree in zip(texts, trees):
        with about(text):
            outputs.append(build(tree, leaves, trouble.at))
    names = output_names(len(outputs))
    result = Result(expressions=list(texts), trees=list(trees), variables=list(wrt),
                    values=[np.array(o.data) for o in outputs])
    if not wrt:
        return result
    inputs = [leaves[n] for n in wrt]

    trouble.at("derivative")
    seeds = _weights(weights, outputs, names)
    weighted = all(s is not None for s in seeds)
    needs_weights = (not want_jacobian and order is None) or want_hessian
    if not weighted and needs_weights:
        raise _unweighted(seeds, outputs, names)

    if weighted:
        # The graph stays for what comes next; the last pass through it may free it as it goes,
        # which pays when the values are arrays (memory) and costs a little when all are numbers.
        keep = want_jacobian or want_hessian or order is not None or all(x.size <= 1 for x in leaves.values())
        per_output = [_gradients(o, s, inputs, wrt, retain=keep or i < len(outputs) - 1)
                      for i, (o, s) in enumerate(zip(outputs, seeds))]
        total = {n: np.asarray(np.sum([p[n] for p in per_output], axis=0)) if len(per_output) > 1
                 else per_output[0][n] for n in wrt}
        result.grad = total
        if len(outputs) > 1:
            result.per_output_grad = per_output
    if want_jacobian or want_hessian or order is not None:
        from .engine import derivatives  # only for those who ask: it and sparsity.py cost start-up
    if want_jacobian:
        _check_size("Jacobian", sum(o.size for o in outputs), sum(x.size for x in inputs), max_entries)
        rows = [lab for name, o in zip(names, outputs) for lab in element_labels(name, o.shape)]
        cols = [lab for n in wrt for lab in element_labels(n, leaves[n].shape)]
        result.jacobian = Matrix(rows, cols, derivatives.jacobian(outputs, inputs))
    if want_hessian or order is not None:
        if not weighted:
            raise _unweighted(seeds, outputs, names)
        total_out = _weighted_sum(outputs, seeds)
        if want_hessian:
            size = sum(x.size for x in inputs)
            _check_size("Hessian", size, size, max_entries)
            labels = [lab for n in wrt for lab in element_labels(n, leaves[n].shape)]
            result.hessian = Matrix(labels, labels, derivatives.hessian(total_out, inputs))
        if order is not None:
            x = inputs[0]
            if x.ndim != 0:
                raise ValueInputError(f"--order needs a scalar variable, but {wrt[0]} has shape {x.shape}")
            from .engine import accuracy  # Taylor mode: every order in one pass, its digits known

            found = accuracy.derivatives(total_out, x, order, digits)
            result.derivatives = {wrt[0]: [np.asarray(v) for v in found.values]}
            result.derivative_digits = {wrt[0]: found.digits}
            if found.balls is not None:
                result.derivative_balls = {wrt[0]: found.balls}
    return result


def _unweighted(seeds, outputs, names) -> ValueInputError:
    k = next(i for i, s in enumerate(seeds) if s is None)
    return ValueInputError(
        f"{names[k]} has shape {outputs[k].shape}, not a single number, so its gradient needs output "
        f"weights: give --weights of that shape, use --jacobian, or reduce it with sum() or mean()")


def _weights(weights, outputs, names) -> list[Tensor | None]:
    weights = list(weights or [])
    if len(weights) > len(outputs):
        raise ValueInputError(f"{len(weights)} weights given for {len(outputs)} expression(s): give one per expression")
    weights += [None] * (len(outputs) - len(weights))
    seeds = []
    for name, out, w in zip(names, outputs, weights):
        if w is None:
            seeds.append(Tensor(np.ones(())) if out.ndim == 0 else None)
            continue
        arr = as_array(w, what=f"the weights of {name}")
        if arr.shape != out.shape:
            raise ValueInputError(f"the weights of {name} have shape {arr.shape}, but {name} has shape {out.shape}")
        seeds.append(Tensor(arr))
    return seeds


def _gradients(out: Tensor, seed: Tensor, inputs: list[Tensor], wrt: list[str], retain: bool) -> dict[str, np.ndarray]:
    if not out.requires_grad:
        return {n: np.zeros(x.shape) for n, x in zip(wrt, inputs)}
    found = _grad([out], inputs, [seed], allow_unused=True, retain_graph=retain)
    return {n: np.zeros(x.shape) if g is None else g.data for n, g, x in zip(wrt, found, inputs)}


def _weighted_sum(outputs: list[Tensor], seeds: list[Tensor]) -> Tensor:
    total = None
    for out, seed in zip(outputs, seeds):
        term = out if (out.ndim == 0 and float(seed.data) == 1.0) else ops.sum(out * seed)
        total = term if total is None else total + term
    return total


def _check_gradient(trees, values, result, weights, tolerance):
    from .engine.gradcheck import compare, numeric_gradient
    from .engine.tensor import no_grad

    seeds = [s.data for s in _weights(weights, [Tensor(v) for v in result.values], result.output_names)]

    def weighted_total(point):
        with no_grad():
            outs = [build(t, {n: Tensor(v) for n, v in point.items()}).data for t in trees]
        return float(sum(np.sum(o * s) for o, s in zip(outs, seeds)))

    numeric = numeric_gradient(weighted_total, values, result.variables)
    return compare(result.grad, numeric, tolerance)


def _orders(result: Result) -> list[str]:
    """Which derivatives of --order are not finite (beyond floats, or not defined there), and
    which have fewer right digits than promised (PROMISE: 12)."""
    from .engine.accuracy import PROMISE

    out = []
    for name, ds in (result.derivatives or {}).items():
        digits = (result.derivative_digits or {}).get(name) or [PROMISE] * len(ds)
        vague = [(k, n) for k, (d, n) in enumerate(zip(ds, digits), start=1) if n < PROMISE and np.all(np.isfinite(d))]
        unknown = [k for k, (d, n) in enumerate(zip(ds, digits), start=1) if n == 0 and not np.all(np.isfinite(d))
                   and (result.derivative_balls or {}).get(name)]
        if vague:
            k, n = vague[0]
            out.append(f"the derivative with respect to {name} of order {k} is right to {n} significant digits only"
                       + (f" (and {len(vague) - 1} more orders are short of {PROMISE})" if len(vague) > 1 else "")
                       + ": more precision could not vouch for more")
        if unknown:
            out.append(f"the derivatives with respect to {name} of order {_orders_text(unknown)}: no digit of them "
                       f"could be vouched for, even in ball arithmetic at high precision")
        bad = [k for k, d in enumerate(ds, start=1) if not np.all(np.isfinite(d)) and k not in unknown]
        if bad:
            out.append(f"the derivatives with respect to {name} of order {bad[0]}"
                       + (f" and {len(bad) - 1} more (up to {bad[-1]})" if len(bad) > 1 else "")
                       + " are not finite: too large for floating point, or not defined there")
    return out


def _orders_text(ks: list) -> str:
    return str(ks[0]) if len(ks) == 1 else f"{ks[0]} and {len(ks) - 1} more (up to {ks[-1]})"


def _nonfinite(result: Result, explained: dict) -> list[str]:
    """A warning for non-finite results that NumPy did not flag (NaN or inf given as input)."""
    if explained:
        return []
    arrays = list(result.values) + list((result.grad or {}).values())
    if any(not np.all(np.isfinite(a)) for a in arrays):
        return ["the result contains NaN or infinite values"]
    return []
