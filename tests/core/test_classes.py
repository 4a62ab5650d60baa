"""Classes on a line: targets, probabilities, cross-entropy, its gradient, training."""

import numpy as np
import pytest

from uat_explorer.core import InputError
from uat_explorer.core.nn.classifier import (
    ClassNetwork,
    accuracy,
    cross_entropy,
    probabilities,
    random_classifier,
    read_sample,
    sample_losses,
)
from uat_explorer.core.targets.classes import (
    CLASS_PRESETS,
    ClassTarget,
    class_preset,
    parse_class_csv,
)
from uat_explorer.core.training.classproblem import ClassProblem
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec

MIXES = [
    ["sigmoid", "tanh", "relu", "step", "sigmoid"],
    ["step", "relu", "tanh", "sigmoid", "tanh"],
]


def random_case(activations, classes, seed, n=31):
    """A random classifier (one neuron muted), random points and labels."""
    rng = np.random.default_rng(seed)
    size, outputs = len(activations), 1 if classes == 2 else classes
    net = ClassNetwork(
        w=rng.normal(0, 2, size),
        b=rng.normal(0, 1, size),
        v=rng.normal(0, 1, (size, outputs)),
        c=rng.normal(0, 1, outputs),
        activations=list(activations),
        muted=np.arange(size) == size - 2,
    )
    x = np.sort(rng.uniform(-2, 2, n))
    labels = rng.integers(0, classes, n)
    return net, x, labels


def exact_entries(net: ClassNetwork) -> np.ndarray:
    """θ entries finite differences can check: all but a step neuron's w and b (its true
    slope is 0 almost everywhere; training uses a surrogate)."""
    steps = np.array([a == "step" for a in net.activations])
    return np.concatenate([~steps, ~steps, np.ones(net.v.size + net.c.size, dtype=bool)])


@pytest.mark.parametrize("logits", [np.array([[0.0], [40.0], [-700.0], [3.1]])])
def test_two_class_probabilities_are_sigmoid_and_sum_to_one(logits):
    p = probabilities(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(p[:, 1], 1 / (1 + np.exp(-logits[:, 0])), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("classes", [3, 6])
def test_softmax_probabilities_sum_to_one_even_for_huge_logits(classes):
    logits = np.random.default_rng(classes).normal(0, 300, (50, classes))
    p = probabilities(logits)
    assert np.isfinite(p).all() and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_the_loss_is_minus_log_p_of_the_true_class(classes):
    net, x, labels = random_case(MIXES[0], classes, seed=classes)
    p = net.probabilities(x)
    expected = -np.log(p[np.arange(x.size), labels])
    np.testing.assert_allclose(sample_losses(net.logits(x), labels), expected, rtol=1e-12)
    assert cross_entropy(net.logits(x), labels) == pytest.approx(expected.mean(), rel=1e-12)
    assert accuracy(p, labels) == np.mean(p.argmax(axis=1) == labels)


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("mix", range(len(MIXES)))
def test_gradient_matches_central_differences(classes, mix):
    net, x, labels = random_case(MIXES[mix], classes, seed=10 * mix + classes)
    problem = ClassProblem(net, x, labels)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    loss = problem.loss_and_grad(theta, grad)
    assert loss == pytest.approx(cross_entropy(net.logits(x), labels), rel=1e-12)
    numeric = np.empty_like(theta)
    h = 1e-6
    for k in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[k] += h
        down[k] -= h
        numeric[k] = (problem.loss(up) - problem.loss(down)) / (2 * h)
    exact = exact_entries(net)
    np.testing.assert_allclose(grad[exact], numeric[exact], rtol=1e-6, atol=1e-9)
    muted = np.flatnonzero(net.muted)
    assert grad[muted] == 0 and grad[net.size + muted] == 0


def test_three_bands_are_learned_by_eight_sigmoids_with_adam():
    target = class_preset("bands3")
    assert target.x.size == 300 and target.classes == 3
    net = random_classifier(["sigmoid"] * 8, target.natural_domain(), 3, seed=0)
    trainer = ClassTrainer(net, target.x, target.labels, OptimizerSpec("adam", 0.01))
    report = trainer.run(3000)
    print(
        f"bands3, 8 sigmoids, Adam 0.01, 3000 steps: accuracy {report.accuracy:.4f}"
        f" cross-entropy {report.loss:.4g}"
    )
    assert report.accuracy >= 0.97
    assert report.losses[-1] < report.losses[0]


def test_on_overlapping_classes_p_approaches_the_true_probability():
    """With enough points the fitted p tends to p(class | x), not to 0 or 1."""
    truth = CLASS_PRESETS["overlap2"].probability
    assert truth is not None
    errors = []
    for count in (300, 10_000):
        target = class_preset("overlap2", seed=1, count=count)
        net = random_classifier(["sigmoid"] * 4, target.natural_domain(), 2, seed=0)
        trainer = ClassTrainer(net, target.x, target.labels, OptimizerSpec("adam", 0.02))
        trainer.run(2000)
        gap = np.abs(trainer.network.probabilities(target.x) - truth(target.x))[:, 1]
        errors.append(gap.mean())
        print(f"overlap2, {count} points: mean |p − p_true| {gap.mean():.4f}, max {gap.max():.4f}")
    assert errors[1] < errors[0] and errors[1] < 0.01


def test_mini_batches_train_too():
    target = class_preset("threshold2")
    net = random_classifier(["sigmoid"] * 4, target.natural_domain(), 2, seed=3)
    trainer = ClassTrainer(
        net, target.x, target.labels, OptimizerSpec("sgd", 0.5), batch_size=20, seed=4
    )
    assert trainer.batch.x.size == 20
    report = trainer.run(3000)
    assert report.accuracy >= 0.98 and report.step == 3000


def test_levenberg_marquardt_refuses_with_a_reason():
    target = class_preset("threshold2")
    net = random_classifier(["sigmoid"] * 2, target.natural_domain(), 2, seed=0)
    with pytest.raises(InputError, match="cross-entropy is not"):
        ClassTrainer(net, target.x, target.labels, OptimizerSpec("lm"))


def test_a_runaway_learning_rate_restores_finite_weights():
    target = class_preset("bands3")
    net = random_classifier(["relu"] * 6, target.natural_domain(), 3, seed=0)
    trainer = ClassTrainer(net, target.x, target.labels, OptimizerSpec("sgd", 1000.0))
    report = trainer.run(500)
    assert np.isfinite(trainer.theta).all()
    if report.diverged is not None:
        assert "too high" in report.diverged


def test_csv_names_keep_their_order_of_first_appearance():
    target = parse_class_csv("x,label\n0.5,cat\n-1,dog\n2,cat\n0,bird\n")
    assert target.names == ("cat", "dog", "bird")
    np.testing.assert_array_equal(target.x, [-1, 0, 0.5, 2])
    assert [target.names[k] for k in target.labels] == ["dog", "bird", "cat", "cat"]


def test_csv_whole_number_labels_are_classes_in_numeric_order():
    target = parse_class_csv("0.1 2\n0.2 10\n0.3 2\n")
    assert target.names == ("2", "10")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x,label\n1,a\n2,a\n", "only one class"),
        ("".join(f"{k},c{k}\n" for k in range(7)), "7 classes; at most 6"),
        ("x,label\n1,a\n2,\n3,b\n", "line 3: the label is blank"),
        ("x,label\n1,a\nnan,b\n", "line 3: x must be a finite number"),
        ("x,label\n1,a\ninf,b\n", "line 3: x must be a finite number"),
        ("x,label\n1,a\nabc,b\n", "line 3: 'abc' is not a number"),
        ("x,label\n", "no data rows"),
    ],
)
def test_bad_class_data_is_refused_with_the_reason(text, message):
    with pytest.raises(InputError, match=message):
        parse_class_csv(text, "f.csv")


def test_every_preset_has_its_classes_and_uses_each():
    for name in CLASS_PRESETS:
        target = class_preset(name, seed=2)
        assert set(np.unique(target.labels)) == set(range(target.classes))
    a, b = class_preset("overlap2", seed=5), class_preset("overlap2", seed=5)
    assert a == b and a != class_preset("overlap2", seed=6)


def test_a_class_without_points_is_refused():
    with pytest.raises(InputError, match="'c' has no points"):
        ClassTarget.from_labels([0, 1], [0, 1], ("a", "b", "c"))


@pytest.mark.parametrize("classes", [2, 4])
def test_one_samples_readout_is_its_loss_and_its_gradient_at_the_logits(classes):
    net, x, labels = random_case(MIXES[1], classes, seed=classes + 40)
    i = 7
    readout = read_sample(net, x[i], labels[i])
    assert readout.p.sum() == pytest.approx(1.0, abs=1e-15)
    assert readout.loss == pytest.approx(-np.log(readout.p[labels[i]]), rel=1e-12)
    h = 1e-6
    for m in range(readout.logits.size):
        up, down = readout.logits.copy(), readout.logits.copy()
        up[m] += h
        down[m] -= h
        label = labels[i : i + 1]
        numeric = (sample_losses(up[None], label) - sample_losses(down[None], label))[0] / (2 * h)
        assert readout.dlogits[m] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_a_samples_history_is_its_probabilities_at_each_step():
    target = class_preset("bands3")
    net = random_classifier(["sigmoid", "tanh", "step"], target.natural_domain(), 3, seed=2)
    trainer = ClassTrainer(net, target.x, target.labels, OptimizerSpec("adam", 0.05))
    thetas, networks = [], []
    for _ in range(4):
        trainer.run(25)
        thetas.append(trainer.theta.copy())
        networks.append(trainer.network)
    history = trainer.problem.history_at(np.array(thetas), 0.3)
    expected = np.array([n.probabilities([0.3])[0] for n in networks])
    np.testing.assert_allclose(history, expected, rtol=1e-12, atol=1e-15)


def test_a_point_added_lands_in_x_order_and_one_removed_goes():
    target = parse_class_csv("x,label\n0,cat\n1,dog\n2,cat\n3,dog\n")
    added = target.with_point(1.5, 1)
    assert added.x.tolist() == [0, 1, 1.5, 2, 3] and added.labels.tolist() == [0, 1, 1, 0, 1]
    assert added.names == target.names and target.x.size == 4  # the old target is kept
    removed = added.without_point(0)
    assert removed.x.tolist() == [1, 1.5, 2, 3] and removed.labels.tolist() == [1, 1, 0, 1]
    with pytest.raises(InputError, match="class 'cat' has no points"):
        removed.without_point(2)
    with pytest.raises(InputError, match="labels must be class numbers"):
        target.with_point(0.5, 2)
