"""The README's examples are real: each `$ command` with its output is run and compared."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gradcli.commands.group import main
from gradcli.language.functions import FUNCTIONS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def console_examples():
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.startswith("$ "):
                command, _, output = chunk[2:].partition("\n")
                yield command, output


# an example whose output has a line "..." shows only part of it
EXAMPLES = [(c, o) for c, o in console_examples() if o.strip() and "..." not in o.splitlines()]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One directory for all examples, in README order: a later one may read what an earlier wrote."""
    path = tmp_path_factory.mktemp("readme")
    # A ```toml block whose first line is `# NAME.toml` is a file the examples read.
    for block in re.findall(r"```toml\n# (\S+)\n(.*?)```", README, flags=re.S):
        (path / block[0]).write_text(block[1])
    return path


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output(command, expected, workdir):
    assert shutil.which("gradcli"), "gradcli must be installed"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    proc = subprocess.run(command + " 2>&1", shell=True, cwd=workdir, capture_output=True, text=True,
                          env=env, timeout=60)
    assert _steady(proc.stdout) == _steady(expected)


def _steady(text: str) -> str:
    """Wall-clock figures differ from run to run; everything else must match exactly."""
    return re.sub(r" +\d[\d.e+-]* s ", " N s ", text)


def test_readme_shows_commands_that_exist_and_every_function():
    for name in main.list_commands(None):
        assert f"gradcli {name}" in README
    for name in FUNCTIONS:
        assert f"`{FUNCTIONS[name].signature}`" in README
    assert "_GRADCLI_COMPLETE" in README
