"""Every --export-* flag of the command line writes a valid file."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image


def assert_not_blank(path, size=None):
    with Image.open(path) as image:
        if size:
            assert image.size == size
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 20, "the image is (nearly) one colour"


def svg_paths(path):
    root = ET.parse(path).getroot()
    return [el for el in root.iter() if el.tag.endswith("path") or el.tag.endswith("polyline")]


def test_fit_exports_every_format(run_cli, tmp_path):
    png, svg = tmp_path / "fit.png", tmp_path / "fit.svg"
    table, params = tmp_path / "fit.csv", tmp_path / "fit.json"
    code, out, err = run_cli(
        f"fit --target sin --neurons 6 --steps 100 --json --width 640 --height 400"
        f" --export-png {png} --export-svg {svg} --export-csv {table} --export-params {params}",
    )
    assert code == 0, err
    exported = json.loads(out)["exported"]
    assert exported == {"csv": str(table), "params": str(params), "png": str(png), "svg": str(svg)}
    assert_not_blank(png, (640, 400))
    assert len(svg_paths(svg)) >= 8  # target, output, six neurons
    rows = list(csv.reader(table.open()))
    assert rows[0] == ["x", "target", "output"] + [f"neuron_{j}_sigmoid" for j in range(1, 7)]
    assert len(rows) == 1001
    parameters = json.loads(params.read_text())
    assert len(parameters["neurons"]) == 6 and parameters["formula"].startswith("y = ")


def test_scale_two_doubles_the_pixels(run_cli, tmp_path):
    png = tmp_path / "big.png"
    code, _, err = run_cli(
        f"construct --target nielsen --neurons 10 --export-png {png}"
        " --width 500 --height 300 --scale 2 --error-band",
    )
    assert code == 0, err
    assert_not_blank(png, (1000, 600))


def test_fit_gif_records_the_training(run_cli, tmp_path):
    gif = tmp_path / "fit.gif"
    code, out, err = run_cli(
        f"fit --target sines --neurons 12 --optimizer adam --steps 400 --export-gif {gif}"
        " --gif-frames 9 --width 320 --height 200 --json",
    )
    assert code == 0, err
    with Image.open(gif) as image:
        assert image.n_frames == 9 and image.size == (320, 200)
    result = json.loads(out)
    assert result["steps"] == 400 and result["exported"]["gif"] == str(gif)


def test_fit_gif_stops_where_training_stops(run_cli, tmp_path):
    gif = tmp_path / "fit.gif"
    code, out, _ = run_cli(
        f"fit --target sin --neurons 8 --steps 3000 --stop-mse 1e-4 --export-gif {gif}"
        " --gif-frames 60 --width 200 --height 120 --json",
    )
    assert code == 0
    with Image.open(gif) as image:
        assert 2 <= image.n_frames < 60
    assert json.loads(out)["mse"] <= 1e-4


def test_construct_gif_adds_a_bump_a_frame(run_cli, tmp_path):
    gif = tmp_path / "build.gif"
    code, _, err = run_cli(
        f"construct --target nielsen --neurons 10 --mode bumps --export-gif {gif}"
        " --width 240 --height 160",
    )
    assert code == 0, err
    with Image.open(gif) as image:
        assert image.n_frames == 6  # 0, 1, ..., 5 bumps


def test_render_a_saved_session(run_cli, tmp_path):
    session, png, table = tmp_path / "s.json", tmp_path / "r.png", tmp_path / "r.csv"
    run_cli(f"construct --target sin --neurons 12 --session-out {session}")
    code, out, err = run_cli(f"render --session {session} --export-png {png} --export-csv {table}")
    assert code == 0, err
    assert_not_blank(png, (1000, 620))
    assert f"wrote       {png} (png)" in out
    assert len(list(csv.reader(table.open()))) == 1001


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("render --session missing.json --export-png x.png", "cannot read"),
        ("render --session {session}", "say what to export"),
        ("fit --target sin --export-png /nonexistent/dir/f.png", "cannot write"),
        ("fit --target sin --export-csv /nonexistent/f.csv", "cannot write"),
        ("fit --target sin --export-png f.png --scale 100", "scale"),
        ("fit --target sin --export-png f.png --width 5", "at least 16"),
        ("fit --target sin --export-gif f.gif --gif-frames 1", "frames"),
    ],
)
def test_export_errors_exit_2(run_cli, tmp_path, monkeypatch, command, message):
    session = tmp_path / "s.json"
    run_cli(f"fit --target sin --steps 0 --session-out {session}")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(command.replace("{session}", str(session)))
    assert code == 2 and message in err and err.count("\n") == 1


def test_svg_renders_in_a_real_svg_renderer(run_cli, tmp_path):
    if shutil.which("rsvg-convert") is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail("rsvg-convert is required here (UAT_REQUIRE_TOOLS is set)")
        pytest.skip("rsvg-convert is not installed")
    svg, png = tmp_path / "f.svg", tmp_path / "f.png"
    run_cli(f"construct --target sin --export-svg {svg}")
    subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True, timeout=60)
    assert_not_blank(png)


def test_render_draws_the_backprop_graph_and_writes_the_gradients(run_cli, tmp_path):
    session, png, svg, table = (tmp_path / n for n in ("s.json", "bp.png", "bp.svg", "g.csv"))
    code, _, err = run_cli(
        f"construct --target sin --neurons 6 --mode staircase --session-out {session}"
    )
    assert code == 0, err
    code, out, err = run_cli(
        f"render --session {session} --backprop-png {png} --backprop-svg {svg}"
        f" --gradients-csv {table} --sample 17 --scope batch --width 900 --height 500 --json",
    )
    assert code == 0, err
    assert json.loads(out)["exported"]["backprop_png"] == str(png)
    assert_not_blank(png, (900, 500))
    assert ET.parse(svg).getroot().tag.endswith("svg")
    rows = list(csv.reader(table.open()))
    assert rows[0] == ["parameter", "value", "dL/dp_sample", "dL/dp_batch", "update"]
    assert [r[0] for r in rows[1:]] == [f"{p}{j}" for j in range(1, 7) for p in "wbv"] + ["c"]


@pytest.mark.parametrize("bad", ["--sample 9999", "--sample -1", "--scope both"])
def test_render_refuses_a_bad_sample_or_scope_in_one_line(run_cli, tmp_path, bad):
    session, png = tmp_path / "s.json", tmp_path / "bp.png"
    run_cli(f"construct --target sin --neurons 4 --mode staircase --session-out {session}")
    code, _, err = run_cli(f"render --session {session} --backprop-png {png} {bad}")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert not png.exists()
