"""The engine's PyTorch semantics beyond EXAMPLES.md: errors, pruning, ownership, routes."""

import numpy as np
import pytest

import gradcli as g
from gradcli import GradError
from gradcli.engine.derivatives import hessian, jacobian


def test_errors_mirror_pytorch():
    x = g.tensor([1.0, 2.0], requires_grad=True)
    y = g.tensor(3.0, requires_grad=True)
    with pytest.raises(GradError, match="implicitly created only for scalar outputs"):
        g.grad(x * 2, [x])
    with pytest.raises(GradError, match="does not require grad and does not have a grad_fn"):
        g.tensor(1.0).backward()
    with pytest.raises(GradError, match="appears to not have been used in the graph"):
        g.grad(g.sum(x), [x, y])
    assert g.grad(g.sum(x), [x, y], allow_unused=True)[1] is None
    with pytest.raises(GradError, match="Mismatch in shape"):
        (x * 2).backward(g.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(GradError, match="leaf variables"):
        (x * 2).requires_grad_()


def test_weights_and_earlier_gradients_are_never_written_in_place():
    x = g.tensor([1.0, 2.0], requires_grad=True)
    w = np.array([1.0, 1.0])
    (x + 1).backward(w)
    first = x.grad
    first_data = first.data.copy()
    (x + 1).backward(w)                       # accumulates into a new tensor
    assert first.tolist() == first_data.tolist()
    x.grad.zero_()
    assert w.tolist() == [1.0, 1.0]           # the caller's weights are untouched
    assert x.grad.tolist() == [0.0, 0.0]


def test_rules_overwrite_a_lent_gradient_only_where_nothing_else_sees_it():
    # The engine lets the last rule of a node write into the node's gradient buffer. Each
    # case here would give a wrong number if it lent a buffer that is still visible.
    x = g.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = g.sum((y - x) * y)                 # sub hands g on unchanged to y, and -g to x
    gy, gx = g.grad(z, [y, x])             # y's gradient is a result and pushed on to x
    assert gy.tolist() == (2 * y.data - x.data).tolist()
    assert gx.tolist() == (2 * 2 * 2 * x.data - 2 * 2 * x.data).tolist()   # d/dx (2x - x) * 2x = 4x
    (d,) = g.grad(g.sum((x * 3) * (x * 3) - (x * 3)), [x])   # one tensor on both sides
    assert d.tolist() == (18 * x.data - 3).tolist()
    h = hessian(g.sum(g.exp(x) * x - x * x / (x + 1)), [x])
    expected = np.diag(np.exp(x.data) * (x.data + 2) - 2 / (x.data + 1) ** 3)
    np.testing.assert_allclose(h, expected, rtol=1e-13, atol=1e-13)


def test_a_pass_that_frees_the_graph_drops_only_values_no_rule_reads(monkeypatch):
    import weakref

    import gradcli.engine.autograd as autograd

    x = g.tensor(np.linspace(1, 2, 100), requires_grad=True)
    u = x ** 2                                    # held by the caller: keeps its value
    y = g.sum(g.exp(-(u * 3)) * 2)
    e = y._parents[0]._parents[0]                 # exp(...): its rule reads its own value
    neg = e._parents[0]                           # -(u * 3): exp's rule does not read it
    seen = {"exp": weakref.ref(e.data), "neg": weakref.ref(neg.data)}
    del e, neg
    during = {}

    def spy(order, keep):
        release(order, keep)
        during.update({k: r() is not None for k, r in seen.items()})
    release = autograd._release
    monkeypatch.setattr(autograd, "_release", spy)
    (d,) = g.grad(y, [x])
    assert during == {"exp": True, "neg": False}
    np.testing.assert_allclose(d.data, -12 * x.data * np.exp(-3 * x.data ** 2), rtol=1e-13)
    assert u.data.tolist() == (x.data ** 2).tolist()
    v = -(x * 3)                                  # no rule reads it, but the caller holds it
    g.grad(g.sum(g.exp(v)), [x])
    assert v.data.tolist() == (-3 * x.data).tolist()


def test_fan_out_accumulates_through_shared_subexpressions():
    x = g.tensor(3.0, requires_grad=True)
    u = x * x
    (d,) = g.grad(u + u * u + g.sin(u), [x])
    assert float(d) == pytest.approx(2 * 3 + 4 * 27 + np.cos(9) * 6, rel=1e-15)


def test_backward_visits_only_nodes_that_lead_to_the_inputs(monkeypatch):
    from gradcli.engine.primitive import PRIMITIVES

    x = g.tensor(2.0, requires_grad=True)
    c = g.tensor(5.0, requires_grad=True)
    heavy = g.exp(c) * g.sin(c)               # reaches c but not x
    y = x ** 2 + heavy
    calls = []
    for name in ("exp", "sin"):
        prim = PRIMITIVES[name]
        original = prim.rules
        monkeypatch.setattr(prim, "rules", tuple(
            (lambda r: lambda *a, **k: calls.append(name) or r(*a, **k))(r) for r in original))
    assert float(g.grad(y, [x])[0]) == 4.0
    assert calls == []


def test_hessian_routes_agree():
    rng = np.random.default_rng(1)
    x = g.tensor(rng.uniform(0.5, 1.5, 4), requires_grad=True)
    f = lambda t: g.sum(t[1:] * t[:-1] ** 2) + g.logsumexp(t) * g.prod(t)  # noqa: E731
    h = hessian(f(x), [x])
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-12)
    # grad of grad, one coordinate at a time
    (gx,) = g.grad(f(x), [x], create_graph=True)
    rows = [g.grad(gx[i], [x], retain_graph=True)[0].data for i in range(4)]
    np.testing.assert_allclose(h, np.stack(rows), rtol=1e-12)
    # the Jacobian of the gradient
    np.testing.assert_allclose(h, jacobian([gx], [x]), rtol=1e-12)


def test_jacobian_rows_are_per_output_gradients_and_weights_are_a_vjp():
    rng = np.random.default_rng(2)
    x = g.tensor(rng.standard_normal(3), requires_grad=True)
    w = g.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    y = g.tanh(w @ x) * x
    jac = jacobian([y], [x, w])
    for i in range(3):
        gx, gw = g.grad(y[i], [x, w], retain_graph=True)
        np.testing.assert_allclose(jac[i], np.concatenate([gx.data, gw.data.ravel()]), rtol=1e-12)
    v = rng.standard_normal(3)
    gx, _ = g.grad(y, [x, w], [g.tensor(v)], retain_graph=True)
    (sx, _) = g.grad(g.sum(y * v), [x, w])
    np.testing.assert_allclose(gx.data, sx.data, rtol=1e-12)
    np.testing.assert_allclose(gx.data, v @ jac[:, :3], rtol=1e-12)


def test_a_deep_graph_needs_no_recursion():
    x = g.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    (d,) = g.grad(y, [x], create_graph=True)
    assert float(d) == 1.0


def test_higher_orders_of_sin_cycle():
    x = g.tensor(0.3, requires_grad=True)
    from gradcli.engine.derivatives import nth_derivatives

    ds = nth_derivatives(g.sin(x), x, 8)
    expected = [np.cos(0.3), -np.sin(0.3), -np.cos(0.3), np.sin(0.3)] * 2
    np.testing.assert_allclose([float(d) for d in ds], expected, rtol=1e-14)


def test_intermediate_tensors_are_not_given_grads():
    x = g.tensor(2.0, requires_grad=True)
    u = x * 3
    (u * u).backward()
    assert u.grad is None and float(x.grad) == 36.0


def test_the_graph_is_released_unless_retained_as_in_pytorch():
    import gc
    import weakref

    x = g.tensor(np.ones(1000), requires_grad=True)
    middle = g.exp(x) * 2
    probe = weakref.ref(middle)
    y = g.sum(g.sin(middle))
    del middle
    y.backward()
    gc.collect()
    assert probe() is None                      # the intermediate array is gone after backward
    with pytest.raises(GradError, match="backward through the graph a second time"):
        y.backward()
    z = g.sum(x * x)
    z.backward(retain_graph=True)
    z.backward()
    np.testing.assert_array_equal(x.grad.data, np.cos(2 * np.exp(1.0)) * 2 * np.exp(1.0) + 4.0)


def test_evaluate_gives_numpy_arrays_to_scripts():
    r = g.evaluate("x**3*y", "x + y", at={"x": 1, "y": 2}, jacobian=True, hessian=True, order=None)
    assert [type(v) for v in r.values] == [np.ndarray, np.ndarray]
    assert all(isinstance(v, np.ndarray) for v in r.grad.values())
    np.testing.assert_array_equal(np.asarray(r.hessian), [[12.0, 3.0], [3.0, 0.0]])
    assert r.hessian[0][1] == 3.0 and r.hessian.rows == ["x", "y"]
    np.testing.assert_array_equal(np.asarray(r.jacobian), [[6.0, 1.0], [1.0, 1.0]])
    assert r.jacobian.rows == ["f1", "f2"] and r.jacobian.cols == ["x", "y"]
