"""The functions an expression may call: one row each, the single list gradcli knows.

A row holds every fact of a function that is not arithmetic: its parameters, a one-line
description, its derivative as a formula (what `diff` prints, and the symbolic rule), its
inverse (what f^-1 means, and f(f^-1(u)) = u), its family (the rule a step names; the
functions students trade for one another), its special values (sin(0) = 0, written exactly)
and its LaTeX name. The builder, `--help`, the README, did-you-mean suggestions, the symbolic
layer and the Python API's exports (`gradcli.sin`) all read it.

The arithmetic is the engine's, which cannot read this layer: the row names its engine
operation (by name, so that reading this table, for `--help` or shell completion, costs no
NumPy import), and that operation is the engine's own row (engine/ops.py: the NumPy forward
and the slope f' written with engine operations, from which come the reverse rule and the
Taylor rule), or a composition of them. A test holds each formula here to the engine's slope
at random points. Whether a function is elementwise is the engine primitive's own fact; a
composition declares it here.

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
    inverse: str | None = None   # the inverse function's name: what f^-1 means, and f(inverse(u)) = u
    family: str | None = None    # the rule a derivation step names ("trig rule"); students trade within one
    special: tuple = ()          # (argument, exact value) the symbolic layer writes exactly: sin(0) = 0
    latex: str | None = None     # the TeX command (\sin); None: \operatorname{name}

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


def _f(name, params, doc, d=None, op=None, optional="", static="", elementwise=False, defaults=(), inverse=None,
       family=None, special=(), latex=None):
    return Function(name, tuple(params.split()), op or name, doc, tuple(optional.split()), tuple(static.split()),
                    elementwise, d, tuple(defaults), inverse, family, tuple(special), latex)


TRIG, ATRIG, HYP, AHYP = "trig rule", "inverse trig rule", "hyperbolic rule", "inverse hyperbolic rule"
LOG, EXP, POWER = "log rule", "exp rule", "power rule"


_TABLE = [
    # name, parameters, description, d(f)/d(parameter) as a formula (for scalar arguments: diff
    # works on formulas of numbers, where sum, mean, prod and logsumexp of x are x itself); then
    # the facts of the symbolic layer. The engine's rules are the engine's rows (engine/ops.py),
    # and a test holds each formula to them.
    _f("sin", "x", "sine", "cos(x)", inverse="asin", family=TRIG, special=[(0, 0)], latex=r"\sin"),
    _f("cos", "x", "cosine", "-sin(x)", inverse="acos", family=TRIG, special=[(0, 1)], latex=r"\cos"),
    _f("tan", "x", "tangent", "sec(x)^2", inverse="atan", family=TRIG, special=[(0, 0)], latex=r"\tan"),
    _f("sec", "x", "secant, 1/cos", "sec(x) tan(x)", elementwise=True, inverse="asec", family=TRIG, special=[(0, 1)],
       latex=r"\sec"),
    _f("csc", "x", "cosecant, 1/sin", "-csc(x) cot(x)", elementwise=True, inverse="acsc", family=TRIG, latex=r"\csc"),
    _f("cot", "x", "cotangent, 1/tan", "-csc(x)^2", inverse="acot", family=TRIG, latex=r"\cot"),
    _f("asin", "x", "inverse sine", "1/sqrt(1 - x^2)", family=ATRIG, special=[(0, 0)], latex=r"\arcsin"),
    _f("acos", "x", "inverse cosine", "-1/sqrt(1 - x^2)", family=ATRIG, latex=r"\arccos"),
    _f("atan", "x", "inverse tangent", "1/(1 + x^2)", family=ATRIG, special=[(0, 0)], latex=r"\arctan"),
    _f("asec", "x", "inverse secant", "1/(abs(x) sqrt(x^2 - 1))", elementwise=True, family=ATRIG),
    _f("acsc", "x", "inverse cosecant", "-1/(abs(x) sqrt(x^2 - 1))", elementwise=True, family=ATRIG),
    _f("acot", "x", "inverse cotangent, atan(1/x)", "-1/(1 + x^2)", family=ATRIG),
    _f("sinh", "x", "hyperbolic sine", "cosh(x)", inverse="asinh", family=HYP, special=[(0, 0)], latex=r"\sinh"),
    _f("cosh", "x", "hyperbolic cosine", "sinh(x)", inverse="acosh", family=HYP, special=[(0, 1)], latex=r"\cosh"),
    _f("tanh", "x", "hyperbolic tangent", "sech(x)^2", inverse="atanh", family=HYP, special=[(0, 0)], latex=r"\tanh"),
    _f("sech", "x", "hyperbolic secant", "-sech(x) tanh(x)", inverse="asech", family=HYP),
    _f("csch", "x", "hyperbolic cosecant", "-csch(x) coth(x)", inverse="acsch", family=HYP),
    _f("coth", "x", "hyperbolic cotangent", "-csch(x)^2", inverse="acoth", family=HYP, latex=r"\coth"),
    _f("asinh", "x", "inverse hyperbolic sine", "1/sqrt(x^2 + 1)", family=AHYP),
    _f("acosh", "x", "inverse hyperbolic cosine", "1/sqrt(x^2 - 1)", family=AHYP),
    _f("atanh", "x", "inverse hyperbolic tangent", "1/(1 - x^2)", family=AHYP),
    _f("asech", "x", "inverse hyperbolic secant", "-1/(x sqrt(1 - x^2))", family=AHYP),
    _f("acsch", "x", "inverse hyperbolic cosecant", "-1/(abs(x) sqrt(1 + x^2))", family=AHYP),
    _f("acoth", "x", "inverse hyperbolic cotangent", "1/(1 - x^2)", family=AHYP),
    _f("exp", "x", "e to the power x", "exp(x)", family=EXP, special=[(0, 1)], latex=r"\exp"),
    _f("log", "x b", "natural logarithm; log(x, b) to base b", {"x": "1/(x log(b))", "b": "-log(x)/(b log(b)^2)"},
       op=_log, optional="b", elementwise=True, defaults=[("b", "e")], family=LOG, special=[(1, 0)], latex=r"\ln"),
    _f("log2", "x", "base-2 logarithm", "1/(x log(2))", family=LOG, latex=r"\log_{2}"),
    _f("log10", "x", "base-10 logarithm", "1/(x log(10))", family=LOG, latex=r"\log_{10}"),
    _f("sqrt", "x", "square root (also \u221ax)", "1/(2 sqrt(x))", family=POWER, special=[(0, 0), (1, 1)]),
    _f("cbrt", "x", "cube root, of negative numbers too (also \u221bx)", "1/(3 cbrt(x)^2)", family=POWER),
    _f("root", "n x", "the real n-th root (of negative x too when n is odd)", {"x": "root(n, x)/(n x)"}, op=_root,
       static="n", elementwise=True, family=POWER),
    _f("abs", "x", "absolute value, also |x| (gradient 0 at 0)", "sign(x)", special=[(0, 0)]),
    _f("sign", "x", "-1, 0 or 1 (gradient 0)", "0", special=[(0, 0)]),
    _f("sigmoid", "x", "1/(1+exp(-x))", "sigmoid(x) (1 - sigmoid(x))"),
    _f("relu", "x", "max(x, 0) (gradient 0 at 0)", "(sign(x) + abs(sign(x)))/2"),
    _f("softplus", "x", "log(1+exp(x))", "sigmoid(x)"),
    _f("erf", "x", "error function, of the normal distribution", "2/sqrt(pi) exp(-x^2)",
       special=[(0, 0)], latex=r"\operatorname{erf}"),
    _f("erfc", "x", "complementary error function, 1 - erf(x)",
       "-2/sqrt(pi) exp(-x^2)", special=[(0, 1)], latex=r"\operatorname{erfc}"),
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

# Read off the rows, for the places that ask by fact rather than by name.
INVERSES = {f.name: f.inverse for f in _TABLE if f.inverse}    # sin -> asin: what sin^-1 means
INVERSE_OF = {g: f for f, g in INVERSES.items()}                # asin -> sin
FAMILIES: dict[str, tuple] = {}                                 # "trig rule" -> (sin, cos, ...)
for _row in _TABLE:
    if _row.family:
        FAMILIES[_row.family] = FAMILIES.get(_row.family, ()) + (_row.name,)

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
