"""An expression as a person writes it: fewest parentheses, `^` for powers, `2x` and `x sin(x)`
for products, in gradcli's own syntax, so the text reads back as the same expression.

>>> from gradcli.language.grammar import parse
>>> plain(parse("((x**2) * sin(5*x)) + (2*x) / (x + 1)"))
'x^2 sin(5x) + 2x/(x + 1)'
>>> plain(parse("-(a - b) - (c + d)^(1/2)"))
'-(a - b) - (c + d)^(1/2)'
"""

from __future__ import annotations

from ..language.tree import Call, Chain, Expr, Num, Pow, Unary, Var, postorder, to_text

SUM, NEG, PROD, POW, ATOM = 1, 2, 3, 4, 5


def number_text(value: float) -> str:
    """2.0 -> '2', 0.5 -> '0.5', 1e-20 -> '1e-20' (repr: every digit that matters)."""
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def plain(root: Expr) -> str:
    """The text of `root` with minimal parentheses (iterative: any depth)."""
    out: dict[int, tuple[str, int]] = {}
    for node in postorder(root):
        out[id(node)] = _one(node, out)
    return out[id(root)][0]


def _one(node: Expr, out: dict) -> tuple[str, int]:
    if isinstance(node, Num):
        text = node.text if node.text and node.value >= 0 else number_text(node.value)
        return (text, ATOM) if not text.startswith("-") else (text, NEG)
    if isinstance(node, Var):
        return node.name, ATOM
    if isinstance(node, Call):
        return f"{node.name}({', '.join(out[id(a)][0] for a in node.args)})", ATOM
    if isinstance(node, Unary):
        text, prec = out[id(node.operand)]
        if node.op == "+":
            return text, prec
        return ("-(" + text + ")" if prec <= NEG else "-" + text), NEG
    if isinstance(node, Pow):
        base, bprec = out[id(node.base)]
        exp, eprec = out[id(node.exponent)]
        base = base if bprec == ATOM else f"({base})"
        negative_number = isinstance(node.exponent, Unary) and isinstance(node.exponent.operand, Num)
        exp = exp if eprec == ATOM or negative_number else f"({exp})"
        return f"{base}^{exp}", POW
    if isinstance(node, Chain):
        if node.ops[0] in "+-":
            return _sum(node, out), SUM
        return _product(node, out), PROD
    return to_text(node), ATOM  # lists, indexing, definitions: the reading as parsed


def _sum(node: Chain, out: dict) -> str:
    parts = [out[id(node.items[0])][0]]
    for op, item in zip(node.ops, node.items[1:]):
        text, prec = out[id(item)]
        parts.append(f" {op} " + (f"({text})" if prec <= SUM else text))
    return "".join(parts)


def _product(node: Chain, out: dict) -> str:
    first, prec = out[id(node.items[0])]
    parts = [f"({first})" if prec <= SUM else first]
    left = node.items[0]
    for op, item in zip(node.ops, node.items[1:]):
        text, prec = out[id(item)]
        if op == "*":
            if prec <= NEG:
                after_name = parts[-1][-1].isalpha() or parts[-1][-1] == "_"
                parts.append(f"*({text})" if after_name or prec == NEG else f"({text})")
            elif isinstance(item, Num) or text[0].isdigit() or text[0] == ".":
                parts.append(f"*{text}")
            elif isinstance(left, Num) and not isinstance(item, Call):
                parts.append(text)                    # 2x, 3(x + 1)^2
            elif text.startswith("(") and not parts[-1].endswith(")"):
                parts.append(f"*{text}")              # x*(x + 1): x( would be a call
            else:
                parts.append(f" {text}")              # x sin(x), 2 sin(x), x y
        else:
            parts.append(f"{op}({text})" if prec <= PROD else f"{op}{text}")
        left = item
    return "".join(parts)
