"""Solve a model file: read, check, assemble, solve, write."""

from pathlib import Path

import numpy as np

from .. import limits
from ..mesh import elevate_to_tet10, read_mesh, reduce_to_tet4
from ..mesh.mesh import Mesh
from .output import write_solution
from .finite import FiniteProblem
from .problem import Problem
from .spec import ModelSpec, read_model


def load_mesh(spec: ModelSpec) -> Mesh:
    """The model's mesh at the requested element order."""
    mesh = read_mesh(spec.mesh_file)
    if spec.order == 2:
        return elevate_to_tet10(mesh)
    return reduce_to_tet4(mesh) if spec.order == 1 else mesh


def assembled(spec: ModelSpec, ignore_limits: bool = False):
    """The model's strategy (checked and assembled: Problem for small, FiniteProblem for finite kinematics)
    and its total nodal load vector f (3 n,) in N. A mesh too large for this machine's memory is refused
    before assembly (sim/limits.py) unless `ignore_limits`."""
    mesh = load_mesh(spec)
    limits.check([limits.for_mesh(mesh.n_cells, mesh.n_nodes)], 1, str(spec.mesh_file), ignore_limits)
    if spec.kinematics == "finite":
        problem = FiniteProblem(mesh, spec.materials, spec.boundaries, spec.increments)
    else:
        problem = Problem(mesh, spec.materials, spec.boundaries, spec.solver, spec.backend)
    return problem, sum((problem.load_vector(load) for load in spec.loads), np.zeros(problem.n_dofs))


def solve_model(model_path, out_dir, ignore_limits: bool = False):
    """Solve the model in `model_path` (small or finite kinematics); write fields.vtu and reactions.csv to
    out_dir. A failed solve raises before anything is written."""
    problem, f = assembled(read_model(model_path), ignore_limits)
    u = problem.solve(f)
    write_solution(Path(out_dir), problem, u, f)
    return problem
