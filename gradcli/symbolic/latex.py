"""An expression in LaTeX, as a textbook typesets it: \\frac, \\sqrt, \\sin x, \\sec^2 x, and
\\cdot only where juxtaposition would read wrong (between two numbers).

>>> from gradcli.language.grammar import parse
>>> latex(parse("x^2 sin(x) + 2x/(x + 1)"))
'x^{2} \\\\sin x + \\\\frac{2 x}{x + 1}'
>>> latex(parse("sec(x)^2 + sqrt(1 - x^2) + asin(2x)"))
'\\\\sec^{2} x + \\\\sqrt{1 - x^{2}} + \\\\arcsin\\\\left(2 x\\\\right)'
"""

from __future__ import annotations

from ..language.functions import lookup
from ..language.reading import GREEK
from ..language.tree import Call, Chain, Expr, Index, ListLit, Num, Pow, Program, Unary, Var, postorder, to_text

SUM, NEG, PROD, POW, ATOM = 1, 2, 3, 4, 5
# a textbook raises trig and hyperbolic functions and ln to a power before the argument: \sin^2 x
_POWERED_FAMILIES = ("trig rule", "hyperbolic rule")


def _row(name: str):
    """The function-table row whose LaTeX name `name` is set by: its own, or an alias's when the
    alias spells that command (arcsin, ln); other aliases (cosec) stay as typed."""
    fn = lookup(name)
    if fn is None or (name != fn.name and fn.latex != "\\" + name):
        return None
    return fn


LETTERS = {name: "\\" + name for name in set(GREEK.values()) if name not in ("omicron",)}
LETTERS.update({"pi": r"\pi", "Omicron": "O"})


def latex(root: Expr) -> str:
    out: dict[int, tuple[str, int]] = {}
    for node in postorder(root):
        out[id(node)] = _one(node, out)
    return out[id(root)][0]


def _name(node: Call) -> str:
    fn = _row(node.name)
    if fn is not None and fn.latex:
        return fn.latex
    return rf"\operatorname{{{node.name}}}"


def _powered(name: str) -> bool:
    fn = _row(name)
    return fn is not None and (fn.family in _POWERED_FAMILIES or fn.name == "log")


def _argument(text: str, prec: int, node: Expr) -> str:
    """`x` after \\sin when it is a single letter or number, else \\left(...\\right)."""
    if isinstance(node, (Var, Num)):
        return " " + text
    return rf"\left({text}\right)"


def _one(node: Expr, out: dict) -> tuple[str, int]:
    if isinstance(node, Num):
        return node.text, ATOM
    if isinstance(node, Var):
        name = node.name
        stem = name.rstrip("0123456789")
        if stem != name and stem:  # x1 and u27 as a subscript: x_{1}, u_{27}
            return _one(Var(stem, 0), out)[0] + f"_{{{name[len(stem):]}}}", ATOM
        if name in LETTERS:
            return LETTERS[name], ATOM
        return (name if len(name) == 1 else rf"\mathrm{{{name}}}"), ATOM
    if isinstance(node, Call):
        args = [out[id(a)][0] for a in node.args]
        if node.name == "sqrt":
            return rf"\sqrt{{{args[0]}}}", ATOM
        if node.name == "cbrt":
            return rf"\sqrt[3]{{{args[0]}}}", ATOM
        if node.name == "root" and len(args) == 2:
            return rf"\sqrt[{args[0]}]{{{args[1]}}}", ATOM
        if node.name == "abs":
            return rf"\left|{args[0]}\right|", ATOM
        if node.name in ("log", "ln") and len(args) == 2:
            return rf"\log_{{{args[1]}}}" + _argument(args[0], out[id(node.args[0])][1], node.args[0]), PROD
        if len(args) == 1:
            return _name(node) + _argument(args[0], out[id(node.args[0])][1], node.args[0]), PROD
        return _name(node) + r"\left(" + ", ".join(args) + r"\right)", ATOM
    if isinstance(node, Unary):
        text, prec = out[id(node.operand)]
        if node.op == "+":
            return text, prec
        return ("-" + (rf"\left({text}\right)" if prec <= NEG else text)), NEG
    if isinstance(node, Pow):
        return _power(node, out)
    if isinstance(node, Chain):
        if node.ops[0] in "+-":
            parts = [out[id(node.items[0])][0]]
            for op, item in zip(node.ops, node.items[1:]):
                text, prec = out[id(item)]
                parts.append(f" {op} " + (rf"\left({text}\right)" if prec <= SUM else text))
            return "".join(parts), SUM
        return _product(node, out)
    if isinstance(node, Program):  # the formula, then what its names stand for
        where = ",\\quad ".join(f"{_one(Var(name, 0), out)[0]} = {out[id(expr)][0]}"
                                for name, expr, _ in node.definitions)
        return rf"{out[id(node.body)][0]} \quad\text{{where }} {where}", SUM
    if isinstance(node, (Index, ListLit)):
        return r"\texttt{" + to_text(node).replace("_", r"\_") + "}", ATOM
    raise TypeError(type(node).__name__)  # pragma: no cover


def _power(node: Pow, out: dict) -> tuple[str, int]:
    base, bprec = out[id(node.base)]
    exponent, _ = out[id(node.exponent)]
    b = node.base
    if isinstance(b, Call) and _powered(b.name) and len(b.args) == 1 and isinstance(node.exponent, Num):
        # \sin^{2} x: the power goes on the function's name
        arg, aprec = out[id(b.args[0])]
        return f"{_name(b)}^{{{exponent}}}" + _argument(arg, aprec, b.args[0]), PROD
    if bprec < ATOM or (isinstance(b, Num) and "." in base):
        base = rf"\left({base}\right)"
    return f"{base}^{{{exponent}}}", POW


def _product(node: Chain, out: dict) -> tuple[str, int]:
    text, prec = out[id(node.items[0])]
    before_fraction = len(node.ops) > 0 and node.ops[0] == "/"
    acc = rf"\left({text}\right)" if prec <= SUM and not before_fraction else text
    left_number = isinstance(node.items[0], Num)
    fraction = False
    for op, item in zip(node.ops, node.items[1:]):
        text, prec = out[id(item)]
        if op == "/":
            acc = rf"\frac{{{acc}}}{{{text}}}"
            fraction, left_number = True, False
            continue
        if op == "@":
            acc = rf"{acc} \cdot {text}"
            continue
        if prec <= NEG:
            text = rf"\left({text}\right)"
        joiner = r" \cdot " if (left_number or fraction) and isinstance(item, Num) else " "
        acc = acc + joiner + text
        left_number, fraction = isinstance(item, Num), False
    return acc, PROD
