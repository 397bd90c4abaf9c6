"""The functions an expression may call: name -> arity, builder and a one-line description.

Shared by the graph builder, `--help`, the README and did-you-mean suggestions.

>>> FUNCTIONS["sum"].signature
'sum(x[, axis])'
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from ..engine import ops


class Function(NamedTuple):  # not a dataclass: a NamedTuple costs a fifth as much at start-up
    name: str
    params: tuple          # parameter names; those in `optional` may be left out
    build: Callable
    doc: str
    optional: tuple = ()
    static: tuple = ()    # parameters that must be whole numbers (axes), never differentiated

    @property
    def signature(self) -> str:
        req = [p for p in self.params if p not in self.optional]
        opt = "".join(f"[, {p}]" for p in self.optional)
        return f"{self.name}({', '.join(req)}{opt})"


def _f(name, params, build, doc, optional=(), static=()):
    return Function(name, tuple(params.split()), build, doc, tuple(optional.split()) if optional else (),
                    tuple(static.split()) if static else ())


_TABLE = [
    _f("sin", "x", ops.sin, "sine"),
    _f("cos", "x", ops.cos, "cosine"),
    _f("tan", "x", ops.tan, "tangent"),
    _f("asin", "x", ops.asin, "inverse sine"),
    _f("acos", "x", ops.acos, "inverse cosine"),
    _f("atan", "x", ops.atan, "inverse tangent"),
    _f("sinh", "x", ops.sinh, "hyperbolic sine"),
    _f("cosh", "x", ops.cosh, "hyperbolic cosine"),
    _f("tanh", "x", ops.tanh, "hyperbolic tangent"),
    _f("exp", "x", ops.exp, "e to the power x"),
    _f("log", "x", ops.log, "natural logarithm"),
    _f("log2", "x", ops.log2, "base-2 logarithm"),
    _f("log10", "x", ops.log10, "base-10 logarithm"),
    _f("sqrt", "x", ops.sqrt, "square root"),
    _f("abs", "x", ops.abs, "absolute value (gradient 0 at 0)"),
    _f("sigmoid", "x", ops.sigmoid, "1/(1+exp(-x))"),
    _f("relu", "x", ops.relu, "max(x, 0) (gradient 0 at 0)"),
    _f("softplus", "x", ops.softplus, "log(1+exp(x))"),
    _f("pow", "a b", ops.pow, "a to the power b, as a**b"),
    _f("maximum", "a b", ops.maximum, "elementwise maximum (ties share the gradient)"),
    _f("minimum", "a b", ops.minimum, "elementwise minimum (ties share the gradient)"),
    _f("sum", "x axis", ops.sum, "sum of all elements, or along an axis",
       optional="axis", static="axis"),
    _f("mean", "x axis", ops.mean, "mean of all elements, or along an axis",
       optional="axis", static="axis"),
    _f("prod", "x", ops.prod, "product of all elements"),
    _f("dot", "a b", ops.dot, "inner product of vectors, matrix product otherwise"),
    _f("transpose", "x", ops.transpose, "reverse the axes"),
    _f("norm", "x", ops.norm, "Euclidean norm of all elements"),
    _f("logsumexp", "x axis", ops.logsumexp, "log(sum(exp(x))), computed stably",
       optional="axis", static="axis"),
    _f("detach", "x", lambda x: x.detach(), "the value of x with its gradient stopped"),
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _TABLE}

# Spellings people type from other tools; each means the function it names.
ALIASES = {"ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan"}


def lookup(name: str) -> Function | None:
    return FUNCTIONS.get(ALIASES.get(name, name))


def suggest(name: str) -> str | None:
    """The closest known function name, for 'did you mean' hints."""
    import difflib

    close = difflib.get_close_matches(name.lower(), list(FUNCTIONS) + list(ALIASES), n=1, cutoff=0.6)
    return close[0] if close else None
