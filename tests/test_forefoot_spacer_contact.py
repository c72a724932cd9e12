"""The forefoot's spaced ray with its cement-bone interfaces in sliding contact (sim/forefoot/spacer_contact.py).

Bad input is one line (exit 2). The interface keys are the ray experiments' (sim/experiment/interfaces.py).
On the symmetric three-ray foot of test_forefoot.py with the middle ray spaced (bead, 50 %), frictional: the
forces through the rays and the tissue and, independently, the ground reaction equal the load, and the force
the contact item carries across the stump equals the cement's nodal force across the cut face (outputs.py).
"""

import dataclasses

import subprocess
import sys

import pytest

from sim.errors import InputError
from sim.experiment.config import read_experiment
from sim.forefoot.case import run_forefoot_case
from sim.forefoot.config import resolve_forefoot
from sim.geometry.config import parse_geometry
from test_forefoot import BASE, ROOT, _doc, placement  # noqa: F401  (fixture)

SPACER = "[geometry.spacer]\nshape = \"bead\"\nfill_fraction = 0.5\n"
FINITE = "[analysis]\nkinematics = \"finite\"\n"


def _text(interfaces: str, spacer: str = SPACER, analysis: str = FINITE, intact: bool = False) -> str:
    text = BASE.format(forefoot="", load="stance_percent = 78.0") + spacer + analysis + "[interfaces]\n" + interfaces
    if intact:
        text = text.replace("[geometry.resection]\nbone = \"metatarsal\"\nlesion_extent_mm = 15.0\n", "")
    return text


@pytest.mark.parametrize("kwargs, message", [
    ({"interfaces": "cement_bone = \"frictional\"\n", "spacer": "", "intact": True}, "has no resection"),
    ({"interfaces": "cement_bone = \"frictional\"\nmu = -0.2\n"}, r"mu must lie in \[0, 10\]"),
    ({"interfaces": "cement_bone = \"glued\"\n"}, "is not one of"),
    ({"interfaces": "cement_bones = \"contact\"\n"}, "unknown interface"),
    ({"interfaces": "cement_bone = \"contact\"\n", "analysis": ""}, "need \\[analysis\\] kinematics = \"finite\""),
])
def test_bad_interfaces_are_one_line(tmp_path, kwargs, message):
    path = tmp_path / "bad.toml"
    path.write_text(_text(**kwargs))
    with pytest.raises(InputError, match=message) as info:
        read_experiment(path)
    assert "\n" not in str(info.value)


def test_interfaces_parse_as_for_one_ray(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(_text("cement_bone = \"frictional\"\nmu = 0.4\ncement_distal = \"bonded\"\n"))
    cfg = read_experiment(path).cases[0].resolve()
    assert cfg.interfaces.kinds == {"cement_distal": "bonded", "cement_stump": "frictional",
                                    "cement_proximal": "frictional"}
    assert cfg.interfaces.mu == 0.4


@pytest.mark.slow
def test_interfaces_on_an_intact_forefoot_exit_2_with_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(_text("cement_bone = \"frictional\"\n", spacer="", intact=True))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(path), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "has no resection" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()



class _Case:
    name, is_reference, swept = "spaced", False, {}

    def __init__(self, cfg):
        self.cfg = cfg

    def resolve(self):
        return self.cfg


@pytest.mark.slow
def test_sliding_spacer_in_a_small_foot_balances_its_forces(placement, tmp_path):  # noqa: F811
    doc = _doc()
    doc.update(mesh={"size_mm": 9.0, "order": 1}, analysis={"kinematics": "finite"},
               geometry={"ray": 3, "resection": {"bone": "metatarsal", "lesion_extent_mm": 15.0},
                         "spacer": {"shape": "bead", "fill_fraction": 0.5}},
               interfaces={"cement_bone": "frictional", "mu": 0.4})
    cfg = resolve_forefoot(doc, "t", ROOT, "")
    rays = {2: parse_geometry({"ray": 3}), 3: cfg.rays[3], 4: parse_geometry({"ray": 3})}  # as _symmetric
    cfg = dataclasses.replace(cfg, rays=rays, fields=False)
    row = run_forefoot_case(_Case(cfg), tmp_path)["summary"]
    load = doc["forefoot"]["load"]["force_N"]
    assert row["sum_vertical_force_N"] == pytest.approx(load, rel=5e-3)
    assert row["sole_force_N"] == pytest.approx(load, rel=5e-3)  # the ground's contact item, independently
    # the stump's contact item against the cement's nodal forces across the cut face (measured: 1.4 %)
    assert row["cement_stump_normal_force_N"] > 0 and row["cement_stump_contact_area_mm2"] > 0
    assert row["cement_stump_normal_force_N"] == pytest.approx(row["ray3_cement_axial_force_N"], rel=0.1)
    assert row["cement_cells"] > 100 and 0 < row["cement_safety_factor_tension"] < float("inf")
