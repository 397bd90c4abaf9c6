"""Formulas on the expression tree: printing them as people write them (and, coming,
derivative formulas with their steps). Between the language and the core: it reads trees,
it never runs them."""
