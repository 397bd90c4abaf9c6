"""../shared/EXAMPLES.md, E1 to E8: PyTorch's numbers, through the Python API and the CLI."""

import json

import numpy as np
import pytest

import gradcli as g
from gradcli import GradError


def cli_json(run, *args):
    res = run("eval", *args, "--json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


# --- E1. Elementwise product of matrices -------------------------------------------------

E1_AT = "w=[[2,2],[2,2]],x=[[3,3],[3,3]],b=[[4,4],[4,4]]"


def test_e1_api():
    w = g.tensor([[2, 2], [2, 2]], requires_grad=True)
    x = g.tensor([[3, 3], [3, 3]], requires_grad=True)
    b = g.tensor([[4, 4], [4, 4]], requires_grad=True)
    y = w * x + b
    assert y.tolist() == [[10, 10], [10, 10]]
    with pytest.raises(GradError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()
    y.backward(gradient=g.tensor(np.ones((2, 2))))
    assert w.grad.tolist() == [[3, 3], [3, 3]]
    assert x.grad.tolist() == [[2, 2], [2, 2]]
    assert b.grad.tolist() == [[1, 1], [1, 1]]


def test_e1_cli(run):
    out = cli_json(run, "w*x + b", "-a", E1_AT, "-w", "[[1,1],[1,1]]")
    assert out["values"] == [[[10, 10], [10, 10]]]
    assert out["grad"] == {"w": [[3, 3], [3, 3]], "x": [[2, 2], [2, 2]], "b": [[1, 1], [1, 1]]}


def test_e1_cli_refuses_a_non_scalar_output_without_weights(run):
    res = run("eval", "w*x + b", "-a", E1_AT)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert "--weights" in res.stderr and "--jacobian" in res.stderr and "sum()" in res.stderr
    assert "Traceback" not in res.stderr


# --- E2. Quadratic ------------------------------------------------------------------------

def test_e2_api_scalar_with_second_derivative():
    x = g.tensor(0.0, requires_grad=True)
    y = 1 * x ** 2 + -2 * x + 1
    (d1,) = g.grad(y, [x], create_graph=True)
    (d2,) = g.grad(d1, [x])
    assert (float(y), float(d1), float(d2)) == (1.0, -2.0, 2.0)


def test_e2_cli(run):
    out = cli_json(run, "a*x**2 + b*x + c", "-a", "a=1,b=-2,c=1,x=0", "-g", "x", "--order", "2")
    assert out["values"] == [1.0]
    assert out["grad"] == {"x": -2.0}
    assert out["derivatives"] == {"x": [-2.0, 2.0]}


def test_e2_matrix_point_with_weights_equals_weighted_sum(run):
    at = ["-a", "a=1,b=-2,c=1", "-a", "x=[[0,0],[1,2]]", "-g", "x"]
    out = cli_json(run, "a*x**2 + b*x + c", *at, "-w", "[[1,1],[1,1]]")
    assert out["values"] == [[[1, 1], [0, 1]]]
    assert out["grad"] == {"x": [[-2, -2], [0, 2]]}
    same = cli_json(run, "sum((a*x**2 + b*x + c)*[[1,1],[1,1]])", *at)
    assert same["grad"] == out["grad"]


def test_e2_gradient_descent_through_the_api():
    x = g.tensor(0.0, requires_grad=True)
    for _ in range(500):
        y = x ** 2 - 2 * x + 1
        (dx,) = g.grad(y, [x])
        with g.no_grad():
            x = g.tensor(x.data - 0.01 * dx.data, requires_grad=True)
    assert float(x) == pytest.approx(1 - 0.98 ** 500, abs=1e-12)
    assert float(x ** 2 - 2 * x + 1) == pytest.approx(1.7e-9, rel=0.05)


# --- E3. Several inputs, several outputs -----------------------------------------------------

def test_e3_api():
    x1 = g.tensor(1.0, requires_grad=True)
    x2 = g.tensor(2.0, requires_grad=True)
    assert [float(t) for t in g.grad(x1 * x2, [x1, x2])] == [2.0, 1.0]
    assert [float(t) for t in g.grad([x1 * x2, x1 + x2], [x1, x2])] == [3.0, 2.0]


def test_e3_cli(run):
    out = cli_json(run, "x1*x2", "-a", "x1=1,x2=2")
    assert out["grad"] == {"x1": 2.0, "x2": 1.0}
    both = cli_json(run, "x1*x2", "x1 + x2", "-a", "x1=1,x2=2")
    assert both["grad"] == {"x1": 3.0, "x2": 2.0}
    assert both["per_output_grad"] == [{"x1": 2.0, "x2": 1.0}, {"x1": 1.0, "x2": 1.0}]


# --- E4. Reductions -------------------------------------------------------------------------

E4 = [
    ("x**2 + 2*x + 3", "x=1", {"x": 4.0}),
    ("x1**2 + 3*x2 + 5", "x1=1,x2=2", {"x1": 2.0, "x2": 3.0}),
    ("sum(x**2 + 2*x + 5)", "x=[1,2,3]", {"x": [4, 6, 8]}),
    ("sum(x1**2 + 3*x2 + 5)", "x1=[1,2],x2=[2,5]", {"x1": [2, 4], "x2": [3, 3]}),
    ("mean(x1**2 + 3*x2 + 5)", "x1=[1,2],x2=[2,5]", {"x1": [1, 2], "x2": [1.5, 1.5]}),
    ("sum(x1**2 + 3*x1 + 5)", "x1=[[1,2],[3,4]]", {"x1": [[5, 7], [9, 11]]}),
    ("sum(x1**2 + 3*x2 + 5)", "x1=[[1,2],[3,4]],x2=[[11,2],[1,22]]", {"x1": [[2, 4], [6, 8]], "x2": [[3, 3], [3, 3]]}),
]


@pytest.mark.parametrize("expr,at,expected", E4)
def test_e4_cli(run, expr, at, expected):
    assert cli_json(run, expr, "-a", at)["grad"] == expected


@pytest.mark.parametrize("expr,at,expected", E4)
def test_e4_api(expr, at, expected):
    from gradcli.inputs.values import parse_value, split_bindings

    r = g.evaluate(expr, at={k: parse_value(v) for k, v in split_bindings(at)})
    assert {k: v.tolist() for k, v in r.grad.items()} == expected


def test_e4_mean_of_quotient():
    x = g.tensor(np.ones((3, 3)), requires_grad=True)
    g.mean(x ** 2 / (x - 2)).backward()
    np.testing.assert_allclose(x.grad.data, np.full((3, 3), -1 / 3), rtol=1e-15)


# --- E5. Indexing, slicing and output weights ---------------------------------------------

X34 = "x=[[1,2,3,4],[5,6,7,8],[9,10,11,12]]"


def test_e5_cli(run):
    assert cli_json(run, "sum(x)", "-a", X34)["grad"]["x"] == np.ones((3, 4)).tolist()
    cols = cli_json(run, "x[:,0] + x[:,1]", "-a", X34, "-w", "[1,1,1]")["grad"]["x"]
    assert cols == [[1, 1, 0, 0]] * 3
    zero = cli_json(run, "x[:,0] + x[:,1]", "-a", X34, "-w", "[0,0,0]")["grad"]["x"]
    assert zero == np.zeros((3, 4)).tolist()
    out = cli_json(run, "x*2*2", "-a", "x=[1,1,1]", "-w", "[0.1,1.0,0.0001]")
    assert out["grad"]["x"] == pytest.approx([0.4, 4, 0.0004], rel=1e-15)


def test_e5_api():
    x = g.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    (x[:, 0] + x[:, 1]).backward(g.tensor(np.ones(3)))
    assert x.grad.tolist() == [[1, 1, 0, 0]] * 3
    x = g.tensor(np.ones(3), requires_grad=True)
    (x * 2 * 2).backward(g.tensor([0.1, 1.0, 0.0001]))
    np.testing.assert_allclose(x.grad.data, [0.4, 4, 0.0004], rtol=1e-15)


# --- E6. A vector output built from pieces -------------------------------------------------

@pytest.mark.parametrize("weights,expected", [("[1,1,1]", [[-3.0], [100.602]]), ("[0.5,-2,1.5]", [[-1.5], [74.358]])])
def test_e6_cli(run, weights, expected):
    out = cli_json(run, "[x[0,0]**2, x[1,0]**3, x[1,0]**4]", "-a", "x=[[-1.5],[2.7]]", "-w", weights)
    np.testing.assert_allclose(out["grad"]["x"], expected, rtol=1e-12)


def test_e6_api():
    x = g.tensor([[-1.5], [2.7]], requires_grad=True)
    x0, x1 = x[0, 0], x[1, 0]
    g.stack([x0 ** 2, x1 ** 3, x1 ** 4]).backward(g.tensor([0.5, -2, 1.5]))
    np.testing.assert_allclose(x.grad.data, [[-1.5], [74.358]], rtol=1e-12)


# --- E7. Higher order ---------------------------------------------------------------------

def test_e7_cli(run):
    out = cli_json(run, "a*x**2 + b*x + c", "-a", "a=1,b=-2,c=1,x=0", "-g", "x", "--hessian")
    assert out["hessian"] == {"labels": ["x"], "matrix": [[2.0]]}


def test_e7_api_matrix():
    x = g.tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    (d1,) = g.grad(x ** 2, [x], [g.tensor(np.ones((3, 4)))], create_graph=True)
    np.testing.assert_allclose(d1.data, 2 * x.data)
    (d2,) = g.grad(d1, [x], [g.tensor(np.ones((3, 4)))])
    assert d2.tolist() == np.full((3, 4), 2.0).tolist()


# --- E8. Accumulation, clearing, switching gradients off -----------------------------------

def test_e8_accumulation_and_clearing():
    x = g.tensor(1.0, requires_grad=True)
    (x ** 2).backward()
    (x ** 3).backward()
    assert float(x.grad) == 5.0
    x = g.tensor(1.0, requires_grad=True)
    (x ** 2).backward()
    x.grad.zero_()
    (x ** 3).backward()
    assert float(x.grad) == 3.0
    x = g.tensor(4.0, requires_grad=True)
    (2 * x ** 2 + 7).backward()
    assert float(x.grad) == 16.0
    (x ** 2).backward()
    assert float(x.grad) == 24.0


def test_e8_clearing_a_missing_gradient_is_an_error():
    x = g.tensor(1.0, requires_grad=True)
    assert x.grad is None
    with pytest.raises(AttributeError):
        x.grad.zero_()


def test_e8_no_grad_in_every_form():
    x = g.tensor(2.0, requires_grad=True)
    with g.no_grad():
        y = x * 3
    assert not y.requires_grad
    with pytest.raises(GradError, match="does not require grad"):
        y.backward()

    @g.no_grad()
    def triple(t):
        return t * 3

    assert not triple(x).requires_grad
    g.set_grad_enabled(False)
    try:
        assert not (x * 3).requires_grad
    finally:
        g.set_grad_enabled(True)
    assert (x * 3).requires_grad
    with g.set_grad_enabled(False):
        assert not (x * 3).requires_grad
    assert g.is_grad_enabled()


def test_e8_detach_shares_data_but_not_the_graph():
    x = g.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf
    y = x * 2
    assert y.detach().data is y.data
    (x * d).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_e8_gradient_descent_sequence():
    w = g.tensor(5.0, requires_grad=True)
    seen = []
    for _ in range(4):
        seen.append(float(w))
        (w ** 2).backward()
        with g.no_grad():
            w = g.tensor(w.data - 0.4 * w.grad.data, requires_grad=True)
    assert seen == pytest.approx([5, 1, 0.2, 0.04], rel=1e-12)
