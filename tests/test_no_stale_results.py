"""Stale or mixed results class: a case's hash covers the content of every file it reads, the manifest
names those files, a ./materials folder cannot silently shadow a shipped card, one run at a time writes
to a results folder, broken case files are recomputed, and interfaces that cannot exist are refused."""

import json
import os
import shutil
from pathlib import Path

import pytest

from sim.cli import main
from sim.errors import InputError
from sim.experiment.config import read_experiment
from sim.experiment.outdir import locked_output

REPO = Path(__file__).resolve().parents[1]
CASE = """
[experiment]
name = "one"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
resection_length_mm = 25.0
[geometry.spacer]
shape = "plug"
fill_fraction = 0.5
[mesh]
size_mm = 4.0
order = 1
[materials]
cement = "cards/cement.toml"
[loads]
csv = "curve.csv"
n_frames = 3
[outputs]
fields = false
"""


def computed(out: Path) -> list[str]:
    return json.loads((out / "manifest.json").read_text())["run"]["computed"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A folder with an experiment reading its own card and load curve."""
    folder = tmp_path_factory.mktemp("stale")
    (folder / "cards").mkdir()
    shutil.copy(REPO / "materials" / "pmma_vancomycin.toml", folder / "cards" / "cement.toml")
    shutil.copy(REPO / "experiments" / "loads" / "walking_stance.csv", folder / "curve.csv")
    (folder / "one.toml").write_text(CASE)
    (folder / "out").mkdir()
    return folder


@pytest.fixture(scope="module")
def done(files):
    """The same, run once."""
    assert main(["run", str(files / "one.toml"), "--out", str(files / "out"), "--jobs", "1"]) == 0
    return files


def copy_of(done: Path, tmp_path: Path) -> Path:
    shutil.copytree(done, tmp_path / "w")
    return tmp_path / "w"


@pytest.mark.slow
def test_manifest_names_every_file_a_case_reads_with_its_hash(done):
    case = json.loads((done / "out" / "manifest.json").read_text())["cases"][0]
    paths = {Path(i["path"]).name: i["sha256"] for i in case["inputs"]}
    assert {"cement.toml", "curve.csv", "cortical_bone_ti.toml", "scar_tissue.toml"} <= set(paths)
    assert all(len(h) == 64 for h in paths.values())


@pytest.mark.slow
def test_editing_a_material_card_between_runs_recomputes_the_case(done, tmp_path):
    w = copy_of(done, tmp_path)
    assert main(["run", str(w / "one.toml"), "--out", str(w / "out"), "--jobs", "1"]) == 0
    assert computed(w / "out") == []
    card = w / "cards" / "cement.toml"
    card.write_text(card.read_text().replace("modulus_factor = 1.0", "modulus_factor = 0.9"))
    assert main(["run", str(w / "one.toml"), "--out", str(w / "out"), "--jobs", "1"]) == 0
    assert computed(w / "out") == ["one"]


def test_editing_a_load_curve_changes_the_case_hash(files, tmp_path):
    w = copy_of(files, tmp_path)
    before = read_experiment(w / "one.toml").cases[0].config_hash
    curve = w / "curve.csv"
    curve.write_text(curve.read_text() + "\n")
    assert read_experiment(w / "one.toml").cases[0].config_hash != before


def test_a_change_to_the_code_changes_the_case_hash(files, tmp_path, monkeypatch):
    """A record computed by other code (same version number, edited sources) is recomputed on resume."""
    import sim.experiment.config as config

    w = copy_of(files, tmp_path)
    before = read_experiment(w / "one.toml").cases[0].config_hash
    assert read_experiment(w / "one.toml").cases[0].config_hash == before
    monkeypatch.setattr(config, "code_digest", lambda: "edited")
    assert read_experiment(w / "one.toml").cases[0].config_hash != before


def test_the_code_digest_changes_with_any_source_file_and_not_with_other_files(tmp_path):
    from sim.experiment.config import source_digest

    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "sub" / "b.py").write_text("y = 2\n")
    first = source_digest(tmp_path / "pkg")
    (tmp_path / "pkg" / "notes.txt").write_text("not code")
    assert source_digest(tmp_path / "pkg") == first
    (tmp_path / "pkg" / "sub" / "b.py").write_text("y = 3\n")
    assert source_digest(tmp_path / "pkg") != first
    (tmp_path / "pkg" / "sub" / "b.py").write_text("y = 2\n")
    (tmp_path / "pkg" / "sub" / "b.py").rename(tmp_path / "pkg" / "c.py")
    assert source_digest(tmp_path / "pkg") != first


@pytest.mark.slow
@pytest.mark.parametrize("content", [b"[]", os.urandom(200), b'{"hash": "x"}', b"", b"{\"name\": 1"])
def test_a_broken_case_file_is_recomputed(done, tmp_path, content):
    w = copy_of(done, tmp_path)
    (w / "out" / "cases" / "one.json").write_bytes(content)
    assert main(["run", str(w / "one.toml"), "--out", str(w / "out"), "--jobs", "1"]) == 0
    assert computed(w / "out") == ["one"]


@pytest.mark.slow
def test_a_case_file_of_another_config_is_not_published(done, tmp_path):
    w = copy_of(done, tmp_path)
    record = json.loads((w / "out" / "cases" / "one.json").read_text())
    record["hash"] = "0123456789abcdef"
    (w / "out" / "cases" / "one.json").write_text(json.dumps(record))
    assert main(["run", str(w / "one.toml"), "--out", str(w / "out"), "--jobs", "1"]) == 0
    assert computed(w / "out") == ["one"]


def test_a_second_run_on_a_locked_folder_stops_with_one_line(files, tmp_path, capsys):
    w = copy_of(files, tmp_path)
    before = snapshot(w / "out")  # the module's folder may already hold a finished run
    with locked_output(w / "out"):
        assert main(["run", str(w / "one.toml"), "--out", str(w / "out"), "--force"]) == 2
    err = capsys.readouterr().err.strip()
    assert "another run is writing to this folder" in err and "\n" not in err
    assert snapshot(w / "out") == before | {".lock": None}


def snapshot(folder: Path) -> dict:
    """Relative path -> (size, mtime_ns) of every file below `folder` (the lock file's stamp left out)."""
    return {str(p.relative_to(folder)): None if p.name == ".lock" else (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_out_naming_a_file_is_refused_before_any_work(files, tmp_path, capsys):
    w = copy_of(files, tmp_path)
    (w / "file").write_text("x")
    assert main(["run", str(w / "one.toml"), "--out", str(w / "file")]) == 2
    assert "names a file, not a folder" in capsys.readouterr().err
    assert (w / "file").read_text() == "x"


def test_a_local_materials_folder_cannot_silently_shadow_a_shipped_card(tmp_path, monkeypatch):
    (tmp_path / "materials").mkdir()
    shipped = REPO / "materials" / "pmma_vancomycin.toml"
    local = tmp_path / "materials" / "pmma_vancomycin.toml"
    (tmp_path / "e.toml").write_text(CASE.replace('cement = "cards/cement.toml"', 'cement = "pmma_vancomycin"')
                                     .replace('csv = "curve.csv"', 'preset = "walking_stance"'))
    monkeypatch.chdir(tmp_path)
    shutil.copy(shipped, local)
    read_experiment(tmp_path / "e.toml")  # an identical copy is the same card
    local.write_text(shipped.read_text().replace("modulus_factor = 1.0", "modulus_factor = 0.9"))
    with pytest.raises(InputError, match="pmma_vancomycin' is both .* with different contents"):
        read_experiment(tmp_path / "e.toml")


@pytest.mark.parametrize("extra, message", [
    ('void_fill = "empty"\n[interfaces]\nsoft_tissue_distal = "contact"\n',
     "void_fill = 'empty' leaves no soft tissue"),
    ('[interfaces]\ncement_stump = "contact"\n[reference]\nname = "intact"\n'
     'remove = ["geometry.resection", "geometry.spacer"]\n', "has no resection"),
])
def test_an_interface_the_geometry_cannot_have_is_refused(tmp_path, capsys, extra, message):
    text = CASE.replace('cement = "cards/cement.toml"', "").replace('csv = "curve.csv"', "")
    text = text.replace("fill_fraction = 0.5\n", "fill_fraction = 0.5\n" + extra) if "void_fill" in extra \
        else text + extra
    (tmp_path / "i.toml").write_text(text)
    assert main(["run", str(tmp_path / "i.toml"), "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def held(lock: Path) -> bool:
    """Whether another process holds the flock on `lock`."""
    import fcntl

    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.mark.slow
def test_two_concurrent_runs_on_one_folder_cannot_mix(files, tmp_path, capsys):
    import csv
    import subprocess
    import sys
    import time

    w = copy_of(files, tmp_path)
    (w / "one.toml").write_text(CASE.replace("size_mm = 4.0", "size_mm = 2.0"))  # holds its lock long enough
    other = w / "other.toml"                                                      # (a case costs little else)
    other.write_text(CASE.replace("fill_fraction = 0.5", "fill_fraction = 0.3"))
    first = subprocess.Popen([sys.executable, "-m", "sim.cli", "run", str(w / "one.toml"), "--out", str(w / "out"),
                              "--jobs", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and first.poll() is None and not held(w / "out" / ".lock"):
        time.sleep(0.05)
    assert first.poll() is None, first.communicate()
    assert main(["run", str(other), "--out", str(w / "out"), "--jobs", "1"]) == 2
    assert "another run is writing to this folder" in capsys.readouterr().err
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    manifest = json.loads((w / "out" / "manifest.json").read_text())
    with open(w / "out" / "summary.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["case"] for r in rows] == [c["name"] for c in manifest["cases"]] == ["one"]
    record = json.loads((w / "out" / "cases" / "one.json").read_text())
    assert record["hash"] == manifest["cases"][0]["hash"] == read_experiment(w / "one.toml").cases[0].config_hash
    assert float(rows[0]["fill_fraction"]) == pytest.approx(0.5, abs=0.05)


def test_temporaries_of_a_killed_write_are_removed_and_other_files_kept(tmp_path):
    out = tmp_path / "out"
    (out / "cases").mkdir(parents=True)
    (out / "cases" / ".c00.k3x_9ab2.json").write_text("half")
    (out / ".config.json").write_text("mine")
    with locked_output(out):
        pass
    assert not (out / "cases" / ".c00.k3x_9ab2.json").exists()
    assert (out / ".config.json").read_text() == "mine"
