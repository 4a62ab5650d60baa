"""A computational graph that knows its edges: every node records its inputs when it is
built (as micrograd's ``Value._prev``), and the edges, the order of the forward and
backward passes and the layout are all derived from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

LEAVES = ("param", "data")
"""Kinds of node that nothing computes: parameters and the target. They sit beside the
operation they feed; ``input`` (x) is the source the forward pass starts from."""


@dataclass(frozen=True)
class Node:
    """One node: ``value`` its forward value, ``grad`` its ∂L/∂node, ``inputs`` the keys of
    the nodes it is computed from. ``forward`` and ``backward`` are one sentence each, for
    hovering; ``chain`` writes the chain rule with the numbers that give ``grad``.
    ``neuron``: the row it belongs to (None: shared by every neuron)."""

    key: str
    label: str
    kind: str  # "input", "param", "op", "data", "summary"
    neuron: int | None
    value: float
    grad: float
    forward: str
    backward: str
    chain: str
    inputs: tuple[str, ...] = ()
    muted: bool = False
    term: float | None = None
    """A parameter in the batch: this sample's term of ``grad`` (the product of the
    numbers in its boxes); the whole ``grad`` sums every sample's term."""
    row: float | None = None
    """Where it stands top to bottom, when not on its neuron's row (or the middle): a
    classifier's logits, one per class, and a neuron's product with each of them."""

    @property
    def name(self) -> str:
        """The node's symbol in ∂L/∂(name): w₁, w₁x, z₁, a₁, p₁, Σ, c, y, t, r, L, x."""
        if self.key.startswith("wx"):
            return f"({self.label.replace('·', '')})"
        if self.kind == "summary":
            return "(the others)"
        return self.label.split(" ")[0]


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]
    sample: int
    scope: str
    rows: list[int]  # neurons drawn in full, in network order
    hidden: int  # neurons folded into the summary node
    _index: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {n.key: n for n in self.nodes})
        missing = [(i, n.key) for n in self.nodes for i in n.inputs if i not in self._index]
        if missing:
            raise ValueError(f"inputs that are not nodes: {missing}")

    def node(self, key: str) -> Node:
        return self._index[key]

    @cached_property
    def edges(self) -> list[tuple[str, str]]:
        """(input, node) for every input of every node."""
        return [(source, n.key) for n in self.nodes for source in n.inputs]

    @cached_property
    def columns(self) -> dict[str, int]:
        """Left to right: x in column 0, then each operation by its depth (one more than
        the deepest operation it reads), one column further right, so the leaves fed to
        the first operations have a column of their own; a leaf stands one column before
        the operation it feeds."""
        depth: dict[str, int] = {}

        def deep(key: str) -> int:
            if key not in depth:
                node = self._index[key]
                computed = [i for i in node.inputs if self._index[i].kind not in LEAVES]
                depth[key] = 0 if node.kind == "input" else 1 + max(map(deep, computed), default=0)
            return depth[key]

        column: dict[str, int] = {}
        for node in self.nodes:
            if node.kind not in LEAVES and not (node.kind == "summary" and not node.inputs):
                column[node.key] = 0 if node.kind == "input" else deep(node.key) + 1
        for node in self.nodes:  # leaves and summaries, beside what they feed
            if node.kind in LEAVES or (node.kind == "summary" and not node.inputs):
                fed = [column[n.key] for n in self.nodes if node.key in n.inputs]
                column[node.key] = min(fed, default=1) - 1
        return column

    @cached_property
    def row_of(self) -> dict[str, float]:
        """Top to bottom: a neuron's chain on its own row, its parameters half a row
        below; shared nodes in the middle; the folded neurons' node below the rows."""
        rows = {j: float(k) for k, j in enumerate(self.rows)}
        middle = (len(self.rows) - 1 + (1 if self.hidden else 0)) / 2
        placed: dict[str, float] = {}
        for node in self.nodes:
            base = rows[node.neuron] if node.neuron is not None else middle
            if node.kind == "summary":
                base = float(len(self.rows))
            if node.row is not None:
                base = node.row
            placed[node.key] = base + (0.5 if node.kind in LEAVES else 0.0)
        return placed

    def position(self, key: str) -> tuple[int, float]:
        """(column, row) of a node in the drawing."""
        return self.columns[key], self.row_of[key]

    def forward_order(self) -> list[str]:
        """Values are revealed left to right (and top to bottom within a column): every
        node after the nodes it reads."""
        return sorted(self._index, key=self.position)

    def backward_order(self) -> list[str]:
        """Gradients arrive right to left."""
        return list(reversed(self.forward_order()))
