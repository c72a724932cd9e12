"""One case: a pure function of its resolved config, from geometry to result rows and a field file."""

import tempfile
import time
from pathlib import Path

import numpy as np

from ..atomic import atomic_path
from ..fem import post
from ..geometry import build_mesh
from ..materials import elastic_params, load_card, scaled
from ..mesh import write_vtu
from ..model import BoundarySpec, Problem
from ..model.output import fields
from .config import BONE_REGIONS, Case, CaseConfig, gait_load
from .metrics import Regions, UnitResponses, cement_fatigue, frame_metrics, load_point_mm

FIXED_SET = "proximal_base"  # tarsometatarsal end of the metatarsal, clamped
RAY_AXIS = (1.0, 0.0, 0.0)  # fibre axis of cortical bone: along the ray


def region_materials(cfg: CaseConfig, regions) -> tuple[dict, dict]:
    """Elastic parameters and cards of the regions present; bone cards scaled by bone quality."""
    params, cards = {}, {}
    for region in regions:
        card = load_card(cfg.materials[region])
        if region in BONE_REGIONS:
            card = scaled(card, modulus_factor=cfg.bone_modulus_factor, strength_factor=cfg.bone_strength_factor)
        p = elastic_params(card)
        if p["model"] == "transversely_isotropic":
            p["axis"] = list(RAY_AXIS)
        params[region], cards[region] = p, card
    return params, cards


def run_case(case: Case, out_dir) -> dict:
    """Mesh, solve all gait frames and measure one case; write fields/<name>.vtu. Returns
    {'summary': row, 'frames': rows, 'timings_s': {...}} with units in the keys."""
    cfg = case.resolve()
    timings, t0 = {}, time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="spacer-mesh-") as tmp:
        built = build_mesh(cfg.geometry, tmp, cfg.mesh.size_mm, cfg.mesh.order)
    mesh = built.mesh
    timings["mesh"] = time.perf_counter() - t0
    params, cards = region_materials(cfg, mesh.region_names.values())
    problem = Problem(mesh, params, [BoundarySpec(FIXED_SET, {0: 0.0, 1: 0.0, 2: 0.0})], cfg.solver, cfg.backend)
    unit = UnitResponses(problem, load_point_mm(problem))
    timings["assemble_factor_solve"] = time.perf_counter() - t0 - timings["mesh"]

    gait = gait_load(cfg.loads, cfg.geometry.ray)
    gauge_x = 0.5 * cfg.geometry.metatarsal.length_mm
    regions = Regions(problem, gauge_x)
    percentile = cfg.outputs.percentile
    cement_card = cards.get("cement")
    frames, cement_max_principal = [], []
    for k in range(len(gait.stance_percent)):
        strain, stress = unit.frame(gait.force_N[k], gait.moment_Nmm[k])
        row = {"case": case.name, "frame": k, "stance_percent": float(gait.stance_percent[k]),
               "Fx_N": gait.force_N[k, 0], "Fy_N": gait.force_N[k, 1], "Fz_N": gait.force_N[k, 2],
               "Mx_Nmm": gait.moment_Nmm[k, 0], "My_Nmm": gait.moment_Nmm[k, 1], "Mz_Nmm": gait.moment_Nmm[k, 2]}
        row.update(frame_metrics(regions, cement_card, strain, stress, percentile))
        frames.append(row)
        if regions.cement.any():
            cement_max_principal.append(post.principal(stress[regions.cement])[..., 2])
    timings["frames"] = time.perf_counter() - t0 - timings["mesh"] - timings["assemble_factor_solve"]

    peak = int(np.argmax(np.linalg.norm(gait.force_N, axis=1)))
    cycles_per_year = cfg.outputs.steps_per_day * 365.0
    fatigue = cement_fatigue(regions, cement_card, np.array(cement_max_principal), percentile, cycles_per_year)
    summary = {"case": case.name, "reference": case.is_reference, **case.swept,
               "fill_fraction": built.fill_fraction, "void_volume_mm3": built.void_volume_mm3,
               "cement_volume_mm3": built.cement_volume_mm3, "stem_volume_mm3": built.stem_volume_mm3,
               **unit.stiffness(), "peak_frame": peak, "peak_stance_percent": float(gait.stance_percent[peak]),
               "peak_force_N": float(np.linalg.norm(gait.force_N[peak])),
               **_extremes(frames), **fatigue, "n_cells": mesh.n_cells, "n_dofs": problem.n_dofs,
               "min_element_quality": built.quality["min_sicn"]}
    if cfg.outputs.fields:
        u = unit.u @ np.concatenate([gait.force_N[peak], gait.moment_Nmm[peak]])
        point, cell = fields(problem, u)
        with atomic_path(Path(out_dir) / "fields" / f"{case.name}.vtu") as tmp:
            write_vtu(tmp, mesh, point, cell)
    timings["total"] = time.perf_counter() - t0
    return {"summary": summary, "frames": frames, "timings_s": timings, "regions": mesh.region_names}


def _extremes(frames: list[dict]) -> dict:
    """Worst over the gait frames: max of stresses, min of safety factors and of the gauge strain
    (peak compression); the load share at the frame of peak force."""
    def worst(key, pick):
        values = np.array([f[key] for f in frames], dtype=float)
        return float("nan") if np.isnan(values).all() else float(pick(values))

    out = {}
    for key in frames[0]:
        if key.endswith("_MPa") and not key.startswith(("Mx", "My", "Mz")):
            out[key] = worst(key, np.nanmax)
        elif key.startswith("cement_safety_factor"):
            out[key] = worst(key, np.nanmin)
    out["cement_safety_factor"] = float(np.nanmin([out["cement_safety_factor_tension"],
                                                   out["cement_safety_factor_compression"]])) \
        if not np.isnan(out["cement_safety_factor_tension"]) else float("nan")
    out["dorsal_shaft_strain_microstrain"] = worst("dorsal_shaft_strain_microstrain", np.nanmin)
    forces = [np.linalg.norm([f["Fx_N"], f["Fy_N"], f["Fz_N"]]) for f in frames]
    for key in ("load_share_cement", "load_share_cement_min"):
        out[key] = frames[int(np.argmax(forces))][key]
    return out
