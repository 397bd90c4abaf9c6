"""The expression tree: small Expr nodes built straight from the parse, each with its position.

One parse serves many evaluations (check, minimize), lists its variables before any value is
known, and keeps each node's position for error messages. Nothing here recurses: deep
trees (10,000 nested parentheses) are walked with explicit stacks.

>>> from gradcli.language.grammar import parse
>>> tree = parse("u = x*y; sin(u) + 1/2x")
>>> tree
u = (x * y); (sin(u) + ((1 / 2) * x))
>>> free_variables(tree)
['x', 'y']
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator, NamedTuple

CONSTANTS = {"pi": 3.141592653589793, "e": 2.718281828459045}

# What pasted typography means (the grammar accepts these characters as operators).
_OPERATOR = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2217": "*", "\u00f7": "/",
             "^": "**"}
_SUPERSCRIPT_DIGITS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")


class Expr:
    __slots__ = ("pos",)

    def children(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return to_text(self)


class Num(Expr):
    __slots__ = ("value", "text")

    def __init__(self, value: float, text: str, pos: int):
        self.value, self.text, self.pos = value, text, pos


class Var(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str, pos: int):
        self.name, self.pos = name, pos


class Call(Expr):
    __slots__ = ("name", "args")

    def __init__(self, name: str, args: tuple, pos: int):
        self.name, self.args, self.pos = name, args, pos

    def children(self):
        return self.args


class Chain(Expr):
    """`a op b op c ...`, evaluated left to right; ops are '+', '-', '*', '/', '@'.

    implicit[k] says the k-th '*' was juxtaposition (`2x`), not written."""

    __slots__ = ("items", "ops", "op_pos", "implicit")

    def __init__(self, items: tuple, ops: tuple, op_pos: tuple, implicit: tuple | None = None):
        self.items, self.ops, self.op_pos = items, ops, op_pos
        self.implicit = (False,) * len(ops) if implicit is None else implicit
        self.pos = items[0].pos

    def children(self):
        return self.items


class Pow(Expr):
    __slots__ = ("base", "exponent", "op_pos")

    def __init__(self, base: Expr, exponent: Expr, op_pos: int):
        self.base, self.exponent, self.op_pos, self.pos = base, exponent, op_pos, base.pos

    def children(self):
        return (self.base, self.exponent)


class Unary(Expr):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Expr, pos: int):
        self.op, self.operand, self.pos = op, operand, pos

    def children(self):
        return (self.operand,)


class Slice:
    """A `start:stop:step` subscript; any part may be None."""

    __slots__ = ("parts", "pos")

    def __init__(self, parts: tuple, pos: int):
        self.parts, self.pos = parts, pos


class Index(Expr):
    __slots__ = ("target", "subs", "bracket_pos")

    def __init__(self, target: Expr, subs: tuple, bracket_pos: int):
        self.target, self.subs, self.bracket_pos, self.pos = target, subs, bracket_pos, target.pos

    def children(self):
        kids = [self.target]
        for sub in self.subs:
            kids.extend(p for p in sub.parts if p is not None) if isinstance(sub, Slice) else kids.append(sub)
        return tuple(kids)


class ListLit(Expr):
    __slots__ = ("items",)

    def __init__(self, items: tuple, pos: int):
        self.items, self.pos = items, pos

    def children(self):
        return self.items


class Program(Expr):
    """Definitions `name = expr;` followed by the expression whose value is the result."""

    __slots__ = ("definitions", "body")

    def __init__(self, definitions: tuple, body: Expr):
        self.definitions, self.body = definitions, body  # definitions: ((name, expr, pos), ...)
        self.pos = definitions[0][2] if definitions else body.pos

    def children(self):
        return tuple(d[1] for d in self.definitions) + (self.body,)


class Equation(NamedTuple):
    """`lhs = rhs` (rhs None for an expression alone), as `check` reads curves and lines."""
    lhs: Expr
    rhs: Expr | None

    @property
    def pos(self) -> int:
        return self.lhs.pos


class FunctionName:
    """A function name written without parentheses (`sin`, `sec^2`, `tan^-1`), waiting in a
    product for the factors it applies to. Never part of a finished tree."""

    __slots__ = ("name", "power", "pos", "power_pos")

    def __init__(self, name: str, power, pos: int, power_pos: int | None):
        self.name, self.power, self.pos, self.power_pos = name, power, pos, power_pos


class ToExpr:
    """Parse-tree callbacks, run by the LALR parser as it reduces (no recursion).

    Lark looks the callbacks up by rule name; no Lark base class is needed, so this module
    does not import Lark."""

    def start(self, kids):
        *defs, body = kids
        return Program(tuple(defs), body) if defs else body

    def definition(self, kids):
        name, expr = kids
        return (str(name), expr, name.start_pos)

    def equations(self, kids):
        return tuple(kids)

    def equation(self, kids):
        lhs, rhs = kids
        return Equation(lhs, rhs)

    def sum(self, kids):
        items, op_pos = tuple(kids[0::2]), tuple(k.start_pos for k in kids[1::2])
        ops = tuple(_OPERATOR.get(str(k), str(k)) for k in kids[1::2])
        return Chain(items, ops, op_pos)

    def product(self, kids):
        """Factors joined by * / @ or by juxtaposition, one level, left to right; a function
        name takes the juxtaposed factors after it as its argument."""
        if len(kids) == 1 and not isinstance(kids[0], FunctionName):
            return kids[0]
        items, ops, op_pos, implicit = [kids[0]], [], [], []
        k = 1
        while k < len(kids):
            kid = kids[k]
            if getattr(kid, "type", None) == "MUL_OP":
                ops.append(_OPERATOR.get(str(kid), str(kid)))
                op_pos.append(kid.start_pos)
                implicit.append(False)
                items.append(kids[k + 1])
                k += 2
            else:
                ops.append("*")
                op_pos.append(kid.pos)
                implicit.append(True)
                items.append(kid)
                k += 1
        items, ops, op_pos, implicit = _apply_functions(items, ops, op_pos, implicit)
        if not ops:
            return items[0]
        return Chain(tuple(items), tuple(ops), tuple(op_pos), tuple(implicit))

    def product_from_function(self, kids):
        return self.product(kids)

    def fname(self, kids):
        name, power = kids
        value, power_pos = power if power is not None else (None, None)
        return FunctionName(str(name), value, name.start_pos, power_pos)

    def fpower(self, kids):
        if len(kids) == 1:  # a superscript: sin²
            sup = kids[0]
            text = str(sup)
            value = -float(text[1:].translate(_SUPERSCRIPT_DIGITS)) if text.startswith("\u207b") else float(
                text.translate(_SUPERSCRIPT_DIGITS))
            return value, sup.start_pos
        op, value = kids
        return float(value), op.start_pos

    def fexponent_signed(self, kids):
        sign, number = kids
        return -float(number) if _OPERATOR.get(str(sign), str(sign)) == "-" else float(number)

    def fexponent_group(self, kids):
        return self.fexponent_signed(kids[1:]) if len(kids) == 3 else float(kids[1])

    def power(self, kids):
        base, op, exponent = kids
        return Pow(base, exponent, op.start_pos)

    power_nolist = power

    def power_sup(self, kids):
        base, sup = kids
        text = str(sup)
        negative = text.startswith("\u207b")
        digits = text[1:].translate(_SUPERSCRIPT_DIGITS) if negative else text.translate(_SUPERSCRIPT_DIGITS)
        exponent = Num(float(digits), digits, sup.start_pos)
        if negative:
            exponent = Unary("-", exponent, sup.start_pos)
        return Pow(base, exponent, sup.start_pos)

    def unary(self, kids):
        op, operand = kids
        return Unary(_OPERATOR.get(str(op), str(op)), operand, op.start_pos)

    def number(self, kids):
        (tok,) = kids
        return Num(float(tok), str(tok), tok.start_pos)

    def name(self, kids):
        (tok,) = kids
        return Var("pi" if str(tok) == "\u03c0" else str(tok), tok.start_pos)

    def call(self, kids):
        name, *args = kids
        return Call(str(name), tuple(a for a in args if a is not None), name.start_pos)

    def group(self, kids):
        inner = kids[1]
        if isinstance(inner, Expr):
            _GROUPED.get().add(id(inner))
        return inner

    def bars(self, kids):
        bar, inner, _ = kids
        return Call("abs", (inner,), bar.start_pos)

    def list(self, kids):
        lsqb, *items = kids
        return ListLit(tuple(items), lsqb.start_pos)

    def subscripts(self, kids):
        return tuple(kids)

    def slice(self, kids):
        start, colon, stop, _colon2, step = kids
        return Slice((start, stop, step), colon.start_pos)

    def index(self, kids):
        target, subs = kids
        return Index(target, subs, target.pos)


# The ids of the nodes written in parentheses, read by the product that contains them: after
# a function name a parenthesised factor is the whole argument (`sin^2(x) y` is sin(x)^2*y).
# One set per parse (see one_parse), never shared: the parser and its callbacks are made once
# and serve every parse, in every thread, so what one parse notes cannot live on them. A
# context variable finds the parse's own set: each thread has its own context.
_GROUPED: contextvars.ContextVar = contextvars.ContextVar("gradcli_grouped_nodes")


@contextlib.contextmanager
def one_parse():
    """The notes of one parse, made fresh and dropped when it ends (grammar.parse runs every
    parse inside one)."""
    token = _GROUPED.set(set())
    try:
        yield
    finally:
        _GROUPED.reset(token)


def _function_name_of(item):
    """The FunctionName an item is, or is under unary signs (`2 * -sin x`), else None."""
    while isinstance(item, Unary):
        item = item.operand
    return item if isinstance(item, FunctionName) else None


def _apply_functions(items, ops, op_pos, implicit):
    """Give each function name its argument: the juxtaposed factors after it, up to the next
    function name or written operator. A parenthesised factor right after the name is the
    whole argument (`sin^2(x) y`), and a name followed at once by another takes that
    application (`ln ln x`, `sin cos x`)."""
    if not any(_function_name_of(item) is not None for item in items):
        return items, ops, op_pos, implicit
    # imported past the common case: an import statement costs a lookup in the import
    # machinery each time it runs, and this runs for every product of a long expression
    from .errors import ParseError

    grouped = _GROUPED.get()
    tail: list = []       # (item, its index in items, whether it is an application), left to right
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        fn = _function_name_of(item)
        if fn is None:
            # a call of a known function, sin(x), is a function application too: an argument
            # stops before it (ln 2 log(x) is ln(2)*log(x)), and `sqrt sin(x)` takes it
            tail.insert(0, (item, k, isinstance(item, Call) and _is_function(item.name)))
            continue
        args, raised = [], None
        while len(args) < len(tail):
            candidate, index, applied = tail[len(args)]
            if not implicit[index - 1]:
                break                      # a written operator ends the argument
            if not args and isinstance(candidate, Pow) and id(candidate.base) in grouped:
                # cos^-1(x)^2 is (arccos x)^2, as sin(x)^2 is (sin x)^2: the parentheses right
                # after the name hold the whole argument, and the power is the application's
                args.append(candidate.base)
                raised = candidate
                break
            if applied:
                if not args:
                    args.append(candidate)  # sin cos x: the application after it
                break                      # sin x cos x: the next function starts a new factor
            args.append(candidate)
            if len(args) == 1 and id(candidate) in grouped:
                break
        if not args:
            raise ParseError(f"{fn.name} needs an argument after it: write {fn.name}(...)", pos=fn.pos)
        first = tail[0][1]
        del tail[:len(args)]
        if len(args) == 1:
            argument = args[0]
        else:
            argument = Chain(tuple(args), ("*",) * (len(args) - 1), tuple(op_pos[i - 1] for i in
                                                                         range(first + 1, first + len(args))),
                             (True,) * (len(args) - 1))
        application = _apply(fn, argument)
        if raised is not None:
            application = Pow(application, raised.exponent, raised.op_pos)
        tail.insert(0, (_in_place_of(item, application), k, True))
    new_items = [item for item, _, _ in tail]
    gaps = [index - 1 for _, index, _ in tail[1:]]
    return (new_items, [ops[g] for g in gaps], [op_pos[g] for g in gaps], [implicit[g] for g in gaps])


def _is_function(name: str) -> bool:
    from .functions import lookup

    return lookup(name) is not None


def _in_place_of(item, applied: Expr) -> Expr:
    """The application where the function name was, under the same unary signs (`-sin x`)."""
    if isinstance(item, FunctionName):
        return applied
    return Unary(item.op, _in_place_of(item.operand, applied), item.pos)


def _apply(fn: FunctionName, argument: Expr) -> Expr:
    from .errors import ParseError

    if fn.power is None:
        return Call(fn.name, (argument,), fn.pos)
    if fn.power == -1:
        from .functions import ALIASES, INVERSES

        name = ALIASES.get(fn.name, fn.name)
        if name not in INVERSES:
            raise ParseError(f"{fn.name}^-1 names no inverse function gradcli knows; for the reciprocal "
                             f"write ({fn.name} x)^-1", pos=fn.power_pos)
        return Call(INVERSES[name], (argument,), fn.pos)
    if fn.power < 0 or not float(fn.power).is_integer():
        p = f"{fn.power:g}"
        raise ParseError(f"{fn.name}^{p} is ambiguous: write ({fn.name} x)^{p} for a power, or the inverse "
                         f"function by name", pos=fn.power_pos)
    text = f"{fn.power:g}"
    return Pow(Call(fn.name, (argument,), fn.pos), Num(float(fn.power), text, fn.power_pos), fn.power_pos)


def postorder(root: Expr) -> list[Expr]:
    """Every node after its children, left to right, with an explicit stack.

    (The reverse of a root-first walk that visits children right to left.)"""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children())
    out.reverse()
    return out


def preorder(root: Expr) -> Iterator[Expr]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def transform(root: Expr, fn) -> Expr:
    """The tree rebuilt bottom-up, each node replaced by fn(node with its new children);
    parts that do not change are shared with the original. Iterative: any depth."""
    new: dict[int, Expr] = {}
    for node in postorder(root):
        kids = node.children()
        rebuilt = node
        if kids and any(new[id(k)] is not k for k in kids):
            rebuilt = with_children(node, [new[id(k)] for k in kids])
        new[id(node)] = fn(rebuilt)
    return new[id(root)]


def with_children(node: Expr, kids: list) -> Expr:
    """A copy of `node` whose children (in children() order) are `kids`."""
    if isinstance(node, Chain):
        return Chain(tuple(kids), node.ops, node.op_pos, node.implicit)
    if isinstance(node, Pow):
        return Pow(kids[0], kids[1], node.op_pos)
    if isinstance(node, Unary):
        return Unary(node.op, kids[0], node.pos)
    if isinstance(node, Call):
        return Call(node.name, tuple(kids), node.pos)
    if isinstance(node, ListLit):
        return ListLit(tuple(kids), node.pos)
    if isinstance(node, Program):
        defs = tuple((name, kid, pos) for (name, _, pos), kid in zip(node.definitions, kids))
        return Program(defs, kids[-1])
    if isinstance(node, Index):
        rest = iter(kids[1:])
        subs = tuple(Slice(tuple(None if p is None else next(rest) for p in sub.parts), sub.pos)
                     if isinstance(sub, Slice) else next(rest) for sub in node.subs)
        return Index(kids[0], subs, node.bracket_pos)
    raise TypeError(type(node).__name__)  # pragma: no cover - leaves have no children


def free_variables(root: Expr) -> list[str]:
    """Names that need a value, in order of first appearance (definitions and constants excluded)."""
    defined: set[str] = set()
    seen: dict[str, None] = {}
    parts = [(d[1], d[0]) for d in root.definitions] + [(root.body, None)] if isinstance(root, Program) else [(root, None)]
    for expr, name in parts:
        for node in preorder(expr):
            if isinstance(node, Var) and node.name not in defined and node.name not in CONSTANTS:
                seen.setdefault(node.name)
        if name is not None:
            defined.add(name)
    return list(seen)


def functions_used(root: Expr) -> list[str]:
    seen: dict[str, None] = {}
    for node in preorder(root):
        if isinstance(node, Call):
            seen.setdefault(node.name)
    return list(seen)


def to_text(root: Expr) -> str:
    """The expression fully parenthesised, showing exactly how it was read."""
    text: dict[int, str] = {}

    def sub_text(sub) -> str:
        if isinstance(sub, Slice):
            start, stop, step = (text[id(p)] if p is not None else "" for p in sub.parts)
            return f"{start}:{stop}" + (f":{step}" if sub.parts[2] is not None else "")
        return text[id(sub)]

    for node in postorder(root):
        if isinstance(node, Num):
            out = node.text
        elif isinstance(node, Var):
            out = node.name
        elif isinstance(node, Call):
            # the call's own parentheses already group each argument: sin(x ** 2), not sin((x ** 2))
            args = (text[id(a)][1:-1] if isinstance(a, (Chain, Pow, Unary)) else text[id(a)] for a in node.args)
            out = f"{node.name}({', '.join(args)})"
        elif isinstance(node, Chain):
            # all opening parentheses first: growing one string term by term is quadratic
            rest = "".join(f" {op} {text[id(item)]})" for op, item in zip(node.ops, node.items[1:]))
            out = "(" * len(node.ops) + text[id(node.items[0])] + rest
        elif isinstance(node, Pow):
            out = f"({text[id(node.base)]} ** {text[id(node.exponent)]})"
        elif isinstance(node, Unary):
            out = f"({node.op}{text[id(node.operand)]})"
        elif isinstance(node, Index):
            out = f"{text[id(node.target)]}[{', '.join(sub_text(s) for s in node.subs)}]"
        elif isinstance(node, ListLit):
            out = f"[{', '.join(text[id(i)] for i in node.items)}]"
        elif isinstance(node, Program):
            defs = "".join(f"{name} = {text[id(expr)]}; " for name, expr, _ in node.definitions)
            out = defs + text[id(node.body)]
        else:  # pragma: no cover - every node type is listed above
            raise TypeError(type(node).__name__)
        text[id(node)] = out
    return text[id(root)]
