"""No hidden state between parses or between requests (issue 23).

Parses running at once in threads (gradcli.evaluate from a thread pool, Dask's threaded
scheduler) read each text as a single parse does, and a derivative's text does not depend
on what the process worked out before it.
"""

import os
import subprocess
import sys
import threading

from gradcli.language.grammar import parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# texts whose reading uses what the parser notes as it goes: parenthesised factors after a
# function name (`sin^2(x) y` is sin(x)^2*y, not sin(x*y)^2), bars, split names
TEXTS = ["sin^2(x) y", "sin^2 x y", "sin(x) y", "cos^3(2x) y z", "ln ln x", "sin x cos x", "tan^-1(x) y",
         "||x|-1| y", "2x sin(x y) (x + 1)", "e^-2x (x)", "sec^2(x) (y)"]


def test_parses_in_eight_threads_read_as_one_parse_does():
    expected = {text: repr(parse(text)) for text in TEXTS}
    failures = []
    start = threading.Barrier(8)

    def work(seed):
        start.wait()
        for k in range(1000):
            text = TEXTS[(seed * 7 + k) % len(TEXTS)]
            got = repr(parse(text))
            if got != expected[text]:
                failures.append((text, got))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    try:
        threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not failures, f"{len(failures)} of 8000 parses read differently, e.g. {failures[0]}"


DIFF = "x^2 sin(x) + x cos(x)^2 / (1 + x)"
EARLIER = ["x^2 sin(x)", "cos(x)^2 x", "x cos(x) + sin(x)", "(1 + x) x^2 sin(x)", "sin(x)/(1+x)",
           "x^3 cos(x)^2 + sin(x) x", "tan(x) x^2", "e^x sin(x) x"]


def _fresh(expr: str) -> str:
    code = "import sys, gradcli; f = gradcli.diff(sys.argv[1], 'x'); print(f.text); print(f.latex)"
    return subprocess.run([sys.executable, "-c", code, expr], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout


def test_a_derivative_reads_the_same_after_other_derivatives_in_the_process():
    import gradcli

    for expr in EARLIER:
        for wrt in ("x", "x,x"):
            gradcli.diff(expr, wrt)
    f = gradcli.diff(DIFF, "x")
    assert f.text + "\n" + f.latex + "\n" == _fresh(DIFF)
