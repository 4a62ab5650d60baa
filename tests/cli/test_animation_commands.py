"""Issue 19 on the command line: the three animations and --text-scale, on every command
that draws; refused first, in one line, when they cannot be made."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageChops

from uat_explorer.plots.theme import ThemedPlot


def frames_of(path):
    with Image.open(path) as image:
        first = image.convert("RGB")
        image.seek(image.n_frames - 1)
        last = image.convert("RGB")
        return image.n_frames, image.size, ImageChops.difference(first, last).getbbox()


def test_render_animates_the_backprop_pass(run_cli, session_file, tmp_path):
    gif = tmp_path / "pass.gif"
    code, out, err = run_cli(
        f"render --session {session_file} --backprop-gif {gif} --sample 7 --scope batch"
        " --width 400 --height 240 --json"
    )
    assert code == 0, err
    assert json.loads(out)["exported"]["backprop_gif"] == str(gif)
    count, size, changed = frames_of(gif)
    assert count > 40 and count % 2 == 1 and size == (400, 240) and changed


def test_landscape_animates_the_path_while_training(run_cli, session_file, tmp_path):
    gif = tmp_path / "path.gif"
    code, out, err = run_cli(
        f"landscape --session {session_file} --params w1 b1 --export-gif {gif} --steps 40"
        " --gif-frames 9 --width 320 --height 200 --json"
    )
    assert code == 0, err
    path = json.loads(out)["path"]
    assert path["steps"] == 40 and path["frames"] == 9 and path["stopped"] is None
    count, size, changed = frames_of(gif)
    assert (count, size) == (9, (320, 200)) and changed


def test_compare_animates_the_curves_growing(run_cli, session_file, tmp_path):
    gif = tmp_path / "race.gif"
    code, _, err = run_cli(
        f"compare --session {session_file} --lr 0.01 0.1 --optimizer adam --steps 120"
        f" --export-gif {gif} --gif-frames 15 --width 320 --height 200"
    )
    assert code == 0, err
    count, size, changed = frames_of(gif)
    assert (count, size) == (15, (320, 200)) and changed


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("landscape --params w1 b1 --export-gif {gif} --gif-frames 1001", ["1000 frames"]),
        ("landscape --params w1 b1 --export-gif {gif} --steps 0", ["--steps"]),
        ("landscape --params w1 b1 --steps 10", ["--steps", "--export-gif"]),
        (
            "landscape --params w1 b1 --export-gif {gif} --width 4000 --height 3000"
            " --gif-frames 999",
            ["GB of memory", "limit"],
        ),
        ("compare --steps 10 --export-gif {gif} --gif-frames 5000", ["1000 frames"]),
        ("compare --steps 10 --gif-fps 3", ["--gif-fps", "--export-gif"]),
        ("render --backprop-gif {gif} --width 9000 --height 6000", ["GB of memory"]),
        ("render --export-png {png} --gif-fps 3", ["--gif-fps", "--backprop-gif"]),
        ("render --backprop-gif {gif} --gif-fps 100", ["frames per second"]),
    ],
)
def test_animations_are_refused_first_in_one_line(run_cli, session_file, tmp_path, command, words):
    gif, png = tmp_path / "a.gif", tmp_path / "a.png"
    name, rest = command.split(" ", 1)
    words_in = rest.format(gif=gif, png=png)
    code, out, err = run_cli(f"{name} --session {session_file} {words_in}")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert all(word in err for word in words)
    assert not gif.exists() and not png.exists()


TEXT_SCALED = [
    "construct --target sin --sweep 1 20 --export-png {png}",
    "construct --target sin --neurons 4 --mode staircase --export-gif {gif} --width 200"
    " --height 120",
    "render --session {session} --timeline-png {png}",
    "landscape --session {session} --params v1 v2 --grid 11 --export-png {png}",
    "landscape --session {session} --params v1 v2 --export-gif {gif} --steps 4"
    " --gif-frames 3 --width 200 --height 120",
    "compare --session {session} --steps 20 --export-png {png}",
    "compare --session {session} --steps 20 --export-gif {gif} --gif-frames 3 --width 200"
    " --height 120",
    "fit --target sin --neurons 3 --steps 5 --export-png {png}",
    "construct --target sin --neurons 6 --export-png {png}",
    "render --session {session} --export-png {png}",
]


@pytest.mark.parametrize("command", TEXT_SCALED)
def test_text_scale_draws_the_figure_at_the_presentation_scale(
    run_cli, trained_session, tmp_path, monkeypatch, command
):
    """--text-scale S: the figure's plots take S (text and lines S times their size)."""
    scales = []
    original = ThemedPlot.set_scale

    def recorded(plot, text, pixels=1.0):
        scales.append(text)
        original(plot, text, pixels)

    monkeypatch.setattr(ThemedPlot, "set_scale", recorded)
    gif, png = tmp_path / "a.gif", tmp_path / "a.png"
    words = command.format(session=trained_session, gif=gif, png=png)
    code, _, err = run_cli(f"{words} --text-scale 2.5")
    assert code == 0, err
    assert scales and set(scales) == {2.5}
    assert gif.exists() or png.exists()


@pytest.mark.parametrize("value", ["0.5", "3.5", "nan"])
@pytest.mark.parametrize(
    "command",
    [
        "construct --target sin --export-png {png}",
        "render --session {session} --export-png {png}",
        "landscape --session {session} --params v1 --export-png {png}",
        "compare --session {session} --steps 5 --export-png {png}",
    ],
)
def test_text_scale_outside_one_to_three_is_refused(
    run_cli, session_file, tmp_path, command, value
):
    png = tmp_path / "a.png"
    code, out, err = run_cli(
        f"{command.format(session=session_file, png=png)} --text-scale {value}"
    )
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--text-scale must be between 1 and 3" in err and not png.exists()


@pytest.fixture
def trained_session(run_cli, tmp_path):
    """A session with a timeline: six sigmoids, 30 steps of Adam, batches of 16."""
    path = tmp_path / "trained.json"
    code, _, err = run_cli(
        f"fit --target sin --neurons 6 --optimizer adam --steps 30 --batch-size 16"
        f" --session-out {path}"
    )
    assert code == 0, err
    return path
