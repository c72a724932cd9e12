"""Gait frames as a ParaView time series: [outputs] fields = "all_frames" writes fields/<case>.pvd listing one
.vtu per frame in order, with the stance percent as time; its peak step equals fields/<case>.vtu."""

import csv

import meshio
import numpy as np
import pytest

from sim.cli import main
from sim.mesh.box import box_mesh
from sim.model.series import read_series, write_series

SHORT = """
[experiment]
name = "short"
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
[loads]
preset = "walking_stance"
n_frames = 4
[outputs]
fields = "all_frames"
"""


def test_series_lists_every_frame_in_order_and_replaces_a_longer_one(tmp_path):
    mesh = box_mesh((1, 1, 1))
    frames = [(t, {"u": np.full(mesh.n_nodes, t)}, {}) for t in (0.0, 12.5, 50.0)]
    write_series(tmp_path, "case", mesh, frames)
    write_series(tmp_path, "case", mesh, frames[:2])
    steps = read_series(tmp_path / "case.pvd")
    assert [t for t, _ in steps] == [0.0, 12.5]
    assert sorted(p.name for p in (tmp_path / "case").iterdir()) == ["frame_0000.vtu", "frame_0001.vtu"]
    for t, path in steps:
        assert np.all(meshio.read(path).point_data["u"] == t)


@pytest.mark.slow
def test_short_gait_run_writes_every_frame_and_its_peak_equals_the_peak_fields(tmp_path):
    (tmp_path / "short.toml").write_text(SHORT)
    assert main(["run", str(tmp_path / "short.toml"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    with open(tmp_path / "out" / "frames.csv", newline="") as fh:
        stance = [float(r["stance_percent"]) for r in csv.DictReader(fh)]
    with open(tmp_path / "out" / "summary.csv", newline="") as fh:
        peak = int(next(csv.DictReader(fh))["peak_frame"])
    (case,) = [p.stem for p in (tmp_path / "out" / "fields").glob("*.pvd")]
    steps = read_series(tmp_path / "out" / "fields" / f"{case}.pvd")
    assert [t for t, _ in steps] == stance and len(steps) == 4
    peak_fields = meshio.read(tmp_path / "out" / "fields" / f"{case}.vtu")
    step = meshio.read(steps[peak][1])
    assert set(step.point_data) == set(peak_fields.point_data)
    for key, values in peak_fields.point_data.items():
        assert np.array_equal(step.point_data[key], values), key
    for key, values in peak_fields.cell_data.items():
        assert np.array_equal(step.cell_data[key][0], values[0]), key
    other = meshio.read(steps[(peak + 1) % 4][1])
    assert not np.array_equal(other.point_data["displacement"], peak_fields.point_data["displacement"])


@pytest.mark.parametrize("setting", ['"every"', "1"])
def test_unknown_fields_setting_is_one_line_exit_2(tmp_path, capsys, setting):
    (tmp_path / "short.toml").write_text(SHORT.replace('fields = "all_frames"', f"fields = {setting}"))
    assert main(["run", str(tmp_path / "short.toml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert 'outputs.fields must be true (fields at the peak frame), false (none) or "all_frames"' in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_run_that_stops_at_a_limit_point_lists_only_the_frames_it_reached(tmp_path, monkeypatch):
    """Frames after a limit point come back as NaN (Incremental's contract; here the last gait frame, after
    the peak): the series lists the frames before it and no step of NaN fields."""
    import sim.experiment.case as case_module
    from sim.experiment import reuse

    solve = case_module.response_for

    def stopping_after_three_frames(*args):
        problem, loads, respond = solve(*args)

        def respond_until_the_limit(forces_N, moments_Nmm):
            response = respond(forces_N, moments_Nmm)
            if len(forces_N) == 4:  # the gait sequence, not a probe
                response.u_mm[:, 3:] = np.nan
            return response

        return problem, loads, respond_until_the_limit

    monkeypatch.setattr(case_module, "response_for", stopping_after_three_frames)
    reuse.clear("solver")  # a solver of this model cached by an earlier test would bypass the stand-in,
    (tmp_path / "short.toml").write_text(SHORT)  # and the stand-in must not stay cached for later ones
    try:
        assert main(["run", str(tmp_path / "short.toml"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    finally:
        reuse.clear("solver")
    (pvd,) = (tmp_path / "out" / "fields").glob("*.pvd")
    steps = read_series(pvd)
    assert len(steps) == 3
    for _, path in steps:
        assert np.isfinite(meshio.read(path).point_data["displacement"]).all()
