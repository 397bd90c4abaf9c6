"""Hessians: the engine's vectorised Hessian against an analytic NumPy Hessian, same run.

    python tests/bench/hessian.py [--sizes 10 100 1000] [--repeat 5]

Rosenbrock sum(100*(x[1:]-x[:-1]**2)**2 + (1-x[:-1])**2) at a random point. The engine
builds the gradient's graph once (create_graph) and pushes the rows through it as one batch:
all n one-hot rows when n is small, and from n = 128 on only three, because the Hessian is
tridiagonal and gradcli/sparsity.py finds that out (the --dense line shows the cost without
it). Goal (issue 5): at most 40x the analytic version at every n. Figures are medians, as
ratios to the baseline measured beside them.
"""

import argparse
import statistics
import time

import numpy as np

import gradcli
from gradcli.engine import derivatives
from gradcli.engine.derivatives import hessian


def analytic(x):
    n = x.size
    h = np.zeros((n, n))
    d = np.zeros(n)
    d[:-1] += 1200 * x[:-1] ** 2 - 400 * x[1:] + 2
    d[1:] += 200
    h[np.arange(n), np.arange(n)] = d
    off = -400 * x[:-1]
    h[np.arange(n - 1), np.arange(1, n)] = off
    h[np.arange(1, n), np.arange(n - 1)] = off
    return h


def engine(x):
    t = gradcli.as_tensor(x, requires_grad=True)
    f = gradcli.sum(100 * (t[1:] - t[:-1] ** 2) ** 2 + (1 - t[:-1]) ** 2)
    return hessian(f, [t])


def median_time(fn, x, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--dense", action="store_true", help="also time the dense batch (no band found)")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'n':>6} {'analytic':>11} {'engine':>11} {'ratio':>7}")
    for n in args.sizes:
        x = rng.uniform(-2, 2, n)
        np.testing.assert_allclose(engine(x), analytic(x), rtol=1e-12, atol=1e-9)
        base = min(median_time(analytic, x, args.repeat), median_time(analytic, x, args.repeat))
        ours = median_time(engine, x, args.repeat)
        print(f"{n:>6} {base * 1000:9.3f}ms {ours * 1000:9.3f}ms {ours / base:6.1f}x")
        if args.dense:
            saved, derivatives.COMPRESS_FROM = derivatives.COMPRESS_FROM, float("inf")
            dense = median_time(engine, x, args.repeat)
            derivatives.COMPRESS_FROM = saved
            print(f"{'':>6} {'dense batch':>11} {dense * 1000:9.3f}ms {dense / base:6.1f}x")


if __name__ == "__main__":
    main()
