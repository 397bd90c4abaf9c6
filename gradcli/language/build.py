"""Expr tree + values -> graph of Tensors, with an iterative walk.

Errors carry the position of the node that caused them, so the CLI can put a caret there.

>>> from gradcli.language.grammar import parse
>>> from gradcli.engine.tensor import tensor
>>> build(parse("u = x*y; u + 1"), {"x": tensor(2.0), "y": tensor(3.0)})
tensor(7.)

Two readings are the textbook's, in every command: e^u is exp(u), and a constant power p/q
with q odd is the real root, of negative numbers too.

>>> float(build(parse("e^(2x) - exp(2x)"), {"x": tensor(9.916041977309334)}).data)
0.0
>>> round(float(build(parse("(-8)^(1/3) * (-8)^(2/3)"), {}).data), 12)
-8.0
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..engine import ops
from ..engine.errors import GradcliError, ShapeError
from .errors import NameLookupError
from .functions import FUNCTIONS, lookup, suggest
from ..engine.tensor import EXACT, Tensor, set_grad_enabled
from .tree import CONSTANTS, Call, Chain, Expr, Index, ListLit, Num, Pow, Program, Slice, Unary, Var, postorder, to_text

_BINARY = {"+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "@": ops.matmul, "**": ops.pow}


def elementwise(tree: Expr) -> bool:
    """True when each output element depends only on the same element of the inputs."""
    for node in postorder(tree):
        if isinstance(node, (Index, ListLit)):
            return False
        if isinstance(node, Call):
            fn = lookup(node.name)
            if fn is None or not fn.elementwise:
                return False
        if isinstance(node, Chain) and "@" in node.ops:
            return False
    return True


def build(root: Expr, values: dict[str, Tensor], where: Callable[[str], None] | None = None,
          record: dict | None = None) -> Tensor:
    """The value of `root` as a Tensor graph; `values` maps variable names to Tensors.

    `where`, when given, is told which operation is about to run ("sin at column 3"), so
    whoever watches NumPy's floating-point errors can say where trouble arose. `record`,
    when given, receives every node's Tensor under id(node)."""
    env = dict(values)
    if isinstance(root, Program):
        for name, expr, pos in root.definitions:
            if name in CONSTANTS:
                raise NameLookupError(f"{name} is a constant and cannot be redefined", pos=pos)
            env[name] = _build_one(expr, env, where, record)
        root = root.body
    return _build_one(root, env, where, record)


def environment(pinned: dict, varying: dict | None = None, wrt=()) -> dict[str, Tensor]:
    """The values a graph is built on: the pinned numbers, then the arrays that vary from
    point to point (a pinned name among them moves), those named in wrt requiring grad.

    >>> env = environment({"a": 2.0, "x": 1.0}, {"x": np.array([1.0, 2.0])}, wrt=("x",))
    >>> float(env["a"].data), env["x"].data.tolist(), env["x"].requires_grad
    (2.0, [1.0, 2.0], True)
    """
    env = {n: Tensor(np.float64(v), requires_grad=n in wrt) for n, v in pinned.items()}
    for n, v in (varying or {}).items():
        env[n] = Tensor(v, requires_grad=n in wrt)
    return env


def _build_one(root: Expr, env: dict, where: Callable[[str], None] | None, record: dict | None = None) -> Tensor:
    done: dict[int, Tensor] = {} if record is None else record
    for node in postorder(root):
        try:
            value = done[id(node)] = _node_value(node, done, env, where)
            if not value.requires_grad and not isinstance(node, (Num, Var)) and value.ndim == 0:
                _exact_constant(node, value, done, env)
        except GradcliError as exc:
            if exc.pos is None:
                exc.pos = node.pos
            raise
    return done[id(root)]


def _children(node: Expr) -> list:
    if isinstance(node, Chain):
        return list(node.items)
    if isinstance(node, Pow):
        return [node.base, node.exponent]
    if isinstance(node, Unary):
        return [node.operand]
    if isinstance(node, Call):
        return list(node.args)
    return []


def _exact_constant(node: Expr, value: Tensor, done: dict, env: dict) -> None:
    """A constant expression over numbers whose floats are not what they mean (pi/4, 1/3,
    e^2): its graph, built again with those numbers as leaves, recorded for the ball pass
    (engine/ball.py), which then starts from the exact value, not from its rounding."""
    kids = _children(node)
    if not any(EXACT.get(done[id(k)]) is not None for k in kids):
        return
    again = dict(done)
    for k in kids:
        t = done[id(k)]
        leaf = again[id(k)] = Tensor(t.data, requires_grad=True)
        if EXACT.get(t) is not None:
            EXACT[leaf] = EXACT[t]
    with set_grad_enabled(True), np.errstate(all="ignore"):
        graph = _node_value(node, again, env, None)
    if graph.requires_grad:
        EXACT[value] = graph


def _number(node: Num) -> Tensor:
    """A literal as a float, and what it says exactly where the float is not it (0.1)."""
    t = Tensor(np.float64(node.value))
    if not float(node.value).is_integer():
        EXACT[t] = node.text
    return t


# Textbooks mean the real root: (-8)^(1/3) is -2 and x^(-2/3) is 1/cbrt(x)^2 for x < 0 too.
# NumPy (and PyTorch) give NaN there. One rule for every command and gradcli.evaluate/diff
# (issue 23): a constant exponent p/q in lowest terms with q odd is the real root, always;
# an even q stays undefined (NaN) at a negative base. Tensor ** float in the Python API keeps
# PyTorch's meaning: the textbook reading belongs to the language, not to the engine.


def _odd_root(exponent: Tensor) -> str | None:
    """'odd' or 'even' for a constant exponent p/q in lowest terms with q odd and > 1 (as the
    numerator p is odd or even), else None."""
    from fractions import Fraction

    if exponent.requires_grad or exponent.ndim != 0:
        return None
    value = float(exponent.data)
    if not np.isfinite(value) or value.is_integer():
        return None
    frac = Fraction(value).limit_denominator(999)
    if frac.denominator % 2 == 0 or abs(float(frac) - value) > 1e-12 * max(1.0, abs(value)):
        return None
    return "odd" if frac.numerator % 2 else "even"


def _mismatch(left: tuple, right: tuple, op: str, pos: int) -> ShapeError:
    return ShapeError(f"shapes {left} and {right} do not broadcast for '{op}'", pos=pos)


def _binary(op: str, a: Tensor, b: Tensor, pos: int, where: Callable[[str], None] | None) -> Tensor:
    if where is not None:
        where(f"'{op}' at column {pos + 1}")
    try:
        return _BINARY[op](a, b)
    except ValueError:  # NumPy's broadcasting error
        raise _mismatch(a.shape, b.shape, op, pos) from None
    except GradcliError as exc:
        exc.pos = pos if exc.pos is None else exc.pos
        raise


def _sum_chain(node: Chain, items: list, where: Callable[[str], None] | None) -> Tensor:
    shape = items[0].shape
    for item, op, pos in zip(items[1:], node.ops, node.op_pos):
        try:
            shape = np.broadcast_shapes(shape, item.shape)
        except ValueError:
            raise _mismatch(shape, item.shape, op, pos) from None
    if where is not None:
        where(f"'{node.ops[0]}' at column {node.op_pos[0] + 1}")
    return ops.add_n(items, (1,) + tuple(1 if op == "+" else -1 for op in node.ops))


def _node_value(node: Expr, done: dict, env: dict, where: Callable[[str], None] | None) -> Tensor:
    if isinstance(node, Num):
        return _number(node)
    if isinstance(node, Var):
        if node.name in env:
            return env[node.name]
        if node.name in CONSTANTS:
            t = Tensor(np.float64(CONSTANTS[node.name]))
            EXACT[t] = node.name  # pi and e, for the ball pass
            return t
        raise NameLookupError(f"no value for variable '{node.name}'",
                              hint=f"give one with --at {node.name}=VALUE", pos=node.pos)
    if isinstance(node, Chain):
        if len(node.items) > 2 and set(node.ops) <= {"+", "-"}:
            return _sum_chain(node, [done[id(i)] for i in node.items], where)
        acc = done[id(node.items[0])]
        for op, item, pos in zip(node.ops, node.items[1:], node.op_pos):
            acc = _binary(op, acc, done[id(item)], pos, where)
        return acc
    if isinstance(node, Pow):
        base, exponent = done[id(node.base)], done[id(node.exponent)]
        if isinstance(node.base, Var) and node.base.name == "e" and "e" not in env:
            # e^u is exp(u): the float power of 2.718281828459045 drifts from exp(u) by about
            # u * 1e-16 relatively (4e-15 at u = 30), which sin(e^(3x)) turns into wrong digits
            if where is not None:
                where(f"'**' at column {node.op_pos + 1}")
            return ops.exp(exponent)
        odd = _odd_root(exponent)
        if odd:
            if where is not None:
                where(f"'**' at column {node.op_pos + 1}")
            if odd == "odd" and float(exponent.data) == 1 / 3:
                return ops.cbrt(base)  # the same function: its slope at 0 is inf, not sign's 0 times inf
            magnitude = ops.abs(base) ** exponent
            return ops.sign(base) * magnitude if odd == "odd" else magnitude
        return _binary("**", base, exponent, node.op_pos, where)
    if isinstance(node, Unary):
        operand = done[id(node.operand)]
        return -operand if node.op == "-" else operand
    if isinstance(node, Call):
        return _call(node, [done[id(a)] for a in node.args], env, where)
    if isinstance(node, ListLit):
        return ops.stack([done[id(i)] for i in node.items])
    if isinstance(node, Index):
        subs = []
        for sub in node.subs:
            if isinstance(sub, Slice):
                subs.append(slice(*(None if p is None else _whole(done[id(p)], "an index", p) for p in sub.parts)))
            else:
                subs.append(_whole(done[id(sub)], "an index", sub))
        return ops.getitem(done[id(node.target)], tuple(subs))
    raise TypeError(type(node).__name__)  # pragma: no cover


def _whole(value: Tensor, what: str, node: Expr) -> int:
    if value.ndim != 0:
        raise ShapeError(f"{what} must be a single whole number, got shape {value.shape}", pos=node.pos)
    if not float(value.data).is_integer():
        raise ShapeError(f"{what} must be a whole number, got {float(value.data):g}", pos=node.pos)
    return int(value.data)


def check_calls(root: Expr) -> None:
    """Unknown functions and wrong argument counts, found before any value is known."""
    for node in postorder(root):
        if isinstance(node, Call):
            _function(node, set())


def _function(node: Call, env):
    fn = lookup(node.name)
    if fn is None:
        if node.name in env or len(node.name) == 1:
            arg = ", ".join(to_text(a) for a in node.args)
            hint = f"to multiply, write {node.name}*{arg if arg.startswith('(') else f'({arg})'}"
        else:
            close = suggest(node.name)
            hint = f"did you mean {close}?" if close else "known functions: " + ", ".join(FUNCTIONS)
        raise NameLookupError(f"unknown function '{node.name}'", hint=hint, pos=node.pos)
    required = len(fn.params) - len(fn.optional)
    if not required <= len(node.args) <= len(fn.params):
        count = str(required) if required == len(fn.params) else f"{required} to {len(fn.params)}"
        raise NameLookupError(f"{fn.signature} takes {count} argument{'s' if count != '1' else ''}, "
                              f"got {len(node.args)}", pos=node.pos)
    return fn


def _call(node: Call, args: list, env: dict, where: Callable[[str], None] | None) -> Tensor:
    fn = _function(node, env)
    call_args = []
    for param, arg, expr in zip(fn.params, args, node.args):
        call_args.append(_whole(arg, f"the {param} of {fn.name}()", expr) if param in fn.static else arg)
    if where is not None:
        where(f"{node.name} at column {node.pos + 1}")
    try:
        return fn.build(*call_args)
    except ValueError as exc:
        raise ShapeError(f"{fn.name}(): {exc}", pos=node.pos) from None
