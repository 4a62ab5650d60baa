"""Formulas in x that a person types, parsed with ``ast`` against a whitelist (never eval).

Only numbers, x, pi, e, + − * / ** (and unary ±), parentheses and the functions in
FUNCTIONS are allowed. The tree is compiled to nested numpy closures and evaluated on
float arrays, so even ``9**9**9**9`` returns at once (as inf, which is then reported).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError

Array = NDArray[np.float64]
Compiled = Callable[[Array], Array | float]

MAX_LENGTH = 500
MAX_NODES = 300


def _step(x: Array) -> Array:
    return np.where(x >= 0, 1.0, 0.0)


def _sigmoid(x: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


FUNCTIONS: dict[str, tuple[Callable[..., Array], int]] = {
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "arcsin": (np.arcsin, 1),
    "arccos": (np.arccos, 1),
    "arctan": (np.arctan, 1),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "tanh": (np.tanh, 1),
    "exp": (np.exp, 1),
    "log": (np.log, 1),
    "log10": (np.log10, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
    "sign": (np.sign, 1),
    "floor": (np.floor, 1),
    "ceil": (np.ceil, 1),
    "round": (np.round, 1),
    "step": (_step, 1),
    "sigmoid": (_sigmoid, 1),
    "min": (np.minimum, 2),
    "max": (np.maximum, 2),
}
CONSTANTS = {"pi": np.pi, "e": np.e}
_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Pow: np.power,
}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
_OPERATOR_NAMES = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.Not: "not",
}


class ExpressionError(InputError):
    """A refused expression; ``column`` (1-based) points at the culprit when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message if column is None else f"{message} at column {column}")
        self.column = column


def _column(node: ast.AST) -> int | None:
    offset = getattr(node, "col_offset", None)
    return None if offset is None else offset + 1


@dataclass(frozen=True)
class Expression:
    """A validated formula; call it on an array of x."""

    text: str
    _fn: Compiled = field(repr=False, compare=False)

    def __call__(self, x: ArrayLike) -> Array:
        xs = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            y = self._fn(xs)
        return np.broadcast_to(np.asarray(y, dtype=np.float64), xs.shape).copy()

    def check_finite(self, x: ArrayLike) -> Array:
        """Values on x, or an error naming the first x where the formula is not finite."""
        y = self(x)
        bad = ~np.isfinite(y)
        if bad.any():
            at = float(np.asarray(x)[np.argmax(bad)])
            what = "NaN" if np.isnan(y[np.argmax(bad)]) else "infinite"
            raise ExpressionError(
                f"{self.text!r} is {what} at x = {at:.4g} (for example log(0), 1/0, sqrt(−1)"
                " or a number too large); change it or the domain"
            )
        return y


def parse_expression(text: str) -> Expression:
    """Parse and compile ``text``; raise ExpressionError with a message a person can act on."""
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("the expression is empty: type a formula in x, such as sin(x)")
    if len(stripped) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(stripped)} characters long; the limit is {MAX_LENGTH}"
        )
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        detail = (error.msg or "invalid syntax").removesuffix(" (<unknown>, line 1)")
        raise ExpressionError(f"syntax error: {detail}", error.offset) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExpressionError(f"the expression has more than {MAX_NODES} parts; simplify it")
    return Expression(stripped, _compile(tree.body))


def _compile(node: ast.AST) -> Compiled:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ExpressionError(f"only numbers are allowed, not {value!r}", _column(node))
        number = float(value) if abs(value) < 1e308 else float("inf")
        return lambda x: number
    if isinstance(node, ast.Name):
        if node.id == "x":
            return lambda x: x
        if node.id in CONSTANTS:
            constant = CONSTANTS[node.id]
            return lambda x: constant
        hint = " (a function needs parentheses)" if node.id in FUNCTIONS else ""
        raise ExpressionError(f"unknown name {node.id!r}{hint}", _column(node))
    if isinstance(node, ast.BinOp):
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExpressionError(_refused_operator(node.op), _column(node))
        left, right = _compile(node.left), _compile(node.right)
        return lambda x: op(left(x), right(x))
    if isinstance(node, ast.UnaryOp):
        unary = _UNARY.get(type(node.op))
        if unary is None:
            raise ExpressionError(_refused_operator(node.op), _column(node))
        operand = _compile(node.operand)
        return lambda x: unary(operand(x))
    if isinstance(node, ast.Call):
        return _compile_call(node)
    raise ExpressionError(_refused_node(node), _column(node))


def _compile_call(node: ast.Call) -> Compiled:
    if not isinstance(node.func, ast.Name):
        raise ExpressionError(_refused_node(node.func), _column(node.func))
    name = node.func.id
    if name not in FUNCTIONS:
        raise ExpressionError(f"unknown function {name!r}", _column(node.func))
    if node.keywords:
        raise ExpressionError(f"{name}() takes no keyword arguments", _column(node))
    fn, arity = FUNCTIONS[name]
    if len(node.args) != arity:
        plural = "s" if arity > 1 else ""
        raise ExpressionError(
            f"{name}() takes {arity} argument{plural}, got {len(node.args)}", _column(node)
        )
    args = [_compile(arg) for arg in node.args]
    if arity == 1:
        (arg,) = args
        return lambda x: fn(arg(x))
    first, second = args
    return lambda x: fn(first(x), second(x))


def _refused_operator(op: ast.AST) -> str:
    symbol = _OPERATOR_NAMES.get(type(op), type(op).__name__)
    return f"operator {symbol!r} is not allowed (use + - * / **)"


def _refused_node(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access ('.')",
        ast.Subscript: "subscripts ('[...]')",
        ast.Lambda: "lambda",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.Compare: "comparisons (use step(x - a) instead)",
        ast.BoolOp: "'and' / 'or'",
        ast.IfExp: "'if ... else'",
        ast.Starred: "'*' unpacking",
        ast.NamedExpr: "':='",
    }
    for kind, label in kinds.items():
        if isinstance(node, kind):
            return f"{label} is not allowed"
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
        return "lists, tuples, sets and dicts are not allowed"
    return f"{type(node).__name__} is not allowed"


def function_names() -> list[str]:
    return [*FUNCTIONS, *CONSTANTS]
