"""Tensor: a float64 array, its gradient, and the primitive that made it; plus grad mode.

This module is the engine's floor and imports none of it. A Tensor's operators (`+`, `@`,
`x[i]`, `.sum()`) are the engine's operations, so ops.py binds them to the class where it
defines those operations, and autograd.py binds `backward()`; the engine package loads both,
so every Tensor anyone can reach has them.

>>> import gradcli
>>> x = gradcli.tensor(3.0, requires_grad=True)
>>> y = x**2 + 2*x
>>> y.backward()
>>> x.grad
tensor(8.)
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

_state = threading.local()

# What a constant really is, where the graph's builder knows it better than its float: the
# literal "0.1", "pi", "e", or a Tensor graph of its own for a constant expression (1/3).
# Only the ball pass (ball.py) reads it; a weak map, so it dies with the graph.
EXACT: "weakref.WeakKeyDictionary[Tensor, object]" = weakref.WeakKeyDictionary()


def element_labels(name: str, shape: tuple) -> list[str]:
    """Each element's name, as results and gradient checks print it.

    >>> element_labels("w", (2, 2))
    ['w[0,0]', 'w[0,1]', 'w[1,0]', 'w[1,1]']
    >>> element_labels("x", ())
    ['x']
    """
    if shape == ():
        return [name]
    return [f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(*shape)]


def is_grad_enabled() -> bool:
    return getattr(_state, "enabled", True)


def _set_enabled(mode: bool) -> None:
    _state.enabled = bool(mode)


class set_grad_enabled:
    """Switch gradient tracking on or off: as a call, a context manager or a decorator.

    >>> import gradcli
    >>> with gradcli.set_grad_enabled(False):
    ...     (gradcli.tensor(1.0, requires_grad=True) * 2).requires_grad
    False
    """

    def __init__(self, mode: bool):
        self.prev = is_grad_enabled()
        self.mode = bool(mode)
        _set_enabled(self.mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _set_enabled(self.prev)
        return False

    def __call__(self, fn):
        import functools

        mode = self.mode
        _set_enabled(self.prev)  # used as a decorator: the switch applies inside calls only

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            prev = is_grad_enabled()
            _set_enabled(mode)
            try:
                return fn(*args, **kwargs)
            finally:
                _set_enabled(prev)

        return wrapper


class no_grad:
    """Context manager and decorator: no graph is recorded inside.

    >>> import gradcli
    >>> x = gradcli.tensor(2.0, requires_grad=True)
    >>> with gradcli.no_grad():
    ...     y = x * 3
    >>> y.requires_grad
    False
    """

    def __init__(self):
        self._prev: list[bool] = []  # a stack, so nested and re-entrant use restores correctly

    def __enter__(self):
        self._prev.append(is_grad_enabled())
        _set_enabled(False)
        return self

    def __exit__(self, *exc):
        _set_enabled(self._prev.pop())
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)

        return wrapper


class Tensor:
    """A float64 NumPy array that may record how it was computed."""

    __slots__ = ("data", "requires_grad", "grad", "_prim", "_parents", "_params", "_donated", "__weakref__")
    __array_priority__ = 1000  # `ndarray + Tensor` calls Tensor.__radd__

    def __init__(self, data, requires_grad: bool = False):
        self.data = data if type(data) is np.ndarray and data.dtype == np.float64 else np.asarray(data, dtype=np.float64)
        self.requires_grad = bool(requires_grad)
        self.grad: Tensor | None = None
        self._prim = None
        self._parents: tuple = ()
        self._params: dict = {}
        self._donated = 0  # ops.OFFERED while a backward pass lends this gradient's buffer to a rule

    # --- inspection -------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        return self._prim is None

    @property
    def grad_fn(self):
        return self._prim.name if self._prim is not None else None  # "freed" after a backward pass

    def numpy(self) -> np.ndarray:
        return self.data

    def item(self) -> float:
        return float(self.data)

    def tolist(self):
        return self.data.tolist()

    def __float__(self) -> float:
        return float(self.data)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        # as PyTorch: the rows along the first axis; a 0-d tensor cannot be iterated
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.data.reshape(()))

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extra = f", grad_fn=<{self._prim.name}>" if self._prim is not None else (
            ", requires_grad=True" if self.requires_grad else "")
        return f"tensor({body}{extra})"

    # backward() is bound by autograd.py, the operators by ops.py (see the module docstring)

    def detach(self) -> "Tensor":
        """The same data, cut off from the graph."""
        return Tensor(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if self._prim is not None:
            from .errors import GradError

            raise GradError("you can only change requires_grad flags of leaf variables")
        self.requires_grad = bool(requires_grad)
        return self

    def zero_(self) -> "Tensor":
        # A fresh buffer rather than writing in place: the old array may be shared with
        # another tensor (a gradient passed through unchanged) or with the caller.
        self.data = np.zeros_like(self.data)
        return self


def tensor(data, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a float64 copy of `data` (number, nested list, array).

    >>> tensor([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    if isinstance(data, Tensor):
        data = data.data
    return Tensor(np.array(data, dtype=np.float64), requires_grad=requires_grad)


def as_tensor(data, requires_grad: bool = False) -> Tensor:
    """Like tensor(), but a float64 NumPy array is shared, not copied (torch.as_tensor).

    >>> import numpy as np
    >>> a = np.zeros(3)
    >>> as_tensor(a).data is a
    True
    """
    if isinstance(data, Tensor):
        data = data.data
    return Tensor(data if isinstance(data, np.ndarray) and data.dtype == np.float64 else np.array(data, dtype=np.float64),
                  requires_grad=requires_grad)

