"""Properties of random expressions, against SymPy and finite differences (tests/properties.py).

CI runs a few hundred derandomised examples; tests/stress/properties.py runs as many as asked.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from properties import check_against_sympy, check_tensor_properties, points, scalar_expressions, tensor_expressions, tensor_values

CI = settings(max_examples=200, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@CI
@given(scalar_expressions, points)
def test_scalar_expressions_agree_with_sympy(expr, point):
    check_against_sympy(expr, point)


@CI
@given(tensor_expressions, tensor_values, st.integers(0, 2**32 - 1))
def test_tensor_expressions_satisfy_the_derivative_identities(expr, values, seed):
    check_tensor_properties(expr, values, seed)
