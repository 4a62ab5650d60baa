"""The backprop graph, its chain rule and the gradient table: every number against central
finite differences of the loss, per sample and for the whole batch."""

import re

import numpy as np
import pytest
from test_trace import central_differences, random_case

from uat_explorer.core import InputError, trace
from uat_explorer.core.teaching.backprop import MAX_ROWS, build_graph, gradient_rows

SMOOTH_MIX = ["sigmoid", "tanh", "relu", "sigmoid"]


SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def last_number(text: str) -> float:
    """The value a chain-rule line ends with (… = 0.096 or … = −6.041×10⁻¹⁰), true
    minus signs and superscript exponents included."""
    found = re.findall(r"=\s*([−-]?[\d.]+)(?:×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", text.split(";")[0])
    mantissa, exponent = found[-1]
    value = float(mantissa.replace("−", "-"))
    return value * 10.0 ** int(exponent.translate(SUPERSCRIPT)) if exponent else value


@pytest.mark.parametrize("scope", ["sample", "batch"])
@pytest.mark.parametrize("loss", ["mse", "huber", "mae"])
def test_chain_rule_text_ends_with_the_true_gradient(scope, loss):
    net, x, t = random_case(SMOOTH_MIX, seed=21)
    done = trace(net, x, t, loss)
    sample = 9
    graph = build_graph(done, sample, scope)
    numeric = central_differences(net, x, t, loss, sample if scope == "sample" else None)
    for j in range(net.size):
        for k, p in enumerate("wbv"):
            node = graph.node(f"{p}{j}")
            expected = numeric[3 * j + k]
            assert last_number(node.chain) == pytest.approx(expected, rel=2e-3, abs=1e-9), (
                node.chain
            )
            assert node.grad == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert graph.node("c").grad == pytest.approx(numeric[-1], rel=1e-6, abs=1e-9)


def test_the_example_chain_rule_reads_like_the_lesson():
    net, x, t = random_case(SMOOTH_MIX, seed=2)
    graph = build_graph(trace(net, x, t, "mse"), 3, "sample")
    text = graph.node("w0").chain
    assert text.startswith("∂L/∂w₁ = ∂L/∂y · v₁ · σ′(z₁) · x = ")
    assert text.count("·") == 6  # four factors, written twice (symbols, then numbers)


@pytest.mark.parametrize("scope", ["sample", "batch"])
def test_gradient_table_matches_finite_differences(scope):
    net, x, t = random_case(SMOOTH_MIX, seed=8)
    done = trace(net, x, t, "mse")
    rows = gradient_rows(done, 4, scope, 0.1)
    assert [r[0] for r in rows] == [f"{p}{j}" for j in range(1, 5) for p in "wbv"] + ["c"]
    per_sample = central_differences(net, x, t, "mse", 4)
    batch = central_differences(net, x, t, "mse")
    np.testing.assert_allclose([r[2] for r in rows], per_sample, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose([r[3] for r in rows], batch, rtol=1e-6, atol=1e-9)
    chosen = per_sample if scope == "sample" else batch
    np.testing.assert_allclose([r[4] for r in rows], -0.1 * chosen, rtol=1e-6, atol=1e-10)


def test_many_neurons_fold_into_one_summary_node():
    net, x, t = random_case(["sigmoid"] * (MAX_ROWS + 4), seed=4)
    graph = build_graph(trace(net, x, t, "mse"), 0, "batch", focus=5)
    assert graph.rows == [5] and graph.hidden == MAX_ROWS + 3
    summary = graph.node("others")
    assert summary.label == f"+ {MAX_ROWS + 3} other neurons"
    done = trace(net, x, t, "mse")
    expected = done.contribution[:, 0].sum() - done.contribution[5, 0]
    assert summary.value == pytest.approx(expected)


def test_walkthrough_orders_run_left_to_right_then_back():
    net, x, t = random_case(SMOOTH_MIX, seed=1)
    graph = build_graph(trace(net, x, t, "mse"), 0, "sample")
    forward = graph.forward_order()
    assert forward[0] == "x" and forward[-1] == "L"
    assert graph.backward_order() == forward[::-1]


@pytest.mark.parametrize(("sample", "scope"), [(-1, "sample"), (23, "sample"), (0, "both")])
def test_bad_sample_or_scope_is_refused(sample, scope):
    net, x, t = random_case(SMOOTH_MIX, seed=1)
    with pytest.raises(InputError):
        build_graph(trace(net, x, t, "mse"), sample, scope)


@pytest.mark.parametrize("count", [1, 3, MAX_ROWS + 2])
def test_the_graph_derives_its_edges_and_order_from_each_nodes_inputs(count):
    """Every node lists what it is computed from (micrograd's _prev): the edges are those
    inputs, the forward order puts every node after its inputs, and no two nodes share a
    place in the drawing."""
    net, x, t = random_case(["sigmoid"] * count, seed=2)
    graph = build_graph(trace(net, x, t, "mse"), 3, "batch")
    assert sorted(graph.edges) == sorted((i, n.key) for n in graph.nodes for i in n.inputs)
    order = graph.forward_order()
    for node in graph.nodes:
        assert all(order.index(i) < order.index(node.key) for i in node.inputs), node.key
    places = [graph.position(n.key) for n in graph.nodes]
    assert len(set(places)) == len(places)
    assert graph.node("L").inputs == ("r",) and graph.node("y").inputs == ("sum", "c")
