"""Backpropagation through a classifier for one point, as a computational graph.

Forward, for neuron j and logit m (one logit for two classes, else one per class):

    x ─ × w_j ─ + b_j = z_j ─ act ─ a_j ─ × v_jm ─ Σ + c_m = l_m ─ σ or softmax ─ p[k] ─ −log = ℓ

Backward, each node's ∂ℓ/∂node is the incoming gradient times its local derivative; at the
logits it is p − onehot(k), and from there on the chain is a curve's.
"""

from __future__ import annotations

import numpy as np

from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import ClassNetwork, probabilities, sample_losses
from uat_explorer.core.teaching.backprop import (
    MAX_ROWS,
    check_sample,
    fmt,
    input_node,
    input_product,
    plus,
    sub,
)
from uat_explorer.core.teaching.graph import Graph, Node
from uat_explorer.core.training.classproblem import ClassProblem

MAX_BOXES = 24
"""Up to this many neuron-and-logit products every neuron gets rows; beyond, one neuron
(the focus) and one node per logit for the others."""


def build_class_graph(
    network: ClassNetwork,
    problem: ClassProblem,
    sample: int,
    names: tuple[str, ...],
    focus: int | None = None,
) -> Graph:
    """The graph of training point ``sample`` of ``problem`` (its x, its label k) under
    ``network``; ``names`` the K class names."""
    i = check_sample(sample, problem.x.size)
    x, k = float(problem.x[i]), int(problem.labels[i])
    size, outputs = network.size, network.c.size
    if size <= MAX_ROWS and size * outputs <= MAX_BOXES:
        rows = list(range(size))
    else:
        rows = [focus if focus is not None and 0 <= focus < size else 0]
    others = [j for j in range(size) if j not in rows]
    z, a, slope = problem.point(problem.pack(network), x)
    logits = network.c + a @ network.v
    p = probabilities(logits[None, :])[0]
    loss = float(sample_losses(logits[None, :], np.array([k], dtype=np.intp))[0])
    onehot = np.eye(p.size)[k]
    dl = (p - onehot)[1:] if outputs == 1 else p - onehot  # ∂ℓ/∂l, (M,)
    da = (network.v @ dl) * ~network.muted
    dz = da * slope
    view = _Numbers(network, x, k, z, a, slope, dl, da, dz, names, len(rows))
    nodes: list[Node] = []
    for r, j in enumerate(rows):
        nodes += view.neuron(j, r)
    for m in range(outputs):
        if others:
            nodes.append(view.others(others, m))
        nodes += view.logit(rows, others, m)
    nodes += view.last(p, loss, float(dz @ network.w))
    return Graph(nodes, i, "sample", rows, len(others))


class _Numbers:
    """The point's numbers every node is written with, and where the rows go: each
    drawn neuron takes one row per logit, its products v_jm·a_j one each."""

    def __init__(
        self,
        network: ClassNetwork,
        x: float,
        k: int,
        z: np.ndarray,
        a: np.ndarray,
        slope: np.ndarray,
        dl: np.ndarray,
        da: np.ndarray,
        dz: np.ndarray,
        names: tuple[str, ...],
        drawn: int,
    ) -> None:
        self.net, self.x, self.k, self.names = network, x, k, names
        self.z, self.a, self.slope, self.dl, self.da, self.dz = z, a, slope, dl, da, dz
        self.outputs = network.c.size
        self.height = drawn * self.outputs
        self.middle = (self.height - 1) / 2

    def tag(self, m: int) -> str:
        """Logit m's mark: none for the one logit of two classes, else [class]."""
        return "" if self.outputs == 1 else f"[{self.names[m]}]"

    def neuron(self, j: int, r: int) -> list[Node]:
        """x → × w_j → + b_j = z_j → act → a_j → × v_jm for each logit."""
        net, x, s = self.net, self.x, sub(j)
        w, b = float(net.w[j]), float(net.b[j])
        z, a, slope, da, dz = (float(v[j]) for v in (self.z, self.a, self.slope, self.da, self.dz))
        muted = bool(net.muted[j])
        row = r * self.outputs + (self.outputs - 1) / 2
        act = net.activations[j]
        symbol = ACTIVATIONS[act].symbol
        prime = f"{symbol}′(z{s})"
        fed = " + ".join(f"∂ℓ/∂l{self.tag(m)}·v{s}{self.tag(m)}" for m in range(self.outputs))
        nodes = [
            Node(
                f"w{j}",
                f"w{s}",
                "param",
                j,
                w,
                dz * x,
                f"The input weight of neuron {j + 1}.",
                f"∂ℓ/∂w{s} = ∂ℓ/∂z{s} · x.",
                f"∂ℓ/∂w{s} = {fmt(dz)} · {fmt(x)} = {fmt(dz * x)}",
                muted=muted,
                row=row,
            ),
            input_product(j, w, x, dz, muted, "ℓ", row),
            Node(
                f"b{j}",
                f"b{s}",
                "param",
                j,
                b,
                dz,
                f"The bias of neuron {j + 1}.",
                f"∂ℓ/∂b{s} = ∂ℓ/∂z{s} · 1.",
                f"∂ℓ/∂b{s} = {fmt(dz)}",
                muted=muted,
                row=row,
            ),
            Node(
                f"z{j}",
                f"z{s} = w{s}x + b{s}",
                "op",
                j,
                z,
                dz,
                f"z{s} = w{s}·x + b{s} = {plus(w * x, b)} = {fmt(z)}.",
                f"Its local derivative is 1 towards both w{s}·x and b{s}.",
                f"∂ℓ/∂z{s} = ∂ℓ/∂a{s} · {prime} = {fmt(da)} · {fmt(slope)} = {fmt(dz)}",
                (f"wx{j}", f"b{j}"),
                muted,
                row=row,
            ),
            Node(
                f"a{j}",
                f"a{s} = {symbol}(z{s})",
                "op",
                j,
                a,
                da,
                f"a{s} = {symbol}({fmt(z)}) = {fmt(a)}.",
                f"Its local derivative is {prime} = {fmt(slope)}.",
                f"∂ℓ/∂a{s} = {fed} = {fmt(da)}",
                (f"z{j}",),
                muted,
                row=row,
            ),
        ]
        for m in range(self.outputs):
            v, dl, t = float(net.v[j, m]), float(self.dl[m]), self.tag(m)
            live = 0.0 if muted else 1.0
            nodes += [
                Node(
                    f"v{j}_{m}",
                    f"v{s}{t}",
                    "param",
                    j,
                    v,
                    dl * a,
                    f"Neuron {j + 1}'s weight to the logit l{t}.",
                    f"∂ℓ/∂v{s}{t} = ∂ℓ/∂l{t} · a{s}.",
                    f"∂ℓ/∂v{s}{t} = {fmt(dl)} · {fmt(a)} = {fmt(dl * a)}",
                    muted=muted,
                    row=r * self.outputs + m,
                ),
                Node(
                    f"p{j}_{m}",
                    f"v{s}{t}a{s}",
                    "op",
                    j,
                    v * a,
                    dl * live,
                    f"Neuron {j + 1}'s share of l{t}: v{s}{t}·a{s} = {fmt(v * a)}.",
                    "Its local derivative is 1 towards the sum.",
                    f"∂ℓ/∂(v{s}{t}a{s}) = ∂ℓ/∂l{t} · 1 = {fmt(dl * live)}",
                    (f"a{j}", f"v{j}_{m}"),
                    muted,
                    row=r * self.outputs + m,
                ),
            ]
        return nodes

    def others(self, others: list[int], m: int) -> Node:
        rest = float(self.a[others] @ self.net.v[others, m])
        t, dl = self.tag(m), float(self.dl[m])
        return Node(
            f"others{m}",
            f"+ {len(others)} other neurons",
            "summary",
            None,
            rest,
            dl,
            f"The other {len(others)} neurons' share of l{t}: {fmt(rest)}. Their weights"
            " are in the table.",
            "Each of them gets ∂ℓ/∂l, like the row drawn in full.",
            f"∂ℓ/∂(their sum) = ∂ℓ/∂l{t} = {fmt(dl)}",
            row=self.height + m,
        )

    def logit(self, rows: list[int], others: list[int], m: int) -> list[Node]:
        """c_m and l_m = Σ_j v_jm a_j + c_m."""
        t, dl = self.tag(m), float(self.dl[m])
        c = float(self.net.c[m])
        total = float(self.a @ self.net.v[:, m])
        row = self.middle + m - (self.outputs - 1) / 2
        summed = tuple(f"p{j}_{m}" for j in rows) + ((f"others{m}",) if others else ())
        onehot = int(m + (self.outputs == 1) == self.k)
        p_m = dl + onehot
        label = self.names[m + (self.outputs == 1)]
        return [
            Node(
                f"c{m}",
                f"c{t}",
                "param",
                None,
                c,
                dl,
                f"The bias of the logit l{t}.",
                f"∂ℓ/∂c{t} = ∂ℓ/∂l{t} · 1.",
                f"∂ℓ/∂c{t} = {fmt(dl)}",
                row=row,
            ),
            Node(
                f"l{m}",
                f"l{t} = Σ + c{t}",
                "op",
                None,
                total + c,
                dl,
                f"The logit of class {label}: l{t} = Σⱼ vⱼ{t}aⱼ + c{t} = {plus(total, c)}"
                f" = {fmt(total + c)}.",
                f"Its local derivative is 1 towards every share and c{t}.",
                f"∂ℓ/∂l{t} = p({label}) − [k = {label}] = {fmt(p_m)} − {onehot} = {fmt(dl)}",
                (*summed, f"c{m}"),
                row=row,
            ),
        ]

    def last(self, p: np.ndarray, loss: float, dx: float) -> list[Node]:
        """x; σ or softmax, read at the point's class; ℓ = −log p[k]."""
        k, names, x = self.k, self.names, self.x
        logits = tuple(f"l{m}" for m in range(self.outputs))
        probs = ", ".join(f"p({n}) = {fmt(v)}" for n, v in zip(names, p, strict=True))
        if self.outputs == 1:
            q = float(p[1])
            dq = -1.0 / q if k == 1 else 1.0 / (1.0 - q)
            squash = Node(
                "p",
                "p = σ(l)",
                "op",
                None,
                q,
                dq,
                f"σ turns the logit into p({names[1]}) = σ(l) = {fmt(q)}; p({names[0]}) = 1 − p"
                f" = {fmt(1 - q)}.",
                f"Its local derivative is p(1 − p) = {fmt(q * (1 - q))}.",
                f"∂ℓ/∂p = −1/p = {fmt(dq)}" if k == 1 else f"∂ℓ/∂p = 1/(1 − p) = {fmt(dq)}",
                logits,
                row=self.middle,
            )
        else:
            q = float(p[k])
            dq = -1.0 / q
            squash = Node(
                "p",
                f"p[{names[k]}] = softmax(l)",
                "op",
                None,
                q,
                dq,
                f"softmax turns the logits into probabilities: {probs}; the loss reads"
                f" p[{names[k]}], the point's class.",
                f"Its local derivative is p[{names[k]}]·([m = {names[k]}] − p[m]) towards"
                " each logit l[m].",
                f"∂ℓ/∂p[{names[k]}] = −1/p[{names[k]}] = {fmt(dq)}",
                logits,
                row=self.middle,
            )
        return [
            input_node(x, dx, "The point's", "ℓ", self.middle),
            squash,
            Node(
                "loss",
                f"ℓ = −log p[{names[k]}]",
                "op",
                None,
                loss,
                1.0,
                f"The cross-entropy of this point, of class {names[k]}: ℓ = −log p[{names[k]}]"
                f" = {fmt(loss)}.",
                "Backprop starts here with ∂ℓ/∂ℓ = 1.",
                "∂ℓ/∂ℓ = 1",
                ("p",),
                row=self.middle,
            ),
        ]
