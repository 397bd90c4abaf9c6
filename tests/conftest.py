import numpy as np
import pytest
from click.testing import CliRunner

import gradcli
from gradcli.commands.group import main


def numeric_jvp(fn, args, i, direction, h=1e-6):
    """Central difference of fn along `direction` in argument i."""
    plus = [a.copy() for a in args]
    minus = [a.copy() for a in args]
    plus[i] = plus[i] + h * direction
    minus[i] = minus[i] - h * direction
    f = lambda xs: fn(*[gradcli.tensor(x) for x in xs]).data
    return (f(plus) - f(minus)) / (2 * h)


def check_grads(fn, *args, order=2, rtol=1e-5, atol=1e-7, seed=0):
    """Compare fn's reverse-mode derivatives with central differences, through random
    projections (as HIPS autograd's check_grads): first order for every argument, and the
    second order as the finite difference of the (create_graph) gradient."""
    rng = np.random.default_rng(seed)
    args = [np.array(a, dtype=float) for a in args]
    xs = [gradcli.tensor(a, requires_grad=True) for a in args]
    out = fn(*xs)
    v = rng.standard_normal(out.shape)
    grads = gradcli.grad([out], xs, [gradcli.tensor(v)], allow_unused=True, create_graph=order > 1,
                         retain_graph=True)
    # Outside a graph, rules may work in place, and a pass that does not retain the graph
    # drops every value no rule reads (Primitive.reads): that path must give the same first
    # derivatives. `x * 1.0` and `+ 0.0` make fn's inputs and output intermediates whose
    # values only fn's own rules can ask to keep.
    plain = gradcli.grad([fn(*[x * 1.0 for x in xs]) + 0.0], xs, [gradcli.tensor(v)], allow_unused=True)
    for g, p in zip(grads, plain):
        if g is not None:
            np.testing.assert_allclose(p.data, g.data, rtol=1e-13, atol=1e-13)
    for i, (a, g) in enumerate(zip(args, grads)):
        u = rng.standard_normal(a.shape)
        analytic = 0.0 if g is None else float(np.sum(g.data * u))
        numeric = float(np.sum(v * numeric_jvp(fn, args, i, u)))
        assert analytic == pytest.approx(numeric, rel=rtol, abs=atol), f"first order, argument {i}"
    if order > 1:
        # d/dt <grad_i(x + t u_j), w> at t = 0 must match the graph's second derivative
        for i in range(len(args)):
            if grads[i] is None or not grads[i].requires_grad:
                continue
            w = rng.standard_normal(args[i].shape)
            second = gradcli.grad([grads[i]], xs, [gradcli.tensor(w)], allow_unused=True, retain_graph=True)
            for j, a in enumerate(args):
                u = rng.standard_normal(a.shape)
                analytic = 0.0 if second[j] is None else float(np.sum(second[j].data * u))

                def grad_i(*ts, i=i):
                    ts = [gradcli.tensor(t.data, requires_grad=True) for t in ts]
                    (g,) = gradcli.grad([fn(*ts)], [ts[i]], [gradcli.tensor(v)], allow_unused=True)
                    return g if g is not None else gradcli.tensor(np.zeros(args[i].shape))

                numeric = float(np.sum(w * numeric_jvp(grad_i, args, j, u, h=1e-5)))
                assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-6), f"second order, d{i} d{j}"


@pytest.fixture
def run():
    """Run the CLI in-process; returns the Click result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
