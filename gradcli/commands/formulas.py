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
    """The steps for JSON: today's keys as they were, then the rule in general (`formula`), the
    rule applied (`applied`, gradcli syntax: it pastes back into eval), what its letters stand
    for (`with`) and, for logarithmic differentiation, the lines in between (`lines`)."""
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
        e = s.explained
        if e is not None:
            item["formula"] = e.formula
            item["applied"] = plain(e.applied)
            item["with"] = [f"{name} = {plain(piece)}" for name, piece in e.pieces]
            if e.lines:
                item["lines"] = [_line_text(line) for line in e.lines]
        out.append(item)
    return out


def _line_text(line) -> str:
    """ln(y) = x ln(x); y'/y = 1 ln(x) + x*1/x = ln(x) + 1."""
    from ..symbolic.printer import plain

    left, applied, simplified = line
    text = f"{left} = {plain(applied)}"
    if simplified is not None and plain(simplified) != plain(applied):
        text += f" = {plain(simplified)}"
    return text


def _step_lines(s, w: str) -> list:
    """A step's rule in general, its pieces, the rule applied and the result: each line
    readable without the step before (the pieces say what f' and du/dx are)."""
    from ..symbolic.printer import plain

    e = s.explained
    if e is None:
        return []
    lines = [("rule", e.formula)]
    if e.pieces:
        lines.append(("with", ", ".join(f"{name} = {plain(piece)}" for name, piece in e.pieces)))
    for line in e.lines:
        left, rest = _line_text(line).split(" = ", 1)
        lines.append((left, rest))
    lines.append(("applied", plain(e.applied)))
    lines.append(("result", _text(s.derivative, w)))
    return [f"    {name + ':':<9} {text}" for name, text in lines]


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
            out["exact_value"] = {k: f.exact for k, f in found.formulas.items()}
            out["exact_function_value"] = found.exact
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
        out["exact_value"] = f.exact
        out["exact_function_value"] = found.exact
    if steps:
        out["steps"] = step_dicts(f)
    return out


def _label(order: list, partial: bool) -> str:
    """d/dx, or for a function of several variables ∂/∂x, ∂²/∂x², ∂²/∂x∂y at a terminal that can
    show it; into a pipe or a file, and where the terminal's encoding has no ∂, today's ASCII
    d/dx (what scripts reading the text already parse)."""
    if not partial or not _unicode_out():
        return derivative_label(order)
    powers = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
    n = str(len(order)).translate(powers) if len(order) > 1 else ""
    if len(set(order)) == 1:
        return f"\u2202{n}/\u2202{order[0]}{n}"
    return f"\u2202{n}/" + "".join(f"\u2202{w}" for w in order)


def _unicode_out() -> bool:
    import sys

    out = sys.stdout
    if not (hasattr(out, "isatty") and out.isatty()):
        return False
    try:
        "\u2202\u00b2".encode(out.encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def print_text(found, steps: bool) -> None:
    given = ", ".join(f"{n} = {v}" for n, v in found.at.items())
    for formula in found.formulas.values():
        head = f"{_label(formula.wrt, found.partial)} ({found.read}) = {_one_per_line(formula)}"
        if given and found.value is None:
            head += f"    (with {given})"
        if not steps:
            click.echo(head)
        else:
            _print_steps(formula, head, found.partial)
    if found.value is not None:
        point = ", ".join(f"{n} = {v}" for n, v in found.at.items())
        values = ", ".join(f"{_label(f.wrt, found.partial)} = {_exact_number(f.exact, f.value)}"
                           for f in found.formulas.values())
        click.echo(f"at {point}: {values} (the expression: {_exact_number(found.exact, found.value)})")


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


def _exact_number(exact: str | None, v: float) -> str:
    """-1/3, or sqrt(2)/2 = 0.707106781187: the closed form, with its digits when they differ."""
    if exact is None or exact == _number(v):
        return _number(v)
    return exact if _plain_fraction(exact) else f"{exact} = {_number(v)}"


def _plain_fraction(text: str) -> bool:
    return all(c.isdigit() or c in "-/" for c in text)


def _print_steps(formula, head: str, partial: bool = False) -> None:
    """The steps as a tree, each with its rule, the rule applied and the result beneath it; of a
    higher derivative, the formula and then a tree per order."""
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
        d = _label([w], partial)
        rule = f"[{s.rule}" + (f", inner function {_text(s.inner, w)}" if s.inner is not None else "") + "]"
        below = "".join("\n" + line for line in _step_lines(s, w))
        if s.depth == 0:  # the outermost step of an order: the root of its tree
            label = f"{head}    {rule}" if not several else \
                f"{s.order}. {d} ({plain(s.node)}) = {_text(s.derivative, w)}    {rule}"
            trees.append(Tree(label + below))
            parents = [trees[-1]]
            continue
        label = f"{d} ({plain(s.node)}) = {_text(s.derivative, w)}    {rule}"
        del parents[s.depth:]
        parents.append(parents[-1].add(label + below))
    if several:
        click.echo(head)
    print_renderables(trees, unbounded=True)


def latex_text(found, steps: bool) -> str:
    """LaTeX; with steps, an align block: for each step d/dx(...) = the rule applied = the
    result, its rule in general and its pieces beside it, as in the text."""
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
            if k == 0 and s.depth == 0 and len(formula.wrt) == 1 and s.explained is None:
                body[0] += rf" && \text{{{s.rule}}}"  # (no rule applied: the whole expression's rule on line one)
                continue
            body += _latex_step(s, w, found.partial)
        lines.append("\\begin{align}\n" + " \\\\\n".join(body) + "\n\\end{align}")
    return "\n".join(lines)


def _latex_step(s, w: str, partial: bool) -> list:
    """A step's lines of the align block: the in-between lines of logarithmic differentiation,
    d/dx(...) &= the rule applied && the rule, in general, and its pieces; &= the result."""
    from ..symbolic.latex import latex
    from ..symbolic.rules import latex_of

    d = _latex_name([w], partial)
    rule = s.rule + (f", inner function ${_latex(s.inner, w)}$" if s.inner is not None else "")
    e = s.explained
    if e is None:
        return [rf"{d}\left({latex(s.node)}\right) &= {_latex(s.derivative, w)} && \text{{{rule}}}"]
    out = []
    lefts = {"ln(y)": r"\ln y", "y'/y": r"\frac{y'}{y}"}
    for left, applied, simplified in e.lines:
        line = rf"{lefts.get(left, left)} &= {latex_of(applied)}"
        if simplified is not None:
            line += rf" = {latex_of(simplified)}"
        out.append(line)
    pieces = ",\\ ".join(rf"{_latex_piece(name)} = {latex_of(piece)}" for name, piece in e.pieces)
    where = rf" && \text{{{rule}: }} {e.formula_latex}" + (rf",\quad {pieces}" if pieces else "")
    out.append(rf"{d}\left({latex(s.node)}\right) &= {latex_of(e.applied)}{where}")
    out.append(rf"&= {_latex(s.derivative, w)}")
    return out


def _latex_piece(name: str) -> str:
    """f, f', du/dx and (x^2)' as LaTeX."""
    if name.startswith("(") and name.endswith(")'"):
        from ..language.grammar import parse
        from ..symbolic.latex import latex

        return rf"\left({latex(parse(name[1:-2]))}\right)'"
    if "/" in name:
        top, bottom = name.split("/")
        return rf"\frac{{{top}}}{{{bottom}}}"
    return name
