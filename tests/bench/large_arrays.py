"""Large arrays: the engine's forward + backward against hand-written NumPy, same run.

    python tests/bench/large_arrays.py [--sizes 1000000 10000000] [--repeat 5]

f(x, w) = mean(x**2/(x-2)) + sum(sin(w*x)*exp(-x**2)), x uniform in [3, 4], value and the
gradients for x and w. Time is the median of --repeat runs; peak memory is what tracemalloc
sees NumPy allocate above the inputs. Goals (issue 5): time and peak memory at most 1.15x and
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


def measure(fn, x, w, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn(x, w)
        times.append(time.perf_counter() - began)
    tracemalloc.start()
    fn(x, w)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10**6, 10**7])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'n':>10} {'by hand':>10} {'engine':>10} {'time':>7} {'memory':>7}")
    for n in args.sizes:
        x, w = rng.uniform(3, 4, n), rng.standard_normal(n)
        v1, gx1, gw1 = by_hand(x, w)
        v2, gx2, gw2 = engine(x, w)
        assert np.isclose(v1, v2, rtol=1e-12) and np.allclose(gx1, gx2, rtol=1e-10) and np.allclose(gw1, gw2, rtol=1e-10)
        # alternate the two so that machine noise falls on both alike
        (t_hand, m_hand), (t_eng, m_eng) = measure(by_hand, x, w, args.repeat), measure(engine, x, w, args.repeat)
        t_hand2, _ = measure(by_hand, x, w, args.repeat)
        t_hand = min(t_hand, t_hand2)
        print(f"{n:>10} {t_hand * 1000:8.1f}ms {t_eng * 1000:8.1f}ms {t_eng / t_hand:6.2f}x {m_eng / m_hand:6.2f}x")

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
