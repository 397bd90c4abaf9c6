"""The autodiff engine: tensors, primitives and their rules, backward/grad, Jacobians and
Hessians, sparsity. It knows nothing of text, grammar or the command line.

Loading it loads the primitive table (ops), which Tensor's operators use.
"""

from . import ops  # noqa: F401
