"""The autodiff engine: tensors, primitives and their rules, backward/grad, Jacobians and
Hessians, sparsity. It knows nothing of text, grammar or the command line.

Loading it loads the operations (ops), which give Tensor its operators, and reverse mode
(autograd), which gives it backward().
"""

from . import autograd, ops  # noqa: F401
