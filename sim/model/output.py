"""Result fields and files of one solve: fields.vtu and reactions.csv."""

import numpy as np

from ..atomic import atomic_path, write_text
from ..fem import post
from ..mesh import write_vtu
from ..table import csv_text
from .problem import Problem


def fields(problem: Problem, u: np.ndarray) -> tuple[dict, dict]:
    """Point data and cell data for a displacement u (3 n,): displacement (mm), stresses (MPa)."""
    basis = problem.basis
    eps, stress = post.strain_stress(basis, problem.D_ckl, u)
    vm = post.von_mises(stress)
    principal = post.principal(stress)
    point = {"displacement": u.reshape(-1, 3), "von_mises": post.to_nodes(basis, vm),
             "max_principal": post.to_nodes(basis, principal[..., 2]),
             "min_principal": post.to_nodes(basis, principal[..., 0])}
    cell = {"von_mises": post.cell_mean(basis, vm),
            "strain_energy_density": post.cell_mean(basis, post.strain_energy_density(eps, stress))}
    return point, cell


def reaction_rows(problem: Problem, u: np.ndarray, f: np.ndarray) -> list[dict]:
    """One row per constrained set: reaction force (N) and moment about the origin (N mm)."""
    table = post.reactions(problem.residual(u, f), problem.mesh.nodes_mm, problem.set_dofs)
    return [{"set": name, "Fx_N": F[0], "Fy_N": F[1], "Fz_N": F[2], "Mx_Nmm": M[0], "My_Nmm": M[1], "Mz_Nmm": M[2]}
            for name, (F, M) in table.items()]


def write_solution(out_dir, problem: Problem, u: np.ndarray, f: np.ndarray) -> None:
    """Write fields.vtu and reactions.csv under out_dir (each atomically)."""
    point, cell = fields(problem, u)
    rows = reaction_rows(problem, u, f)
    with atomic_path(out_dir / "fields.vtu") as tmp:
        write_vtu(tmp, problem.mesh, point, cell)
    write_text(out_dir / "reactions.csv", csv_text(rows))
