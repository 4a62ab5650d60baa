"""`fit` and `render` on classes: the numbers they write check out from the files alone,
and bad input is one line and exit 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import rows_of, write_session

ACT = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "step": lambda z: (z >= 0).astype(float),
}


def probabilities_from(params: dict, x: np.ndarray) -> np.ndarray:
    """p (N, K) from the exported parameters alone, as a reader of the file would."""
    logits = np.tile(np.array(params["c"], dtype=float), (x.size, 1))
    for n in params["neurons"]:
        if not n["muted"]:
            logits += np.outer(ACT[n["activation"]](n["w"] * x + n["b"]), n["v"])
    if params["output"] == "sigmoid":
        p1 = 1 / (1 + np.exp(-logits[:, 0]))
        return np.column_stack([1 - p1, p1])
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("words", "classes"),
    [
        ("--target bands3 --neurons 8 --steps 3000", ["A", "B", "C"]),
        ("--target overlap2 --neurons 4 --steps 500 --activation tanh", ["A", "B"]),
        ("--target interval2 --neurons 6 --steps 800 --batch-size 32", ["outside", "inside"]),
    ],
)
def test_exported_probabilities_follow_from_the_exported_parameters(
    run_cli, tmp_path, words, classes
):
    table, params = tmp_path / "p.csv", tmp_path / "p.json"
    code, out, err = run_cli(f"fit {words} --json --export-csv {table} --export-params {params}")
    assert code == 0, err
    result = json.loads(out)
    assert result["classes"] == classes and result["task"] == "classes"
    rows = rows_of(table)
    assert rows[0] == ["x", "label", *(f"p_{name}" for name in classes)]
    x = np.array([float(r[0]) for r in rows[1:]])
    p = np.array([[float(v) for v in r[2:]] for r in rows[1:]])
    labels = np.array([classes.index(r[1]) for r in rows[1:]])
    exported = json.loads(params.read_text())
    assert exported["task"] == "classes" and exported["classes"] == classes
    outputs = 1 if len(classes) == 2 else len(classes)
    assert len(exported["c"]) == outputs
    assert all(len(n["v"]) == outputs for n in exported["neurons"])
    np.testing.assert_allclose(probabilities_from(exported, x), p, rtol=0, atol=1e-9)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    cross_entropy = -np.mean(np.log(p[np.arange(x.size), labels]))
    assert result["cross_entropy"] == pytest.approx(cross_entropy, rel=1e-9)
    assert result["accuracy"] == np.mean(p.argmax(axis=1) == labels)
    if len(classes) == 3:
        assert result["accuracy"] >= 0.97


def test_fit_a_csv_of_named_classes_save_continue_and_render(run_cli, tmp_path):
    data = tmp_path / "pets.csv"
    xs = np.linspace(-2, 2, 60)
    names = np.where(xs < -0.5, "cat", np.where(xs < 0.8, "dog", "bird"))
    data.write_text("x,label\n" + "".join(f"{x},{k}\n" for x, k in zip(xs, names, strict=True)))
    session = tmp_path / "pets.json"
    code, out, err = run_cli(
        f"fit --data {data} --classes --neurons 6 --steps 300 --json --session-out {session}"
    )
    assert code == 0, err
    assert json.loads(out)["classes"] == ["cat", "dog", "bird"]
    code, out, err = run_cli(f"fit --session-in {session} --steps 50 --json")
    assert code == 0, err
    assert json.loads(out)["total_steps"] == 350
    png, table = tmp_path / "pets.png", tmp_path / "pets.csv"
    code, out, err = run_cli(
        f"render --session {session} --export-png {png} --export-csv {table} --json"
        " --width 500 --height 300"
    )
    assert code == 0, err
    assert set(json.loads(out)["exported"]) == {"png", "csv"}
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (500, 300)
    assert rows_of(table)[0] == ["x", "label", "p_cat", "p_dog", "p_bird"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x,label\n1,a\n2,a\n", "only one class"),
        ("".join(f"{k},c{k}\n" for k in range(7)), "7 classes; at most 6"),
        ("x,label\n1,a\n2,\n3,b\n", "line 3: the label is blank"),
        ("x,label\n1,a\nnan,b\n3,a\n", "line 3: x must be a finite number"),
    ],
)
def test_bad_class_files_exit_2_with_one_line(run_cli, tmp_path, text, message):
    data = tmp_path / "bad.csv"
    data.write_text(text)
    code, out, err = run_cli(f"fit --data {data} --classes --steps 5")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("fit --target bands3 --optimizer lm", "cross-entropy is not"),
        ("fit --target bands3 --loss mae", "--loss is for curve fits, not for classes"),
        ("fit --target bands3 --noise 0.1", "--noise is for curve fits, not for classes"),
        ("construct --target bands3", "bands3 is a class preset: `fit --target bands3`"),
        ("fit --classes --target sin", "needs --data FILE.csv or a class preset"),
        ("fit --target bands3 --batch-size 1000", "batch size must be between 1 and the 300"),
        ("fit --target bands3 --samples 1", "number of samples must be between 2"),
    ],
)
def test_bad_class_flags_exit_2_with_one_line(run_cli, words, message):
    code, out, err = run_cli(words)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_class_and_curve_sessions_do_not_mix(run_cli, tmp_path):
    curve = write_session(tmp_path / "curve.json")
    code, _, err = run_cli(f"fit --target bands3 --session-in {curve}")
    assert code == 2 and "is a curve session" in err
    classes = tmp_path / "classes.json"
    assert run_cli(f"fit --target threshold2 --steps 10 --session-out {classes}")[0] == 0
    code, _, err = run_cli(f"render --session {classes} --backprop-png {tmp_path / 'b.png'}")
    assert code == 2 and "--backprop-png draws curve sessions" in err
    code, _, err = run_cli(
        f"landscape --session {classes} --params w1 b1 --export-csv {tmp_path / 'l.csv'}"
    )
    assert code == 2 and err.count("\n") == 1 and "classification session" in err
