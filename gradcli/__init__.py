"""gradcli: values and derivatives of mathematical expressions, from the shell or Python.

>>> import gradcli
>>> w = gradcli.tensor([[2., 2.], [2., 2.]], requires_grad=True)
>>> y = w * 3 + 4
>>> y.backward(gradient=gradcli.tensor([[1., 1.], [1., 1.]]))
>>> w.grad
tensor([[3., 3.],
        [3., 3.]])
"""

__version__ = "0.1.0"

# Names load on first use (PEP 562), so `gradcli --help` and shell completion do not
# pay for importing NumPy. Every function an expression may call is exported under its
# name (language/functions.py is the one list), besides the engine's API below.
_EXPORTS = {
    "tensor": "engine.tensor", "as_tensor": "engine.tensor", "Tensor": "engine.tensor", "no_grad": "engine.tensor",
    "set_grad_enabled": "engine.tensor", "is_grad_enabled": "engine.tensor",
    "backward": "engine.autograd", "grad": "engine.autograd",
    "jacobian": "engine.derivatives", "hessian": "engine.derivatives", "nth_derivatives": "engine.derivatives",
    "stack": "engine.ops", "matmul": "engine.ops",
    "evaluate": "api", "Result": "result", "diff": "calculus.formula", "taylor": "calculus.taylor",
    "GradcliError": "errors", "GradError": "errors", "NameLookupError": "errors", "ParseError": "errors",
    "ShapeError": "errors", "ValueInputError": "errors",
    "parse": "language.grammar",
}


def _functions() -> dict:
    from .language.functions import FUNCTIONS

    return FUNCTIONS


def __getattr__(name):
    if name == "__all__":
        return sorted(set(_EXPORTS) | set(_functions())) + ["__version__"]
    module = _EXPORTS.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(f"gradcli.{module}"), name)
    elif name in _functions():
        value = _functions()[name].build
    else:
        raise AttributeError(f"module 'gradcli' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return __getattr__("__all__")
