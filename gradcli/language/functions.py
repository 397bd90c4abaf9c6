"""The functions an expression may call: one row each, the single list gradcli knows.

A row names the engine operation that computes the function (by name, so that reading this
table, for `--help` or shell completion, costs no NumPy import), its parameters and a
one-line description. The builder, `--help`, the README, did-you-mean suggestions and the
Python API's exports (`gradcli.sin`) all read it. Whether a function is elementwise is the
engine primitive's own fact; a function composed of several operations declares it here.

>>> FUNCTIONS["sum"].signature
'sum(x[, axis])'
>>> FUNCTIONS["sin"].elementwise, FUNCTIONS["sum"].elementwise
(True, False)
"""

from __future__ import annotations

from typing import Callable, NamedTuple


class Function(NamedTuple):  # not a dataclass: a NamedTuple costs a fifth as much at start-up
    name: str
    params: tuple          # parameter names; those in `optional` may be left out
    op: str | Callable     # the engine operation's name in engine/ops.py, or a composition
    doc: str
    optional: tuple = ()
    static: tuple = ()     # parameters that must be whole numbers (axes), never differentiated
    composed_elementwise: bool = False   # for a composition of engine operations (sec is 1/cos)
    # the derivative as a formula in gradcli syntax, in the parameters' names: one text, or
    # {parameter: text} for several (symbolic/derive.py reads it; a test holds it to the engine)
    d: object = None
    defaults: tuple = ()   # (parameter, formula) for optional parameters left out: log(x) is log(x, e)

    @property
    def signature(self) -> str:
        req = [p for p in self.params if p not in self.optional]
        opt = "".join(f"[, {p}]" for p in self.optional)
        return f"{self.name}({', '.join(req)}{opt})"

    @property
    def build(self) -> Callable:
        """The engine operation that computes it, taking and returning Tensors."""
        if callable(self.op):
            return self.op
        from ..engine import ops

        return getattr(ops, self.op)

    @property
    def elementwise(self) -> bool:
        """Each element of the result depends only on the same element of each argument."""
        if callable(self.op):
            return self.composed_elementwise
        from ..engine.primitive import PRIMITIVES

        prim = PRIMITIVES.get(self.op)
        return bool(prim.elementwise) if prim is not None else self.composed_elementwise


def _detach(x):
    return x.detach()


def _log(x, b=None):
    """log x, or the logarithm to base b: ln x / ln b."""
    from ..engine import ops

    return ops.log(x) if b is None else ops.log(x) / ops.log(b)


def _root(n, x):
    """The real n-th root: for odd n also of negative numbers (root(3, -8) is -2)."""
    from ..engine import ops
    from ..engine.errors import ShapeError

    if n < 1:
        raise ShapeError(f"root(n, x) needs a whole n of 1 or more, got {n}")
    if n % 2:
        return ops.sign(x) * ops.abs(x) ** (1.0 / n)
    return x ** (1.0 / n)


def _f(name, params, doc, d=None, op=None, optional="", static="", elementwise=False, defaults=()):
    return Function(name, tuple(params.split()), op or name, doc, tuple(optional.split()), tuple(static.split()),
                    elementwise, d, tuple(defaults))


_TABLE = [
    # name, parameters, description, d(f)/d(parameter) as a formula (for scalar arguments: diff
    # works on formulas of numbers, where sum, mean, prod and logsumexp of x are x itself)
    _f("sin", "x", "sine", "cos(x)"),
    _f("cos", "x", "cosine", "-sin(x)"),
    _f("tan", "x", "tangent", "sec(x)^2"),
    _f("sec", "x", "secant, 1/cos", "sec(x) tan(x)", elementwise=True),
    _f("csc", "x", "cosecant, 1/sin", "-csc(x) cot(x)", elementwise=True),
    _f("cot", "x", "cotangent, 1/tan", "-csc(x)^2"),
    _f("asin", "x", "inverse sine", "1/sqrt(1 - x^2)"),
    _f("acos", "x", "inverse cosine", "-1/sqrt(1 - x^2)"),
    _f("atan", "x", "inverse tangent", "1/(1 + x^2)"),
    _f("asec", "x", "inverse secant", "1/(abs(x) sqrt(x^2 - 1))", elementwise=True),
    _f("acsc", "x", "inverse cosecant", "-1/(abs(x) sqrt(x^2 - 1))", elementwise=True),
    _f("acot", "x", "inverse cotangent, atan(1/x)", "-1/(1 + x^2)"),
    _f("sinh", "x", "hyperbolic sine", "cosh(x)"),
    _f("cosh", "x", "hyperbolic cosine", "sinh(x)"),
    _f("tanh", "x", "hyperbolic tangent", "sech(x)^2"),
    _f("sech", "x", "hyperbolic secant", "-sech(x) tanh(x)"),
    _f("csch", "x", "hyperbolic cosecant", "-csch(x) coth(x)"),
    _f("coth", "x", "hyperbolic cotangent", "-csch(x)^2"),
    _f("asinh", "x", "inverse hyperbolic sine", "1/sqrt(x^2 + 1)"),
    _f("acosh", "x", "inverse hyperbolic cosine", "1/sqrt(x^2 - 1)"),
    _f("atanh", "x", "inverse hyperbolic tangent", "1/(1 - x^2)"),
    _f("asech", "x", "inverse hyperbolic secant", "-1/(x sqrt(1 - x^2))"),
    _f("acsch", "x", "inverse hyperbolic cosecant", "-1/(abs(x) sqrt(1 + x^2))"),
    _f("acoth", "x", "inverse hyperbolic cotangent", "1/(1 - x^2)"),
    _f("exp", "x", "e to the power x", "exp(x)"),
    _f("log", "x b", "natural logarithm; log(x, b) to base b", {"x": "1/(x log(b))", "b": "-log(x)/(b log(b)^2)"},
       op=_log, optional="b", elementwise=True, defaults=[("b", "e")]),
    _f("log2", "x", "base-2 logarithm", "1/(x log(2))"),
    _f("log10", "x", "base-10 logarithm", "1/(x log(10))"),
    _f("sqrt", "x", "square root (also \u221ax)", "1/(2 sqrt(x))"),
    _f("cbrt", "x", "cube root, of negative numbers too (also \u221bx)", "1/(3 cbrt(x)^2)"),
    _f("root", "n x", "the real n-th root (of negative x too when n is odd)", {"x": "root(n, x)/(n x)"}, op=_root,
       static="n", elementwise=True),
    _f("abs", "x", "absolute value, also |x| (gradient 0 at 0)", "sign(x)"),
    _f("sign", "x", "-1, 0 or 1 (gradient 0)", "0"),
    _f("sigmoid", "x", "1/(1+exp(-x))", "sigmoid(x) (1 - sigmoid(x))"),
    _f("relu", "x", "max(x, 0) (gradient 0 at 0)", "(sign(x) + abs(sign(x)))/2"),
    _f("softplus", "x", "log(1+exp(x))", "sigmoid(x)"),
    _f("pow", "a b", "a to the power b, as a**b", {"a": "b a^(b - 1)", "b": "a^b log(a)"}),
    _f("maximum", "a b", "elementwise maximum (ties share the gradient)",
       {"a": "(1 + sign(a - b))/2", "b": "(1 - sign(a - b))/2"}),
    _f("minimum", "a b", "elementwise minimum (ties share the gradient)",
       {"a": "(1 - sign(a - b))/2", "b": "(1 + sign(a - b))/2"}),
    _f("sum", "x axis", "sum of all elements, or along an axis", "1", optional="axis", static="axis"),
    _f("mean", "x axis", "mean of all elements, or along an axis", "1", optional="axis", static="axis"),
    _f("prod", "x", "product of all elements", "1"),
    _f("dot", "a b", "inner product of vectors, matrix product otherwise", {"a": "b", "b": "a"}),
    _f("transpose", "x", "reverse the axes", "1"),
    _f("norm", "x", "Euclidean norm of all elements", "sign(x)"),
    _f("logsumexp", "x axis", "log(sum(exp(x))), computed stably", "1", optional="axis", static="axis"),
    _f("detach", "x", "the value of x with its gradient stopped", "0", op=_detach, elementwise=True),
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _TABLE}

# Spellings people type from textbooks and other tools; each means the function it names.
ALIASES = {"ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec", "arccsc": "acsc",
           "arccot": "acot", "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh", "arcsinh": "asinh",
           "arccosh": "acosh", "arctanh": "atanh", "arsech": "asech", "arcsech": "asech", "arcsch": "acsch",
           "arccsch": "acsch", "arcoth": "acoth", "arccoth": "acoth", "cosec": "csc", "sgn": "sign"}

# Names that mean a function gradcli spells otherwise: suggested, not accepted, because
# their arguments differ (min(a, b) is minimum(a, b); max of one array is not).
MEANINGS = {"min": "minimum", "max": "maximum", "absolute": "abs", "arctg": "atan", "tg": "tan", "ctg": "cot",
            "lg": "log10", "exp2": "pow(2, x)", "power": "pow", "avg": "mean", "average": "mean", "signum": "sign"}


def lookup(name: str) -> Function | None:
    return FUNCTIONS.get(ALIASES.get(name, name))


def suggest(name: str) -> str | None:
    """The function meant by an unknown name, by meaning first, then by spelling.

    >>> suggest("min"), suggest("cotan"), suggest("sine")
    ('minimum', 'cot', 'sin')
    """
    import difflib

    lowered = name.lower()
    if lowered in MEANINGS:
        return MEANINGS[lowered]
    if lowered in FUNCTIONS or lowered in ALIASES:
        return lowered
    for prefix in (lowered[:3], lowered[:4]):  # cotan, sinus, tangent, logarithm
        if prefix in FUNCTIONS and len(lowered) > len(prefix):
            return prefix
    close = difflib.get_close_matches(lowered, list(FUNCTIONS) + list(ALIASES), n=1, cutoff=0.75)
    return close[0] if close else None
