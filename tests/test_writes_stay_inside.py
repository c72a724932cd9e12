"""Security class: a run writes only inside its output folder, with ordinary permissions.

Case names are plain names (sim/names.py), gmsh reads and writes no preference files in the user's home,
and result files get 0666 less the umask."""

import os
import random
import string
from pathlib import Path

import pytest

from sim.atomic import write_text
from sim.cli import main
from sim.errors import InputError
from sim.experiment.config import Case, read_experiment
from sim.experiment.runner import case_file
from sim.names import check_name, plain_name

BASE = """
[experiment]
name = "names"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
resection_length_mm = 25.0
[mesh]
size_mm = 4.0
order = 1
[loads]
n_frames = 3
"""


@pytest.mark.parametrize("name", ["../../../x/victim", "/tmp/victim", "sub/victim", "..", ".hidden", "",
                                  "a" * 101, "tab\tname", "naïve"])
def test_a_reference_or_experiment_name_that_is_not_plain_is_refused(tmp_path, capsys, name):
    for extra in (f'[reference]\nname = "{name}"\nremove = ["geometry.resection"]\n', None):
        text = BASE + extra if extra else BASE.replace('name = "names"', f'name = "{name}"')
        (tmp_path / "bad.toml").write_text(text)
        assert main(["run", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err.strip()
        assert "not a plain name" in err and "\n" not in err
        assert not (tmp_path / "out").exists()


def test_swept_values_never_make_a_case_file_outside_the_output_folder(tmp_path):
    text = BASE + '[sweep]\n"experiment.name" = ["../../y", "/etc/passwd", "a/../../b", "' + "z" * 300 + '"]\n'
    (tmp_path / "sweep.toml").write_text(text)
    out = tmp_path / "out"
    cases = read_experiment(tmp_path / "sweep.toml").cases
    assert len({c.name for c in cases}) == 4
    for case in cases:
        assert case_file(out, case).resolve().parent == (out / "cases").resolve()


def test_any_text_becomes_a_plain_name_and_a_bad_name_never_reaches_a_file(tmp_path):
    rng = random.Random(1)
    for _ in range(2000):
        text = "".join(rng.choice(string.printable + "éü/\\") for _ in range(rng.randint(1, 300)))
        assert check_name(plain_name(text), "test")
    with pytest.raises(InputError, match="not a plain name"):
        case_file(tmp_path, Case("../escape", {}, str(tmp_path), {}))


def test_a_reference_named_like_a_case_is_refused(tmp_path, capsys):
    text = BASE + '[reference]\nname = "c01_resection_length_mm-20.0"\nremove = ["geometry.resection"]\n' \
        '[sweep]\n"geometry.resection.resection_length_mm" = [25.0, 20.0]\n'
    (tmp_path / "dup.toml").write_text(text)
    assert main(["run", str(tmp_path / "dup.toml"), "--out", str(tmp_path / "out")]) == 2
    assert "two cases are named 'c01_resection_length_mm-20.0'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_result_files_get_ordinary_permissions(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_text(tmp_path / "a.csv", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == mode


def test_gmsh_writes_nothing_into_the_home_folder(tmp_path, monkeypatch):
    import gmsh

    from sim.geometry.meshing import gmsh_session

    monkeypatch.setenv("HOME", str(tmp_path))
    with gmsh_session("probe"):
        gmsh.model.occ.addBox(0, 0, 0, 1, 1, 1)
        gmsh.model.occ.synchronize()
    assert list(tmp_path.iterdir()) == []
    assert os.environ["HOME"] == str(tmp_path)


def test_every_gmsh_start_goes_through_start_gmsh():
    root = Path(__file__).resolve().parents[1]
    starts = [p.relative_to(root).as_posix() for folder in ("sim", "bench") for p in (root / folder).rglob("*.py")
              if "gmsh.initialize(" in p.read_text()]
    assert starts == ["sim/geometry/meshing.py"]
