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
# pay for importing NumPy.
_EXPORTS = {
    "tensor": "engine.tensor", "as_tensor": "engine.tensor", "Tensor": "engine.tensor", "no_grad": "engine.tensor",
    "set_grad_enabled": "engine.tensor", "is_grad_enabled": "engine.tensor",
    "backward": "engine.autograd", "grad": "engine.autograd",
    "jacobian": "engine.derivatives", "hessian": "engine.derivatives", "nth_derivatives": "engine.derivatives",
    "evaluate": "evaluation", "Result": "result",
    "GradcliError": "errors", "GradError": "errors", "NameLookupError": "errors", "ParseError": "errors",
    "ShapeError": "errors", "ValueInputError": "errors",
    "parse": "language.grammar",
}
_OPS = ("abs acos asin atan cos cosh dot exp log log2 log10 logsumexp matmul maximum mean minimum norm "
        "pow prod relu sigmoid sin sinh softplus sqrt stack sum tan tanh transpose").split()
_EXPORTS.update(dict.fromkeys(_OPS, "engine.ops"))

__all__ = sorted(_EXPORTS) + ["detach", "__version__"]


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gradcli' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"gradcli.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__


def detach(x):
    """The value of `x` with the gradient stopped (what `detach(x)` does in an expression)."""
    return x.detach()
