"""A classifier's backprop graph for one point: every gradient in it equals a central
finite difference of that point's cross-entropy, for two classes (σ) and three (softmax),
and the last nodes read logits, σ or softmax, then −log p[k]."""

import numpy as np
import pytest
from test_classes import MIXES, random_case

from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import ClassNetwork, probabilities, sample_losses
from uat_explorer.core.teaching.class_graph import build_class_graph
from uat_explorer.core.training.classproblem import ClassProblem

H = 1e-6


def point_loss(net: ClassNetwork, x: float, k: int) -> float:
    return float(sample_losses(net.logits([x]), np.array([k]))[0])


def central(f, value: float) -> float:
    return (f(value + H) - f(value - H)) / (2 * H)


def case(classes: int, mix: int):
    kinds = [name if name != "step" else "tanh" for name in MIXES[mix]]  # step: surrogate
    net, x, labels = random_case(kinds, classes, seed=5 * mix + classes)
    problem = ClassProblem(net, x, labels)
    names = tuple("ABC"[:classes])
    return net, problem, names


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("mix", range(len(MIXES)))
@pytest.mark.parametrize("sample", [0, 12, 30])
def test_every_parameter_gradient_is_a_central_difference(classes, mix, sample):
    net, problem, names = case(classes, mix)
    x, k = float(problem.x[sample]), int(problem.labels[sample])
    graph = build_class_graph(net, problem, sample, names)
    assert graph.rows == list(range(net.size))
    for key, array, index in [
        *((f"w{j}", "w", (j,)) for j in range(net.size)),
        *((f"b{j}", "b", (j,)) for j in range(net.size)),
        *((f"v{j}_{m}", "v", (j, m)) for j in range(net.size) for m in range(net.c.size)),
        *((f"c{m}", "c", (m,)) for m in range(net.c.size)),
    ]:

        def moved(value, array=array, index=index):
            other = net.copy()
            getattr(other, array)[index] = value
            return point_loss(other, x, k)

        node = graph.node(key)
        assert node.value == getattr(net, array)[index]
        assert node.grad == pytest.approx(central(moved, node.value), rel=1e-5, abs=1e-8), key
    dx = central(lambda value: point_loss(net, value, k), x)
    assert graph.node("x").grad == pytest.approx(dx, rel=1e-5, abs=1e-8)
    assert graph.node("loss").value == pytest.approx(point_loss(net, x, k), rel=1e-12)


@pytest.mark.parametrize("classes", [2, 3])
def test_the_inner_nodes_gradients_are_central_differences_of_their_values(classes):
    net, problem, names = case(classes, 0)
    sample = 7
    x, k = float(problem.x[sample]), int(problem.labels[sample])
    graph = build_class_graph(net, problem, sample, names)
    live = ~net.muted
    a = np.array([ACTIVATIONS[n](net.w[j] * x + net.b[j]) for j, n in enumerate(net.activations)])
    a = a * live

    def from_hidden(values):
        logits = net.c + values @ net.v
        return float(sample_losses(logits[None, :], np.array([k]))[0])

    for j in range(net.size):
        z = net.w[j] * x + net.b[j]

        def at_z(value, j=j):
            moved = a.copy()
            moved[j] = ACTIVATIONS[net.activations[j]](value) * live[j]
            return from_hidden(moved)

        def at_a(value, j=j):
            moved = a.copy()
            moved[j] = value
            return from_hidden(moved)

        assert graph.node(f"z{j}").grad == pytest.approx(central(at_z, z), rel=1e-5, abs=1e-8)
        expected = central(at_a, a[j]) if live[j] else 0.0
        assert graph.node(f"a{j}").grad == pytest.approx(expected, rel=1e-5, abs=1e-8)
    logits = net.c + a @ net.v
    for m in range(net.c.size):

        def at_logit(value, m=m):
            moved = logits.copy()
            moved[m] = value
            return float(sample_losses(moved[None, :], np.array([k]))[0])

        node = graph.node(f"l{m}")
        assert node.value == pytest.approx(logits[m], rel=1e-12)
        assert node.grad == pytest.approx(central(at_logit, logits[m]), rel=1e-5, abs=1e-8)
    p = probabilities(logits[None, :])[0]
    read = p[1] if classes == 2 else p[k]
    sign = -1.0 if classes == 2 and k == 0 else 1.0  # two classes: the node holds p(B)
    node = graph.node("p")
    assert node.value == pytest.approx(read, rel=1e-12)
    ell = (lambda q: -np.log(1 - q)) if sign < 0 else (lambda q: -np.log(q))
    assert node.grad == pytest.approx(central(ell, read), rel=1e-5)


def test_the_last_nodes_are_the_logits_sigma_or_softmax_and_minus_log_p():
    for classes, squash in ((2, "σ(l)"), (3, "softmax(l)")):
        net, problem, names = case(classes, 1)
        graph = build_class_graph(net, problem, 4, names)
        k = names[problem.labels[4]]
        assert graph.node("loss").label == f"ℓ = −log p[{k}]"
        assert graph.node("loss").inputs == ("p",) and squash in graph.node("p").label
        assert graph.node("p").inputs == tuple(f"l{m}" for m in range(net.c.size))
        order = graph.forward_order()
        assert order.index("l0") < order.index("p") < order.index("loss")
        boxes = [graph.position(n.key) for n in graph.nodes if n.kind != "param"]
        assert len(boxes) == len(set(boxes))  # no two boxes on one spot


def test_a_wide_network_draws_one_neuron_and_folds_the_others_per_logit():
    net, problem, names = case(3, 0)
    wide = ClassNetwork(
        np.tile(net.w, 2), np.tile(net.b, 2), np.tile(net.v, (2, 1)), net.c, net.activations * 2
    )
    graph = build_class_graph(wide, ClassProblem(wide, problem.x, problem.labels), 3, names, 4)
    assert graph.rows == [4] and graph.hidden == 9
    rest = graph.node("others1")
    assert rest.grad == graph.node("l1").grad and "others1" in graph.node("l1").inputs
    positions = [graph.position(n.key) for n in graph.nodes if n.kind not in ("param", "data")]
    assert len(positions) == len(set(positions))  # no two boxes on one spot
