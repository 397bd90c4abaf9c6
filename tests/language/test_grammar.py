"""How text is read: precedence, juxtaposition, definitions, and errors with a caret."""

import pytest

import gradcli
from gradcli.errors import ParseError
from gradcli.language.grammar import grammar_path, parse
from gradcli.language.tree import free_variables, functions_used


@pytest.mark.parametrize("text,read", [
    ("a*x**2+b*x+c", "(((a * (x ** 2)) + (b * x)) + c)"),
    ("-x**2", "(-(x ** 2))"),
    ("2**3**2", "(2 ** (3 ** 2))"),
    ("2^3^2", "(2 ** (3 ** 2))"),
    ("x**-2", "(x ** (-2))"),
    ("2*-x", "(2 * (-x))"),
    ("a-b-c", "((a - b) - c)"),
    ("a/b/c", "((a / b) / c)"),
    ("1/2x", "((1 / 2) * x)"),
    ("x/2y", "((x / 2) * y)"),
    ("1/(2x)", "(1 / (2 * x))"),
    ("2x**2", "(2 * (x ** 2))"),
    ("-2x", "(-(2 * x))"),
    ("2x", "(2 * x)"),
    ("2 x", "(2 * x)"),
    ("3(x+1)", "(3 * (x + 1))"),
    ("(x+1)(x-1)", "((x + 1) * (x - 1))"),
    ("2pi", "(2 * pi)"),
    ("2sin(x)", "(2 * sin(x))"),
    ("a @ b * c", "((a @ b) * c)"),
    ("x[1,0]", "x[1, 0]"),
    ("x[:,0]", "x[:, 0]"),
    ("x[1:]", "x[1:]"),
    ("x[:-1]", "x[:(-1)]"),
    ("x[::2]", "x[::2]"),
    ("2x[0]", "(2 * x[0])"),
    ("[x**2, y**3, y**4]", "[(x ** 2), (y ** 3), (y ** 4)]"),
    ("[[a,b],[c,d]]", "[[a, b], [c, d]]"),
    ("u = x*y; sin(u) + u**2", "u = (x * y); (sin(u) + (u ** 2))"),
    (".5 + 1e-3 + 2.5", "((.5 + 1e-3) + 2.5)"),
])
def test_reading(text, read):
    assert repr(parse(text)) == read


@pytest.mark.parametrize("text,value", [("2**3**2", 512.0), ("-2**2", -4.0), ("1/2*4", 2.0), ("8/2 2", 8.0),
                                        ("2pi", 2 * 3.141592653589793), ("e", 2.718281828459045)])
def test_values_follow_the_precedence(text, value):
    assert float(gradcli.evaluate(text).values[0]) == value


def test_variables_and_functions_are_listed_before_any_value():
    tree = parse("u = x*w; sum(u) + exp(b) + pi")
    assert free_variables(tree) == ["x", "w", "b"]
    assert functions_used(tree) == ["sum", "exp"]


@pytest.mark.parametrize("text,column,words", [
    ("2**", 4, "ends too early"),
    ("x+*y", 3, "unexpected '*'"),
    ("sin(x", 6, "expected ')'"),
    ("x $ y", 3, "unexpected character '$'"),
    ("(x+1))", 6, "unexpected ')'"),
    ("x = ", 4, "ends too early"),
])
def test_syntax_errors_point_at_the_column(text, column, words):
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert err.column == column
    assert words in err.message
    caret_line = err.render().splitlines()[-1]
    assert caret_line.index("^") - 2 == column - 1


def test_deep_and_long_input_parse_without_recursion():
    assert float(gradcli.evaluate("(" * 10000 + "x" + ")" * 10000, at={"x": 2}).grad["x"]) == 1.0
    r = gradcli.evaluate("+".join(["x"] * 100000), at={"x": 1.5})
    assert float(r.values[0]) == 150000.0 and float(r.grad["x"]) == 100000.0
    nested = "sin(" * 2000 + "x" + ")" * 2000
    assert gradcli.evaluate(nested, at={"x": 0.1}, hessian=True).hessian.matrix.shape == (1, 1)


def test_grammar_is_conflict_free_in_strict_mode():
    from lark import Lark

    # strict mode refuses shift/reduce conflicts and colliding terminals
    Lark(open(grammar_path()).read(), parser="lalr", strict=True)


def test_nine_to_the_nine_to_the_nine_is_inf_with_a_warning_not_a_hang():
    r = gradcli.evaluate("9**9**9")
    assert float(r.values[0]) == float("inf")
    assert any("overflow" in w for w in r.warnings)


def test_the_generated_parser_is_current_with_the_grammar():
    from gradcli.language import _parser
    from gradcli.language.grammar import grammar_text

    assert _parser.GRAMMAR == grammar_text(), "grammar changed: run `python -m gradcli.language.grammar`"


def test_lark_fallback_reads_everything_as_the_generated_parser(monkeypatch):
    from gradcli.language import _parser, grammar

    texts = ["a*x**2+b*x+c", "-x**2", "1/2x", "2x**2", "(x+1)(x-1)", "x[:,0] + x[1:][::2]",
             "u = x*y; sin(u) + u**2", "[[a,b],[c,d]]", "2**3**2", "x^-2", "f()"]
    fast = [repr(parse(t)) for t in texts]
    fast_error = _error_text("x+*y")
    grammar._parser.cache_clear()
    monkeypatch.setattr(_parser, "GRAMMAR", "stale")
    try:
        assert grammar._parser()[1].__name__ == "lark.exceptions"
        assert [repr(parse(t)) for t in texts] == fast
        assert _error_text("x+*y") == fast_error
    finally:
        grammar._parser.cache_clear()


def _error_text(text):
    with pytest.raises(ParseError) as info:
        parse(text)
    return info.value.render()


@pytest.mark.parametrize("text,read", [
    ("2x\u00b2 \u2212 3\u00b7x", "((2 * (x ** 2)) - (3 * x))"),       # 2x² − 3·x
    ("\u03c0\u00d7r\u00b2", "(pi * (r ** 2))"),                        # π×r²
    ("a \u00f7 b", "(a / b)"),                                         # a ÷ b
    ("\u2212x\u00b2", "(-(x ** 2))"),                                  # −x²
    ("x\u00b9\u2070", "(x ** 10)"),                                    # x¹⁰
    ("x\u00a0+\u2009y\u200b", "(x + y)"),                              # non-breaking and thin spaces
    ("a\u22c5b", "(a * b)"),                                           # dot operator
])
def test_pasted_typography_means_what_it_says(text, read):
    assert repr(parse(text)) == read


def test_an_unknown_character_is_named_with_its_column():
    with pytest.raises(ParseError) as info:
        parse("x \u222b 2")
    assert info.value.column == 3 and "'\u222b' (U+222B)" in info.value.message


def test_parse_command_shows_what_pasted_text_means(run):
    res = run("parse", "\u03c0r\u00b2 \u2212 2\u00b7x")
    assert res.exit_code == 0 and "((pi * (r ** 2)) - (2 * x))" in res.stdout
