"""The D/W/A/G timeline: storage, sessions that keep it, the panel, the command line."""

from __future__ import annotations

from uat_explorer.cli import main
from uat_explorer.core import Session, Target, random_network


def test_cli_render_draws_a_saved_timeline(capsys, tmp_path):
    path = tmp_path / "b.json"
    assert (
        main(
            [
                "fit",
                "--target",
                "sin",
                "--neurons",
                "6",
                "--optimizer",
                "adam",
                "--steps",
                "300",
                "--batch-size",
                "16",
                "--session-out",
                str(path),
            ]
        )
        == 0
    )
    out = tmp_path / "timeline.png"
    assert main(["render", "--session", str(path), "--timeline-png", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    bare = tmp_path / "bare.json"
    Session(
        network=random_network(["sigmoid"], (-3, 3), 0), target=Target.preset("sin"), domain=(-3, 3)
    ).save(bare)
    capsys.readouterr()
    assert main(["render", "--session", str(bare), "--timeline-png", str(out)]) == 2
    assert "no timeline yet" in capsys.readouterr().err
