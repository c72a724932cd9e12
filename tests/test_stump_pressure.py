"""The pseudo-joint's bead on today's saw-cut stump: the stump's top contact pressures sit on a sharp edge, and
bench/bench_stump_pressure.py (whose case this runs: one copy of it) says so; on the surgical stump under the
axial force the p99 converges between 3 and 2 mm.

A flat cement end tilted onto its rim bears on the bone's face with a right-angled edge: the edge of a flat
punch, under which the elastic pressure grows as 1 / sqrt(distance) (Boussinesq's rigid circular punch,
p = P / (2 pi a sqrt(a^2 - r^2)); Johnson 1985, Contact Mechanics). The patch is then a sliver under the rim,
and the nodes at or above the 99th percentile are nodes of that rim."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_stump_pressure import run, verdict  # noqa: E402


@pytest.mark.slow
def test_sharp_bead_bears_on_its_rim_and_the_bench_names_the_edge():
    (row,) = run("sharp", 4.0, 1, finite=False, law="contact", preload=False)
    assert "failed" not in row, row.get("failed")
    assert row["contact_area_mm2"] < 2.0  # a sliver, not the bead's 20 mm^2 end face
    assert row["normal_force_N"] > 0.5 * row["peak_force_N"]  # and it carries the load
    assert row["on_edge"]
    assert "sharp edge" in verdict("sharp", [row, row])


def test_verdict_reads_the_change_between_the_sizes():
    rows = [{"contact_pressure_p99_MPa": 100.0, "on_edge": False},
            {"contact_pressure_p99_MPa": 110.0, "on_edge": False}]
    assert "9.1 %" in verdict("g", rows) and "NOT" not in verdict("g", rows)
    rows[1]["contact_pressure_p99_MPa"] = 200.0
    assert "NOT converged" in verdict("g", rows) and "sharp edge" not in verdict("g", rows)
    assert "not measured" in verdict("g", [rows[0], {"failed": "limit point"}])


@pytest.mark.slow
def test_surgical_stump_pressure_under_the_axial_force_converges_from_3_to_2_mm():
    """The surgical geometry (cut rim rounded by 1 mm, cement moulded over the cut face) under the peak gait
    frame's axial force (82 N), Coulomb friction, tet4: the p99 contact pressure at the stump changes by less
    than 15 % from 3 to 2 mm (bench_stump_pressure's default; README, "Contact at the stump"), all the force
    crossing the stump's flat face and the top 1 % on no sharp edge. Fails if it stops converging."""
    rows = [run("surgical", size, 1, finite=False, law="frictional", preload=False, frames=("axial",))[0]
            for size in (3.0, 2.0)]
    for row in rows:
        assert "failed" not in row, row.get("failed")
        assert row["normal_force_N"] == pytest.approx(row["axial_force_N"], rel=1e-3)
        assert 15.0 < row["contact_area_mm2"] < 26.0 and not row["on_edge"]
    assert "NOT" not in verdict("surgical", rows) and "converged" in verdict("surgical", rows)
