"""Drawing a Plot (gradcli/plotting.py): in the terminal with uniplot, to a file with matplotlib.

Only `gradcli plot` imports this module, and each drawing library loads inside the function
that uses it, so no other command pays for them.

Why uniplot for the terminal: it is maintained (releases through 2026), it needs only NumPy,
which we load anyway, and costs ~30 ms to import (plotext ~150 ms; plotille ~4 ms); it leaves
a gap at NaN by itself, where plotille raises on NaN; its colours are a list we choose or
none at all; and `plot_to_string` gives plain text with a hard line-length cap, with an ASCII
character set that marks each series with its own character, so a plot without colour
(a pipe, NO_COLOR) still tells its curves apart.
"""

from __future__ import annotations

import warnings

import numpy as np

COLOURS = ["blue", "red", "green", "cyan", "yellow"]           # f, f', f'', f''', f^(4)
CHARACTERS = ["*", "+", "x", "~", "="]                         # the same, without colour
# The marks share a colour no curve has, and differ in shape: a + for a critical point, an
# x for an inflection point (in braille dots; in plain text, O and #).
TANGENT = ("magenta", ".")
CRITICAL = ("magenta", "O")
INFLECTION = ("magenta", "#")


def _series(p, width: int, height: int, fine: bool):
    """(xs, ys, label, colour, character, drawn as a line) for each thing on the plot."""
    out = []
    for k, curve in enumerate(p.curves):
        out.append((p.x, curve, p.name(k), COLOURS[k], CHARACTERS[k], True))
    a, b = p.domain
    if p.tangent is not None:
        ends = np.array([a, b])
        out.append((ends, p.tangent.slope * ends + p.tangent.intercept, f"tangent at {p.variable} = {p.tangent.x0:g}",
                    *TANGENT, True))
    lo, hi = p.y_range
    for points, label, (colour, char) in ((p.critical_points, "critical points", CRITICAL),
                                          (p.inflection_points, "inflection points", INFLECTION)):
        points = [q for q in points if lo <= q.y <= hi]
        if not points:
            continue
        xs, ys = np.array([q.x for q in points]), np.array([q.y for q in points])
        if fine:
            # A braille dot alone is hard to see: a small cross of five, one dot apart.
            dx, dy = (b - a) / (2 * width), (hi - lo) / (4 * height)
            sx, sy = ([-1, 1, 0, 0], [0, 0, -1, 1]) if char == "O" else ([-1, 1, -1, 1], [-1, 1, 1, -1])
            xs = np.concatenate([xs] + [xs + i * dx for i in sx])
            ys = np.concatenate([ys] + [ys + j * dy for j in sy])
        out.append((xs, ys, label, colour, char, False))
    return out


def terminal(p, columns: int, rows: int, colour: bool) -> list[str]:
    """The plot as lines of at most `columns` characters; ANSI colours only when `colour`."""
    from uniplot import plot_to_string

    width = max(columns - 12, 10)
    series = _series(p, width, rows, colour)
    a, b = p.domain
    lo, hi = p.y_range
    # uniplot rasterises every segment whole, even far outside the view (a pole's 1e15 would
    # take gigabytes): values are clipped to a band around the view, which moves a line's
    # crossing of the border by less than one sample step, far less than a character.
    band = 2 * (hi - lo)
    # a curve with no finite value has nothing to draw (uniplot would fail on it)
    series = [(xs, np.clip(ys, lo - band, hi + band), *rest) for xs, ys, *rest in series if np.isfinite(ys).any()]
    # ticks of 1e100 or 1e-9 written out in full would leave no room for the plot: the axes
    # count in units of a power of ten, named beside them
    ex, ey = _exponent(max(abs(a), abs(b))), _exponent(max(abs(lo), abs(hi)))
    a, b, lo, hi = a / 10.0**ex, b / 10.0**ex, lo / 10.0**ey, hi / 10.0**ey
    series = [(xs / 10.0**ex, ys / 10.0**ey, *rest) for xs, ys, *rest in series]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # uniplot casts NaN (our gaps) to int on its way
        text = plot_to_string([s[1] for s in series], [s[0] for s in series], lines=[s[5] for s in series],
                              legend_labels=[s[2] for s in series], color=[s[3] for s in series] if colour else False,
                              character_set="braille" if colour else "ascii",
                              force_ascii_characters=[s[4] for s in series], width=width, height=rows,
                              line_length_hard_cap=columns, x_min=a, x_max=b, y_min=lo, y_max=hi,
                              legend_placement="vertical" if _legend_width(series) > columns else "auto")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        y_name = "y" + (f" ×1e{ey}" if ey else "")
        if line.startswith("┌") and len(line) + 1 + len(y_name) <= columns:
            lines[i] = line + " " + y_name
        if line.startswith("└"):
            # the x axis's name, under the middle of its ticks
            x_name = p.variable + (f" ×1e{ex}" if ex else "")
            lines.insert(i + 2, " " * max(len(line) // 2 - len(x_name) // 2, 0) + x_name)
            break
    return lines


def _exponent(size: float) -> int:
    """The power of ten an axis counts in: 0 for sizes a tick label shows as they are."""
    if not np.isfinite(size) or size == 0 or 1e-3 <= size < 1e5:
        return 0
    return int(np.floor(np.log10(size)))


def _legend_width(series) -> int:
    return sum(len(s[2]) + 6 for s in series)


FORMATS = (".png", ".svg", ".pdf")


def save(p, path: str) -> None:
    """The same figure, drawn by matplotlib into a .png, .svg or .pdf file."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # matplotlib's own overflow warnings on huge ranges
        _draw(p, path)


def _draw(p, path: str) -> None:
    from matplotlib.figure import Figure  # no pyplot: no GUI backend is chosen or needed

    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    palette = ["tab:blue", "tab:red", "tab:green", "tab:cyan", "tab:purple"]
    for k, curve in enumerate(p.curves):
        ax.plot(p.x, curve, color=palette[k], label=f"{p.name(k)}({p.variable})")
    a, b = p.domain
    if p.tangent is not None:
        ends = np.array([a, b])
        ax.plot(ends, p.tangent.slope * ends + p.tangent.intercept, "--", color="goldenrod",
                label=f"tangent at {p.variable} = {p.tangent.x0:g}: {p.tangent.equation}")
    if p.critical_points:
        ax.plot([q.x for q in p.critical_points], [q.y for q in p.critical_points], "o", color="black",
                label="critical points", zorder=5)
    if p.inflection_points:
        ax.plot([q.x for q in p.inflection_points], [q.y for q in p.inflection_points], "D", color="black",
                mfc="white", label="inflection points", zorder=5)
    ax.set_xlim(a, b)
    ax.set_ylim(*p.y_range)
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel(p.variable)
    ax.set_ylabel("y")
    ax.set_title(f"f({p.variable}) = {p.expression}")
    ax.grid(True, color="0.92")
    ax.legend(loc="best", fontsize="small")
    fig.savefig(path)
