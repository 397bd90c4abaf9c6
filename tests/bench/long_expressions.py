"""Long expressions from text: value and gradient in x, y of a K-term sum, same run baselines.

    python tests/bench/long_expressions.py [--sizes 100 1000 10000] [--repeat 3] [--no-sympy]

Each term is one of c*x**2, c*sin(x*y), c*exp(-x)*y, c*(x-y)**3, c*log(1+x**2) with a decimal
constant c (fixed seed). Baselines: a bare Lark LALR parse of the same string into a tree
(the parser floor) and SymPy parse + diff + evaluate. Goals: gradcli's parse (post-lexer and
tree included) at most 2x the bare parse (issue 24), total at most 2x the bare parse at every
K (issue 5), linear in K (the fitted exponent is printed), at least 3x faster than SymPy at
K = 10,000. The bare parse, gradcli's parse and the whole evaluation run in turn, and each
ratio is the median of the ratios within a turn, so the machine's drift cancels. Deep forms (10,000 nested parentheses, 2,000 nested calls, a
100,000-term chain, also with a Hessian) are timed last, at the default recursion limit.
"""

import argparse
import statistics
import sys
import time

import numpy as np

import gradcli
from gradcli.language.grammar import grammar_text, parse

TERMS = ["{c}*x**2", "{c}*sin(x*y)", "{c}*exp(-x)*y", "{c}*(x-y)**3", "{c}*log(1+x**2)"]


def expression(k: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    return " + ".join(TERMS[rng.integers(len(TERMS))].format(c=f"{rng.uniform(0.1, 9.9):.3f}") for _ in range(k))


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def paired(fns, repeat):
    """Each function timed once a turn, in turn; [(median time, median ratio to the first)]."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for ts, fn in zip(times, fns):
            began = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - began)
    return [(statistics.median(ts), statistics.median(t / b for t, b in zip(ts, times[0]))) for ts in times]


def sympy_route(text):
    import sympy

    x, y = sympy.symbols("x y")
    f = sympy.parse_expr(text)
    grads = [sympy.diff(f, v) for v in (x, y)]
    fn = sympy.lambdify((x, y), [f, *grads], "math")
    return fn(0.7, 0.3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-sympy", action="store_true")
    args = ap.parse_args()
    import lark

    bare = lark.Lark(grammar_text(), parser="lalr")
    at = {"x": 0.7, "y": 0.3}
    rows = []
    print(f"{'K':>7} {'bare parse':>11} {'our parse':>10} {'ratio':>6} {'gradcli':>10} {'ratio':>6} "
          f"{'sympy':>10} {'sympy/gradcli':>14}")
    for k in args.sizes:
        text = expression(k)
        r = gradcli.evaluate(text, at=at)
        (t_parse, _), (t_read, read_ratio), (t_ours, ratio) = paired(
            [lambda: bare.parse(text), lambda: parse(text), lambda: gradcli.evaluate(text, at=at)], args.repeat)
        if args.no_sympy:
            t_sym = float("nan")
        else:
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(100_000)  # SymPy's parser recurses; give it room (baseline only)
            try:
                ref = sympy_route(text)
                assert np.allclose([float(r.values[0]), float(r.grad["x"]), float(r.grad["y"])], ref, rtol=1e-9)
                t_sym = timed(lambda: sympy_route(text), 1)
            except RecursionError:
                t_sym = float("inf")
            finally:
                sys.setrecursionlimit(old)
        rows.append((k, t_ours))
        print(f"{k:>7} {t_parse * 1000:9.1f}ms {t_read * 1000:8.1f}ms {read_ratio:5.2f}x {t_ours * 1000:8.1f}ms "
              f"{ratio:5.2f}x {t_sym * 1000:8.0f}ms {t_sym / t_ours:13.1f}x")
    if len(rows) > 1:
        ks, ts = np.log([r[0] for r in rows]), np.log([r[1] for r in rows])
        print(f"fitted exponent of gradcli's time in K: {np.polyfit(ks, ts, 1)[0]:.2f} (1 = linear)")

    print("\ndeep forms at the default recursion limit", sys.getrecursionlimit())
    deep = {
        "10,000 nested parentheses": "(" * 10000 + "x" + ")" * 10000,
        "2,000 nested calls": "sin(" * 2000 + "x" + ")" * 2000,
        "100,000-term chain": "+".join(["x*y"] * 100000),
    }
    for name, text in deep.items():
        began = time.perf_counter()
        r = gradcli.evaluate(text, at=at, hessian=True)
        print(f"  {name:28} value, gradient and Hessian in {time.perf_counter() - began:6.2f}s "
              f"(last Hessian entry {r.hessian.matrix[-1][-1]:g})")


if __name__ == "__main__":
    main()
