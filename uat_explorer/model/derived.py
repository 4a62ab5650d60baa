"""Values derived from the weights and the samples, computed at most once per revision.

Loss, metrics, the gradient and the full trace of a forward and backward pass all come
from here, so no view recomputes them. A training frame brings loss, metrics and the
gradient from the worker; a hand edit computes them once, when first asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.trace import Trace, trace


class DerivedValues:
    """What the views show for model revision ``revision``; ``trace`` is computed on demand."""

    def __init__(
        self,
        revision: int,
        loss: float,
        metrics: FitMetrics,
        gradients: Gradients,
        make_trace: Callable[[], Trace],
    ) -> None:
        self.revision = revision
        self.loss = loss
        self.metrics = metrics
        self.gradients = gradients
        self._make_trace = make_trace
        self._trace: Trace | None = None

    @property
    def trace(self) -> Trace:
        """Every value of one forward and backward pass (one pass, the first time asked)."""
        if self._trace is None:
            self._trace = self._make_trace()
        return self._trace


def evaluate(
    revision: int, network: Network, x: np.ndarray, t: np.ndarray, loss: str
) -> DerivedValues:
    """One forward and backward pass, and everything read off it."""
    done = trace(network, x, t, loss)
    return DerivedValues(
        revision, done.loss, FitMetrics.of(done.y, done.t), done.gradients, lambda: done
    )


def from_training(
    revision: int,
    network: Network,
    x: np.ndarray,
    t: np.ndarray,
    loss_name: str,
    loss: float,
    metrics: FitMetrics,
    gradients: Gradients,
) -> DerivedValues:
    """What the worker already computed; the trace only if a view asks for it."""
    snapshot = network.copy()
    return DerivedValues(
        revision, loss, metrics, gradients, lambda: trace(snapshot, x, t, loss_name)
    )
