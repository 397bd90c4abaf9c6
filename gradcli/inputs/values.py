"""Values for --at and --weights: numbers, constant expressions, nested lists, @FILE.

A value is read with the same grammar as expressions, so `pi/4`, `sqrt(2)`, `-2` and
`[[2,2],[2,2]]` all work, and nothing the user types is ever executed by Python.

>>> split_bindings("a=1,b=-2,x=[1,2],y=pow(2,3)")
[('a', '1'), ('b', '-2'), ('x', '[1,2]'), ('y', 'pow(2,3)')]
>>> parse_value("pi/2").tolist()
1.5707963267948966
"""

from __future__ import annotations

import io
import os
import re
import sys

import numpy as np

from ..errors import GradcliError, ValueInputError

_NAME = re.compile(r"([A-Za-z_][A-Za-z_0-9]*|[\u0391-\u03a9\u03b1-\u03c9][0-9]*)$")


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_bindings(text: str) -> list[tuple[str, str]]:
    """`a=1,b=[1,2]` -> [(name, value text), ...]."""
    out = []
    for part in split_top_level(text):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not _NAME.match(name):
            raise ValueInputError(f"cannot read binding {part.strip()!r}: expected NAME=VALUE, as in x=2 or w=[1,2]")
        if not value.strip():
            raise ValueInputError(f"no value after '{name}='")
        out.append((name, value.strip()))
    return out


def parse_value(text: str, *, what: str = "value") -> np.ndarray:
    """A number, constant expression, nested list or @FILE, as a float64 array."""
    text = text.strip()
    if text.startswith("@"):
        return read_array_file(text[1:], what=what)
    try:
        return np.array(float(text))  # the common case, without loading the parser
    except ValueError:
        pass
    from ..language.build import build
    from ..language.grammar import parse
    from ..language.tree import free_variables

    try:
        tree = parse(text)
        names = free_variables(tree)
        if names:
            raise ValueInputError(f"{what} {text!r} must be constant, but uses {', '.join(names)}")
        # 1/0 or log(0) is a value like any other here; whoever uses it says it is not finite
        with np.errstate(all="ignore"):
            return np.array(build(tree, {}).data, dtype=np.float64)
    except GradcliError as exc:
        if isinstance(exc, ValueInputError):
            raise
        raise ValueInputError(f"cannot read {what} {text!r}: {exc.message}") from None


def read_text(path: str) -> str:
    """The text of a file the user named; "-" is standard input."""
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except IsADirectoryError:
        raise ValueInputError(f"{path} is a directory, not a file") from None
    except ValueError as exc:  # a NUL byte or an unencodable character in the path; bad UTF-8 text
        if isinstance(exc, UnicodeDecodeError):
            raise ValueInputError(f"cannot read {path!r}: it is not UTF-8 text") from None
        raise ValueInputError(f"cannot read {path!r}: not a usable file name") from None
    except OSError as exc:
        raise ValueInputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _load_json(text: str, path: str, *, strict: bool = True):
    """JSON from a file's text; with strict False, None when it is not JSON at all."""
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise ValueInputError(f"{path} nests its lists too deeply to read") from None
    except json.JSONDecodeError as exc:
        if strict:
            raise ValueInputError(f"{path} is not valid JSON: {exc}") from None
        return None


def _from_json_value(data, source: str) -> np.ndarray:
    if isinstance(data, str):
        return parse_value(data, what=f"value in {source}")
    try:
        arr = np.array(data, dtype=object if _has_non_numbers(data) else np.float64)
    except (ValueError, TypeError):
        arr = None
    if arr is None or arr.dtype == object:
        raise ValueInputError(f"{source} must hold numbers or equally long nested lists of numbers "
                              f"(null, true and false are not numbers)") from None
    return arr


def _has_non_numbers(data) -> bool:
    """null, true/false or text anywhere in nested JSON lists (iteratively: any depth)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif item is None or isinstance(item, (bool, str, dict)):
            return True
    return False


def read_array_file(path: str, *, what: str = "value") -> np.ndarray:
    """.json, .npy, or .csv/.txt (comma or whitespace separated); '-' reads standard input."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npy":
        try:
            arr = np.load(path, allow_pickle=False)  # never unpickle what a file says
        except (OSError, ValueError) as exc:
            raise ValueInputError(f"cannot read {path}: {exc}") from None
        if arr.dtype.kind not in "biuf":
            raise ValueInputError(f"{path} holds {arr.dtype} data, not numbers")
        return arr.astype(np.float64)
    text = read_text(path)
    if not text.strip():
        raise ValueInputError(f"{path} is empty")
    if suffix not in (".csv", ".txt"):  # .json, and standard input or other names: JSON first
        data = _load_json(text, path, strict=suffix == ".json")
        if data is not None:
            return _from_json_value(data, path)
    try:
        delimiter = "," if "," in text else None
        return np.loadtxt(io.StringIO(text), delimiter=delimiter, dtype=np.float64, ndmin=0)
    except ValueError as exc:
        raise ValueInputError(f"cannot read numbers from {path}: {exc}") from None


def read_bindings_json(path: str) -> dict[str, np.ndarray]:
    """--at-json FILE: a JSON object of name -> value."""
    source = "standard input" if path == "-" else path
    data = _load_json(read_text(path), source)
    if not isinstance(data, dict):
        raise ValueInputError(f"{source} must hold a JSON object of name: value pairs")
    out = {}
    for name, value in data.items():
        if not _NAME.match(str(name)):
            raise ValueInputError(f"{source}: {name!r} is not a variable name")
        out[name] = _from_json_value(value, f"the value of {name} in {source}")
    return out


def as_array(value, *, what: str = "value") -> np.ndarray:
    """Whatever the Python API was handed (number, list, array, Tensor, text) as float64."""
    from ..engine.tensor import Tensor

    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, str):
        return parse_value(value, what=what)
    try:
        return np.array(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise ValueInputError(f"{what} must be numbers or equally long nested lists of numbers") from None
