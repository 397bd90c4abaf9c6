"""A reader that closes the pipe before gradcli writes (`| head -c0`) changes nothing but
the output: every command, in every output mode, ends quietly with its own exit status
(issue 23; Click's own handler would exit 1, which means "incorrect" for check)."""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CASES = [
    ["eval", "sum(x**2)", "-a", "x=[1,2,3]", "--json"],
    ["eval", "sum(x**2)", "-a", "x=[1,2,3]"],
    ["eval", "x*y", "--grid", "x=0:1:50,y=0:1:4", "--csv"],
    ["eval", "x*y", "--grid", "x=0:1:50,y=0:1:4", "--json"],
    ["eval", "x*y", "--grid", "x=0:1:50,y=0:1:4"],
    ["eval", "x**2", "-a", "x=1", "--check-grad"],
    ["diff", "x^2 sin x", "--steps"],
    ["diff", "x^2 sin x", "--json"],
    ["taylor", "e^x", "--degree", "4"],
    ["taylor", "e^x", "--degree", "4", "--json"],
    ["plot", "x^3 - 3x"],
    ["plot", "x^3 - 3x", "--json"],
    ["parse", "1/2x"],
    ["check", "x^2", "--answer", "2x"],
    ["check", "x^2", "--answer", "3x"],
    ["check", "x^2", "--answer", "3x", "--json"],
    ["minimize", "x^2", "-s", "x=1", "--lr", "10"],
    ["minimize", "x^2", "-s", "x=1", "--lr", "0.1", "--json"],
]


def _gradcli():
    exe = shutil.which("gradcli")
    if exe is None:
        pytest.skip("gradcli is not installed")
    return exe


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_a_pipe_closed_before_the_first_byte_keeps_the_commands_status(args):
    cmd = [_gradcli(), *args]
    own = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    # stdout is a pipe whose reading end is closed before gradcli has started: its first
    # write (or flush) fails with EPIPE, every time
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(cmd, stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert proc.returncode == own.returncode, proc.stderr
    # no "Broken pipe", no traceback: only lines the command says anyway (what it would have
    # said on stderr after its output, such as check's summary, may go unsaid)
    assert set(proc.stderr.splitlines()) <= set(own.stderr.splitlines()), proc.stderr
