"""Backpropagation as a computational graph with real numbers, for one sample.

Forward, left to right, for neuron j (micrograd's value per node):

    x ─ × w_j ─ + b_j = z_j ─ act ─ a_j ─ × v_j = p_j ─ Σ ─ + c = y ─ − t = r ─ loss = L

Backward, right to left, each node's ∂L/∂node is the incoming gradient times the node's
local derivative (``Trace`` holds the numbers). The scope says which loss L is: the
chosen sample's own ℓ(r_i) ("sample"), or the training loss, the mean over all N samples
("batch"); then a parameter's gradient is the mean of every sample's, and the nodes of
sample i carry its 1/N share.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.formula import number
from uat_explorer.core.nn.losses import HUBER_DELTA, loss_by_name
from uat_explorer.core.nn.parameters import parameter_names, parameter_values
from uat_explorer.core.teaching.graph import Graph, Node
from uat_explorer.core.teaching.trace import Trace
from uat_explorer.core.training.penalty import Penalty

SCOPES = ("sample", "batch")
MAX_ROWS = 8
"""Up to this many neurons every row is drawn; beyond, one row and a summary node."""

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(j: int) -> str:
    """Neuron j (0-based) as people count it, in subscript: 0 → ₁."""
    return str(j + 1).translate(SUB)


SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def fmt(value: float) -> str:
    """Numbers in the graph and the chain rule: four significant digits, a true minus,
    and an exponent written as a power of ten (−6.041×10⁻¹⁰, not −6.041e−10)."""
    text = number(float(value), 4)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}×10{exponent.replace('−', '-').translate(SUPER)}"


def plus(a: float, b: float) -> str:
    """a + b written with one sign: 0.1381 − 0.5113, never 0.1381 + −0.5113."""
    return f"{fmt(a)} − {fmt(-b)}" if b < 0 else f"{fmt(a)} + {fmt(b)}"


def minus(a: float, b: float) -> str:
    """a − b written with one sign: 0.1381 + 0.5113, never 0.1381 − −0.5113."""
    return f"{fmt(a)} + {fmt(-b)}" if b < 0 else f"{fmt(a)} − {fmt(b)}"


def check_sample(sample: int, count: int) -> int:
    """A sample index (0-based) among ``count`` samples, or an InputError saying so."""
    if not 0 <= sample < count:
        raise InputError(
            f"sample {sample} does not exist: there are {count} samples (0 to {count - 1})"
        )
    return sample


def middle_sample(count: int) -> int:
    """The sample shown when nobody chose one: the middle of the domain."""
    return count // 2


def check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r} (known: {', '.join(SCOPES)})")
    return scope


def _loss_derivative(loss: str, r: float) -> tuple[str, str]:
    """ℓ′(r) as a formula and with the number: what the loss node sends back."""
    if loss == "mse":
        return "2r", f"2 · {fmt(r)}"
    if loss == "mae":
        return "sign(r)", f"sign({fmt(r)})"
    return f"clip(r, ±{HUBER_DELTA:g})", f"clip({fmt(r)}, ±{HUBER_DELTA:g})"


def _parameter_chain(
    name: str,
    factors: list[str],
    values: list[float],
    scope: str,
    n_samples: int,
    total: float,
    local: tuple[list[str], list[float]],
) -> str:
    """The chain rule for a parameter, e.g. ∂L/∂w₁ = ∂L/∂y · v₁ · σ′(z₁) · x = 0.42 · 1.5 ·
    0.19 · 0.8 = 0.096. For the batch, what is summed: every sample's term, each the
    product of the numbers in its boxes (``local``: the node the parameter feeds, times
    its local derivative), and this sample's term, which the boxes shown multiply out to."""
    if scope == "sample":
        numbers = " · ".join(fmt(v) for v in values)
        return f"∂L/∂{name} = {' · '.join(factors)} = {numbers} = {fmt(total)}"
    names, numbers_here = local
    term = float(np.prod(numbers_here))
    return (
        f"∂L/∂{name} = the sum over the {n_samples} samples of {' · '.join(names)} ="
        f" {fmt(total)} (each sample's ∂L/∂y carries its 1/{n_samples}); this sample's term:"
        f" {' · '.join(fmt(v) for v in numbers_here)} = {fmt(term)}"
    )


def build_graph(
    trace: Trace,
    sample: int,
    scope: str,
    focus: int | None = None,
    penalty: Penalty | None = None,
) -> Graph:
    """The graph of sample ``sample`` under ``scope``. With more than MAX_ROWS neurons,
    only neuron ``focus`` (or the first unmuted one) gets a row of its own. With weight
    decay each w, b, v says the penalty's share of its step."""
    i = check_sample(sample, trace.size)
    scope = check_scope(scope)
    net = trace.network
    size = net.size
    if size <= MAX_ROWS:
        rows = list(range(size))
    else:
        unmuted = [j for j in range(size) if not net.muted[j]]
        chosen = focus if focus is not None and 0 <= focus < size else None
        rows = [chosen if chosen is not None else (unmuted[0] if unmuted else 0)]
    view = _SampleView(trace, i, scope)
    nodes: list[Node] = []
    for j in rows:
        nodes += _neuron_nodes(view, j)
    others = [j for j in range(size) if j not in rows]
    if others:
        nodes.append(_summary_node(view, others))
    nodes += _output_nodes(view, rows, others)
    if penalty is not None and penalty.active:
        nodes = [_with_decay(node, penalty) for node in nodes]
    return Graph(nodes, i, scope, rows, len(others))


def _with_decay(node: Node, penalty: Penalty) -> Node:
    """A w, b or v with the penalty's share of its step written after its chain rule
    (c is not penalised, a muted neuron not trained)."""
    if node.kind != "param" or node.key == "c" or node.muted:
        return node
    name = node.name
    p = node.value
    pull = penalty.strength * (p if penalty.kind == "l2" else float(np.sign(p)))
    factor = name if penalty.kind == "l2" else f"sign({name})"
    return replace(
        node,
        chain=f"{node.chain}; with weight decay the step also pulls by λ·{factor} ="
        f" {fmt(penalty.strength)} · {fmt(p if penalty.kind == 'l2' else float(np.sign(p)))}"
        f" = {fmt(pull)}, so {name} moves by −lr·(∂L/∂{name} + {fmt(pull)})",
    )


class _SampleView:
    """The numbers of sample i that every node reads: ∂L/∂y (``dy``, the sample's share
    of the loss under the scope) and the gradients of the parameters under the scope."""

    def __init__(self, trace: Trace, i: int, scope: str) -> None:
        self.trace, self.i, self.scope = trace, i, scope
        self.n_samples = trace.size
        self.share = 1.0 if scope == "sample" else 1.0 / self.n_samples
        self.x, self.t = float(trace.x[i]), float(trace.t[i])
        self.y, self.r = float(trace.y[i]), float(trace.residual[i])
        self.signal = float(trace.dl_dy[i])  # ℓ′(r_i)
        self.dy = self.signal * self.share
        self.params = trace.sample_gradients(i) if scope == "sample" else trace.gradients

    def dz(self, j: int) -> float:
        """∂L/∂z_j for this sample: ℓ′(r_i)·v_j·act′(z_ij) (Trace.dl_dz), its share."""
        return float(self.trace.dl_dz[j, self.i]) * self.share

    def chain(
        self,
        name: str,
        factors: list[str],
        values: list[float],
        total: float,
        local: tuple[list[str], list[float]],
    ) -> str:
        return _parameter_chain(name, factors, values, self.scope, self.n_samples, total, local)

    def term(self, local: tuple[list[str], list[float]]) -> float | None:
        """In the batch, this sample's term of a parameter's gradient (None: the scope
        is the sample, whose gradient is its only term)."""
        return None if self.scope == "sample" else float(np.prod(local[1]))


def input_node(x: float, dx: float, what: str, of: str = "L", row: float | None = None) -> Node:
    """The input x; ∂``of``/∂x gathers every neuron's ∂/∂z_j · w_j, though nothing
    updates x."""
    return Node(
        "x",
        "x",
        "input",
        None,
        x,
        dx,
        f"{what} x = {fmt(x)}, from the data.",
        "x is data: its gradient is shown, but nothing updates it.",
        f"∂{of}/∂x = Σⱼ ∂{of}/∂zⱼ · wⱼ = {fmt(dx)}",
        row=row,
    )


def input_product(
    j: int, w: float, x: float, dz: float, muted: bool, of: str = "L", row: float | None = None
) -> Node:
    """Neuron j's w_j·x, with ∂``of``/∂(w_j x) = ∂``of``/∂z_j (a curve's L, a point's ℓ)."""
    s = sub(j)
    return Node(
        f"wx{j}",
        f"w{s}·x",
        "op",
        j,
        w * x,
        dz,
        f"Multiplies the input by w{s}: w{s}·x = {fmt(w)} · {fmt(x)} = {fmt(w * x)}.",
        "Its local derivative is 1 towards the sum that follows.",
        f"∂{of}/∂(w{s}x) = ∂{of}/∂z{s} · 1 = {fmt(dz)}",
        ("x", f"w{j}"),
        muted,
        row=row,
    )


def _neuron_nodes(view: _SampleView, j: int) -> list[Node]:
    """x → × w_j → + b_j = z_j → act → a_j → × v_j = p_j, with w_j, b_j, v_j as leaves."""
    trace, i = view.trace, view.i
    net = trace.network
    act = ACTIVATIONS[net.activations[j]]
    muted = bool(net.muted[j])
    w, b, v = float(net.w[j]), float(net.b[j]), float(net.v[j])
    z, a = float(trace.z[j, i]), float(trace.a[j, i])
    slope = float(trace.slope[j, i])
    live = 0.0 if muted else 1.0
    dy, x, params = view.dy, view.x, view.params
    da = dy * v * live
    dz = view.dz(j)
    s = sub(j)
    prime = f"{act.symbol}′(z{s})" if not act.surrogate else f"H′(z{s}) (surrogate)"
    surrogate = (
        " A step has no slope; training borrows a sigmoid's, σ′(z/T)/T with T ="
        " max(1, |w|·spacing), so w and b can still learn."
        if act.surrogate
        else ""
    )
    mute_note = " Muted: it adds nothing, so it gets no gradient." if muted else ""
    keep = v * live  # a muted neuron passes nothing back
    w_local = ([f"∂L/∂z{s}", "x"], [dz, x])
    b_local = ([f"∂L/∂z{s}", "1"], [dz, 1.0])
    v_local = ([f"∂L/∂p{s}", f"a{s}"], [dy * live, a])
    return [
        Node(
            f"w{j}",
            f"w{s}",
            "param",
            j,
            w,
            float(params.w[j]),
            f"The input weight of neuron {j + 1}: how steeply it turns on.",
            f"∂L/∂w{s} is how the loss changes as w{s} turns; gradient descent moves it"
            " the other way." + mute_note,
            view.chain(
                f"w{s}",
                ["∂L/∂y", f"v{s}", prime, "x"],
                [view.signal, keep, slope, x],
                float(params.w[j]),
                w_local,
            ),
            muted=muted,
            term=view.term(w_local),
        ),
        input_product(j, w, x, dz, muted),
        Node(
            f"b{j}",
            f"b{s}",
            "param",
            j,
            b,
            float(params.b[j]),
            f"The bias of neuron {j + 1}: it shifts where the neuron switches on (s = −b/w).",
            f"∂L/∂b{s}: the gradient reaching z{s}, times ∂z/∂b = 1." + mute_note,
            view.chain(
                f"b{s}",
                ["∂L/∂y", f"v{s}", prime, "1"],
                [view.signal, keep, slope, 1.0],
                float(params.b[j]),
                b_local,
            ),
            muted=muted,
            term=view.term(b_local),
        ),
        Node(
            f"z{j}",
            f"z{s} = w{s}x + b{s}",
            "op",
            j,
            z,
            dz,
            f"Adds the bias: z{s} = w{s}·x + b{s} = {plus(w * x, b)} = {fmt(z)}.",
            f"Its local derivative is 1 towards both w{s}·x and b{s}.",
            f"∂L/∂z{s} = ∂L/∂a{s} · {prime} = {fmt(da)} · {fmt(slope)} = {fmt(dz)}",
            (f"wx{j}", f"b{j}"),
            muted,
        ),
        Node(
            f"a{j}",
            f"a{s} = {act.symbol}(z{s})",
            "op",
            j,
            a,
            da,
            f"The activation ({act.label}): a{s} = {act.symbol}({fmt(z)}) = {fmt(a)}." + surrogate,
            f"Its local derivative is {prime} = {fmt(slope)}." + surrogate,
            f"∂L/∂a{s} = ∂L/∂p{s} · v{s} = {fmt(dy * live)} · {fmt(v)} = {fmt(da)}",
            (f"z{j}",),
            muted,
        ),
        Node(
            f"v{j}",
            f"v{s}",
            "param",
            j,
            v,
            float(params.v[j]),
            f"The output weight of neuron {j + 1}: the height of its contribution.",
            f"∂L/∂v{s} = ∂L/∂p{s} · a{s}: the neuron's activation scales it." + mute_note,
            view.chain(
                f"v{s}", ["∂L/∂y", f"a{s}"], [view.signal * live, a], float(params.v[j]), v_local
            ),
            muted=muted,
            term=view.term(v_local),
        ),
        Node(
            f"p{j}",
            f"p{s} = v{s}a{s}",
            "op",
            j,
            v * a * live,
            dy * live,
            f"Neuron {j + 1}'s contribution: p{s} = v{s}·a{s} = {fmt(v * a * live)}"
            + (" (muted: 0)." if muted else "."),
            "Its local derivative is 1 towards the sum.",
            f"∂L/∂p{s} = ∂L/∂Σ · 1 = {fmt(dy * live)}",
            (f"a{j}", f"v{j}"),
            muted,
        ),
    ]


def _summary_node(view: _SampleView, others: list[int]) -> Node:
    """The neurons without a row of their own, as one contribution to the sum."""
    rest = float(view.trace.contribution[others, view.i].sum())
    return Node(
        "others",
        f"+ {len(others)} other neurons",
        "summary",
        None,
        rest,
        view.dy,
        f"The summed contribution of the other {len(others)} neurons: {fmt(rest)}."
        " Their gradients are in the table.",
        "Each of them gets ∂L/∂Σ, like the row drawn in full.",
        f"∂L/∂(their sum) = ∂L/∂Σ = {fmt(view.dy)}; their gradients are in the table",
    )


def _output_nodes(view: _SampleView, rows: list[int], others: list[int]) -> list[Node]:
    """Σ + c = y, − t = r, loss = L, and x, whose gradient gathers every neuron's."""
    trace, scope = view.trace, view.scope
    net = trace.network
    dy, r, x, t, y = view.dy, view.r, view.x, view.t, view.y
    n_samples = view.n_samples
    loss_fn = loss_by_name(trace.loss_name)
    dx_total = sum(view.dz(j) * float(net.w[j]) for j in [*rows, *others])
    total = y - net.c
    l_text = "ℓ(r)" if scope == "sample" else f"the mean of ℓ over {n_samples} samples"
    dy_text = (
        f"∂L/∂y = ℓ′(r) = {_loss_derivative(trace.loss_name, r)[1]} = {fmt(dy)}"
        if scope == "sample"
        else f"∂L/∂y = ℓ′(r)/N = {fmt(view.signal)} / {n_samples} = {fmt(dy)}"
    )
    loss = float(trace.sample_loss[view.i]) if scope == "sample" else trace.loss
    summed = tuple(f"p{j}" for j in rows) + (("others",) if others else ())
    c_local = (["∂L/∂y", "1"], [dy, 1.0])
    return [
        input_node(x, dx_total, f"Sample {view.i}'s input"),
        Node(
            "sum",
            "Σ",
            "op",
            None,
            total,
            dy,
            f"Adds every neuron's contribution: Σ = {fmt(total)}.",
            "Its local derivative is 1 towards every contribution.",
            f"∂L/∂Σ = ∂L/∂y · 1 = {fmt(dy)}",
            summed,
        ),
        Node(
            "c",
            "c",
            "param",
            None,
            net.c,
            float(view.params.c),
            "The output bias: it lifts the whole curve.",
            "∂L/∂c = ∂L/∂y · 1: every sample's error pulls on it.",
            view.chain("c", ["∂L/∂y", "1"], [view.signal, 1.0], float(view.params.c), c_local),
            term=view.term(c_local),
        ),
        Node(
            "y",
            "y = Σ + c",
            "op",
            None,
            y,
            dy,
            f"The output: y = Σ + c = {plus(total, net.c)} = {fmt(y)}.",
            "Its local derivative is 1 towards Σ and c.",
            f"∂L/∂y = ∂L/∂r · 1 = {fmt(dy)}",
            ("sum", "c"),
        ),
        Node(
            "t",
            "t",
            "data",
            None,
            t,
            -dy,
            f"The target at this x: t = {fmt(t)}.",
            "t is data: nothing updates it.",
            f"∂L/∂t = ∂L/∂r · (−1) = {fmt(-dy)}",
        ),
        Node(
            "r",
            "r = y − t",
            "op",
            None,
            r,
            dy,
            f"The residual: r = y − t = {minus(y, t)} = {fmt(r)}.",
            "Its local derivative is 1 towards y and −1 towards t.",
            dy_text.replace("∂L/∂y", "∂L/∂r"),
            ("y", "t"),
        ),
        Node(
            "L",
            f"L ({trace.loss_name.upper()})",
            "op",
            None,
            loss,
            1.0,
            f"The loss, {loss_fn.formula}: here L = {l_text} = {fmt(loss)}.",
            f"Backprop starts here with ∂L/∂L = 1; the loss sends back ℓ′(r) ="
            f" {_loss_derivative(trace.loss_name, r)[0]}.",
            "∂L/∂L = 1",
            ("r",),
        ),
    ]


PARAMETER_COLUMNS = [
    "parameter",
    "value",
    "∂L/∂p (sample)",
    "∂L/∂p (batch)",
    "update",
    "weight decay λp",
]
"""The last column is the penalty's share of the step (0 for c, and without decay)."""


def gradient_rows(
    trace: Trace, sample: int, scope: str, learning_rate: float, penalty: Penalty | None = None
) -> list[tuple[str, float, float, float, float, float]]:
    """One row per parameter in card order (w1, b1, v1, w2, …, c): its value, ∂L/∂p of
    the sample's loss and of the batch loss, the update for ``scope``, and weight decay's
    share of the step. The update is the optimizer's: −lr·(∂L/∂p + λp) with L2 decay
    (λ·sign(p) with L1), −lr·∂L/∂p for c and without decay; a muted neuron gets none."""
    i = check_sample(sample, trace.size)
    scope = check_scope(scope)
    net = trace.network
    per_sample = trace.sample_gradients(i).flat()
    batch = trace.gradients.flat()
    values = parameter_values(net)
    names = parameter_names(net.size)
    chosen = per_sample if scope == "sample" else batch
    share = np.zeros(values.size)
    if penalty is not None and penalty.active:
        share = penalty.share(values, net.muted)
    return [
        (
            name,
            float(values[k]),
            float(per_sample[k]),
            float(batch[k]),
            float(-learning_rate * (chosen[k] + share[k])),
            float(share[k]),
        )
        for k, name in enumerate(names)
    ]
