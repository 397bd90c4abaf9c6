"""One table per layer: a function is a row of the function table, a primitive a row of the
engine's; every other list (exports, help, elementwise, sparsity) is read from them."""

import pytest

import gradcli
from gradcli.engine.primitive import PRIMITIVES
from gradcli.language.functions import ALIASES, FUNCTIONS


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_is_computed_by_the_engine_and_exported(name):
    fn = FUNCTIONS[name]
    assert callable(fn.build)
    assert getattr(gradcli, name) is fn.build
    assert name in gradcli.__all__


def test_aliases_name_functions_of_the_table():
    assert set(ALIASES.values()) <= set(FUNCTIONS)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_every_primitive_declares_what_its_rules_read(name):
    prim = PRIMITIVES[name]
    assert prim.reads is not None, f"{name} declares no reads"
    if prim.elementwise:
        assert prim.span == "elementwise"


def test_elementwise_comes_from_the_primitive():
    assert FUNCTIONS["sin"].elementwise and FUNCTIONS["maximum"].elementwise
    assert not FUNCTIONS["sum"].elementwise and not FUNCTIONS["dot"].elementwise
    assert FUNCTIONS["detach"].elementwise   # a composition declares it


def test_help_lists_every_function(run):
    text = " ".join(run("eval", "--help").output.split())
    for name in FUNCTIONS:
        assert f" {name} " in text or f" {name};" in text, name
