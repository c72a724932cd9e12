"""Resource limits (size estimated before any work, refused with the estimate unless --ignore-limits) and
what a new user trips on (`list` shows each experiment once with its whole description, a listed name
runs from any folder, `--version`, no card cites a file users do not have)."""

import shutil
from pathlib import Path

import pytest

from sim import __version__
from sim.cli import main
from sim.experiment.catalogue import catalogue, experiment_files, experiment_path
from sim.experiment.config import read_experiment
from sim.textio import read_toml

REPO = Path(__file__).resolve().parents[1]
CASE = """
[experiment]
name = "big"
[geometry]
ray = 2
[mesh]
size_mm = 3.0
order = 2
[loads]
n_frames = 20
"""


@pytest.mark.parametrize("old, new, message", [
    ("size_mm = 3.0", "size_mm = 1e-6", "too large to mesh here: about"),
    ("size_mm = 3.0", "size_mm = 0.5", "more than this machine's 8 GB"),
    ("n_frames = 20", "n_frames = 10000000", "loads.n_frames must be 2 to 10000"),
])
def test_what_cannot_fit_is_refused_with_the_estimate(tmp_path, capsys, monkeypatch, old, new, message):
    from sim import limits

    monkeypatch.setattr(limits, "physical_memory_bytes", lambda: 8e9)
    (tmp_path / "big.toml").write_text(CASE.replace(old, new))
    for command in (["run", str(tmp_path / "big.toml"), "--out", str(tmp_path / "out")],
                    ["mesh", str(tmp_path / "big.toml"), "--out", str(tmp_path / "out")]):
        assert main(command) == 2
        err = capsys.readouterr().err.strip()
        assert message in err and "\n" not in err
        assert not (tmp_path / "out").exists()


def test_ignore_limits_lets_a_user_go_on(tmp_path, monkeypatch):
    from sim import limits

    monkeypatch.setattr(limits, "physical_memory_bytes", lambda: 1e6)
    exp = read_experiment(REPO / "experiments" / "intact.toml")
    from sim.experiment.runner import check_experiment_size

    with pytest.raises(Exception, match="more than this machine's 0.001 GB"):
        check_experiment_size(exp, 1)
    check_experiment_size(exp, 1, ignore=True)


def test_solve_refuses_a_mesh_too_large_for_memory_before_assembly(tmp_path, capsys, monkeypatch):
    from sim import limits

    monkeypatch.setattr(limits, "physical_memory_bytes", lambda: 1e6)
    model = REPO / "experiments" / "models" / "tube_cantilever.toml"
    assert main(["solve", str(model), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "more than this machine's 0.001 GB" in err and "\n" not in err
    assert not (tmp_path / "out").exists()
    assert main(["solve", str(model), "--out", str(tmp_path / "out"), "--ignore-limits"]) == 0
    assert (tmp_path / "out" / "fields.vtu").is_file()


def test_list_shows_each_experiment_once_with_its_whole_description(tmp_path, monkeypatch):
    shutil.copytree(REPO / "experiments", tmp_path / "experiments")
    monkeypatch.setenv("SPACER_SIM_HOME", str(tmp_path))  # a second copy of every experiment
    text = catalogue()
    flat = " ".join(text.split())
    for name, path in experiment_files().items():
        assert sum(line.split()[0] == name for line in text.splitlines() if line.strip()) == 1
        description = read_toml(path)["experiment"]["description"]
        assert " ".join(description.split()) in flat


def test_a_listed_name_runs_from_any_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = experiment_files()
    assert "intact" in names and "fill_sweep" in names
    for name, path in names.items():
        assert experiment_path(name) == path
        assert read_experiment(experiment_path(name)).cases
    assert main(["run", "intakt", "--out", str(tmp_path / "out")]) == 2
    assert "did you mean 'intact'" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"spacer-sim {__version__}"


def test_no_card_or_default_cites_a_file_users_do_not_have():
    files = list((REPO / "materials").glob("*.toml")) + list((REPO / "sim").rglob("*.py")) + \
        list((REPO / "experiments").glob("*.toml"))
    assert not [f.name for f in files if "shared/reference" in f.read_text() or "parameters.md" in f.read_text()
                or "shared parameters" in f.read_text()]
