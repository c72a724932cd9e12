"""One forefoot case: a pure function of its resolved config, from geometry to a summary row and field files."""

import tempfile
from pathlib import Path

import numpy as np

from ..atomic import atomic_path, write_text
from ..clock import Clock
from ..mesh import write_vtu
from ..model.output import fields
from ..table import csv_text
from .mesh import build_forefoot_mesh
from .outputs import KPA_PER_MPA, force_columns, interface_columns, pressure_columns, spacer_columns
from .sensors import sensor_columns
from .solve import solve_forefoot
from .spacer_contact import cement_columns, split_interfaces
from .spacer_contact import interface_columns as cement_interface_columns
from .toes import toe_columns


def plantar_csv_path(out_dir, name: str) -> Path:
    """Where a case's sole pressure table goes: fields/<case>_plantar.csv."""
    return Path(out_dir) / "fields" / f"{name}_plantar.csv"


def run_forefoot_case(case, out_dir) -> dict:
    """Mesh, solve and measure one forefoot case; writes fields/<name>.vtu and fields/<name>_plantar.csv.
    Returns {'summary': row, 'frames': [row], 'timings_s': {...}, 'regions': {...}}; timings_s: wall time (s)
    of the phases mesh, assemble_factor_solve, post, write and their total, under 'cpu_s' their CPU time (s)
    (sim.clock.Clock)."""
    cfg = case.resolve()
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="spacer-forefoot-") as tmp:
        fm = build_forefoot_mesh(cfg, tmp)
    fm, interfaces = split_interfaces(cfg, fm)
    clock.lap("mesh")
    sol = solve_forefoot(cfg, fm, interfaces)
    clock.lap("assemble_factor_solve")
    row = {"case": case.name, "reference": case.is_reference, **case.swept,
           "resected_rays": " ".join(str(r) for r in cfg.resected) or "none",
           "fill_fraction": _fill(fm), "insole": cfg.insole or "none", "insole_thickness_mm": cfg.insole_mm,
           "stance_percent": cfg.stance_percent if cfg.stance_percent is not None else float("nan"),
           "applied_force_N": cfg.force_N}
    row.update(pressure_columns(fm, sol))
    row.update(sensor_columns(fm, sol))
    row.update(force_columns(fm, sol))
    row.update(spacer_columns(fm, sol))
    row.update(interface_columns(fm, sol, cfg.kinematics == "finite"))
    row.update(cement_columns(cfg, fm, sol))
    row.update(cement_interface_columns(fm, sol))
    if cfg.toe_dorsiflexion_deg > 0:
        row.update(toe_columns(fm, sol.u_mm, cfg.toe_dorsiflexion_deg))
    row.update({"max_displacement_mm": float(np.abs(sol.u_mm).max()), "n_cells": fm.mesh.n_cells,
                "n_dofs": sol.problem.n_dofs, "min_element_quality": fm.quality["min_sicn"],
                "kinematics": cfg.kinematics,
                "ground_penetration_max_mm": sol.max_penetration_mm})
    clock.lap("post")
    if cfg.fields:
        _write_fields(out_dir, case.name, fm, sol)
    clock.lap("write")
    return {"summary": row, "frames": [row], "timings_s": clock.phases(), "regions": fm.mesh.region_names}


def _fill(fm) -> float:
    """Cement / void volume of the first resected ray, as meshed (0 when intact)."""
    rays = sorted(fm.cement_mm3)
    return fm.cement_mm3[rays[0]] / fm.void_mm3[rays[0]] if rays and fm.void_mm3[rays[0]] else 0.0


def _write_fields(out_dir, name: str, fm, sol) -> None:
    point, cell = fields(sol.problem, sol.u_mm)
    with atomic_path(Path(out_dir) / "fields" / f"{name}.vtu") as tmp:
        write_vtu(tmp, fm.mesh, point, cell)
    xy = fm.mesh.nodes_mm[sol.ground_nodes, :2]
    rows = [{"x_mm": x, "y_mm": y, "pressure_kPa": p * KPA_PER_MPA, "weight_mm2": w, "in_contact": c}
            for (x, y), p, w, c in zip(xy, sol.pressure_MPa, sol.weight_mm2, sol.closed)]
    heads = [{"x_mm": f.head_centre_mm[0], "y_mm": f.head_centre_mm[1], "pressure_kPa": float("nan"),
              "weight_mm2": 0.0, "in_contact": False, "head_of_ray": f.ray} for f in fm.rays]
    write_text(plantar_csv_path(out_dir, name), csv_text(rows + heads))
