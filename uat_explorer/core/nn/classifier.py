"""The same hidden layer, read out as class probabilities.

Two classes: one logit l = c + Σ_j v_j·a_j, p(class 1) = σ(l), binary cross-entropy.
K ≥ 3 classes: K logits l_k = c_k + Σ_j v_jk·a_j, p = softmax(l), cross-entropy. Either
way the loss of one sample is −log p of its true class, and ∂ℓ/∂l = p − onehot(k).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.nn.activations import ACTIVATIONS, activation
from uat_explorer.core.nn.initialize import random_network
from uat_explorer.core.nn.network import HiddenLayer
from uat_explorer.core.targets.classes import check_class_count

Array = NDArray[np.float64]


def outputs_for(classes: int) -> int:
    """Logits a network needs for ``classes`` classes: one for two, else one each."""
    return 1 if check_class_count(classes) == 2 else classes


class ClassNetwork(HiddenLayer):
    """w, b: (H,) input weight and bias of each neuron; v: (H, M) output weights; c: (M,)
    output biases; M = 1 for two classes (the logit of class 1), else M = K.
    activations: H names; muted: (H,) bool, a muted neuron adds nothing."""

    def __init__(
        self,
        w: ArrayLike,
        b: ArrayLike,
        v: ArrayLike,
        c: ArrayLike,
        activations: list[str] | None = None,
        muted: ArrayLike | None = None,
    ) -> None:
        self.w = np.array(w, dtype=np.float64).reshape(-1)
        self.b = np.array(b, dtype=np.float64).reshape(-1)
        self.c = np.array(c, dtype=np.float64).reshape(-1)
        self.v = np.array(v, dtype=np.float64).reshape(self.w.size, self.c.size)
        size = self.w.size
        self.activations = list(activations) if activations is not None else ["sigmoid"] * size
        self.muted = (
            np.zeros(size, dtype=bool) if muted is None else np.array(muted, dtype=bool).reshape(-1)
        )
        if {self.b.size, len(self.activations), self.muted.size} != {size}:
            raise ValueError("w, b, v, activations and muted must have one entry per neuron")
        outputs_for(self.classes)
        for name in self.activations:
            activation(name)

    @property
    def size(self) -> int:
        return self.w.size

    @property
    def classes(self) -> int:
        return 2 if self.c.size == 1 else self.c.size

    def copy(self) -> ClassNetwork:
        return ClassNetwork(self.w, self.b, self.v, self.c, self.activations, self.muted)

    def hidden(self, x: ArrayLike) -> Array:
        """a (H, N): each neuron's activation act_j(w_j x + b_j) on x, 0 if muted."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        z = np.multiply.outer(self.w, xs) + self.b[:, None]
        a = np.empty_like(z)
        for j, name in enumerate(self.activations):
            a[j] = 0.0 if self.muted[j] else ACTIVATIONS[name](z[j])
        return a

    def logits(self, x: ArrayLike) -> Array:
        """l (N, M) = aᵀ·v + c."""
        logits: Array = self.hidden(x).T @ self.v + self.c
        return logits

    def probabilities(self, x: ArrayLike) -> Array:
        """p (N, K): each row sums to 1."""
        return probabilities(self.logits(x))

    def __repr__(self) -> str:
        return f"ClassNetwork({self.size} neurons: {self.kinds}; {self.classes} classes)"


def probabilities(logits: Array) -> Array:
    """(N, K) from logits (N, M): [1 − σ(l), σ(l)] for one logit, else a softmax."""
    if logits.shape[1] == 1:
        p1 = 0.5 * (1.0 + np.tanh(0.5 * logits[:, 0]))  # σ(l) with no overflow
        return np.column_stack([1.0 - p1, p1])
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    p: Array = e / e.sum(axis=1, keepdims=True)
    return p


def sample_losses(logits: Array, labels: NDArray[np.intp]) -> Array:
    """ℓᵢ = −log p of the true class, computed from the logits so it never takes log 0."""
    if logits.shape[1] == 1:  # −log σ(l) = softplus(−l), −log(1 − σ(l)) = softplus(l)
        signed = np.where(labels == 1, -logits[:, 0], logits[:, 0])
        losses: Array = np.logaddexp(0.0, signed)
        return losses
    top = logits.max(axis=1)
    lse = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    losses = lse - logits[np.arange(labels.size), labels]
    return losses


def cross_entropy(logits: Array, labels: NDArray[np.intp]) -> float:
    """The mean of −log p of the true classes."""
    return float(np.mean(sample_losses(logits, labels)))


def accuracy(p: Array, labels: NDArray[np.intp]) -> float:
    """The share of points whose most probable class (argmax) is their own."""
    return float(np.mean(np.argmax(p, axis=1) == labels))


def random_classifier(
    activations: list[str], domain: tuple[float, float], classes: int, seed: int
) -> ClassNetwork:
    """The curve network's start for the hidden layer (step positions spread over the
    domain) and small random output weights, one column per logit."""
    hidden = random_network(activations, domain, seed)
    outputs = outputs_for(classes)
    rng = np.random.default_rng([seed, outputs])
    v = rng.normal(0.0, 1.0 / np.sqrt(max(hidden.size, 1)), (hidden.size, outputs))
    return ClassNetwork(hidden.w, hidden.b, v, np.zeros(outputs), hidden.activations)


@dataclass(frozen=True)
class SampleReadout:
    """One point's last steps of the forward and backward pass: its logits l (M,), the
    probabilities p (K,), its loss ℓ = −log p[k] and ∂ℓ/∂l = p − onehot(k) (M,; for one
    logit the second class's entry, p₁ − [k = 1])."""

    x: float
    label: int
    logits: Array
    p: Array
    loss: float
    dlogits: Array


def read_sample(network: ClassNetwork, x: float, label: int) -> SampleReadout:
    """The numbers the chain rule's last links are written with, for one point."""
    logits = network.logits([x])
    p = probabilities(logits)[0]
    onehot = np.eye(p.size)[label]
    dlogits = (p - onehot)[1:] if logits.shape[1] == 1 else p - onehot
    loss = float(sample_losses(logits, np.array([label], dtype=np.intp))[0])
    return SampleReadout(float(x), int(label), logits[0], p, loss, dlogits)
