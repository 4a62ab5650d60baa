"""The network as a formula with its numbers plugged in, for people to read."""

from __future__ import annotations

import math

from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.network import Network, Neuron

MINUS = "−"


def number(value: float, digits: int = 3) -> str:
    """Short and readable: ``digits`` significant digits but never fewer integer digits
    (1000, not 1e3), a true minus sign, and an exponent only for tiny or huge values."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(value).replace("inf", "∞").replace("-", MINUS)
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e6:
        decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def inner(neuron: Neuron, digits: int = 3) -> str:
    """w·x + b, written the way a person would: 12·x − 3, x + 0.5, −x."""
    w, b = neuron.w, neuron.b
    if w == 1:
        text = "x"
    elif w == -1:
        text = f"{MINUS}x"
    else:
        text = f"{number(w, digits)}·x"
    if b != 0:
        text += f" {MINUS if b < 0 else '+'} {number(abs(b), digits)}"
    return text


def term(neuron: Neuron, digits: int = 3) -> str:
    """|v|·act(w·x + b), e.g. 1.5·σ(12·x − 3) (a weight of 1 is left out); the caller
    writes the sign of v."""
    symbol = ACTIVATIONS[neuron.activation].symbol
    weight = "" if abs(neuron.v) == 1 else f"{number(abs(neuron.v), digits)}·"
    return f"{weight}{symbol}({inner(neuron, digits)})"


def neuron_formula(neuron: Neuron, digits: int = 3) -> str:
    sign = MINUS if neuron.v < 0 else ""
    return f"{sign}{term(neuron, digits)}"


def network_formula(network: Network, digits: int = 3) -> str:
    """y = c ± each unmuted neuron's term; muted neurons add nothing, so they are left out,
    and so is a zero output bias."""
    parts = [number(network.c, digits)] if network.c != 0 else []
    for neuron in network.neurons():
        if neuron.muted or neuron.v == 0:
            continue
        sign = MINUS if neuron.v < 0 else "+"
        parts.append(f"{sign} {term(neuron, digits)}" if parts else neuron_formula(neuron, digits))
    return "y = " + (" ".join(parts) if parts else "0")


def legend() -> str:
    """What the symbols mean."""
    return "σ = sigmoid, H = unit step (Heaviside), relu = max(0, ·), tanh = hyperbolic tangent"
