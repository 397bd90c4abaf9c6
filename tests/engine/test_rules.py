"""Every derivative rule against central finite differences, at first and second order."""

import numpy as np
import pytest

import gradcli as g
from conftest import check_grads
from gradcli.language.functions import FUNCTIONS

rng = np.random.default_rng(42)
pos = lambda *s: rng.uniform(0.5, 2.0, s)          # noqa: E731 - domains away from singular points
unit = lambda *s: rng.uniform(-0.8, 0.8, s)        # noqa: E731
anyv = lambda *s: rng.uniform(-2.0, 2.0, s)        # noqa: E731
away0 = lambda *s: rng.uniform(0.3, 2.0, s) * rng.choice([-1, 1], s)  # noqa: E731
beyond1 = lambda *s: rng.uniform(1.2, 3.0, s) * rng.choice([-1, 1], s)  # noqa: E731

SHAPES = [(), (3,), (2, 3)]

# Where each function of the table is tried, away from its singular points (default: anyv).
DOMAINS = {"log": pos, "log2": pos, "log10": pos, "sqrt": pos, "tan": unit, "asin": unit, "acos": unit,
           "abs": away0, "relu": away0, "sec": unit, "csc": lambda *s: rng.uniform(0.3, 2.5, s),
           "cot": lambda *s: rng.uniform(0.3, 2.5, s), "asec": beyond1, "acsc": beyond1, "acot": away0,
           "csch": away0, "coth": away0, "acosh": lambda *s: rng.uniform(1.2, 3.0, s), "atanh": unit,
           "asech": lambda *s: rng.uniform(0.2, 0.9, s), "acsch": away0, "acoth": beyond1, "cbrt": away0}
# differentiable one-argument functions of the table (sign and detach have derivative 0)
TABLE = sorted(name for name, fn in FUNCTIONS.items() if fn.elementwise and len(fn.params) - len(fn.optional) == 1
               and not fn.static and name not in ("sign", "detach"))
UNARY = [(getattr(g, name), DOMAINS.get(name, anyv)) for name in TABLE] + [
    (lambda x: -x, anyv), (lambda x: g.root(3, x), away0), (lambda x: g.root(4, x), pos),
    (lambda x: g.log(x, 3.0), pos),
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("fn,domain", UNARY, ids=lambda p: getattr(p, "__name__", "") or (
    p.args[0].name if hasattr(p, "args") else ""))
def test_unary_rules(fn, domain, shape):
    check_grads(fn, domain(*shape))


def test_the_table_walk_finds_the_functions():
    assert {"sin", "sec", "log", "erf", "erfc"} <= set(TABLE)


BINARY = [
    (lambda a, b: a + b, anyv, anyv), (lambda a, b: a - b, anyv, anyv), (lambda a, b: a * b, anyv, anyv),
    (lambda a, b: a / b, anyv, away0), (lambda a, b: a ** b, pos, anyv), (g.pow, pos, anyv),
    (g.maximum, anyv, anyv), (g.minimum, anyv, anyv),
]
BROADCAST = [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((3, 1), (1, 4)), ((), (2, 3)), ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("sa,sb", BROADCAST, ids=str)
@pytest.mark.parametrize("fn,da,db", BINARY, ids=["add", "sub", "mul", "div", "pow", "powfn", "maximum", "minimum"])
def test_binary_rules_with_broadcasting(fn, da, db, sa, sb):
    check_grads(fn, da(*sa), db(*sb))


def test_power_of_negative_base_with_whole_exponent():
    check_grads(lambda x: x ** 3 + x ** 2, np.array([-1.5, -0.5, 2.0]))


@pytest.mark.parametrize("sa,sb", [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
                                   ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 2))], ids=str)
def test_matmul(sa, sb):
    check_grads(lambda a, b: a @ b, anyv(*sa), anyv(*sb))
    check_grads(g.dot, anyv(*sa), anyv(*sb))


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 2)], ids=str)
def test_reductions(shape):
    x = anyv(*shape)
    check_grads(g.sum, x)
    check_grads(g.mean, x)
    check_grads(g.logsumexp, x)
    check_grads(g.norm, x)
    check_grads(g.prod, x)
    for axis in range(len(shape)):
        check_grads(lambda t, axis=axis: g.sum(t, axis) ** 2, x)
        check_grads(lambda t, axis=axis: g.mean(t, axis) ** 2, x)
        check_grads(lambda t, axis=axis: g.logsumexp(t, axis) ** 2, x)
        check_grads(lambda t, axis=axis: t.sum(axis, keepdims=True) * t, x)


def test_prod_with_zeros_is_the_product_of_the_others():
    x = np.array([2.0, 0.0, 3.0, 4.0])
    check_grads(g.prod, x)
    check_grads(g.prod, np.array([0.0, 0.0, 3.0]))
    t = g.tensor(x, requires_grad=True)
    g.prod(t).backward()
    assert t.grad.tolist() == [0.0, 24.0, 0.0, 0.0]


@pytest.mark.parametrize("fn", [
    lambda x: x[0], lambda x: x[1, 2], lambda x: x[:, 0], lambda x: x[1:], lambda x: x[:-1],
    lambda x: x[::2], lambda x: x[-1, ::-1], lambda x: x[0][1:], lambda x: g.transpose(x) * 2,
    lambda x: x.reshape(9) ** 2, lambda x: x.T @ x, lambda x: g.stack([x[0] ** 2, x[1] * 3]),
], ids=["x[0]", "x[1,2]", "x[:,0]", "x[1:]", "x[:-1]", "x[::2]", "x[-1,::-1]", "x[0][1:]",
        "transpose", "reshape", "xTx", "stack"])
def test_indexing_and_shapes(fn):
    check_grads(fn, anyv(3, 3))


def test_conventions_at_kinks_match_pytorch():
    x = g.tensor([0.0, 0.0, 1.0], requires_grad=True)
    y = g.tensor([0.0, 1.0, 1.0], requires_grad=True)
    g.sum(g.abs(x) + g.relu(x) + g.maximum(x, y)).backward()
    # abs and relu have gradient 0 at 0; maximum splits a tie evenly
    assert x.grad.tolist() == [0.5, 0.0, 2.5]
    assert y.grad.tolist() == [0.5, 1.0, 0.5]
    z = g.tensor([0.0, 0.0], requires_grad=True)
    g.norm(z).backward()
    assert z.grad.tolist() == [0.0, 0.0]


def test_power_at_zero_base():
    x = g.tensor(0.0, requires_grad=True)
    n = g.tensor(0.0, requires_grad=True)
    (dx, dn) = g.grad(x ** n, [x, n])
    assert (float(dx), float(dn)) == (0.0, 0.0)  # PyTorch's limits, not NaN


@pytest.mark.parametrize("fn,domain", [(lambda x: g.sum(g.sin(x) * g.exp(x) / (1 + x * x)), anyv),
                                       (lambda x: g.logsumexp(x @ x.T), unit),
                                       (lambda x: g.prod(x) + g.norm(x) ** 3, pos)])
def test_batched_cotangents_equal_one_pass_per_row(fn, domain):
    # The Jacobian of the gradient in one batched pass equals n separate passes.
    x = g.tensor(domain(3, 2), requires_grad=True)
    (gx,) = g.grad(fn(x), [x], create_graph=True)
    eye = np.eye(x.size).reshape((x.size,) + x.shape)
    (batched,) = g.grad([gx], [x], [g.tensor(eye)], is_grads_batched=True, retain_graph=True)
    rows = [g.grad([gx], [x], [g.tensor(e)], retain_graph=True)[0].data for e in eye]
    np.testing.assert_allclose(batched.data, np.stack(rows), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shapes", [((), (), ()), ((3,), (2, 3), ()), ((2, 1), (3,), (2, 3), (1,))], ids=str)
def test_long_sums_are_one_node(shapes):
    from gradcli.engine.ops import add_n

    signs = [1, -1, 1, -1][:len(shapes)]
    check_grads(lambda *xs: add_n(xs, signs) ** 2, *[anyv(*s) for s in shapes])


def test_sign_passes_no_gradient_and_log_takes_a_base():
    x = g.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    assert not g.sign(x).requires_grad
    assert g.sign(x).tolist() == [-1.0, 0.0, 1.0]
    np.testing.assert_allclose(g.log(g.tensor(8.0), 2.0).data, 3.0)
    np.testing.assert_allclose(g.root(3, g.tensor(-8.0)).data, -2.0)
    with np.errstate(invalid="ignore"):
        assert np.isnan(g.root(2, g.tensor(-4.0)).data)
