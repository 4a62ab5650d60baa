import numpy as np
import pytest

from uat_explorer.core import PRESETS, InputError, Target, load_csv, parse_csv


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_finite_on_its_domain(name):
    x, y = Target.preset(name).samples(PRESETS[name].domain, 500)
    assert x.shape == y.shape == (500,)
    assert np.all(np.isfinite(y)) and np.ptp(y) > 0


def test_required_presets_exist():
    for name in ("sin", "sines", "abs", "parabola", "cubic", "step", "bump", "sawtooth", "square"):
        assert name in PRESETS


def test_csv_with_header_and_comments(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("# measured\nx,y\n0.5, 1\n-1,2\n\n0,0.25\n")
    target = load_csv(path)
    assert target.is_data and target.name == "points.csv"
    np.testing.assert_array_equal(target.x, [-1, 0, 0.5])
    np.testing.assert_array_equal(target.y, [2, 0.25, 1])
    assert target.natural_domain() == (-1.0, 0.5)
    x, _y = target.samples((-0.5, 1.0), 999)
    np.testing.assert_array_equal(x, [0, 0.5])


def test_csv_without_header_any_separator_and_named_columns():
    assert parse_csv("1;2\n3;4").y.tolist() == [2, 4]
    assert parse_csv("1\t2\n3\t4").y.tolist() == [2, 4]
    assert parse_csv("1 2\n3 4").y.tolist() == [2, 4]
    named = parse_csv("y,x,z\n10,1,0\n20,2,0")
    assert named.x.tolist() == [1, 2] and named.y.tolist() == [10, 20]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no data rows found"),
        ("x,y\n", "no data rows found"),
        ("x,y\n1,2\n3,abc\n", "line 3: 'abc' is not a number"),
        ("1,2\n3\n", "line 2: expected at least 2 columns"),
        ("1,2\n3,nan\n", "line 2: values must be finite"),
        ("1,2\n", "at least 2 points"),
        ("1,2\n1,3\n", "at least two different x values"),
    ],
)
def test_csv_errors_name_the_line(text, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_csv(text)


def test_csv_file_problems(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(InputError, match="not a text file"):
        load_csv(binary)
    many = tmp_path / "many.csv"
    many.write_text("\n".join(f"{i},{i}" for i in range(20_002)))
    with pytest.raises(InputError, match="more than 20000 rows"):
        load_csv(many)


def test_bad_domains_and_sample_counts():
    sin = Target.preset("sin")
    with pytest.raises(InputError, match="must be less than"):
        sin.samples((1, 1), 10)
    with pytest.raises(InputError, match="finite"):
        sin.samples((0, float("inf")), 10)
    with pytest.raises(InputError, match="between 2 and 20000"):
        sin.samples((0, 1), 10**7)
