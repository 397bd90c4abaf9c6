"""Formulas too big to print in one piece, written with definitions: `u1 = ...; u2 = ...; f`.

Two things make a derivative big. A subexpression can be printed many times although it is
one node of the formula (d/dx sin(sin(sin(x))) repeats the inner sines); `name_repeats` gives
such a node a name when the formula would otherwise be long. And a derivative can truly grow
(the fourth derivative of a product of 20 factors has thousands of terms once multiplied
out); for those, `program` writes the expression as definitions, each one operation on named
parts (products split in halves), and `differentiate` works the derivative definition by
definition, as forward-mode automatic differentiation does, so each order adds a few
definitions per definition instead of multiplying terms out. `tidy` then puts back every
definition used once. Everything is iterative or bounded by log2 of a product's length.

>>> from .algebra import add, fn, mul, sym
>>> x = sym("x")
>>> s = rename(name_repeats(mul(fn("sin", add(x, 1)), fn("cos", add(x, 1))), limit=1, smallest=1), set())
>>> [(n.args[0], r) for n, r in s.definitions], s.body
([('u1', 1 + x)], cos(u1)*sin(u1))
"""

from __future__ import annotations

from typing import NamedTuple

from . import algebra as A


class Shared(NamedTuple):
    definitions: tuple   # ((name as a SYM term, its formula), ...), each after those it uses
    body: A.Term


# names made while working, renamed at the end: no name a person types looks like them
_TEMP = "§"


def printed_sizes(root: A.Term) -> dict:
    """Each node's size as printed in full, shared parts counted every time they are printed."""
    sizes: dict = {}
    for node in A.postorder(root):
        if node.kind in (A.NUM, A.SYM):
            sizes[node] = 1
        else:
            sizes[node] = 1 + sum(sizes[a] for a in node.args if isinstance(a, A.Term))
    return sizes


def total_size(prog: Shared) -> int:
    """The operations printed: each definition's and the body's."""
    return sum(printed_sizes(t)[t] for t in [rhs for _, rhs in prog.definitions] + [prog.body])


def _uses(roots: list, named=lambda node, uses: False) -> dict:
    """How many times each node is printed, given roots printed once each and the nodes
    `named` printed once, in their definitions. Parents before children: reversed postorder."""
    order: list = []
    seen: set = set()
    for root in roots:
        for node in A.postorder(root):
            if node not in seen:
                seen.add(node)
                order.append(node)
    uses = dict.fromkeys(order, 0)
    for root in roots:
        uses[root] += 1
    for node in reversed(order):
        times = 1 if named(node, uses[node]) else uses[node]
        for a in node.args:
            if isinstance(a, A.Term):
                uses[a] += times
    return uses


def name_repeats(root: A.Term, limit: int = 400, smallest: int = 8) -> Shared:
    """`root` with a name for each part of at least `smallest` operations printed more than
    once, when printing it in full would take more than `limit` operations."""
    sizes = printed_sizes(root)
    if sizes[root] <= limit:
        return Shared((), root)
    chosen: set = set()

    def named(node, uses):
        if node is not root and uses > 1 and sizes[node] >= smallest and node.kind not in (A.NUM, A.SYM):
            chosen.add(node)
            return True
        return False

    _uses([root], named)
    mapping: dict = {}
    definitions = []
    for node in A.postorder(root):
        if node in chosen:
            name = A.sym(f"{_TEMP}{len(definitions) + 1}")
            definitions.append((name, substitute(node, mapping)))
            mapping[node] = name
    return Shared(tuple(definitions), substitute(root, mapping))


def substitute(root: A.Term, mapping: dict) -> A.Term:
    """`root` with the nodes in `mapping` replaced, rebuilt canonical, children first."""
    if not mapping:
        return root
    new: dict = {}
    for node in A.postorder(root):
        if node in mapping:
            new[node] = mapping[node]
        elif node.kind in (A.NUM, A.SYM):
            new[node] = node
        else:
            new[node] = rebuild(node, [new[a] if isinstance(a, A.Term) else a for a in node.args])
    return new[root]


def rebuild(node: A.Term, args: list) -> A.Term:
    k = node.kind
    if k == A.ADD:
        return A.add(*args)
    if k == A.MUL:
        return A.mul(*args)
    if k == A.POW:
        return A.pow_(*args)
    return A.fn(*args)  # FN: the name, then the arguments


class _Writer:
    """Definitions made so far; the same formula always gets the same name."""

    def __init__(self, definitions=()):
        self.definitions = list(definitions)
        self.names = {rhs: name for name, rhs in self.definitions}

    def define(self, rhs: A.Term) -> A.Term:
        if rhs.kind in (A.NUM, A.SYM):
            return rhs
        name = self.names.get(rhs)
        if name is None:
            name = self.names[rhs] = A.sym(f"{_TEMP}{len(self.definitions) + 1}")
            self.definitions.append((name, rhs))
        return name

    def product(self, factors: list) -> A.Term:
        """A product of many factors as halves, each named: its derivative has two terms."""
        level = list(factors)
        while len(level) > 2:
            level = [self.define(A.mul(*level[i:i + 2])) for i in range(0, len(level), 2)]
        return A.mul(*level)

    def each_operation(self, root: A.Term) -> A.Term:
        """Every operation of `root` a definition of its own; returns the name of the whole."""
        ref: dict = {}
        for node in A.postorder(root):
            if node.kind in (A.NUM, A.SYM):
                ref[node] = node
                continue
            args = [ref[a] if isinstance(a, A.Term) else a for a in node.args]
            if node.kind == A.MUL and len(args) > 2:
                ref[node] = self.define(self.product(args))
            else:
                ref[node] = self.define(rebuild(node, args))
        return ref[root]


def program(root: A.Term) -> Shared:
    writer = _Writer()
    body = writer.each_operation(root)
    return Shared(tuple(writer.definitions), body)


def differentiate(prog: Shared, wrt: str, derive_term) -> Shared:
    """d/d wrt of a program: each definition's derivative is a definition after it.
    derive_term(formula, derivatives of the names) is the rule for one formula."""
    writer = _Writer(prog.definitions)
    leaf = {A.sym(wrt): A.ONE}
    for name, rhs in prog.definitions:
        d = derive_term(rhs, leaf)
        if d is not A.ZERO:
            leaf[name] = writer.each_operation(d)
    body = writer.each_operation(derive_term(prog.body, leaf))
    return _live(Shared(tuple(writer.definitions), body))


def _live(prog: Shared) -> Shared:
    """Only the definitions the body needs."""
    needed = set(A.free_names(prog.body))
    kept = []
    for name, rhs in reversed(prog.definitions):
        if name in needed:
            kept.append((name, rhs))
            needed.update(A.free_names(rhs))
    kept.reverse()
    return Shared(tuple(kept), prog.body)


def tidy(prog: Shared, taken: set, smallest: int = 4) -> Shared:
    """Put back each definition printed once or smaller than `smallest` operations, then
    name the rest u1, u2, ... (skipping names in `taken`)."""
    prog = _live(prog)
    definitions = list(prog.definitions)
    names = {name for name, _ in definitions}
    uses = dict.fromkeys(names, 0)
    for root in [rhs for _, rhs in definitions] + [prog.body]:
        for node, times in _uses([root]).items():
            if node in uses:
                uses[node] += times
    mapping: dict = {}
    kept = []
    for name, rhs in definitions:
        rhs = substitute(rhs, mapping)
        if uses[name] <= 1 or printed_sizes(rhs)[rhs] < smallest:
            mapping[name] = rhs
        else:
            kept.append((name, rhs))
    body = substitute(prog.body, mapping)
    return rename(Shared(tuple(kept), body), taken)


def rename(prog: Shared, taken: set) -> Shared:
    mapping: dict = {}
    k = 0
    for name, _ in prog.definitions:
        k += 1
        while f"u{k}" in taken:
            k += 1
        mapping[name] = A.sym(f"u{k}")
    return Shared(tuple((mapping[n], substitute(rhs, mapping)) for n, rhs in prog.definitions),
                  substitute(prog.body, mapping))


def inline(prog: Shared) -> A.Term:
    """The program as one formula (for evaluating it, or differentiating it again)."""
    mapping: dict = {}
    for name, rhs in prog.definitions:
        mapping[name] = substitute(rhs, mapping)
    return substitute(prog.body, mapping)
