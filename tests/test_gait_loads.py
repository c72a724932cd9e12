"""Gait loads: presets for every ray, the McBride 1991 push-off figure, linear body-mass scaling."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputError
from sim.loads import list_presets, load_curve
from sim.loads.forefoot import FOREFOOT_SHARE_STANDING

G = 9.81
PRESETS = ("quiet_standing", "walking_stance", "push_off_peak")
MCBRIDE_1991_JOINT_BW, MCBRIDE_1991_RESULTANT_BW = 0.80, 0.93  # Foot Ankle 11:282, barefoot toe-off
TOLERANCE_BW = 0.005  # CSV rounding is 1e-6 BW; this is the stated tolerance
REPO = Path(__file__).resolve().parents[1]


def test_the_three_presets_ship():
    assert set(PRESETS) <= set(list_presets())


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("ray", [1, 2, 3, 4, 5])
def test_every_preset_loads_for_every_ray(preset, ray):
    load = load_curve(preset, ray, 80.0)
    frames = len(load.stance_percent)
    assert frames == (101 if preset == "walking_stance" else 1)
    assert load.force_N.shape == load.moment_Nmm.shape == (frames, 3)
    assert np.all(load.force_N[:, 0] <= 0) and np.all(load.force_N[:, 2] >= 0)  # compression, dorsal push
    assert "McBride" in load.source


def test_ray1_push_off_peak_matches_mcbride_1991():
    load = load_curve("walking_stance", 1, 70.0)
    body_weight = 70.0 * G
    peak = np.argmax(np.linalg.norm(load.force_N, axis=1))
    resultant_bw = np.linalg.norm(load.force_N[peak]) / body_weight
    assert resultant_bw == pytest.approx(MCBRIDE_1991_RESULTANT_BW, abs=TOLERANCE_BW)
    assert -load.force_N[peak, 0] / body_weight >= MCBRIDE_1991_JOINT_BW - TOLERANCE_BW
    assert 75.0 <= load.stance_percent[peak] <= 80.0  # second GRF hump, Perry


def test_push_off_preset_is_the_walking_peak_frame():
    walk, peak = load_curve("walking_stance", 3, 80.0), load_curve("push_off_peak", 3, 80.0)
    i = np.argmax(np.linalg.norm(walk.force_N, axis=1))
    np.testing.assert_allclose(peak.force_N[0], walk.force_N[i])
    assert peak.stance_percent[0] == walk.stance_percent[i]


def test_quiet_standing_forefoot_carries_its_share_of_half_body_weight():
    vertical = sum(np.linalg.norm(load_curve("quiet_standing", r, 1.0 / G).force_N[0]) for r in range(1, 6))
    assert vertical == pytest.approx(0.5 * FOREFOOT_SHARE_STANDING, abs=1e-5)


@pytest.mark.parametrize("preset", PRESETS)
def test_loads_scale_exactly_linearly_with_body_mass(preset):
    light, heavy = load_curve(preset, 2, 80.0), load_curve(preset, 2, 160.0)
    assert np.array_equal(heavy.force_N, 2 * light.force_N)
    other = load_curve(preset, 2, 57.3)
    np.testing.assert_allclose(other.force_N, light.force_N * 57.3 / 80.0, rtol=1e-12)


@pytest.mark.parametrize("n_frames", [1, 3, 11, 21, 200])
def test_resampling_keeps_the_peak(n_frames):
    full = load_curve("walking_stance", 1, 80.0)
    short = load_curve("walking_stance", 1, 80.0, n_frames=n_frames)
    assert len(short.stance_percent) == n_frames and np.all(np.diff(short.stance_percent) > 0)
    peak_N = np.linalg.norm(full.force_N, axis=1).max()
    assert np.linalg.norm(short.force_N, axis=1).max() == pytest.approx(peak_N)
    if n_frames > 1:
        assert (short.stance_percent[0], short.stance_percent[-1]) == (0.0, 100.0)


def test_bad_resampling_is_refused():
    with pytest.raises(InputError, match="n_frames"):
        load_curve("walking_stance", 1, 80.0, n_frames=2)
    with pytest.raises(InputError, match="single-frame"):
        load_curve("push_off_peak", 1, 80.0, n_frames=5)


def test_unknown_preset_lists_the_presets_and_suggests():
    with pytest.raises(InputError, match="did you mean 'walking_stance'.*available: .*push_off_peak"):
        load_curve("walking_stanse", 1, 80.0)


@pytest.mark.parametrize("ray", [0, 6, 2.5, True, "1"])
def test_ray_outside_1_to_5_is_refused(ray):
    with pytest.raises(InputError, match="ray must be an integer 1-5"):
        load_curve("walking_stance", ray, 80.0)


@pytest.mark.parametrize("mass", [0.0, -70.0, float("nan"), float("inf")])
def test_non_positive_body_mass_is_refused(mass):
    with pytest.raises(InputError, match="body_mass_kg"):
        load_curve("walking_stance", 1, mass)


def test_user_csv_without_ray_column_applies_to_any_ray(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("# my curve\nstance_percent,Fx_per_BW,Fz_per_BW,My_Nmm_per_BW\n"
                    "0,0,0,0\n50,-0.5,0.1,2\n100,0,0,0\n")
    load = load_curve(path, 4, 100.0)
    np.testing.assert_allclose(load.force_N[1], [-0.5 * 981.0, 0.0, 0.1 * 981.0])
    np.testing.assert_allclose(load.moment_Nmm[1], [0.0, 2 * 981.0, 0.0])
    assert load.source == "my curve"


@pytest.mark.parametrize("body, where, detail", [
    ("stance_percent,Fx_per_BW,Fz_per_BW\n0,0,0\n50,-0.5,x\n", ":4:", "'x' is not a number"),
    ("stance_percent,Fx_per_BW,Fz_per_BW\n0,0,0\n50,-0.5\n", ":4:", "expected 3 values"),
    ("stance_percent,Fx_per_BW,Fz_per_BW,Fz_perBW\n0,0,0,0\n", ":2:", "did you mean 'Fz_per_BW'"),
    ("stance_percent,Fx_per_BW\n0,0\n", ":2:", "missing: Fz_per_BW"),
    ("stance_percent,Fx_per_BW,Fz_per_BW\n50,0,0\n40,0,0\n", ":4:", "stance_percent"),
    ("ray,stance_percent,Fx_per_BW,Fz_per_BW\n1,0,0,0\n7,0,0,0\n", ":4:", "ray"),
    ("stance_percent,Fx_per_BW,Fz_per_BW\n", "", "no data rows"),
])
def test_malformed_csv_names_file_and_line(tmp_path, body, where, detail):
    path = tmp_path / "bad.csv"
    path.write_text("# header\n" + body)
    with pytest.raises(InputError) as err:
        load_curve(path, 1, 80.0)
    assert f"{path}{where}" in str(err.value) and detail in str(err.value)


def test_scale_multiplies_and_must_be_positive():
    base, half = load_curve("push_off_peak", 2, 80.0), load_curve("push_off_peak", 2, 80.0, scale=0.5)
    np.testing.assert_allclose(half.force_N, 0.5 * base.force_N)
    with pytest.raises(InputError, match="scale"):
        load_curve("push_off_peak", 2, 80.0, scale=0.0)


def test_missing_csv_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_curve(tmp_path / "nope.csv", 1, 80.0)


def test_shipped_csvs_match_the_forefoot_model(tmp_path):
    spec = importlib.util.spec_from_file_location("make_presets", REPO / "experiments/loads/make_presets.py")
    make_presets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_presets)
    for preset in PRESETS:
        fresh = make_presets.write_preset(preset, tmp_path)
        assert fresh.read_text() == (REPO / "experiments/loads" / f"{preset}.csv").read_text(), preset
