"""Large arrays: the engine's forward + backward against hand-written NumPy, same run.

    python tests/bench/large_arrays.py [--sizes 1000000 10000000] [--repeat 5]

f(x, w) = mean(x**2/(x-2)) + sum(sin(w*x)*exp(-x**2)), x uniform in [3, 4], value and the
gradients for x and w. The two alternate for --repeat rounds; time is the ratio of the medians,
with the ratio of the fastest runs beside it; peak memory is what tracemalloc sees NumPy
allocate above the inputs. Goals (issue 5): time and peak memory at most 1.15x and
1.3x the hand-written version at both sizes. The last lines time the same through the CLI
with @x.npy inputs, against loading the inputs and the hand-written code in a fresh process.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

import gradcli

EXPR = "mean(x**2/(x-2)) + sum(sin(w*x)*exp(-x**2))"


def by_hand(x, w):
    n = x.size
    d = x - 2.0
    q = x * x / d
    t = w * x
    s, c = np.sin(t), np.cos(t)
    e = np.exp(-(x * x))
    value = q.mean() + np.sum(s * e)
    gx = x * (x - 4.0) / (d * d) / n + e * (c * w - 2.0 * x * s)
    gw = c * x * e
    return value, gx, gw


def engine(x, w):
    xt = gradcli.as_tensor(x, requires_grad=True)
    wt = gradcli.as_tensor(w, requires_grad=True)
    y = gradcli.mean(xt ** 2 / (xt - 2)) + gradcli.sum(gradcli.sin(wt * xt) * gradcli.exp(-xt ** 2))
    gx, gw = gradcli.grad(y, [xt, wt])
    return float(y.data), gx.data, gw.data


def peak_memory(fn, x, w):
    tracemalloc.start()
    fn(x, w)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def interleaved(fns, x, w, repeat):
    """Times of each function, run in turn each round so that machine noise falls on all."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, acc in zip(fns, times):
            began = time.perf_counter()
            fn(x, w)
            acc.append(time.perf_counter() - began)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10**6, 10**7])
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print("time: ratio of medians (ratio of the fastest runs, which timeit's documentation calls the least disturbed)")
    print(f"{'n':>10} {'by hand':>10} {'engine':>10} {'time':>15} {'memory':>7}")
    for n in args.sizes:
        x, w = rng.uniform(3, 4, n), rng.standard_normal(n)
        v1, gx1, gw1 = by_hand(x, w)
        v2, gx2, gw2 = engine(x, w)
        assert np.isclose(v1, v2, rtol=1e-12) and np.allclose(gx1, gx2, rtol=1e-10) and np.allclose(gw1, gw2, rtol=1e-10)
        hand, ours = interleaved([by_hand, engine], x, w, args.repeat)
        median = statistics.median(ours) / statistics.median(hand)
        best = min(ours) / min(hand)
        memory = peak_memory(engine, x, w) / peak_memory(by_hand, x, w)
        print(f"{n:>10} {statistics.median(hand) * 1000:8.1f}ms {statistics.median(ours) * 1000:8.1f}ms "
              f"{median:5.2f}x ({best:4.2f}x) {memory:6.2f}x")

    exe = shutil.which("gradcli")
    if exe:
        n = args.sizes[0]
        with tempfile.TemporaryDirectory() as tmp:
            xs, ws = os.path.join(tmp, "x.npy"), os.path.join(tmp, "w.npy")
            np.save(xs, rng.uniform(3, 4, n))
            np.save(ws, rng.standard_normal(n))
            hand = [sys.executable, "-c", "import numpy as np, sys; sys.path.insert(0, %r); from large_arrays import by_hand; "
                    "by_hand(np.load(%r), np.load(%r))" % (os.path.dirname(os.path.abspath(__file__)), xs, ws)]
            cli = [exe, "eval", EXPR, "-a", f"x=@{xs},w=@{ws}", "--json"]
            th, tc = [], []
            for _ in range(args.repeat):
                for cmd, acc in ((hand, th), (cli, tc)):
                    began = time.perf_counter()
                    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
                    acc.append(time.perf_counter() - began)
            print(f"CLI with @x.npy inputs, n={n}: {statistics.median(tc) * 1000:.0f}ms, "
                  f"{statistics.median(tc) / statistics.median(th):.2f}x a fresh process running the hand-written code "
                  "(the CLI also writes 2n numbers as JSON)")


if __name__ == "__main__":
    main()
