"""Rendering derivatives as formulas: text at the terminal (a tree of steps), LaTeX, JSON."""

from __future__ import annotations

import click

from ..calculus.formula import derivative_label


def _latex_name(wrt: list, partial: bool) -> str:
    """d/dx for a function of one variable, the partial sign for one of several."""
    d = r"\partial" if partial else "d"
    if len(wrt) == 1:
        return rf"\frac{{{d}}}{{{d} {wrt[0]}}}" if partial else rf"\frac{{d}}{{d{wrt[0]}}}"
    if len(set(wrt)) == 1:
        return rf"\frac{{{d}^{{{len(wrt)}}}}}{{{d} {wrt[0]}^{{{len(wrt)}}}}}" if partial else \
            rf"\frac{{d^{{{len(wrt)}}}}}{{d{wrt[0]}^{{{len(wrt)}}}}}"
    return rf"\frac{{\partial^{{{len(wrt)}}}}}{{" + " ".join(rf"\partial {w}" for w in reversed(wrt)) + "}"


def _text(term, variable) -> str:
    from ..symbolic.printer import plain, to_expr

    return plain(to_expr(term, variable))


def _latex(term, variable) -> str:
    from ..symbolic.latex import latex
    from ..symbolic.printer import to_expr

    return latex(to_expr(term, variable))


def step_dicts(formula) -> list:
    from ..symbolic.printer import plain

    out = []
    for s in formula.steps:
        w = formula.wrt[s.order - 1]
        item = {"rule": s.rule, "expression": plain(s.node), "derivative": _text(s.derivative, w), "depth": s.depth}
        if s.inner is not None:
            item["inner"] = _text(s.inner, w)
        if len(formula.wrt) > 1:
            item["order"] = s.order
            item["wrt"] = w
        out.append(item)
    return out


def to_dict(found, steps: bool) -> dict:
    """diff's JSON: "value" is the derivative's at the point (with every variable given),
    "function_value" the expression's."""
    out = {"expression": found.expression, "read": found.read}
    if found.gradient:
        out["wrt"] = list(found.formulas)
        out["gradient"] = {k: f.text for k, f in found.formulas.items()}
        out["latex"] = {k: f.latex for k, f in found.formulas.items()}
        if found.at:
            out["at"] = found.at
        if found.value is not None:
            out["value"] = {k: f.value for k, f in found.formulas.items()}
            out["function_value"] = found.value
        if steps:
            out["steps"] = {k: step_dicts(f) for k, f in found.formulas.items()}
        return out
    (f,) = found.formulas.values()
    out.update({"wrt": f.wrt, "derivative": f.text, "latex": f.latex})
    if found.at:
        out["at"] = found.at
    if found.value is not None:
        out["value"] = f.value
        out["function_value"] = found.value
    if steps:
        out["steps"] = step_dicts(f)
    return out


def print_text(found, steps: bool) -> None:
    given = ", ".join(f"{n} = {v}" for n, v in found.at.items())
    for formula in found.formulas.values():
        head = f"{derivative_label(formula.wrt)} ({found.read}) = {_one_per_line(formula)}"
        if given and found.value is None:
            head += f"    (with {given})"
        if not steps:
            click.echo(head)
        else:
            _print_steps(formula, head)
    if found.value is not None:
        point = ", ".join(f"{n} = {v}" for n, v in found.at.items())
        values = ", ".join(f"{derivative_label(f.wrt)} = {_number(f.value)}" for f in found.formulas.values())
        click.echo(f"at {point}: {values} (the expression: {_number(found.value)})")


def _one_per_line(formula) -> str:
    """A formula with definitions, each on a line of its own (it still pastes back whole)."""
    if not formula.shared.definitions:
        return formula.text
    from ..symbolic.printer import plain

    tree = formula.tree
    lines = [f"{name} = {plain(expr)};" for name, expr, _ in tree.definitions] + [plain(tree.body)]
    return "\n" + "\n".join("    " + line for line in lines)


def _number(v: float) -> str:
    return f"{v:.12g}"  # JSON has every digit


def _print_steps(formula, head: str) -> None:
    """The steps as a tree; of a higher derivative, the formula and then a tree per order."""
    from rich.tree import Tree

    from ..symbolic.printer import plain
    from .render import print_renderables

    if not formula.steps:
        click.echo(head)
        return
    trees, parents = [], []
    several = len(formula.wrt) > 1
    for s in formula.steps:
        w = formula.wrt[s.order - 1]
        rule = f"[{s.rule}" + (f", inner function {_text(s.inner, w)}" if s.inner is not None else "") + "]"
        if s.depth == 0:  # the outermost step of an order: the root of its tree
            label = f"{head}    {rule}" if not several else \
                f"{s.order}. d/d{w} ({plain(s.node)}) = {_text(s.derivative, w)}    {rule}"
            trees.append(Tree(label))
            parents = [trees[-1]]
            continue
        label = f"d/d{w} ({plain(s.node)}) = {_text(s.derivative, w)}    {rule}"
        del parents[s.depth:]
        parents.append(parents[-1].add(label))
    if several:
        click.echo(head)
    print_renderables(trees, unbounded=True)


def latex_text(found, steps: bool) -> str:
    from ..symbolic.latex import latex
    from ..language.grammar import parse

    lines = []
    for formula in found.formulas.values():
        name = _latex_name(formula.wrt, found.partial)
        read = latex(parse(found.read)) if found.read else ""
        if not steps:
            lines.append(rf"{name}\left({read}\right) = {formula.latex}")
            continue
        body = [rf"{name}\left({read}\right) &= {formula.latex}"]
        for k, s in enumerate(formula.steps):
            w = formula.wrt[s.order - 1]
            if k == 0 and s.depth == 0 and len(formula.wrt) == 1:  # the whole expression: its rule on line one
                body[0] += rf" && \text{{{s.rule}}}"
                continue
            rule = s.rule + (f", inner function ${_latex(s.inner, w)}$" if s.inner is not None else "")
            d = _latex_name([w], found.partial)
            body.append(rf"{d}\left({latex(s.node)}\right) &= {_latex(s.derivative, w)}"
                        rf" && \text{{{rule}}}")
        lines.append("\\begin{align}\n" + " \\\\\n".join(body) + "\n\\end{align}")
    return "\n".join(lines)
