"""The forefoot's spaced ray with its cement-bone interfaces in sliding contact (sim/forefoot/spacer_contact.py).

Bad input is one line (exit 2). The interface keys are the ray experiments' (sim/experiment/interfaces.py).
"""

import subprocess
import sys

import pytest

from sim.errors import InputError
from sim.experiment.config import read_experiment
from test_forefoot import BASE, ROOT

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

