"""Random well-formed expressions and the properties every one of them must have.

Shared by test_properties.py (a few hundred examples in CI) and stress/properties.py (as
many as asked). Expressions are trees rendered two ways: gradcli text (sometimes with
juxtaposition, ^ or pasted typography, to exercise the parser) and SymPy text (the
independent oracle for scalar expressions). Domains are kept safe by construction:
denominators are 2 + (...)**2, logarithms and roots take 1 + (...)**2.
"""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

import gradcli
from gradcli.language.tree import free_variables

# --- scalar expressions in x and y, checked against SymPy -----------------------------------

UNARY = {  # name: (gradcli text, sympy text), each a format with {0}
    "sin": ("sin({0})", "sin({0})"), "cos": ("cos({0})", "cos({0})"), "tanh": ("tanh({0})", "tanh({0})"),
    "atan": ("atan({0})", "atan({0})"), "exp": ("exp(({0})/3)", "exp(({0})/3)"),
    "log": ("log(1 + ({0})**2)", "log(1 + ({0})**2)"), "sqrt": ("sqrt(1 + ({0})**2)", "sqrt(1 + ({0})**2)"),
    "sigmoid": ("sigmoid({0})", "1/(1 + exp(-({0})))"), "softplus": ("softplus({0})", "log(1 + exp({0}))"),
    "square": ("({0})**2", "({0})**2"), "cube": ("({0})^3", "({0})**3"), "neg": ("-({0})", "-({0})"),
}
BINARY = {
    "+": ("({0}) + ({1})", "({0}) + ({1})"), "-": ("({0}) - ({1})", "({0}) - ({1})"),
    "*": ("({0})*({1})", "({0})*({1})"), "/": ("({0})/(2 + ({1})**2)", "({0})/(2 + ({1})**2)"),
    "max": ("maximum({0}, {1})", "Max({0}, {1})"),
}


def _leaf():
    return st.one_of(st.sampled_from(["x", "y"]).map(lambda v: (v, v)),
                     st.integers(1, 9).map(lambda k: (f"{k / 4}", f"{k / 4}")),
                     st.integers(2, 5).map(lambda k: (f"{k}x", f"{k}*x")),          # juxtaposition
                     st.just(("\u03c0y", "pi*y")))                                  # pasted typography


def _grow(children):
    unary = st.tuples(st.sampled_from(sorted(UNARY)), children).map(
        lambda t: (UNARY[t[0]][0].format(t[1][0]), UNARY[t[0]][1].format(t[1][1])))
    binary = st.tuples(st.sampled_from(sorted(BINARY)), children, children).map(
        lambda t: (BINARY[t[0]][0].format(t[1][0], t[2][0]), BINARY[t[0]][1].format(t[1][1], t[2][1])))
    return unary | binary


scalar_expressions = st.recursive(_leaf(), _grow, max_leaves=8)
points = st.tuples(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))


def _close(a, b, scale):
    return abs(a - b) <= 1e-8 * max(1.0, abs(b), scale)


def check_against_sympy(expr, point):
    """Value, gradient and Hessian of the gradcli text equal SymPy's for the same expression."""
    import sympy

    ours, theirs = expr
    x, y = sympy.symbols("x y")
    f = sympy.sympify(theirs, locals={"x": x, "y": y, "Max": sympy.Max})
    at = {"x": point[0], "y": point[1]}
    subs = {x: sympy.Float(point[0], 30), y: sympy.Float(point[1], 30)}

    def oracle(e) -> float:
        # substitute first, so Max compares numbers; an oracle that cannot decide (SymPy at an
        # exact tie) rejects the example instead of failing it
        try:
            return float(sympy.N(e.subs(subs), 30))
        except (TypeError, ValueError, KeyError):
            assume(False)

    names = free_variables(gradcli.parse(ours))
    for arg in f.atoms(sympy.Max):
        # keep away from the kink of maximum, where one-sided derivatives differ
        vals = sorted(oracle(a) for a in arg.args)
        assume(all(hi - lo > 1e-3 for lo, hi in zip(vals, vals[1:])))
    exact_value = oracle(f)
    assume(abs(exact_value) < 1e6)
    r = gradcli.evaluate(ours, at={n: at[n] for n in names}, hessian=bool(names))
    assert _close(float(r.values[0]), exact_value, 0), (ours, float(r.values[0]), exact_value)
    for i, a in enumerate(names):
        d = oracle(sympy.diff(f, sympy.Symbol(a)))
        assert _close(float(r.grad[a]), d, abs(exact_value)), (ours, a, float(r.grad[a]), d)
        for j, b in enumerate(names):
            h = oracle(sympy.diff(f, sympy.Symbol(a), sympy.Symbol(b)))
            assert _close(float(r.hessian.matrix[i][j]), h, abs(d)), (ours, a, b, r.hessian.matrix[i][j], h)


# --- tensor expressions: s (scalar), v (3,), M (2, 3) -------------------------------------

SHAPES = {"s": (), "v": (3,), "M": (2, 3)}
SAFE = ["sin({})", "tanh({})", "atan({})", "sigmoid({})", "softplus({})", "log(1 + ({})**2)",
        "sqrt(1 + ({})**2)", "({})**2", "exp(({})/4)"]


def _tensor_leaf():
    return st.sampled_from([("s", ()), ("v", (3,)), ("M", (2, 3)), ("0.5", ()), ("[1, -2, 0.5]", (3,))])


def _broadcast(a, b):
    try:
        return np.broadcast_shapes(a, b)
    except ValueError:
        return None


def _tensor_grow(children):
    def unary(t):
        fmt, (text, shape) = t
        return fmt.format(text), shape

    def binary(t):
        op, (a, sa), (b, sb) = t
        shape = _broadcast(sa, sb)
        return (f"({a}) {op} ({b})", shape) if shape is not None else (f"({a}) {op} sum({b})", sa)

    def reduce(t):
        kind, (a, sa) = t
        if kind == "sum0" and len(sa) == 2:
            return f"sum({a}, 0)", sa[1:]
        if kind == "mean1" and len(sa) == 2:
            return f"mean({a}, 1)", sa[:1]
        if kind == "slice" and len(sa) >= 1:
            return (f"({a})[::-1]", sa) if len(sa) == 1 else (f"({a})[:, 1:]", (sa[0], sa[1] - 1))
        if kind == "index" and len(sa) >= 1:
            return f"({a})[-1]", sa[1:]
        if kind == "matmul" and sa == (2, 3):
            return f"({a}) @ v", (2,)
        if kind == "list" and sa == ():
            return f"[{a}, 2*({a})]", (2,)
        if kind == "dot" and len(sa) == 1:
            return f"dot({a}, {a})", ()
        reducer = {"sum0": "sum", "mean1": "mean", "slice": "logsumexp", "index": "prod",
                   "matmul": "norm", "list": "mean", "dot": "sum"}[kind]
        return f"{reducer}({a})", ()

    return (st.tuples(st.sampled_from(SAFE), children).map(unary)
            | st.tuples(st.sampled_from(["+", "-", "*"]), children, children).map(binary)
            | st.tuples(st.sampled_from(["sum0", "mean1", "slice", "index", "matmul", "list", "dot"]),
                        children).map(reduce))


tensor_expressions = st.recursive(_tensor_leaf(), _tensor_grow, max_leaves=6)
tensor_values = st.builds(lambda seed: {n: np.random.default_rng(seed).uniform(-1, 1, shape) for n, shape in SHAPES.items()},
                          st.integers(0, 2**32 - 1))


def _weighted_value(text, at, w):
    return float(np.sum(gradcli.evaluate(text, at=at, grad=()).values[0] * w))


def check_tensor_properties(expr, values, seed):
    """Gradient against central differences, Hessian against differences of the gradient and
    symmetric, weighted backward = gradient of sum(w*y), Jacobian rows = per-output gradients."""
    text, shape = expr
    names = free_variables(gradcli.parse(text))
    assume(names)
    at = {n: values[n] for n in names}
    rng = np.random.default_rng(seed)
    base = gradcli.evaluate(text, at=at, grad=())
    assert base.values[0].shape == shape
    assume(np.all(np.abs(base.values[0]) < 1e4))
    w = rng.standard_normal(shape)
    r = gradcli.evaluate(text, at=at, weights=[w], jacobian=True, hessian=True)
    h_eps = 1e-6
    flat_grad = np.concatenate([np.ravel(r.grad[n]) for n in names])
    numeric, rows = [], []
    for n in names:
        for idx in np.ndindex(*SHAPES[n]):
            plus, minus = dict(at), dict(at)
            plus[n], minus[n] = at[n].copy(), at[n].copy()
            plus[n][idx] += h_eps
            minus[n][idx] -= h_eps
            numeric.append((_weighted_value(text, plus, w) - _weighted_value(text, minus, w)) / (2 * h_eps))
            gp = gradcli.evaluate(text, at=plus, weights=[w])
            gm = gradcli.evaluate(text, at=minus, weights=[w])
            rows.append((np.concatenate([np.ravel(gp.grad[k]) for k in names])
                         - np.concatenate([np.ravel(gm.grad[k]) for k in names])) / (2 * h_eps))
    np.testing.assert_allclose(flat_grad, numeric, rtol=1e-5, atol=1e-6, err_msg=f"gradient of {text}")
    hess = r.hessian.matrix
    np.testing.assert_allclose(hess, hess.T, rtol=1e-9, atol=1e-9, err_msg=f"Hessian symmetry of {text}")
    np.testing.assert_allclose(hess, np.array(rows), rtol=1e-4, atol=1e-5, err_msg=f"Hessian of {text}")
    # the weighted backward pass is the gradient of sum(w * y)
    summed = gradcli.evaluate(f"sum(({text}) * W)", at={**at, "W": w}, grad=names)
    for n in names:
        np.testing.assert_allclose(r.grad[n], summed.grad[n], rtol=1e-12, atol=1e-12)
    # Jacobian rows are the per-output gradients, and w @ J is the weighted gradient
    jac = r.jacobian.matrix
    np.testing.assert_allclose(np.ravel(w) @ jac, flat_grad, rtol=1e-10, atol=1e-10)
    for i in range(jac.shape[0]):
        onehot = np.zeros(int(np.prod(shape))) if shape else np.zeros(1)
        onehot[i] = 1.0
        row = gradcli.evaluate(text, at=at, weights=[onehot.reshape(shape)])
        np.testing.assert_allclose(np.concatenate([np.ravel(row.grad[n]) for n in names]), jac[i],
                                   rtol=1e-12, atol=1e-12)
