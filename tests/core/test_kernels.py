"""The training kernels: every formulation gives the same numbers (against float64 and
against each other), the per-machine choice and its cache file, and the timeline rows
the trainer records through them."""

from __future__ import annotations

import gc
import itertools
import json
import weakref

import numpy as np
import pytest

from uat_explorer.core import ACTIVATIONS, FitProblem, Network, OptimizerSpec, Trainer
from uat_explorer.core.nn import kernels
from uat_explorer.core.nn.activations import sample_spacing
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.timeline import StepRecorder

X = np.linspace(-3, 3, 97)
T = np.sin(2 * X) + 0.3 * X
KINDS = ["sigmoid", "tanh", "relu", "step", "sigmoid", "relu", "tanh", "step", "sigmoid"]
CHOICES = [
    dict(zip(kernels.FORMS, c, strict=True)) for c in itertools.product(*kernels.FORMS.values())
]


def network(muted: int | None = 4) -> Network:
    """Every kind, rows out of kind order, one muted; some z far beyond exp's float32
    range (|w|·3 up to 120) and some near 0, where the forms differ most."""
    rng = np.random.default_rng(7)
    w = rng.normal(0, 2, len(KINDS))
    w[[1, 2]] = [40.0, -30.0]
    b = rng.normal(0, 1, len(KINDS))
    v = rng.normal(0, 1, len(KINDS))
    mask = np.zeros(len(KINDS), bool)
    if muted is not None:
        mask[muted] = True
    return Network(w, b, v, 0.3, list(KINDS), mask)


def reference(net: Network, x: np.ndarray, t: np.ndarray, spacing: float | None = None):
    """Loss, gradient (network order), outputs and mean |act| in float64, straight from
    the definitions (ACTIVATIONS' own functions; the step's slope the surrogate, as wide
    as ``spacing``, by default that of x)."""
    live = ~net.muted
    z = np.multiply.outer(net.w, x) + net.b[:, None]
    a, slope = np.zeros_like(z), np.zeros_like(z)
    spacing = sample_spacing(x) if spacing is None else spacing
    for j, name in enumerate(net.activations):
        act = ACTIVATIONS[name]
        a[j] = act(z[j])
        if act.surrogate:
            temperature = max(1.0, abs(net.w[j]) * spacing)
            slope[j] = ACTIVATIONS["sigmoid"].derivative(z[j] / temperature) / temperature
        else:
            slope[j] = act.derivative(z[j])
    y = (net.v * live) @ a + net.c
    r = y - t
    g = 2 * r / r.size
    grad_w = net.v * (slope * g * x).sum(axis=1) * live
    grad_b = net.v * (slope * g).sum(axis=1) * live
    grad_v = (a * g).sum(axis=1) * live
    return float(np.mean(r**2)), (grad_w, grad_b, grad_v, g.sum()), y, np.abs(a).mean(axis=1)


def gradient(net: Network, dtype, forms, x=X, t=T, record=False):
    problem = FitProblem(net, x, t, "mse", dtype, forms=forms)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    sums = np.empty((2, problem.hidden + 1), problem.dtype)
    if record:
        problem.record_activity(sums)
    loss = problem.loss_and_grad(theta, grad)
    activity = np.empty((1, net.size))
    problem.mean_activity(sums[1:, : problem.hidden], activity)
    return problem, loss, problem.unpack_gradient(grad, net.size), problem.y, activity[0]


def scale(*arrays) -> float:
    return max(float(np.max(np.abs(a))) for a in arrays)


@pytest.mark.parametrize("forms", CHOICES, ids=lambda f: "-".join(f.values()))
def test_every_formulation_matches_float64_definitions(forms):
    net = network()
    loss, grads, y, activity = reference(net, X, T)
    # float64: the same function, so it agrees to rounding of float64
    _, loss64, grads64, y64, act64 = gradient(net, np.float64, forms, record=True)
    assert loss64 == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(y64, y, rtol=1e-12, atol=1e-12)
    for mine, exact in zip(grads64, grads, strict=True):
        np.testing.assert_allclose(mine, exact, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(act64, activity * ~net.muted, rtol=1e-12, atol=1e-12)
    # float32: within its rounding, relative to the size of what is summed
    _, loss32, grads32, y32, act32 = gradient(net, np.float32, forms, record=True)
    assert loss32 == pytest.approx(loss, rel=1e-5)
    np.testing.assert_allclose(y32, y, atol=1e-5 * scale(y))
    for mine, exact in zip(grads32, grads, strict=True):
        np.testing.assert_allclose(mine, exact, atol=1e-5 * scale(*grads[:3]))
    np.testing.assert_allclose(act32, activity * ~net.muted, atol=1e-6)


def test_the_formulations_agree_with_each_other_in_float32():
    net = network()
    results = [gradient(net, np.float32, forms, record=True) for forms in CHOICES]
    _, loss0, grads0, y0, act0 = results[0]
    for _, loss, grads, y, act in results[1:]:
        assert loss == pytest.approx(loss0, rel=1e-5)
        np.testing.assert_allclose(y, y0, atol=1e-5 * scale(y0))
        for mine, first in zip(grads, grads0, strict=True):
            np.testing.assert_allclose(mine, first, atol=1e-5 * scale(*grads0[:3]))
        np.testing.assert_allclose(act, act0, atol=1e-6)


@pytest.mark.parametrize("forms", CHOICES, ids=lambda f: "-".join(f.values()))
def test_every_formulation_gives_the_jacobian_of_its_outputs(forms):
    net = network()
    problem = FitProblem(net, X, T, "mse", np.float64, forms=forms)
    theta = problem.pack(net)
    problem.forward(theta)
    jt = problem.jacobian_t(theta).copy()
    _, (gw, gb, gv, gc), _, _ = reference(net, X, T)
    g = 2 * problem.r / problem.r.size  # dL/dθ = Jᵀ g
    i = problem.index
    np.testing.assert_allclose(jt @ g, np.concatenate([gw[i], gb[i], gv[i], [gc]]), atol=1e-12)


def test_an_overflowing_sigmoid_neither_warns_nor_loses_its_limits():
    net = Network([100.0, -100.0], [0.0, 0.0], [1.0, 1.0], 0.0, ["sigmoid"] * 2)
    x = np.array([-3.0, -1.0, 1.0, 3.0])
    for form in kernels.FORMS["sigmoid"]:
        problem = FitProblem(net, x, x, "mse", np.float32, forms={"sigmoid": form})
        problem.forward(problem.pack(net))  # warnings are errors here
        np.testing.assert_allclose(problem.y, [1, 1, 1, 1], atol=1e-7)


def test_each_kernel_says_how_its_buffer_maps_to_the_activation():
    """A signed kernel's raw activity is mean |s|, so it must have α = 1 and β = 0."""
    z = np.linspace(-8, 8, 33)
    for name, forms in kernels.FORMS.items():
        for kernel in forms.values():
            s = np.empty_like(z)
            kernel.value(kernel.scale * z, s)
            np.testing.assert_allclose(
                kernel.alpha * s + kernel.beta, ACTIVATIONS[name](z), atol=1e-15
            )
            if kernel.slope is not None:
                d = np.empty_like(z)
                kernel.slope(s, d)
                keep = np.abs(z) > 1e-9  # relu's kink
                np.testing.assert_allclose(
                    kernel.gamma * d[keep], ACTIVATIONS[name].derivative(z)[keep], atol=1e-15
                )
            assert kernel.nonnegative or (kernel.alpha, kernel.beta) == (1.0, 0.0)
            assert kernel.nonnegative == bool(np.all(ACTIVATIONS[name](z) >= 0))


# -- the per-machine choice and its cache ---------------------------------------------------


def timings_never(*args, **kwargs):
    raise AssertionError("measured although the cache had the answer")


def test_the_choice_is_measured_once_then_read_from_the_cache(tmp_path, monkeypatch):
    path = tmp_path / "uat-explorer" / "kernels.json"
    choice = kernels.choose(path)
    assert set(choice) == {"sigmoid", "relu"}
    assert all(form in kernels.FORMS[name] for name, form in choice.items())
    data = json.loads(path.read_text())
    entry = data["machines"][kernels.machine_key()]
    assert data["version"] == kernels.CACHE_VERSION and entry["forms"] == choice
    assert set(entry["microseconds"]["sigmoid"]) == set(kernels.FORMS["sigmoid"])
    monkeypatch.setattr(kernels, "measure", timings_never)
    assert kernels.choose(path) == choice


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        json.dumps({"version": kernels.CACHE_VERSION, "machines": []}),
        '{"version": 999, "machines": {}}',
        "KEY_WITH_BAD_FORM",
        "KEY_WITH_A_LIST",
        "KEY_MISSING_ONE",
    ],
)
def test_a_corrupt_or_stale_cache_is_measured_again_and_rewritten(tmp_path, content):
    path = tmp_path / "kernels.json"
    key = kernels.machine_key()
    if content == "KEY_WITH_BAD_FORM":
        content = json.dumps(
            {
                "version": kernels.CACHE_VERSION,
                "machines": {key: {"forms": {"sigmoid": "erf", "relu": "max"}}},
            }
        )
    elif content == "KEY_WITH_A_LIST":
        content = json.dumps(
            {
                "version": kernels.CACHE_VERSION,
                "machines": {key: {"forms": {"sigmoid": ["exp"], "relu": "max"}}},
            }
        )
    elif content == "KEY_MISSING_ONE":
        content = json.dumps(
            {"version": kernels.CACHE_VERSION, "machines": {key: {"forms": {"sigmoid": "exp"}}}}
        )
    path.write_text(content)
    choice = kernels.choose(path)
    assert json.loads(path.read_text())["machines"][key]["forms"] == choice


def test_other_machines_entries_are_kept(tmp_path):
    path = tmp_path / "kernels.json"
    other = {"forms": {"sigmoid": "exp", "relu": "max"}, "microseconds": {}}
    path.write_text(
        json.dumps({"version": kernels.CACHE_VERSION, "machines": {"another CPU": other}})
    )
    kernels.choose(path)
    machines = json.loads(path.read_text())["machines"]
    assert machines["another CPU"] == other and kernels.machine_key() in machines


def test_an_unwritable_cache_is_silently_skipped(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a directory")
    path = blocker / "uat-explorer" / "kernels.json"
    choice = kernels.choose(path)  # no exception, and the choice is still made
    assert set(choice) == {"sigmoid", "relu"} and not path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file"]


def test_the_cache_lives_under_xdg_cache_home_or_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert kernels.cache_path() == tmp_path / "cache" / "uat-explorer" / "kernels.json"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert kernels.cache_path() == tmp_path / "home" / ".cache" / "uat-explorer" / "kernels.json"


def test_the_machine_key_names_the_cpu_and_numpy():
    key = kernels.machine_key()
    assert key.endswith(f"numpy {np.__version__}") and "flags" in key


# -- what the trainer records through them ---------------------------------------------------


@pytest.mark.parametrize(
    "optimizer, batch",
    [("adam", None), ("adam", 30), ("momentum", None), ("lm", None)],
)
@pytest.mark.parametrize("forms", [CHOICES[0], CHOICES[-1]], ids=lambda f: "-".join(f.values()))
def test_recorded_rows_are_each_steps_weights_gradient_and_mean_activity(
    optimizer, batch, forms, monkeypatch
):
    monkeypatch.setattr(kernels, "_chosen", forms)  # as if this machine had chosen these
    net = network()
    net.w[[1, 2]] = [2.0, -1.5]  # LM must make progress from here
    spec = OptimizerSpec(optimizer, 0.01)
    stepped = Trainer(net, X, T, "mse", spec, batch_size=batch)
    befores = []
    for _ in range(6):
        befores.append(stepped.network)
        stepped.run(1)
    rows = Trainer(net, X, T, "mse", spec, batch_size=batch, record=True).run(6).timeline
    assert rows is not None and rows.size == 6
    np.testing.assert_array_equal(rows.steps, np.arange(6))
    schedule = BatchSchedule(X.size, batch, 0) if batch else None
    for k, before in enumerate(befores):
        chosen = schedule.indices(k) if schedule else slice(None)
        _, (gw, gb, gv, gc), _, activity = reference(
            before, X[chosen], T[chosen], sample_spacing(X)
        )
        # recording changes nothing: the same steps, to the last bit
        np.testing.assert_array_equal(rows.weights[k], parameter_values(before).astype(np.float32))
        grads = np.append(np.column_stack([gw, gb, gv]).reshape(-1), gc)
        np.testing.assert_allclose(rows.gradients[k], grads, atol=1e-5 * scale(grads))
        np.testing.assert_allclose(rows.activity[k], activity * ~net.muted, atol=1e-6)
    muted = 4
    assert (rows.gradients[:, 3 * muted : 3 * muted + 3] == 0).all()
    assert (rows.activity[:, muted] == 0).all()


def test_the_recorder_keeps_only_the_steps_before_a_rollback():
    net = network()
    problem = FitProblem(net, X, T, "mse", np.float32)
    recorder = StepRecorder.of(problem, first=40)
    theta = problem.pack(net)
    for k in range(300):  # past the first block, so it grows
        backup, grad = recorder.lend()
        backup[:] = theta + k
        problem.loss_and_grad(backup, grad)
    rows = recorder.rows(net, below=45, batch=0)
    np.testing.assert_array_equal(rows.steps, np.arange(40, 45))
    trained = np.append(np.repeat(~net.muted, 3), True)  # a muted neuron keeps its values
    np.testing.assert_allclose(rows.weights[4], parameter_values(net) + 4 * trained, rtol=1e-6)
    recorder.n = 300  # as if no rollback: every row, past the first block too
    rows = recorder.rows(net, below=340, batch=0)
    assert rows.size == 300
    for k in (15, 16, 255, 256, 287, 288, 299):
        np.testing.assert_allclose(
            rows.weights[k], parameter_values(net) + k * trained, rtol=1e-6, err_msg=str(k)
        )
    assert StepRecorder.of(problem, first=0) is recorder  # one per problem, emptied
    assert recorder.rows(net, below=10, batch=0).size == 0


def test_recorded_activity_of_a_network_in_row_order_needs_no_reordering():
    """One kind, nothing muted: the problem's rows are the network's, the fast path."""
    net = Network(np.linspace(-2, 2, 5), np.linspace(1, -1, 5), np.ones(5), 0.0, ["sigmoid"] * 5)
    rows = Trainer(net, X, T, "mse", OptimizerSpec("adam", 0.01), record=True).run(1).timeline
    assert rows is not None
    _, (gw, gb, gv, gc), _, activity = reference(net, X, T)
    np.testing.assert_allclose(rows.activity[0], activity, atol=1e-6)
    grads = np.append(np.column_stack([gw, gb, gv]).reshape(-1), gc)
    np.testing.assert_allclose(rows.gradients[0], grads, atol=1e-5 * scale(grads))


def test_a_problems_recorder_does_not_keep_it_alive():
    problem = FitProblem(network(), X, T, "mse", np.float32)
    StepRecorder.of(problem, first=0).lend()
    gone = weakref.ref(problem)
    del problem
    gc.collect()
    assert gone() is None


def test_a_cache_of_an_older_version_is_measured_again_and_dropped(tmp_path):
    """Version 1 keyed the flags by a SHA-256 digest: no key of today can match it."""
    path = tmp_path / "kernels.json"
    old = {"forms": {"sigmoid": "exp", "relu": "max"}, "microseconds": {}}
    path.write_text(json.dumps({"version": 1, "machines": {"CPU | flags 0123abcd": old}}))
    kernels.choose(path)
    data = json.loads(path.read_text())
    assert data["version"] == kernels.CACHE_VERSION
    assert list(data["machines"]) == [kernels.machine_key()]
