import json
import os

import numpy as np
import pytest

from uat_explorer.core import (
    OptimizerSpec,
    Session,
    SessionError,
    StopRule,
    Target,
    default_session,
    random_network,
)


def _rich_session() -> Session:
    net = random_network(["sigmoid", "step", "relu", "tanh"], (-2.0, 3.0), seed=5)
    net.muted[2] = True
    return Session(
        network=net,
        target=Target.from_text("sin(3*x) + x/4"),
        domain=(-2.0, 3.0),
        samples=123,
        loss="huber",
        optimizer=OptimizerSpec("momentum", 0.003),
        stop=StopRule(max_steps=5000, loss_below=1e-4),
        seed=5,
        step=777,
    )


def test_round_trip_is_exact(tmp_path):
    session = _rich_session()
    path = tmp_path / "s.json"
    session.save(path)
    loaded = Session.load(path)
    assert loaded == session
    assert loaded.network == session.network  # bit-exact floats, mute flags, activations
    assert loaded.target.text == "sin(3*x) + x/4"
    assert loaded.stop == session.stop and loaded.step == 777


def test_round_trip_of_data_targets_and_presets(tmp_path):
    session = default_session()
    session.target = Target.from_points([0, 1, 2.5], [1, -1, 0.5], "drawn")
    session.save(tmp_path / "d.json")
    assert Session.load(tmp_path / "d.json") == session
    session.target = Target.preset("cubic")
    session.save(tmp_path / "p.json")
    assert Session.load(tmp_path / "p.json").target.name == "cubic"


def _mutated(change) -> dict:
    data = _rich_session().to_dict()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "no 'version' field"),
        (lambda d: d.update(version=99), "newer UAT Explorer"),
        (
            lambda d: d["network"]["neurons"][3].update(w=float("nan")),
            r"network.neurons\[3\].w must be a finite number, got nan",
        ),
        (
            lambda d: d["network"]["neurons"][0].update(b="1"),
            r"network.neurons\[0\].b must be a number, got text '1'",
        ),
        (
            lambda d: d["network"]["neurons"][1].update(activation="gelu"),
            "activation must be one of",
        ),
        (
            lambda d: d["network"].update(neurons=[{}] * 1_000_000),
            "1000000 entries; the limit is 256",
        ),
        (lambda d: d["network"].pop("c"), "network.c is missing"),
        (lambda d: d.update(samples=10**9), "samples must lie between 2 and 20000"),
        (lambda d: d.update(samples=2.5), "samples must be a whole number"),
        (lambda d: d.update(domain=[3, 1]), "domain: the start must be less than the end"),
        (lambda d: d.update(domain="wide"), "domain must be a list of two numbers"),
        (
            lambda d: d["optimizer"].update(learning_rate=-1),
            r"optimizer.learning_rate must lie in \[1e-10",
        ),
        (lambda d: d["optimizer"].update(name="rmsprop"), "optimizer.name must be one of"),
        (
            lambda d: d["target"].update(expression="__import__('os')"),
            "target.expression: unknown function",
        ),
        (lambda d: d.update(target=[]), "target must be a JSON object"),
        (lambda d: d.update(seed=-1), "seed must lie between"),
        (lambda d: d.update(step=True), "step must be a whole number, got true"),
    ],
)
def test_rejects_bad_fields_by_name(change, message):
    with pytest.raises(SessionError, match=message):
        Session.from_dict(_mutated(change))


def test_rejects_files_that_are_not_sessions(tmp_path):
    cases = {
        "text.json": b"hello",
        "list.json": b"[1, 2]",
        "binary.json": b"\xff\xfe\x00\x01",
        "nan.json": json.dumps(_mutated(lambda d: d.update(seed=float("nan")))).encode(),
        "bigint.json": b'{"version": 1, "seed": ' + b"9" * 5000 + b"}",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(SessionError):
            Session.load(tmp_path / name)
    with pytest.raises(SessionError, match="cannot read"):
        Session.load(tmp_path / "missing.json")


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "work.json"
    original = _rich_session()
    original.save(path)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    changed = default_session()
    with pytest.raises(OSError):
        changed.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.json"]  # no temp left behind


def test_session_trainer_continues_the_step_count():
    session = default_session()
    session.step = 40
    trainer = session.trainer()
    trainer.run(10)
    assert trainer.step == 50
    assert np.all(np.isfinite(trainer.network.w))


def test_saved_files_get_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "shared.json"
        default_session().save(path)
        assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
        path.chmod(0o600)
        default_session().save(path)
        assert path.stat().st_mode & 0o777 == 0o600  # an existing file keeps its mode
    finally:
        os.umask(old)


def test_the_starting_network_is_the_seeded_random_one_written_out():
    from uat_explorer.core.io.session import DEFAULT_SEED, STARTING_NEURONS
    from uat_explorer.core.targets.target import PRESETS

    drawn = random_network(["sigmoid"] * STARTING_NEURONS, PRESETS["sin"].domain, DEFAULT_SEED)
    opened = default_session().network
    for name in ("w", "b", "v"):
        np.testing.assert_array_equal(getattr(opened, name), getattr(drawn, name))
    assert opened.c == drawn.c and opened.activations == drawn.activations
