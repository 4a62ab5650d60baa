import time

import numpy as np
import pytest

from uat_explorer.core import ExpressionError, InputError, Target, parse_expression

X = np.linspace(-1, 1, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x", X),
        ("2", np.full_like(X, 2.0)),
        ("-x**2 + 3*x - 1", -(X**2) + 3 * X - 1),
        ("sin(pi*x) + cos(x)/2", np.sin(np.pi * X) + np.cos(X) / 2),
        ("exp(-x**2) * e", np.exp(-(X**2)) * np.e),
        ("abs(x) - sqrt(abs(x)) + tanh(x)", np.abs(X) - np.sqrt(np.abs(X)) + np.tanh(X)),
        ("sign(x) * floor(3*x)", np.sign(X) * np.floor(3 * X)),
        ("max(x, 0) + min(x, 0.5)", np.maximum(X, 0) + np.minimum(X, 0.5)),
        ("step(x - 0.25)", (X >= 0.25).astype(float)),
        ("1e-3 * x", 1e-3 * X),
        ("+(x)", X),
    ],
)
def test_accepts_formulas(text, expected):
    np.testing.assert_allclose(parse_expression(text)(X), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('x')", "attribute access"),
        ("os", "unknown name 'os' at column 1"),
        ("x + y", "unknown name 'y' at column 5"),
        ("x.real", "attribute access ('.') is not allowed at column 1"),
        ("x[0]", "subscripts"),
        ("(lambda: 1)()", "lambda"),
        ("[x for x in range(3)]", "comprehensions"),
        ("sum(i for i in x)", "unknown function 'sum'"),
        ("open('f')", "unknown function 'open'"),
        ("sin", "unknown name 'sin' (a function needs parentheses)"),
        ("sin(x, 2)", "sin() takes 1 argument, got 2"),
        ("max(x)", "max() takes 2 arguments, got 1"),
        ("'abc'", "only numbers are allowed"),
        ("x % 2", "operator '%' is not allowed"),
        ("x if x else 1", "'if ... else' is not allowed"),
        ("x < 1", "comparisons"),
        ("x and 1", "'and' / 'or'"),
        ("1j * x", "only numbers"),
        ("sin(x", "syntax error"),
        ("", "the expression is empty"),
        ("   ", "the expression is empty"),
        ("x" + "+x" * 50_000, "characters long; the limit is 500"),
        ("(" * 240 + "x" + ")" * 240, "nested"),
    ],
)
def test_refuses_with_a_message_quickly(text, message):
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert time.perf_counter() - started < 1.0  # generous: a hang would take forever
    assert message in str(caught.value)
    assert isinstance(caught.value, InputError)


def test_tower_of_powers_is_refused_quickly_as_not_finite():
    started = time.perf_counter()
    expression = parse_expression("9**9**9**9")
    with pytest.raises(ExpressionError, match="infinite at x"):
        expression.check_finite(X)
    assert time.perf_counter() - started < 1.0


def test_non_finite_values_on_the_domain_are_reported_with_where():
    with pytest.raises(ExpressionError, match=r"'log\(x\)' is NaN at x = -1"):
        Target.from_text("log(x)").samples((-1, 1), 11)
    with pytest.raises(ExpressionError, match=r"infinite at x = 0"):
        Target.from_text("1/x").samples((-1, 1), 11)
    assert np.all(np.isfinite(Target.from_text("log(x)").samples((0.5, 2), 11)[1]))


def test_error_column_points_at_the_problem():
    with pytest.raises(ExpressionError) as caught:
        parse_expression("sin(x) + foo(x)")
    assert caught.value.column == 10
