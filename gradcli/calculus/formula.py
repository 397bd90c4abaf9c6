"""The derivative as a formula (`gradcli diff`), never printed before the engine agrees.

symbolic/ works the derivative out on the expression as written, rule by rule, and prints
it; here that formula is checked at random points against the reverse-mode engine's
derivative, with the machinery of `check` (its sampling, domains and tolerances). A
formula that disagrees is a bug of gradcli's, raised as FormulaMismatch, and never shown.

>>> f = diff("x^2 sin(x)", "x")
>>> f.text, f.latex
('x^2 cos(x) + 2x sin(x)', 'x^{2} \\\\cos x + 2 x \\\\sin x')
>>> diff("a*x^2 + b*x + c", "x", at={"a": "1"}).text
'2x + b'
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ..inputs import validate
from ..errors import NameLookupError, ValueInputError
from ..language.grammar import parse
from ..language.tree import Expr, free_variables
from ..symbolic.algebra import one_request


class FormulaMismatch(Exception):
    """A formula gradcli derived disagrees with its own engine: a bug, never a user error."""


class Formula(NamedTuple):
    expression: str          # as given
    wrt: list                # one name per order
    text: str                # gradcli syntax: reads back as the same formula
    latex_text: str | None   # (made when first asked for: see .latex)
    tree: Expr               # the formula as an expression tree (a Program when it has definitions)
    shared: object           # the formula as terms: symbolic/shared.Shared (definitions and body)
    steps: list              # the steps of the last differentiation (symbolic/derive.Step)
    value: float | None      # at `at`, when every variable has a value
    exact: str | None = None  # that value in closed form (-1/3, sqrt(2)/2), when it has a short one

    @property
    def latex(self) -> str:
        return self.latex_text if self.latex_text is not None else _latex(self.tree)


class Derivatives(NamedTuple):
    """What `diff` found: one Formula, or one per variable (the gradient)."""
    expression: str
    read: str                # the expression as read (before `at` substitutes values)
    formulas: dict           # {"x": Formula, ...} for a gradient, {"x,x": Formula} otherwise
    gradient: bool
    value: float | None      # the expression's, when every variable has a value
    at: dict                 # the values given, as typed: {"x": "pi/4"}
    notes: list              # for stderr: what the user should know about the formulas
    partial: bool            # several variables vary: partial derivatives
    exact: str | None = None  # the expression's value in closed form, when it has a short one


# what working a derivative out may cost (algebra.work(): arguments of the terms made) before
# it is worked definition by definition instead (symbolic/shared.py): a few hundredths of a second
BUDGET = 20_000
# a formula printed with more operations than this (and 4 times the expression's) is compared
# with the same worked definition by definition, and the shorter printed
LARGE = 2_000
# the self-check reads a formula's text back unless it is longer than this (the round trip of
# text to tree is tested on its own): reading is most of the time of a long derivative
READ_BACK = 20_000
# steps shown with their rule applied: at most this many, or until their applied lines hold this
# many characters (each is checked against the engine, about a millisecond)
STEPS_SHOWN = 200
STEPS_TEXT = 200_000


def diff(expr: str, wrt=None, at: dict | None = None, check: bool = True) -> Formula | Derivatives:
    """d expr / d wrt as a formula (wrt: "x", "x,x", "x,y" or a list). Without wrt, the
    expression's one variable, or else the gradient (returned as Derivatives)."""
    found = derivatives(expr, wrt, at, check, show_steps=True)
    if found.gradient:
        return found
    return next(iter(found.formulas.values()))


@one_request()  # the terms of one request: the text never depends on earlier work
def derivatives(expr: str, wrt=None, at: dict | None = None, check: bool = True,
                show_steps: bool = False) -> Derivatives:
    from ..language.problem import function_side, read
    from ..symbolic import algebra as A
    from ..symbolic.derive import derive

    expr = function_side(expr)  # f(x) = x^3, as a book gives it: x^3
    names = [] if wrt is None else validate.names(wrt, "--wrt")
    values = validate.bindings(at)
    tree = read(expr, set(names) | set(values))
    free = free_variables(tree)
    notes = []
    for name in values:
        if name not in free:
            raise ValueInputError(f"'{name}' is given a value but does not appear in the expression")
    for w in names:
        validate.not_a_constant(w, "a derivative: differentiate by a variable")
        if w not in free and free:  # most likely a slip: say which variables there are
            raise NameLookupError(f"cannot differentiate with respect to '{w}': it does not appear in the "
                                  f"expression (its variables: {', '.join(free)})")
    if not names and not free:
        raise ValueInputError("the expression has no variable: give --wrt to differentiate the constant anyway")
    if names and not free:
        notes.append(f"the expression is a constant: its derivative with respect to {names[0]} is 0")
    notes += _one_variable_or_a_product(free, names)
    # the variables differentiated: --wrt, or those without a value (or, all having one, all)
    variables = list(dict.fromkeys(names)) or [v for v in free if v not in values] or list(free)
    gradient = not names and len(variables) != 1
    orders = [[v] for v in variables] if gradient else [names or variables]
    # a value given to a variable not differentiated is substituted first: a parameter
    env = {n: (_exact_value(n, t), A.ZERO) for n, t in values.items() if n not in variables}
    budget = max(BUDGET, 100 * len(expr))  # a long expression may cost in proportion
    main = "x" if "x" in variables else orders[0][0]
    taken = set(free) | set(values)
    formulas = {}
    for order in orders:
        _, shared, steps = _worked_out(tree, order, env, main, show_steps, budget)
        if shared.definitions and show_steps and not steps:
            notes.append(f"{derivative_label(order)} is too large to show its steps; it is written with definitions")
        shared = _named(shared, taken)
        current = _as_expr(shared, main)
        formulas[",".join(order)] = Formula(expr, list(order), plain_text(current), None, current, shared, steps, None)
    parameters = {n: t for n, t in values.items() if n not in variables}
    if check:  # the formulas in general: the variables differentiated are sampled, not pinned
        for f in formulas.values():
            _self_check(expr, tree, f, parameters)
    if show_steps:  # each step's rule applied, checked like the formula
        for key, f in formulas.items():
            steps, note = _explained(tree, f, parameters, check)
            formulas[key] = f._replace(steps=steps)
            if note:
                notes.append(note)
    value = exact = None
    if free and set(values) >= set(free):  # every variable has a value: the numbers too
        point = {n: (_exact_value(n, t), A.ZERO) for n, t in values.items()}
        term = derive(tree, "", point, steps=False)[0]
        value, exact = _number(term), _closed(term, tree, values)
        for k, f in formulas.items():
            term = _substituted(f.tree, point)
            formulas[k] = f._replace(value=_number(term), exact=_closed(term, f.tree, values))
        where = ", ".join(f"{n} = {t}" for n, t in values.items())
        if not math.isfinite(value):
            notes.append(f"the expression is not defined at {where} (its value is {value})")
        for f in formulas.values():
            if not math.isfinite(f.value) and math.isfinite(value):
                notes.append(f"{derivative_label(f.wrt)} is not defined at {where} (its value is {f.value})")
    return Derivatives(expr, plain_text(tree), formulas, gradient, value, dict(values), notes,
                       len([n for n in free if n not in values or n in variables]) > 1, exact)


def _closed(term, tree: Expr, values: dict) -> str | None:
    """The value's closed form, held to the engine's float value of the same formula at the
    same point."""
    from ..engine.tensor import Tensor, no_grad
    from ..language.build import build

    import numpy as np

    with no_grad(), np.errstate(all="ignore"):
        point = {n: Tensor(np.float64(_number(_exact_value(n, t)))) for n, t in values.items()}
        return closed_value(term, float(build(tree, point).data))


def closed_value(term, numeric: float) -> str | None:
    """A term without variables in closed form (symbolic/numbers.closed_form) when it has a
    short one and its value agrees with `numeric`, the engine's, to 1e-9: what a line's point
    or diff's value at an exact point prints."""
    from ..symbolic.numbers import closed_form

    text = closed_form(term)
    if text is None:
        return None
    exact = _number(term)
    return text if math.isfinite(exact) and abs(exact - numeric) <= 1e-9 * max(1.0, abs(numeric)) else None


def derivative_label(order: list) -> str:
    """d/dx, d2/dx2, d2/dxdy."""
    if len(order) == 1:
        return f"d/d{order[0]}"
    if len(set(order)) == 1:
        return f"d{len(order)}/d{order[0]}{len(order)}"
    return f"d{len(order)}/" + "".join(f"d{w}" for w in order)


def _worked_out(tree, order: list, env: dict, main: str, show_steps: bool, budget: int):
    """(the expression as a term, the derivative as Shared terms, steps): worked on the
    expression as written, the textbook's way, the first derivative with its steps and further
    ones on the formula (with steps, each on the last one as printed); when that outgrows the
    budget, or comes out much longer than the expression, definition by definition."""
    from ..symbolic import algebra as A
    from ..symbolic import shared as S
    from ..symbolic.derive import derive, derive_term
    from ..symbolic.printer import to_expr

    limit = A.work() + budget
    try:
        value, term, steps = derive(tree, order[0], env, steps=show_steps, budget=limit)
        for k, w in enumerate(order[1:], start=2):
            if show_steps:  # each order worked on the last one as printed, with its steps
                _, term, more = derive(to_expr(term, main), w, budget=limit)
                steps += [s._replace(order=k) for s in more]
            else:
                term = derive_term(term, w, budget=limit)
    except A.TooLarge:
        value = derive(tree, "", env, steps=False)[0]
        return value, _by_definitions(value, order), []
    found = S.name_repeats(term)
    if S.total_size(found) > max(LARGE, 4 * S.printed_sizes(value)[value]):
        other = _by_definitions(value, order)
        if S.total_size(other) < S.total_size(found):
            return value, other, []
    return value, found, steps


def _explained(tree, formula: Formula, parameters: dict, check: bool) -> tuple:
    """(the steps, each with its rule in general and applied (symbolic/rules.py), a note or None).
    Each applied line is compared with the engine's derivative of its step's sub-expression at
    random points, as the formula is: one that disagrees is gradcli's bug and is never printed.
    Past STEPS_SHOWN steps or STEPS_TEXT characters of applied lines (a step's line holds its
    sub-expression, so nested expressions make them grow with the square of the depth), the
    rest are left out with a note, as the budget leaves out the steps of huge expressions."""
    from ..symbolic.printer import plain
    from ..symbolic.rules import explain

    out, size = [], 0
    for s in formula.steps:
        if len(out) >= STEPS_SHOWN or size > STEPS_TEXT:
            label = derivative_label(formula.wrt)
            return out, (f"{label}: only the first {len(out):,} of {len(formula.steps):,} steps are shown "
                         f"(the rest would print too much)")
        w = formula.wrt[s.order - 1]
        e = explain(s, w)
        applied = plain(e.applied)
        size += len(applied)
        if check:
            _check_step(tree, s, w, applied, parameters)
        out.append(s._replace(explained=e))
    return out, None


def _check_step(tree, step, w: str, applied: str, parameters: dict) -> None:
    """A step's rule applied against the engine's derivative of the step's sub-expression (with
    the expression's definitions, which the sub-expression may name), at random points."""
    from ..errors import GradcliError
    from ..language.tree import Program
    from ..symbolic.printer import plain
    from .sampling import NoValidPoints, compare

    node_text, applied_text = plain(step.node), applied
    defs = ""
    if isinstance(tree, Program) and step.order == 1:
        defs = "; ".join(f"{name} = {plain(e)}" for name, e, _ in tree.definitions) + "; "
    if w not in free_variables(parse(defs + node_text)):
        # a sum constant in w still names the sum rule (d/dx (e^y - e^(-y)) = 0 - 0): the engine
        # differentiates it by w all the same when w is there, times 0
        node_text = f"({node_text}) + 0*{w}"
    node_text, applied_text = defs + node_text, defs + applied
    names = set(free_variables(parse(node_text)))
    at = {n: t for n, t in parameters.items() if n in names}
    for span in (None, 1e3, 1e6):
        domain = None if span is None else {n: (-span, span) for n in names if n not in at}
        try:
            result = compare(node_text, [w], applied_text, at=dict(at), domain=domain, points=12,
                             rtol=1e-6, atol=1e-8)
            break
        except NoValidPoints:
            continue
        except GradcliError as exc:  # the applied line does not even read back: our bug too
            raise FormulaMismatch(f"the {step.rule} applied, {_short(applied)}, could not be checked: "
                                  f"{exc.message}") from None
    else:
        raise FormulaMismatch(f"the {step.rule} applied, {_short(applied)}, could not be checked anywhere")
    if result.failing:
        i = result.failing[0]
        where = ", ".join(f"{n} = {float(v):.6g}" for n, v in _point(result, i).items())
        raise FormulaMismatch(f"the {step.rule} applied, {_short(applied)}, disagrees with the engine at {where}: "
                              f"{float(result.got[i]):.10g} against {float(result.expected[i]):.10g}")


def _by_definitions(value, order: list):
    from ..symbolic import shared as S
    from ..symbolic.derive import derive_term

    prog = S.program(value)
    for w in order:
        prog = S.differentiate(prog, w, derive_term)
    return S.tidy(prog, set())


def _named(shared, taken: set):
    from ..symbolic import shared as S

    return S.rename(shared, taken)


def _as_expr(shared, main: str) -> Expr:
    """Shared terms as an expression tree: a Program when there are definitions."""
    from ..language.tree import Program
    from ..symbolic.printer import to_expr

    if hasattr(shared, "kind"):  # a bare term
        return to_expr(shared, main)
    body = to_expr(shared.body, main)
    if not shared.definitions:
        return body
    return Program(tuple((name.args[0], to_expr(rhs, main), 0) for name, rhs in shared.definitions), body)


def plain_text(tree: Expr) -> str:
    from ..symbolic.printer import plain

    return plain(tree)


def _one_variable_or_a_product(free: list, names: list) -> list:
    """A note for each longer name that reads as one variable but could be letters multiplied:
    `xy` is the variable xy unless x or y is named (--wrt, --at), as in check."""
    notes = []
    for name in [] if names else free:
        pieces = _pieces(name) if len(name) > 1 and name.isalpha() and name.isascii() else name
        if " " in pieces and (len(name) <= 3 or len(pieces.split()) < len(name)):
            notes.append(f"'{name}' is read as one variable; if it is a product, write {pieces}, or "
                         f"name the variables with --wrt")
    return notes


def _pieces(name: str) -> str:
    """A name as the fewest function names and letters: xsinx -> x sin x, xy -> x y."""
    from ..language.functions import lookup

    best = {0: []}   # position -> fewest pieces up to it
    for end in range(1, len(name) + 1):
        options = [best[end - 1] + [name[end - 1]]]
        options += [best[k] + [name[k:end]] for k in range(max(0, end - 6), end - 1) if lookup(name[k:end])]
        best[end] = min(options, key=len)
    return " ".join(best[len(name)])


def _exact_value(name: str, text):
    """A value given with --at as a term: `pi/4` stays pi/4, 0.5 becomes 1/2."""
    from ..symbolic import algebra as A
    from ..symbolic.derive import derive

    validate.not_a_constant(name)
    if not isinstance(text, str):
        import numpy as np

        arr = np.asarray(text, dtype=float)
        if arr.ndim:
            raise ValueInputError(f"the value of {name} must be a single number for diff")
        return A.num(float(arr))
    tree = parse(text)
    if free_variables(tree):
        raise ValueInputError(f"the value of {name}, {text!r}, must be a constant")
    value, _, _ = derive(tree, "", steps=False)
    try:
        finite = math.isfinite(_number(value))
    except OverflowError:
        finite = False
    if not finite:
        raise ValueInputError(f"the value of {name}, {text}, is not a finite number")
    return value


def _substituted(tree: Expr, point: dict):
    from ..symbolic.derive import derive

    return derive(tree, "", point, steps=False)[0]


def _number(term) -> float | None:
    """A term without variables, evaluated by the engine."""
    from ..engine.tensor import no_grad
    from ..language.build import build
    from ..symbolic.printer import plain, to_expr

    import numpy as np

    with no_grad(), np.errstate(all="ignore"):
        return float(build(parse(plain(to_expr(term))), {}).data)


def _latex(tree: Expr) -> str:
    from ..symbolic.latex import latex

    return latex(tree)


def _self_check(expr: str, tree: Expr, formula: Formula, at: dict) -> None:
    """The formula against the engine's derivative at random points (calculus/sampling.py, as `check` does): the
    text as printed, read back; a formula too long to read back quickly, as a tree."""
    from ..errors import GradcliError
    from .sampling import NoValidPoints, compare

    read = (tree, formula.tree) if len(formula.text) > READ_BACK else None
    sampled = [n for n in free_variables(tree) if n not in at]
    for span in (None, 1e3, 1e6):  # sqrt(x - 20) lives beyond check's default domain
        domain = None if span is None else {n: (-span, span) for n in sampled}
        try:
            # rounding in the engine's own derivative (1e-9 where the formula says 0) is no mismatch
            result = compare(expr, formula.wrt, formula.text, at=dict(at), domain=domain, points=12, read=read,
                             rtol=1e-6, atol=1e-8)
            break
        except NoValidPoints:
            continue
        except GradcliError as exc:
            raise FormulaMismatch(f"the formula {_short(formula.text)} could not be checked: {exc.message}") from None
    else:
        raise ValueInputError("the expression or its derivative is not defined at any point tried (up to "
                              "\u00b11,000,000): there is nothing to differentiate")
    if result.failing:
        i = result.failing[0]
        where = ", ".join(f"{n} = {float(v):.6g}" for n, v in _point(result, i).items())
        raise FormulaMismatch(f"the formula {_short(formula.text)} disagrees with the engine at {where}: "
                              f"{float(result.got[i]):.10g} against {float(result.expected[i]):.10g}")


def _point(c, i: int) -> dict:
    return {n: c.points[n][i] for n in c.sampled} | {n: v for n, v in c.pinned.items() if v.ndim == 0}


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:200] + f"... ({len(text):,} characters)"


def answer_text(expr: str, wrt=None, at: dict | None = None) -> str:
    """The correct derivative as `check --show-answer` prints it: the formula, or why there is none."""
    from ..errors import GradcliError

    try:
        found = derivatives(expr, wrt, at={n: _as_text(v) for n, v in (at or {}).items()})
    except GradcliError as exc:
        return f"(no formula: {exc.message})"
    except FormulaMismatch:
        return "(no formula: gradcli could not derive one that agrees with its engine)"
    return "; ".join(f.text for f in found.formulas.values())


def _as_text(value) -> str:
    import numpy as np

    if isinstance(value, str):
        return value
    arr = np.asarray(value, dtype=float)
    return repr(float(arr)) if arr.ndim == 0 else str(arr.tolist())
