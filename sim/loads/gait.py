"""Gait loads on the distal end of a ray, from a named preset or a user CSV, scaled by body mass.

Presets are the CSV files in experiments/loads/ (looked up like material cards, see
sim.paths); their headers give sources and assumptions (see sim.loads.forefoot).
Frame: x along the ray from base to distal end, z plantar -> dorsal; forces in N, moments in N mm.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, nearest
from ..filecache import parse_once
from ..paths import data_dirs, find_data_file
from .csvio import read_curve_csv
from .resample import resample_keep_peak

G_M_PER_S2 = 9.81
RAYS = (1, 2, 3, 4, 5)
_FORCE = ("Fx_per_BW", "Fy_per_BW", "Fz_per_BW")
_MOMENT = ("Mx_Nmm_per_BW", "My_Nmm_per_BW", "Mz_Nmm_per_BW")


@dataclass(frozen=True)
class GaitLoad:
    """stance_percent (f,); force_N (f, 3) and moment_Nmm (f, 3) in the ray frame; source = CSV header."""

    name: str
    ray: int
    body_mass_kg: float
    stance_percent: np.ndarray
    force_N: np.ndarray
    moment_Nmm: np.ndarray
    source: str


def preset_dirs() -> list[Path]:
    """Directories holding preset load curves (*.csv)."""
    return data_dirs("experiments/loads")


def list_presets() -> list[str]:
    """Names of the preset curves, sorted."""
    return sorted({p.stem for d in preset_dirs() for p in d.glob("*.csv")})


def load_curve(preset_or_csv_path, ray: int, body_mass_kg: float = 80.0, n_frames: int | None = None,
               scale: float = 1.0) -> GaitLoad:
    """The load on `ray` (1-5) for a person of `body_mass_kg`, BW = mass x 9.81 m/s^2.

    Loads are the curve's per-BW values x BW x `scale` (exactly linear in body mass; `scale` is a
    user factor, e.g. to calibrate a ray's share). n_frames resamples keeping the peak frame.
    """
    ray = _check_ray(ray)
    body_weight_N = _positive("body_mass_kg", body_mass_kg) * G_M_PER_S2
    scale = _positive("scale", scale)
    path = curve_file(preset_or_csv_path)
    comments, columns, line_numbers = parse_once(path, read_curve_csv)
    rows = _rows_for_ray(path, columns, ray, line_numbers)
    stance = columns["stance_percent"][rows]
    _check_stance(path, stance, line_numbers[rows])
    zero = np.zeros(len(stance))
    per_bw = np.column_stack([columns[k][rows] if k in columns else zero for k in _FORCE + _MOMENT])
    if not np.abs(per_bw[:, :3]).any():
        raise InputError(f"{path}: every force of ray {ray} is zero; a gait curve needs a load")
    if n_frames is not None:
        stance, per_bw = resample_keep_peak(stance, per_bw, n_frames)
    loads = per_bw * (body_weight_N * scale)
    return GaitLoad(path.stem, ray, float(body_mass_kg), stance, loads[:, :3], loads[:, 3:],
                    "\n".join(comments))


def _check_ray(ray) -> int:
    """The ray number 1-5 as an int; anything else is an InputError."""
    if isinstance(ray, bool) or not isinstance(ray, (int, np.integer)) or ray not in RAYS:
        raise InputError(f"ray must be an integer 1-5, got {ray!r}")
    return int(ray)


def _positive(label: str, value) -> float:
    """A finite number > 0 as a float; anything else is an InputError."""
    is_number = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not (is_number and math.isfinite(value) and value > 0):
        raise InputError(f"{label} must be a finite number > 0, got {value!r}")
    return float(value)


def curve_file(preset_or_csv_path) -> Path:
    """The CSV file of a curve: an existing CSV path, else a preset name on the search path."""
    text = str(preset_or_csv_path)
    path = Path(text)
    if path.suffix.lower() == ".csv" or path.is_file():
        if not path.is_file():
            raise InputError(f"{path}: load curve file not found")
        return path
    found = find_data_file("experiments/loads", f"{text}.csv")
    if found is not None:
        return found
    names = list_presets()
    raise InputError(f"unknown load preset '{text}'{nearest(text, names)}; "
                     f"available: {', '.join(names) or 'none'}")


def _rows_for_ray(path: Path, columns: dict, ray: int, line_numbers: np.ndarray) -> np.ndarray:
    """Row indices for the ray; a curve without a 'ray' column applies to every ray."""
    if "ray" not in columns:
        return np.arange(len(columns["stance_percent"]))
    rays = columns["ray"]
    bad = np.flatnonzero(~np.isin(rays, RAYS))
    if len(bad):
        raise InputError(f"{path}:{line_numbers[bad[0]]}: column ray: {rays[bad[0]]:g} is not an integer 1-5")
    rows = np.flatnonzero(rays == ray)
    if len(rows) == 0:
        raise InputError(f"{path}: no rows for ray {ray} (rays present: {sorted(set(rays.astype(int)))})")
    return rows


def _check_stance(path: Path, stance: np.ndarray, line_numbers: np.ndarray):
    """0 <= stance_percent <= 100, strictly increasing within the ray's rows."""
    bad = np.flatnonzero((stance < 0) | (stance > 100) | np.r_[False, np.diff(stance) <= 0])
    if len(bad):
        raise InputError(f"{path}:{line_numbers[bad[0]]}: column stance_percent: {stance[bad[0]]:g} is "
                         "outside 0-100 or not above the previous row of this ray")
