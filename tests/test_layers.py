"""The layers import downwards only: engine < language < symbolic < (errors, defaults) < inputs
< core (the modules at gradcli/'s top) < calculus < homework < commands.

Two ways of looking: every import statement in the source (function-local ones too, which a
fresh interpreter would not run), and what a fresh interpreter has loaded after importing a
layer.
"""

import ast
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "gradcli")
RANK = {"engine": 0, "language": 1, "symbolic": 2, "shared": 3, "inputs": 4, "core": 5, "calculus": 6,
        "homework": 7, "commands": 8}
SHARED = {"gradcli.errors", "gradcli.defaults"}   # every layer's typed errors and defaults
LOOSE = 8   # modules at gradcli/'s top, at most: the rest have a room of their own


def commands() -> list[str]:
    """The command modules, read from the group's own table of commands."""
    from gradcli.commands.group import COMMANDS as table

    return sorted(set(table.values()))


COMMANDS = commands()


def layer_of(module: str) -> str:
    """gradcli.engine.ops -> engine; gradcli.evaluation -> core; gradcli -> core."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in RANK:
        return parts[1]
    return "shared" if ".".join(parts[:2]) in SHARED else "core"


def modules():
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py") and name != "_parser.py":
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                yield (rel[: -len(".__init__")] if rel.endswith(".__init__") else rel), path


def imports(module: str, path: str):
    """(imported module, line) for every import of a gradcli module in the file."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            for name in names:
                if name.startswith("gradcli"):
                    yield name, node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("gradcli"):
                    yield a.name, node.lineno


def test_every_import_points_down_or_sideways():
    wrong = []
    for module, path in modules():
        if module in ("gradcli", "gradcli.__main__"):
            continue  # the package's doors: the Python API names anything lazily, `python -m` runs the CLI
        mine = layer_of(module)
        for target, line in imports(module, path):
            if target == "gradcli":  # the version number, nothing else
                continue
            if RANK[layer_of(target)] > RANK[mine]:
                wrong.append(f"{module} (line {line}) imports {target}, a layer above")
    assert not wrong, "\n".join(wrong)


def test_no_command_imports_another_command():
    wrong = []
    for module, path in modules():
        if layer_of(module) != "commands" or module.rsplit(".", 1)[-1] not in COMMANDS:
            continue
        for target, line in imports(module, path):
            other = target.rsplit(".", 1)[-1]
            if target.startswith("gradcli.commands.") and other in COMMANDS and target != module:
                wrong.append(f"{module} (line {line}) imports {target}")
    assert not wrong, "\n".join(wrong)


PROBE = "import importlib, json, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\nprint(json.dumps(sorted(sys.modules)))"


def loaded_after(*names):
    out = subprocess.run([sys.executable, "-c", PROBE, *names], capture_output=True, text=True, cwd=ROOT, check=True)
    return [m for m in json.loads(out.stdout) if m.startswith("gradcli")]


@pytest.mark.parametrize("layer,entry", [
    ("engine", ["gradcli.engine.tensor", "gradcli.engine.ops", "gradcli.engine.autograd",
                "gradcli.engine.derivatives", "gradcli.engine.sparsity"]),
    ("language", ["gradcli.language.grammar", "gradcli.language.build", "gradcli.language.functions"]),
    ("inputs", ["gradcli.inputs.values", "gradcli.inputs.validate", "gradcli.inputs.pointfiles"]),
    ("core", ["gradcli.evaluation", "gradcli.batches", "gradcli.api"]),
    ("calculus", ["gradcli.calculus.formula", "gradcli.calculus.optimize", "gradcli.calculus.sketch",
                  "gradcli.calculus.taylor"]),
    ("homework", ["gradcli.homework.derivative", "gradcli.homework.kinds", "gradcli.homework.sheets", "gradcli.homework.diagnosis",
                  "gradcli.homework.answers"]),
])
def test_a_fresh_interpreter_importing_a_layer_loads_nothing_above_it(layer, entry):
    above = [m for m in loaded_after(*entry) if m != "gradcli" and RANK[layer_of(m)] > RANK[layer]]
    assert not above, f"importing the {layer} loaded {above}"


def test_the_engine_knows_no_text():
    mods = loaded_after("gradcli.engine.derivatives", "gradcli.engine.ops")
    assert all(m == "gradcli" or m.startswith("gradcli.engine") for m in mods), mods


def test_every_package_ships():
    """A folder left out of pyproject.toml works in a checkout and is missing once installed."""
    import tomllib

    listed = set(tomllib.load(open(os.path.join(ROOT, "pyproject.toml"), "rb"))["tool"]["setuptools"]["packages"])
    folders = {os.path.relpath(d, ROOT).replace(os.sep, ".") for d, _, files in os.walk(PACKAGE)
               if "__init__.py" in files}
    assert folders <= listed, folders - listed


def test_few_modules_are_loose_at_the_top():
    loose = sorted(f for f in os.listdir(PACKAGE) if f.endswith(".py"))
    assert len(loose) <= LOOSE, loose


def test_the_command_list_is_the_groups():
    assert {"eval", "check", "diff", "taylor", "plot", "minimize", "parse"} <= set(COMMANDS)


def test_the_readme_map_names_every_module():
    """The README's "How the code is laid out" names each module in its own folder's row (the
    commands' own modules are its "one module per command")."""
    from gradcli.commands.group import COMMANDS as table

    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("### How the code is laid out"):readme.index("### Tests, benchmarks")]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `gradcli")]
    missing = []
    for folder, _, files in os.walk(PACKAGE):
        rel = os.path.relpath(folder, PACKAGE).replace(os.sep, "/")
        top, _, sub = rel.partition("/")
        for name in files:
            if not name.endswith(".py") or name == "__init__.py" or "__pycache__" in folder:
                continue
            if top == "commands" and name[:-3] in table.values():
                continue
            want = f"{sub}/" if sub else name
            home = "`gradcli/`" if top == "." else f"`gradcli/{top}/`"
            if not any((home in first or f"`gradcli/{name}`" in first) and want in first + text
                       for first, text in rows):
                missing.append(os.path.join(rel, name))
    assert not missing, f"modules the README's map does not name: {missing}"
