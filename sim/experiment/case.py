"""One case: a pure function of its resolved config, from geometry to result rows and a field file."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomic import atomic_path
from ..clock import Clock
from ..contact import ContactProblem
from ..contact.sliding import FiniteSliding
from ..geometry import MeshResult, build_mesh
from ..materials import elastic_params, load_card, scaled
from ..mesh import write_vtu
from ..model import BoundarySpec, Problem
from ..model.finite import FiniteProblem
from ..model.output import fields
from ..model.series import write_series
from .config import BONE_REGIONS, Case, CaseConfig, gait_load
from .interfaces import (interface_columns, interface_edges, physiological_moment_Nmm, pseudo_joint, split_for,
                         stump_centroid_mm)
from . import reuse
from .metrics import LoadBasis, Regions, cement_fatigue, construct_stiffness, frame_table, load_point_mm
from .response import Incremental, Superposed
from .limit_points import gait_limit
from .validity import NOT_CHECKED, P99_SUFFIX, PEAK_PLACES, small_strain_range

FIXED_SET = "proximal_base"  # tarsometatarsal end of the metatarsal, clamped
RAY_AXIS = (1.0, 0.0, 0.0)  # fibre axis of cortical bone: along the ray


def region_materials(cfg: CaseConfig, regions) -> tuple[dict, dict]:
    """Elastic parameters and cards of the regions present; bone cards scaled by bone quality, any card
    by [material_scaling]."""
    params, cards = {}, {}
    for region in regions:
        card = load_card(cfg.materials[region])
        if region in BONE_REGIONS:
            card = scaled(card, modulus_factor=cfg.bone_modulus_factor, strength_factor=cfg.bone_strength_factor)
        if region in cfg.material_scaling:
            modulus_factor, strength_factor = cfg.material_scaling[region]
            card = scaled(card, modulus_factor=modulus_factor, strength_factor=strength_factor)
        p = elastic_params(card)
        if p["model"] == "transversely_isotropic":
            p["axis"] = list(RAY_AXIS)
        params[region], cards[region] = p, card
    return params, cards


def response_for(cfg: CaseConfig, mesh, params: dict):
    """The case's model and how it answers load frames: Superposed (small strain, every interface bonded:
    linear) or Incremental (contact, friction or finite strain). Interfaces: under small strain the
    node-pair solver of a split mesh (sim.contact.problem: exact complementarity on the factorized
    stiffness, for small relative motion); under finite strain sliding contact (sim.contact.sliding: mortar
    items in Newton, finite sliding), with bonded interfaces keeping shared nodes.
    Returns (problem, loads, response)."""
    fixed = clamped_base()
    finite = cfg.kinematics == "finite"
    mesh, specs = split_for(mesh, cfg.interfaces, split_bonded=not finite)
    if finite:
        problem = (FiniteSliding(mesh, params, fixed, specs, cfg.increments) if specs
                   else FiniteProblem(mesh, params, fixed, cfg.increments))
    else:
        problem = (ContactProblem(mesh, params, fixed, specs, cfg.backend) if specs
                   else Problem(mesh, params, fixed, cfg.solver, cfg.backend))
    loads = LoadBasis(problem, load_point_mm(problem))
    return problem, loads, (Superposed if type(problem) is Problem else Incremental)(problem, loads)


@dataclass(frozen=True)
class CaseModel:
    """The meshed model of a case config before any load: what run_case answers the gait frames with."""

    built: MeshResult  # mesh_case(cfg): the mesh (mm) before any interface split, fill fraction, volumes (mm^3)
    params: dict  # elastic parameters per region (MPa), region_materials(cfg, ...)
    cards: dict  # material cards per region (bone cards scaled by bone quality and [material_scaling])
    problem: object  # response_for's model; problem.mesh is the mesh solved (split at contact interfaces)
    loads: LoadBasis  # force (N) and moment (N mm) at the joint's load point -> nodal load vectors
    respond: object  # Superposed or Incremental: respond(force_N (k, 3), moment_Nmm (k, 3)) answers k frames


def mesh_case(cfg: CaseConfig) -> MeshResult:
    """The case's geometry meshed ([geometry]; [mesh] size_mm in mm and order): the mesh (mm), the fill
    fraction as meshed, the void, cement and stem volumes (mm^3) and the element quality. Meshed in a
    temporary folder that is gone on return (msh_path and vtu_path name files that no longer exist)."""
    with tempfile.TemporaryDirectory(prefix="spacer-mesh-") as tmp:
        return build_mesh(cfg.geometry, tmp, cfg.mesh.size_mm, cfg.mesh.order)


def case_model(cfg: CaseConfig, built: MeshResult | None = None) -> CaseModel:
    """The meshed model of a case config, for scripts and tests that load it their own way: mesh_case(cfg)
    (or `built`, a mesh of this config made before), its materials (region_materials) and its model
    (response_for), as run_case makes them (run_case keeps meshes and factorizations in sim.experiment.reuse
    between the cases of a worker)."""
    built = mesh_case(cfg) if built is None else built
    params, cards = region_materials(cfg, built.mesh.region_names.values())
    return CaseModel(built, params, cards, *response_for(cfg, built.mesh, params))


def clamped_base() -> list[BoundarySpec]:
    """A case's boundary condition: the metatarsal's proximal base (FIXED_SET) held at zero displacement (mm)."""
    return [BoundarySpec(FIXED_SET, {0: 0.0, 1: 0.0, 2: 0.0})]


def run_case(case: Case, out_dir) -> dict:
    """Mesh, solve all gait frames and measure one case; write fields/<name>.vtu. Returns
    {'summary': row, 'frames': rows, 'timings_s': {...}, 'regions': {...}} with units in the keys;
    timings_s has the wall time (s) of the phases mesh, assemble, factorize, solve (gait frames, stiffness
    and pseudo-joint probes), post, write and their total, and under 'cpu_s' the same phases in CPU time (s)
    of this process, all threads (sim.clock.Clock)."""
    if "forefoot" in case.doc:
        from ..forefoot.case import run_forefoot_case

        return run_forefoot_case(case, out_dir)
    cfg = case.resolve()
    clock = Clock()
    mesh_key = reuse.key_of(cfg.geometry, cfg.mesh)
    built = reuse.cached("mesh", mesh_key, lambda: mesh_case(cfg))
    clock.lap("mesh")
    params, cards = region_materials(cfg, built.mesh.region_names.values())
    built_now = []  # a model made for this case (not one reused from an earlier case of this worker)

    def make():
        built_now.append(True)
        return response_for(cfg, built.mesh, params)

    shareable = not cfg.interfaces.kinds and cfg.kinematics == "small"  # contact, finite strain: solved anew
    problem, loads, respond = (reuse.cached("solver", reuse.key_of(mesh_key, params, cfg.solver, cfg.backend), make)
                               if shareable else make())
    mesh = problem.mesh
    clock.lap("factorize")
    if built_now:  # finite strain assembles in its solve
        clock.move("factorize", getattr(problem, "timings_s", {}))

    gait = gait_load(cfg.loads, cfg.geometry.ray)
    response = respond(gait.force_N, gait.moment_Nmm)
    peak = int(np.argmax(np.linalg.norm(gait.force_N, axis=1)))
    peak_force = float(np.linalg.norm(gait.force_N[peak]))
    stiffness = construct_stiffness(loads, respond, peak_force)
    probe = {}
    if cfg.pseudo_joint and (pivot := stump_centroid_mm(mesh)) is not None:
        physiological = physiological_moment_Nmm(gait.force_N, gait.moment_Nmm, loads.point_mm, pivot)
        preload = cfg.pseudo_joint.preload_N
        preload = abs(gait.force_N[peak, 0]) if preload is None else preload
        probe = pseudo_joint(mesh, respond, preload, cfg.pseudo_joint, cfg.kinematics == "finite", physiological)
    clock.lap("solve")

    regions = Regions(problem, 0.5 * cfg.geometry.metatarsal.length_mm)
    cement_card = cards.get("cement")
    metrics, cement_max_principal = frame_table(regions, cement_card, response, len(gait.stance_percent),
                                                cfg.outputs.percentile)
    on_edge = interface_edges(mesh, response.contact) if response.contact is not None else {}
    frames = []
    for k, row in enumerate(metrics):
        frames.append({"case": case.name, "frame": k, "stance_percent": float(gait.stance_percent[k]),
                       "Fx_N": gait.force_N[k, 0], "Fy_N": gait.force_N[k, 1], "Fz_N": gait.force_N[k, 2],
                       "Mx_Nmm": gait.moment_Nmm[k, 0], "My_Nmm": gait.moment_Nmm[k, 1],
                       "Mz_Nmm": gait.moment_Nmm[k, 2], **row,
                       **(interface_columns(response.contact, k, on_edge) if response.contact is not None else {})})

    fatigue = cement_fatigue(cement_card, cement_max_principal, regions.basis.dV_cq[regions.cement],
                             cfg.outputs.percentile, cfg.outputs.steps_per_day * 365.0)
    curve = probe.pop("moment_rotation", None)
    validity = (small_strain_range(problem, response.u_mm[:, peak], cfg.outputs.percentile)
                if cfg.kinematics == "small" else NOT_CHECKED)
    summary = {"case": case.name, "reference": case.is_reference, **case.swept,
               "fill_fraction": built.fill_fraction, "void_volume_mm3": built.void_volume_mm3,
               "cement_volume_mm3": built.cement_volume_mm3, "stem_volume_mm3": built.stem_volume_mm3,
               **stiffness, **probe, **gait_limit(response.limit, gait), "peak_frame": peak, "peak_stance_percent": float(gait.stance_percent[peak]),
               "peak_force_N": peak_force, **_extremes(frames), **fatigue, **validity, "n_cells": mesh.n_cells,
               "n_dofs": problem.n_dofs, "min_element_quality": built.quality["min_sicn"]}
    clock.lap("post")
    reached = np.flatnonzero(np.isfinite(response.u_mm).all(axis=0))  # all frames, or those before a limit point
    if cfg.outputs.fields != "none":  # at the peak frame, or the last one reached before a limit point
        point, cell = _frame_fields(problem, response, peak if peak in reached else int(reached.max(initial=0)))
        with atomic_path(Path(out_dir) / "fields" / f"{case.name}.vtu") as tmp:
            write_vtu(tmp, mesh, point, cell)
    if cfg.outputs.fields == "all_frames":
        write_series(Path(out_dir) / "fields", case.name, mesh,
                     ((gait.stance_percent[k], *_frame_fields(problem, response, k))
                      for k in reached))
    clock.lap("write")
    return {"summary": summary, "frames": frames, "timings_s": clock.phases(), "regions": mesh.region_names,
            "moment_rotation": curve}


def _frame_fields(problem, response, frame: int) -> tuple[dict, dict]:
    """Point and cell data of one frame (model/output.py), with sliding contact also the point data
    contact_pressure_MPa (on the slave surfaces, zero elsewhere)."""
    point, cell = fields(problem, response.u_mm[:, frame])
    if response.contact is not None:
        point["contact_pressure_MPa"] = response.contact.pressure_field(frame, problem.mesh.n_nodes)
    return point, cell


def _extremes(frames: list[dict]) -> dict:
    """Worst over the gait frames: max of stresses, pressures and gaps, min of safety factors and of the
    gauge strain (peak compression); load share, contact area and interface force at the peak-force frame."""
    def worst(key, pick):
        values = np.array([f[key] for f in frames], dtype=float)
        return float("nan") if np.isnan(values).all() else float(pick(values))

    forces = [np.linalg.norm([f["Fx_N"], f["Fy_N"], f["Fz_N"]]) for f in frames]
    at_peak = frames[int(np.argmax(forces))]
    out = {}
    for key in frames[0]:
        if key.endswith(PEAK_PLACES):  # at the frame of the largest p99 (the summary's p99)
            suffix = next(s for s in PEAK_PLACES if key.endswith(s))
            p99 = np.array([f[key.removesuffix(suffix) + P99_SUFFIX] for f in frames], dtype=float)
            out[key] = bool(not np.isnan(p99).all() and frames[int(np.nanargmax(p99))][key])
        elif key.endswith(("_MPa", "_gap_max_mm", "_slip_max_mm")) and not key.startswith(("Mx", "My", "Mz")):
            out[key] = worst(key, np.nanmax)
        elif key.startswith("cement_safety_factor"):
            out[key] = worst(key, np.nanmin)
        elif key.startswith("load_share") or key.endswith(("_contact_area_mm2", "_normal_force_N")):
            out[key] = at_peak[key]
    sf = (out["cement_safety_factor_tension"], out["cement_safety_factor_compression"])
    out["cement_safety_factor"] = float("nan") if np.isnan(sf).all() else float(np.nanmin(sf))
    out["dorsal_shaft_strain_microstrain"] = worst("dorsal_shaft_strain_microstrain", np.nanmin)
    return out
