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

from .autograd import backward, grad
from .errors import GradcliError, GradError, NameLookupError, ParseError, ShapeError, ValueInputError
from .ops import (abs, acos, asin, atan, cos, cosh, dot, exp, log, log2, log10, logsumexp, matmul,
                  maximum, mean, minimum, norm, pow, prod, relu, sigmoid, sin, sinh, softplus, sqrt,
                  stack, sum, tan, tanh, transpose)
from .tensor import Tensor, is_grad_enabled, no_grad, set_grad_enabled, tensor


def detach(x):
    """The value of `x` with the gradient stopped."""
    return x.detach()


def evaluate(*exprs, **options):
    """Evaluate expressions and their derivatives: the call behind `gradcli eval`.

    >>> import gradcli
    >>> r = gradcli.evaluate("a*x**2 + b*x + c", at={"a": 1, "b": -2, "c": 1, "x": 0}, hessian=True)
    >>> float(r.values[0]), float(r.grad["x"]), r.hessian.matrix.tolist()[-1][-1]
    (1.0, -2.0, 2.0)
    """
    from .evaluate import evaluate as _evaluate

    return _evaluate(*exprs, **options)
