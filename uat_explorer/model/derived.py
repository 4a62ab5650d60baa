"""Values derived from the weights and the samples, computed at most once per revision.

Loss, metrics, the gradient and the full trace of a forward and backward pass all come
from here, so no view recomputes them; so do the test loss on the held-out points and
the true error against the noise-free target. A training frame brings loss, metrics, the
gradient and the test loss from the worker; a hand edit computes them once, when first
asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import Network
from uat_explorer.core.targets.samples import SampleSet
from uat_explorer.core.teaching.trace import Trace, trace
from uat_explorer.core.training.heldout import held_out_fit

TrueError = Callable[[Network], float]
"""The true error of a network (``heldout.true_error`` on the document's target)."""


class DerivedValues:
    """What the views show for model revision ``revision``; ``trace`` and
    ``true_error`` are computed on demand. ``test``: (loss, metrics) on the held-out
    points, None without them."""

    def __init__(
        self,
        revision: int,
        loss: float,
        metrics: FitMetrics,
        gradients: Gradients,
        make_trace: Callable[[], Trace],
        test: tuple[float, FitMetrics] | None = None,
        make_true_error: Callable[[], float] | None = None,
    ) -> None:
        self.revision = revision
        self.loss = loss
        self.metrics = metrics
        self.gradients = gradients
        self.test = test
        self._make_trace = make_trace
        self._trace: Trace | None = None
        self._make_true_error = make_true_error
        self._true_error: float | None = None

    @property
    def trace(self) -> Trace:
        """Every value of one forward and backward pass (one pass, the first time asked)."""
        if self._trace is None:
            self._trace = self._make_trace()
        return self._trace

    @property
    def true_error(self) -> float | None:
        """mean (y − f)² over the domain, f the noise-free target (None: not known)."""
        if self._true_error is None and self._make_true_error is not None:
            self._true_error = self._make_true_error()
        return self._true_error


def evaluate(
    revision: int, network: Network, samples: SampleSet, loss: str, truth: TrueError
) -> DerivedValues:
    """One forward and backward pass on the training points, one forward pass on the
    test points, and everything read off them."""
    x, t = samples.train
    done = trace(network, x, t, loss)
    snapshot = network.copy()
    return DerivedValues(
        revision,
        done.loss,
        FitMetrics.of(done.y, done.t),
        done.gradients,
        lambda: done,
        held_out_fit(snapshot, *samples.held, loss_by_name(loss).each),
        lambda: truth(snapshot),
    )


def from_training(
    revision: int,
    network: Network,
    samples: SampleSet,
    loss_name: str,
    loss: float,
    metrics: FitMetrics,
    gradients: Gradients,
    test: tuple[float, FitMetrics] | None,
    truth: TrueError,
) -> DerivedValues:
    """What the worker already computed; the trace and the true error only if a view
    asks for them."""
    snapshot = network.copy()
    x, t = samples.train
    return DerivedValues(
        revision,
        loss,
        metrics,
        gradients,
        lambda: trace(snapshot, x, t, loss_name),
        test,
        lambda: truth(snapshot),
    )
