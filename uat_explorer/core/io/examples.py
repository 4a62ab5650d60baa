"""Teaching scenarios, each a complete session: the steps of Nielsen's visual proof."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from uat_explorer.core.io.session import Session
from uat_explorer.core.nn.initialize import random_network
from uat_explorer.core.nn.network import Network, Neuron
from uat_explorer.core.targets.target import PRESETS, Target
from uat_explorer.core.teaching.construct import construct
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.trainer import Trainer

STEEP = 1000.0
"""Nielsen's w = 1000: steep enough that a sigmoid is a step to the eye."""


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    build: Callable[[], Session]


def _steps(positions_and_heights: list[tuple[float, float]], activation: str = "step") -> Network:
    return Network.from_neurons(
        [Neuron(activation, STEEP, -STEEP * s, v) for s, v in positions_and_heights]
    )


def _session(network: Network, target: str, domain: tuple[float, float]) -> Session:
    return Session(network=network, target=Target.from_text(target), domain=domain)


def _two_steps(v1: float, v2: float) -> Callable[[], Session]:
    def build() -> Session:
        formula = f"{v1:g}*step(x - 0.4) + {v2:g}*step(x - 0.6)".replace("+ -", "- ")
        return _session(_steps([(0.4, v1), (0.6, v2)]), formula, (0.0, 1.0))

    return build


def _single_bump() -> Session:
    network = _steps([(-0.25, 1.0), (0.25, -1.0)], activation="sigmoid")
    return _session(network, "bump", PRESETS["bump"].domain)


def _staircase() -> Session:
    domain = PRESETS["sin"].domain
    return _session(construct(Target.preset("sin"), domain, 10), "sin", domain)


def _five_bumps() -> Session:
    domain = PRESETS["nielsen"].domain
    return _session(construct(Target.preset("nielsen"), domain, 10, "bumps"), "nielsen", domain)


OVERFIT_SEED = 1
"""Its noise, its split and its weights: a run whose test loss turns up clearly."""
SMOOTH_START = 0.1
"""The overfitting example's slopes, a tenth of a fresh start's: 64 neurons start as a
smooth curve, so the test loss first falls with the training loss, then turns up."""


def _overfitting() -> Session:
    """30 noisy samples of sin(x), 10 of them held out, and 64 sigmoid neurons."""
    domain = PRESETS["sin"].domain
    network = random_network(["sigmoid"] * 64, domain, seed=OVERFIT_SEED)
    network.w *= SMOOTH_START
    network.b *= SMOOTH_START
    return Session(
        network=network,
        target=Target.preset("sin"),
        domain=domain,
        samples=30,
        noise=0.2,
        test_fraction=1 / 3,
        seed=OVERFIT_SEED,
    )


def _sigmoid_parabola() -> Session:
    domain = (-1.0, 1.0)
    x, t = Target.preset("parabola").samples(domain, 200)
    trainer = Trainer(
        random_network(["sigmoid"] * 4, domain, seed=4), x, t, optimizer=OptimizerSpec("lm")
    )
    trainer.run(300)
    return _session(trainer.network, "parabola", domain)


EXAMPLES: list[Example] = [
    Example(
        "two-steps",
        "Two steps add up (v₁ = v₂ = 1)",
        "Two step neurons switch on at x = 0.4 and x = 0.6; their outputs simply add.",
        _two_steps(1.0, 1.0),
    ),
    Example(
        "inverted-step",
        "One step inverted (v₂ = −1)",
        "A negative output weight turns the second step upside down: together, a bump.",
        _two_steps(1.0, -1.0),
    ),
    Example(
        "mixed-steps",
        "Mixed heights (v₁ = 1.5, v₂ = −0.5)",
        "Output weights set each step's height; the sum is 1.5 between the steps, 1 after.",
        _two_steps(1.5, -0.5),
    ),
    Example(
        "single-bump",
        "A single bump from two steep sigmoids",
        "Two sigmoid neurons with w = ±1000 make a bump that roughly covers a Gaussian.",
        _single_bump,
    ),
    Example(
        "staircase-sin",
        "A staircase of 10 steps traces sin(x)",
        "Each step neuron adds the jump to the next level: more steps, a finer staircase.",
        _staircase,
    ),
    Example(
        "five-bumps",
        "Nielsen's five bumps",
        "Five bumps, each a pair of steps with opposite output weights, trace a wiggle.",
        _five_bumps,
    ),
    Example(
        "sigmoid-parabola",
        "Four sigmoids trace a parabola",
        "Soft sigmoid neurons, fitted by Levenberg–Marquardt, blend into a smooth x².",
        _sigmoid_parabola,
    ),
    Example(
        "overfitting",
        "Overfitting: 64 neurons, 20 noisy points",
        "sin(x) with noise σ = 0.2: 20 samples train, 10 are held out (hollow). Train with"
        " Adam: the training loss falls towards 0 while the test loss turns up; weight decay"
        " or early stopping keep the curve smooth between the points.",
        _overfitting,
    ),
]


def example(name: str) -> Example:
    return next(e for e in EXAMPLES if e.name == name)
