"""Banded Jacobians and Hessians: 2b+1 batched rows give the same numbers as n rows.

The spans (gradcli/sparsity.py) must never miss a dependency: a missed one would drop a
non-zero entry from a compressed Jacobian without a sign, so they are checked here against
the dense Jacobian of random expressions as well as on the shapes the compression serves.
"""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradcli as g
import gradcli.engine.derivatives as derivatives
from gradcli.engine import ops
from gradcli.engine.autograd import grad
from gradcli.language.build import build
from gradcli.engine.derivatives import hessian, jacobian
from gradcli.engine.sparsity import bandwidth, spans
from gradcli.language.tree import free_variables
from properties import tensor_expressions, tensor_values


@pytest.fixture
def dense(monkeypatch):
    """Run a computation with compression switched off: the reference."""
    def run(fn, *args):
        with monkeypatch.context() as m:
            m.setattr(derivatives, "COMPRESS_FROM", float("inf"))
            return fn(*args)
    return run


def spy(batches):
    """grad(), noting how many rows each batched pass carries."""
    def counting(outputs, inputs, grad_outputs=None, **kw):
        if kw.get("is_grads_batched"):
            batches.append(len(grad_outputs[0]))
        return grad(outputs, inputs, grad_outputs, **kw)
    return counting


@pytest.fixture
def compress_everything(monkeypatch):
    monkeypatch.setattr(derivatives, "COMPRESS_FROM", 0)


def rosenbrock(t):
    return g.sum(100 * (t[1:] - t[:-1] ** 2) ** 2 + (1 - t[:-1]) ** 2)


@pytest.mark.parametrize("n", [3, 40, 300])
def test_rosenbrock_hessian_is_exact_and_needs_three_rows(n, dense, compress_everything, monkeypatch):
    x = g.as_tensor(np.random.default_rng(n).uniform(-2, 2, n), requires_grad=True)
    reference = dense(hessian, rosenbrock(x), [x])
    batches = []
    monkeypatch.setattr(derivatives, "grad", spy(batches))
    banded = hessian(rosenbrock(x), [x])
    np.testing.assert_array_equal(banded, reference)          # bit for bit, not just close
    xs = x.data
    expected = np.diag(np.r_[1200 * xs[:-1] ** 2 - 400 * xs[1:] + 2, 0] + np.r_[0, [200] * (n - 1)])
    expected += np.diag(-400 * xs[:-1], 1) + np.diag(-400 * xs[:-1], -1)
    np.testing.assert_allclose(banded, expected, rtol=1e-12, atol=1e-9)
    assert batches[-1] == (3 if n > 6 else n)                  # tridiagonal: three colours


def stencils(x, y):
    """Each with the band it has: elementwise, neighbours two away, two inputs side by side."""
    return [
        (g.sin(x) * g.exp(x), 0),
        (x[2:] * x[:-2] + g.sqrt(1 + x[1:-1] ** 2), 2),
        (g.tanh(x) / (2 + g.cos(y)) - g.maximum(x, y) * g.minimum(y, 0.5), None),
        (ops.reshape(g.stack([x[::2] * 3, x[1::2] ** 3]), (x.size,)), None),
    ]


def test_jacobians_of_stencils_match_the_dense_pass(dense, compress_everything):
    rng = np.random.default_rng(1)
    x = g.as_tensor(rng.uniform(0.5, 2, 24), requires_grad=True)
    y = g.as_tensor(rng.uniform(0.5, 2, 24), requires_grad=True)
    for out, band in stencils(x, y):
        for inputs in ([x], [x, y], [x, x]):
            if band is None and inputs == [x]:
                continue
            reference = dense(jacobian, [out], inputs)
            np.testing.assert_array_equal(jacobian([out], inputs), reference)
            assert_spans_cover(reference, [out], inputs)
        if band is not None:
            assert bandwidth(*spans([out], [x])) == band


def test_an_input_computed_from_another_keeps_both_dependencies(dense, compress_everything):
    x = g.as_tensor(np.linspace(1, 2, 20), requires_grad=True)
    u = x[::-1] * 2              # u[i] depends on x[19 - i]: far off the band
    out = u * u + x
    np.testing.assert_array_equal(jacobian([out], [u, x]), dense(jacobian, [out], [u, x]))


def test_a_non_finite_row_does_not_spill_into_the_rows_sharing_its_seed(dense, compress_everything):
    x = g.as_tensor(np.r_[0.0, np.linspace(1, 2, 29)], requires_grad=True)
    with np.errstate(all="ignore"):        # d2/dx2 of x**1.5 is infinite at 0
        reference = dense(hessian, g.sum(g.sqrt(x) * x[::1]), [x])
        banded = hessian(g.sum(g.sqrt(x) * x[::1]), [x])
    np.testing.assert_array_equal(banded, reference)
    assert np.isfinite(banded[3:, 3:]).all() and not np.isfinite(banded[0, 0])


def test_a_dense_hessian_is_not_compressed(compress_everything, monkeypatch):
    x = g.as_tensor(np.linspace(1, 2, 50), requires_grad=True)
    batches = []
    monkeypatch.setattr(derivatives, "grad", spy(batches))
    h = hessian(g.sum(x) ** 2, [x])
    assert batches == [50] and (h == 2).all()


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(tensor_expressions, tensor_values)
def test_spans_cover_every_non_zero_of_random_jacobians_and_hessians(expr, values):
    text, _ = expr
    tree = g.parse(text)
    names = sorted(free_variables(tree))
    if not names:
        return
    leaves = {n: g.as_tensor(values[n], requires_grad=True) for n in names}
    inputs = list(leaves.values())
    with np.errstate(all="ignore"):
        out = build(tree, leaves)
        if not out.requires_grad:
            return
        first = grad([g.sum(out)], inputs, create_graph=True, allow_unused=True)
        firsts = [d if d is not None else g.tensor(np.zeros(x.shape)) for d, x in zip(first, inputs)]
        for outputs in ([out], firsts):
            jac = jacobian(outputs, inputs) if any(o.requires_grad for o in outputs) else None
            if jac is None:
                continue
            assert_spans_cover(jac, outputs, inputs, text)


def assert_spans_cover(jac, outputs, inputs, what=""):
    lo, hi = spans(outputs, inputs)
    rows, cols = np.nonzero(jac)
    assert ((lo[rows] <= cols) & (cols <= hi[rows])).all(), what


def test_the_command_line_hessian_of_a_long_rosenbrock_is_the_analytic_one(run, tmp_path, monkeypatch):
    n = 300
    xs = np.random.default_rng(7).uniform(-2, 2, n)
    np.save(tmp_path / "x.npy", xs)
    batches = []
    monkeypatch.setattr(derivatives, "grad", spy(batches))
    result = run("eval", "sum(100*(x[1:]-x[:-1]**2)**2 + (1-x[:-1])**2)", "-a", f"x=@{tmp_path / 'x.npy'}",
                 "--hessian", "--json")
    assert result.exit_code == 0, result.stderr
    h = np.array(json.loads(result.stdout)["hessian"]["matrix"])
    expected = np.diag(np.r_[1200 * xs[:-1] ** 2 - 400 * xs[1:] + 2, 0] + np.r_[0, [200] * (n - 1)])
    expected += np.diag(-400 * xs[:-1], 1) + np.diag(-400 * xs[:-1], -1)
    np.testing.assert_allclose(h, expected, rtol=1e-12, atol=1e-9)
    assert batches == [3]                      # three seeds, not 300


# Random stencils: functions of the three length-10 windows of a 12-element x, combined
# elementwise, so that every Jacobian row reaches at most three columns and compression runs.
_windows = st.sampled_from(["x[0:10]", "x[1:11]", "x[2:12]", "x[2:12:1]", "x[::-1][1:11]"])
_unary = st.sampled_from(["sin({})", "exp({})", "tanh({})", "sqrt(1 + ({})**2)", "({})**2", "({})**3",
                          "abs({})", "relu({})", "log(2 + cos({}))"])
_stencils = st.recursive(
    _windows,
    lambda inner: (st.tuples(_unary, inner).map(lambda t: t[0].format(t[1]))
                   | st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})")
                   | st.tuples(inner, inner).map(lambda t: f"maximum({t[0]}, {t[1]}) / (2 + ({t[1]})**2)")),
    max_leaves=5)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_stencils, st.integers(0, 2**32 - 1))
def test_compressed_jacobians_and_hessians_of_random_stencils_are_the_dense_ones(text, seed):
    x = np.random.default_rng(seed).uniform(-2, 2, 12)
    with np.errstate(all="ignore"):
        dense = g.evaluate(text, at={"x": x}, jacobian=True)
        dense_h = g.evaluate(f"sum({text})", at={"x": x}, hessian=True)
        saved, derivatives.COMPRESS_FROM = derivatives.COMPRESS_FROM, 0
        try:
            banded = g.evaluate(text, at={"x": x}, jacobian=True)
            banded_h = g.evaluate(f"sum({text})", at={"x": x}, hessian=True)
        finally:
            derivatives.COMPRESS_FROM = saved
    np.testing.assert_array_equal(banded.jacobian.matrix, dense.jacobian.matrix, err_msg=text)
    np.testing.assert_array_equal(banded_h.hessian.matrix, dense_h.hessian.matrix, err_msg=text)
