"""Result fields and files of one solve: fields.vtu and reactions.csv."""

import numpy as np

from ..atomic import atomic_path, write_text
from ..fem import post
from ..mesh import write_vtu
from ..table import csv_text
from .problem import Problem


def fields(problem: Problem, u: np.ndarray) -> tuple[dict, dict]:
    """Point data and cell data for a displacement u (3 n,): displacement (mm); Cauchy stress (MPa) and
    small strain as 3x3 tensors (9 components, ParaView shows them as tensors); von Mises, principal
    stresses (MPa) and their unit directions; strain energy density (MPa) per cell. Point values are
    nodal recoveries (post.to_nodes), cell values volume means; principal values and directions are
    those of the recovered (point) or mean (cell) stress tensor."""
    if hasattr(problem, "body"):  # finite kinematics
        return finite_fields(problem, u)
    basis = problem.basis
    eps, stress = post.strain_stress(basis, problem.D_ckl, u)
    vm = post.von_mises(stress)
    point = {"displacement": u.reshape(-1, 3), "von_mises": post.to_nodes(basis, vm)}
    point |= _tensor_fields(post.to_nodes(basis, stress), post.to_nodes(basis, eps))
    cell = {"von_mises": post.cell_mean(basis, vm),
            "strain_energy_density": post.cell_mean(basis, post.strain_energy_density(eps, stress))}
    cell |= _tensor_fields(post.cell_mean(basis, stress), post.cell_mean(basis, eps))
    return point, cell


def _tensor_fields(stress: np.ndarray, strain: np.ndarray) -> dict:
    """Stress and strain (m, 9) tensors, principal stresses and directions (m, 3) from Voigt (m, 6) arrays."""
    values, directions = post.principal_axes(stress)
    out = {"stress": post.tensor(stress).reshape(-1, 9), "strain": post.strain_tensor(strain).reshape(-1, 9)}
    for k, name in enumerate(("min_principal", "mid_principal", "max_principal")):
        out[name] = values[:, k]
        out[f"{name}_direction"] = directions[:, :, k]
    return out


def finite_fields(problem, u: np.ndarray) -> tuple[dict, dict]:
    """Point and cell data under finite kinematics: displacement (mm); the Cauchy stress tensor (MPa, 9
    components), its von Mises and principal values with directions; J = det F; the Green-Lagrange strain
    tensor (9 components). Quadrature values recovered to nodes and averaged over each reference cell."""
    basis = problem.basis
    J = problem.body.jacobian_cq(u)
    strain, stress = problem.strain_stress(u)
    vm = post.von_mises(stress)
    point = {"displacement": u.reshape(-1, 3), "von_mises": post.to_nodes(basis, vm), "J": post.to_nodes(basis, J)}
    point |= _finite_names(_tensor_fields(post.to_nodes(basis, stress), post.to_nodes(basis, strain)))
    cell = {"von_mises": post.cell_mean(basis, vm), "J": post.cell_mean(basis, J)}
    cell |= _finite_names(_tensor_fields(post.cell_mean(basis, stress), post.cell_mean(basis, strain)))
    return point, cell


def _finite_names(fields: dict) -> dict:
    """Under finite kinematics the stress is Cauchy's and the strain Green-Lagrange's: say so in the names."""
    names = {"stress": "cauchy_stress", "strain": "green_lagrange_strain"}
    return {names.get(k, k): v for k, v in fields.items()}


def reaction_rows(problem: Problem, u: np.ndarray, f: np.ndarray) -> list[dict]:
    """One row per constrained set: reaction force (N) and moment about the origin (N mm)."""
    table = post.reactions(problem.residual(u, f), problem.mesh.nodes_mm, problem.set_dofs)
    return [{"set": name, "Fx_N": F[0], "Fy_N": F[1], "Fz_N": F[2], "Mx_Nmm": M[0], "My_Nmm": M[1], "Mz_Nmm": M[2]}
            for name, (F, M) in table.items()]


def write_solution(out_dir, problem, u: np.ndarray, f: np.ndarray) -> None:
    """Write fields.vtu and reactions.csv under out_dir (each atomically); a problem with a finite-strain
    `body` writes the finite fields."""
    point, cell = fields(problem, u)
    rows = reaction_rows(problem, u, f)
    with atomic_path(out_dir / "fields.vtu") as tmp:
        write_vtu(tmp, problem.mesh, point, cell)
    write_text(out_dir / "reactions.csv", csv_text(rows))
