"""The contact tests' adapter to the project's Newton solver (sim.solve.solve_increments): bodies as items,
load and prescribed displacements ramped over equal increments, each increment solved (and committed) as
its own continuation so that a test can look at every converged increment."""

import numpy as np

from sim.fem.assembly import StiffnessAssembler
from sim.fem.basis import cell_basis
from sim.fem.constraints import Dirichlet
from sim.fem.finite import FiniteStrainBody
from sim.laws import make_law
from sim.model.problem import material_field
from sim.solve import LinearItem, NewtonOptions, solve_increments


def LinearBody(mesh, materials):
    """Small-strain linear elastic body item (K u, K); materials: region name -> {E_MPa, nu}."""
    return LinearItem(StiffnessAssembler(cell_basis(mesh))(material_field(mesh, materials)))


def NeoHookeanBody(mesh, materials):
    """Finite-strain compressible neo-Hookean body item; materials: region name -> {E_MPa, nu}."""
    laws = {rid: make_law({"model": "neo_hookean", **materials[name]}, name) for name, rid in mesh.region_ids.items()}
    return FiniteStrainBody(cell_basis(mesh), laws)


def newton(items, n_dofs, f_ext=None, fixed=(), values=None, steps=1, u0=None, on_step=None):
    """Ramp the load f_ext and the prescribed values on `fixed` in `steps` increments (from zero, or, given
    u0, from u0 with f_ext already applied); returns u and the Newton iterations per increment.
    on_step(u, lam) is called after each increment."""
    fixed = np.asarray(fixed, np.int64)
    values = np.zeros(len(fixed)) if values is None else np.asarray(values, float)
    f_ext = np.zeros(n_dofs) if f_ext is None else f_ext
    u = np.zeros(n_dofs) if u0 is None else u0.copy()
    start = u[fixed].copy()
    iterations = []
    for step in range(1, steps + 1):
        lam = step / steps
        f0, f1 = ((lam - 1 / steps) * f_ext, lam * f_ext) if u0 is None else (f_ext, f_ext)
        bc = Dirichlet(fixed, start + lam * (values - start))
        result = solve_increments(items, f1, bc, NewtonOptions(increments=1), u0_mm=u, f0_N=f0)
        u = result.u_mm
        iterations.extend(result.iterations)
        if on_step is not None:
            on_step(u, lam)
    return u, iterations
