"""Derivatives up to order 4 against SymPy where arguments take whole-number values.

Rules are usually tested at generic points; a guard for a special value (0**0, log 0) that
reaches further than its special value is wrong only at whole numbers, as the power rule
once was at every point where its exponent was 0. So every function of the table is
differentiated four times here at -3..3, every power with a varying exponent on lines
through whole-number points, and every Hessian must be symmetric where it is finite.
"""

import numpy as np
import pytest
import sympy

import gradcli
from gradcli.engine.derivatives import hessian, nth_derivatives
from gradcli.language.functions import FUNCTIONS

x, y, t = sympy.symbols("x y t")
# SymPy's function of the same name, unless named here
SYMPY = {"log2": lambda v: sympy.log(v, 2), "log10": lambda v: sympy.log(v, 10),
         "sigmoid": lambda v: 1 / (1 + sympy.exp(-v)), "softplus": lambda v: sympy.log(1 + sympy.exp(v)),
         # piecewise, so that SymPy differentiates each side
         "cbrt": lambda v: sympy.Piecewise((v ** sympy.Rational(1, 3), v > 0), (-(-v) ** sympy.Rational(1, 3), True)),
         "abs": lambda v: sympy.Piecewise((v, v > 0), (-v, True)),
         "sign": lambda v: sympy.Piecewise((1, v > 0), (-1, v < 0), (0, True)),
         "relu": lambda v: sympy.Piecewise((v, v > 0), (0, True))}
# functions with a kink or a jump: their derivatives at 0 are conventions, not limits
KINKS = {"abs", "relu", "sign", "cbrt"}


def unary_functions():
    return sorted(name for name, fn in FUNCTIONS.items()
                  if fn.elementwise and len(fn.params) - len(fn.optional) == 1 and not fn.static
                  and name != "detach")


def exact(expr, point: float):
    value = sympy.N(expr.subs(x, point), 30)
    if not value.is_real or not value.is_finite:
        return None
    return float(value)


def oracle(name):
    return SYMPY.get(name, getattr(sympy, name, None))


def test_every_unary_function_has_an_oracle():
    assert not [name for name in unary_functions() if oracle(name) is None]


@pytest.mark.parametrize("name", unary_functions())
def test_derivatives_to_order_four_at_whole_numbers(name):
    f = oracle(name)(x)
    for point in range(-3, 4):
        if name in KINKS and point == 0:
            continue
        value = exact(f, point)
        if value is None:
            continue
        leaf = gradcli.tensor(float(point), requires_grad=True)
        with np.errstate(all="ignore"):  # poles of higher derivatives (acos at 1) are skipped below
            ours = [float(d) for d in nth_derivatives(getattr(gradcli, name)(leaf), leaf, 4)]
        for order in range(1, 5):
            truth = exact(sympy.diff(f, x, order), point)
            if truth is None:
                continue  # a pole of this derivative (acosh at 1, ...): nothing to compare
            assert ours[order - 1] == pytest.approx(truth, rel=1e-9, abs=1e-9), (name, point, order)


@pytest.mark.parametrize("base,exponent", [("x", "x"), ("x", "x - 2"), ("x + 2", "x - 1"), ("x", "2 - x"),
                                           ("x^2 + 1", "x"), ("2", "x"), ("x", "3")])
def test_powers_with_a_varying_exponent_at_whole_numbers(base, exponent):
    b, e = sympy.sympify(base.replace("^", "**")), sympy.sympify(exponent)
    f = b ** e
    for point in range(-2, 4):
        if exact(b, point) is None or exact(b, point) <= 0 and not exact(e, point) in (0.0, 1.0, 2.0, 3.0):
            continue
        if exact(f, point) is None:
            continue
        leaf = gradcli.tensor(float(point), requires_grad=True)
        tree = gradcli.parse(f"({base})^({exponent})")
        from gradcli.language.build import build

        with np.errstate(all="ignore"):
            ours = [float(d) for d in nth_derivatives(build(tree, {"x": leaf}), leaf, 4)]
        for order in range(1, 5):
            truth = exact(sympy.diff(f, x, order), point)
            if truth is None:
                continue
            assert ours[order - 1] == pytest.approx(truth, rel=1e-9, abs=1e-9), (base, exponent, point, order)


@pytest.mark.parametrize("point", [(2.0, 0.0), (2.0, 1.0), (3.0, -1.0), (1.0, 0.0), (0.5, 2.0), (2.0, 2.0)])
def test_the_hessian_of_a_power_is_symmetric_and_right_at_whole_numbers(point):
    a, b = point
    xs = [gradcli.tensor(a, requires_grad=True), gradcli.tensor(b, requires_grad=True)]
    h = hessian(xs[0] ** xs[1], xs)
    f = x ** y
    truth = [[float(sympy.diff(f, u, v).subs({x: a, y: b})) for v in (x, y)] for u in (x, y)]
    np.testing.assert_allclose(h, truth, rtol=1e-12, atol=1e-12)
    assert h[0, 1] == h[1, 0]


def test_check_gives_the_same_verdict_whichever_order_the_mixed_partial_is_asked(run):
    # found by differential testing: the Hessian of x**y at y = 0 was not symmetric
    for wrt in ("x,y", "y,x"):
        res = run("check", "x**y", "--wrt", wrt, "--at", "x=2,y=0", "--answer", "0.5")
        assert res.exit_code == 0, (wrt, res.output)


@pytest.mark.parametrize("text,at,order", [("x**(x-2)", 2, 3), ("x**x", 1, 6), ("(x+2)**(x-1)", 1, 2)])
def test_the_reported_cases(run, text, at, order):
    import json

    res = run("eval", text, "-a", f"x={at}", "--order", str(order), "--json")
    f = sympy.sympify(text)
    truth = [float(sympy.diff(f, x, k).subs(x, at)) for k in range(1, order + 1)]
    np.testing.assert_allclose(json.loads(res.stdout)["derivatives"]["x"], truth, rtol=1e-12)
