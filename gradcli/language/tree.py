"""The expression tree: small Expr nodes built straight from the parse, each with its position.

One parse serves many evaluations (check, minimize), lists its variables before any value is
known, and keeps each node's position for error messages. Nothing here recurses: deep
trees (10,000 nested parentheses) are walked with explicit stacks.

>>> from gradcli.language.grammar import parse
>>> tree = parse("u = x*y; sin(u) + 1/2x")
>>> tree
u = (x * y); (sin(u) + (1 / (2 * x)))
>>> free_variables(tree)
['x', 'y']
"""

from __future__ import annotations

from typing import Iterator

CONSTANTS = {"pi": 3.141592653589793, "e": 2.718281828459045}

# What pasted typography means (the grammar accepts these characters as operators).
_OPERATOR = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u00f7": "/", "^": "**"}
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
    """`a op b op c ...`, evaluated left to right; ops are '+', '-', '*', '/', '@'."""

    __slots__ = ("items", "ops", "op_pos", "implicit")

    def __init__(self, items: tuple, ops: tuple, op_pos: tuple, implicit: bool = False):
        self.items, self.ops, self.op_pos, self.implicit = items, ops, op_pos, implicit
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

    def _chain(self, kids, implicit=False):
        if implicit:
            items = tuple(kids)
            ops = ("*",) * (len(items) - 1)
            op_pos = tuple(item.pos for item in items[1:])
        else:
            items, op_pos = tuple(kids[0::2]), tuple(k.start_pos for k in kids[1::2])
            ops = tuple(_OPERATOR.get(str(k), str(k)) for k in kids[1::2])
        return Chain(items, ops, op_pos, implicit)

    def sum(self, kids):
        return self._chain(kids)

    product = sum

    def juxtaposed(self, kids):
        return self._chain(kids, implicit=True)

    def power(self, kids):
        base, op, exponent = kids
        return Pow(base, exponent, op.start_pos)

    power_nolist = power

    def power_sup(self, kids):
        base, sup = kids
        digits = str(sup).translate(_SUPERSCRIPT_DIGITS)
        return Pow(base, Num(float(digits), digits, sup.start_pos), sup.start_pos)

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
        return kids[1]

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
