"""`uat-explorer lesson list | check | handout`."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from uat_explorer.core.lessons.builtin import builtin_paths

BUILT_IN = [p.name.removesuffix(".lesson.md").split("-", 1)[1] for p in builtin_paths()]


def test_list_names_every_builtin_lesson(run_cli):
    code, out, _ = run_cli("lesson list --json")
    assert code == 0
    lessons = json.loads(out)["lessons"]
    assert [lesson["name"] for lesson in lessons] == BUILT_IN
    for lesson in lessons:
        assert set(lesson) == {"name", "title", "idea", "steps", "path"}
        assert lesson["steps"] >= 1 and lesson["path"].endswith(".lesson.md")
    code, out, _ = run_cli("lesson list")
    assert code == 0 and len(out.splitlines()) == len(BUILT_IN)


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_builtin_lesson_passes_its_check(run_cli, name):
    code, out, err = run_cli(f"lesson check {name} --json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] and all(step["problem"] is None for step in report["steps"])


LESSON = """# A lesson

## Step one

```lesson
start = "empty"
[setup]
target = "x"
domain = [0.0, 1.0]
[check]
kind = "output_at"
points = [[0.5, 0.5]]
tolerance = 0.01
[solution]
neurons = [{{activation = "relu", w = 1, b = 0, v = {v}}}]
```
"""


def test_a_solution_that_does_not_solve_is_exit_1_naming_the_step(run_cli, tmp_path):
    path = tmp_path / "bad.lesson.md"
    path.write_text(LESSON.format(v=3))
    code, _out, err = run_cli(f"lesson check {path}")
    assert code == 1
    assert "step 1 (Step one): its solution does not pass its check" in err
    path.write_text(LESSON.format(v=1))
    assert run_cli(f"lesson check {path}")[0] == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('# T\n\n## S\n\n```lesson\n[check]\nkind = "output_near"\n```\n', "line 7: unknown check"),
        ("# T\n\n## S\n\n```lesson\nstart = \n```\n", "line 6: the lesson block is not valid TOML"),
        ('# T\n\n## S\n\n```lesson\nstart = "session:../x.json"\n```\n', "outside the lesson"),
        ("no title\n", "line 1: a lesson starts with its title"),
    ],
)
def test_a_damaged_file_is_exit_2_with_its_line(run_cli, tmp_path, text, reason):
    path = tmp_path / "damaged.lesson.md"
    path.write_text(text)
    code, _, err = run_cli(f"lesson check {path}")
    assert code == 2 and reason in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_handout_pdf_has_a_page_per_step_with_its_text(run_cli, tmp_path):
    out = tmp_path / "neuron.pdf"
    code, _, err = run_cli(f"lesson handout neuron --pdf {out}")
    assert code == 0, err
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Pages:           5" in info  # the title page and four steps
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for heading in ("One neuron, one curve", "Steeper", "Facing the other way", "Other shapes"):
        assert heading in text
    assert "Your task: Make neuron 1 switch on at x = 0.5" in text


def test_the_handout_folder_has_markdown_and_a_figure_per_step(run_cli, tmp_path):
    folder = tmp_path / "handout"
    code, _, err = run_cli(f"lesson handout superposition --folder {folder}")
    assert code == 0, err
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# Superposition")
    pngs = sorted(p.name for p in folder.glob("*.png"))
    assert len(pngs) == 4 and all(f"]({name})" in readme for name in pngs)
