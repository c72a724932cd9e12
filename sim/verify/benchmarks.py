"""Structural benchmarks with closed-form or published answers: a hollow-tube cantilever (Timoshenko with
Cowper's shear coefficient, J. Appl. Mech. 1966), two materials in series (spring formula), a thick-walled
cylinder under internal pressure (Lamé, read from the written fields.vtu) and the NAFEMS LE10 thick plate
(NAFEMS, The Standard NAFEMS Benchmarks, rev. 3, 1990: sigma_yy = -5.38 MPa at point D)."""

from pathlib import Path

import meshio
import numpy as np

from ..mesh import Mesh, read_mesh
from ..mesh.box import box_mesh
from ..model import BoundarySpec, LoadSpec, Problem
from ..model.output import write_solution
from . import shapes
from .registry import Check, case

FIX_ALL = {0: 0.0, 1: 0.0, 2: 0.0}


@case("tube_timoshenko")
def tube_timoshenko(work_dir: Path) -> list[Check]:
    """L = 60, Ro = 5, Ri = 2.5 mm, E = 17000 MPa, nu = 0.3, P = 100 N at the tip face, tet10 of 1.25 mm."""
    L, Ro, Ri, E, nu, P = 60.0, 5.0, 2.5, 17000.0, 0.3, 100.0
    shapes.tube(work_dir / "tube.msh", L, Ro, Ri, size=1.25, order=2)
    mesh = read_mesh(work_dir / "tube.msh")
    problem = Problem(mesh, {"tube": {"E_MPa": E, "nu": nu}}, [BoundarySpec("base", FIX_ALL)])
    u = problem.solve(problem.load_vector(LoadSpec("tip", force_N=(P, 0.0, 0.0)))).reshape(-1, 3)
    I, A, G, m = np.pi * (Ro**4 - Ri**4) / 4, np.pi * (Ro**2 - Ri**2), E / (2 * (1 + nu)), Ri / Ro
    k = 6 * (1 + nu) * (1 + m**2) ** 2 / ((7 + 6 * nu) * (1 + m**2) ** 2 + (20 + 12 * nu) * m**2)
    timoshenko = P * L**3 / (3 * E * I) + P * L / (k * G * A)
    return [Check("tube_timoshenko", "tip deflection (mm)", timoshenko, float(u[mesh.node_sets["tip"], 0].mean()),
                  0.01)]


def two_material_bar(nu: float) -> tuple[Mesh, Problem]:
    """10 x 10 x 40 mm prism, z < 20 'bone' (E 17000 MPa), z > 20 'cement' (E 2500 MPa); minimal supports."""
    mesh = box_mesh((3, 3, 8), (10.0, 10.0, 40.0), order=2)
    centroid_z = mesh.nodes_mm[mesh.cells[:, :4], 2].mean(axis=1)
    x = mesh.nodes_mm
    corner = lambda p: np.flatnonzero(np.all(np.isclose(x, p), axis=1))
    mesh = Mesh(x, mesh.cells, (centroid_z > 20).astype(int), {0: "bone", 1: "cement"},
                {"origin": corner([0, 0, 0]), "x_corner": corner([10, 0, 0])}, mesh.facet_sets)
    problem = Problem(mesh, {"bone": {"E_MPa": 17000.0, "nu": nu}, "cement": {"E_MPa": 2500.0, "nu": nu}},
                      [BoundarySpec("zmin", {2: 0.0}), BoundarySpec("origin", {0: 0.0, 1: 0.0}),
                       BoundarySpec("x_corner", {1: 0.0})])
    return mesh, problem


@case("series_springs")
def series_springs(work_dir: Path) -> list[Check]:
    """k = 1 / (L1/(E1 A) + L2/(E2 A)) = 10 897 N/mm for A = 100 mm^2, L1 = L2 = 20 mm. nu = 0: with nu > 0
    the two materials contract differently, the interface constrains them and the prism is ~1 % stiffer."""
    mesh, problem = two_material_bar(0.0)
    F = 1000.0
    u = problem.solve(problem.load_vector(LoadSpec("zmax", force_N=(0.0, 0.0, F)))).reshape(-1, 3)
    k = F / u[np.unique(mesh.facet_sets["zmax"]), 2].mean()
    return [Check("series_springs", "axial stiffness (N/mm)", 1.0 / (20 / (17000 * 100) + 20 / (2500 * 100)),
                  float(k), 0.005)]


def polar(points: np.ndarray, tensors: np.ndarray):
    """Radius (m,), radial and hoop components (m,) of 3x3 tensors (m, 9) about the z axis."""
    r = np.hypot(points[:, 0], points[:, 1])
    e_r = np.column_stack([points[:, 0] / r, points[:, 1] / r, np.zeros_like(r)])
    e_t = np.column_stack([-e_r[:, 1], e_r[:, 0], np.zeros_like(r)])
    T = tensors.reshape(-1, 3, 3)
    return r, np.einsum("mi,mij,mj->m", e_r, T, e_r), np.einsum("mi,mij,mj->m", e_t, T, e_t)


@case("lame_cylinder")
def lame_cylinder(work_dir: Path) -> list[Check]:
    """a = 1, b = 2 mm, p = 100 MPa, E = 200e3 MPa, nu = 0.3, plane strain; tet10 of 0.15 mm. Stress and strain
    tensors are read back from the fields.vtu the solve writes, at every node."""
    a, b, p, E, nu = 1.0, 2.0, 100.0, 200e3, 0.3
    shapes.thick_cylinder_quarter(work_dir / "cyl.msh", a, b, size=0.15, order=2)
    mesh = read_mesh(work_dir / "cyl.msh")
    problem = Problem(mesh, {"wall": {"E_MPa": E, "nu": nu}},
                      [BoundarySpec("sym_x", {0: 0.0}), BoundarySpec("sym_y", {1: 0.0}),
                       BoundarySpec("ends", {2: 0.0})])
    f = problem.load_vector(LoadSpec("inner", pressure_MPa=p))
    write_solution(work_dir, problem, problem.solve(f), f)
    out = meshio.read(work_dir / "fields.vtu")
    r, s_rr, s_tt = polar(out.points, out.point_data["stress"])
    _, _, e_tt = polar(out.points, out.point_data["strain"])
    A_, B_ = p * a**2 / (b**2 - a**2), p * a**2 * b**2 / (b**2 - a**2)
    inner, outer = np.isclose(r, a), np.isclose(r, b)
    u_r = np.hypot(*out.point_data["displacement"][inner, :2].T).mean()
    name = "lame_cylinder"
    return [Check(name, "sigma_rr at r = a (MPa), node mean", A_ - B_ / a**2, float(s_rr[inner].mean()), 0.02),
            Check(name, "sigma_tt at r = a (MPa), node mean", A_ + B_ / a**2, float(s_tt[inner].mean()), 0.01),
            Check(name, "sigma_tt at r = b (MPa), node mean", A_ + B_ / b**2, float(s_tt[outer].mean()), 0.01),
            Check(name, "max |sigma_rr - Lame| / p, all nodes", 0.0, float(np.abs(s_rr - A_ + B_ / r**2).max() / p),
                  0.05, relative=False),
            Check(name, "max |sigma_tt - Lame| / p, all nodes", 0.0, float(np.abs(s_tt - A_ - B_ / r**2).max() / p),
                  0.05, relative=False),
            Check(name, "sigma_zz = 2 nu A (MPa), node mean", 2 * nu * A_,
                  float(out.point_data["stress"][:, 8].mean()), 0.01),
            Check(name, "max |eps_tt - u_r/r| / eps_tt(a), all nodes", 0.0,
                  float(np.abs(e_tt - (1 + nu) / E * (A_ * (1 - 2 * nu) + B_ / r**2)).max()
                        / ((1 + nu) / E * (A_ * (1 - 2 * nu) + B_ / a**2))), 0.03, relative=False),
            Check(name, "u_r(a) (mm)", (1 + nu) / E * (A_ * (1 - 2 * nu) * a + B_ / a), float(u_r), 0.01)]


@case("nafems_le10")
def nafems_le10(work_dir: Path) -> list[Check]:
    """Thick elliptic plate, 1 MPa on the top face, E = 210 GPa, nu = 0.3; sigma_yy at D from fields.vtu."""
    shapes.le10_plate(work_dir / "le10.msh")
    mesh = read_mesh(work_dir / "le10.msh")
    problem = Problem(mesh, {"plate": {"E_MPa": 210e3, "nu": 0.3}},
                      [BoundarySpec("sym_x", {0: 0.0}), BoundarySpec("sym_y", {1: 0.0}),
                       BoundarySpec("outer", {0: 0.0, 1: 0.0}), BoundarySpec("outer_mid", {2: 0.0})])
    f = problem.load_vector(LoadSpec("top", pressure_MPa=1.0))
    write_solution(work_dir, problem, problem.solve(f), f)
    out = meshio.read(work_dir / "fields.vtu")
    d = np.flatnonzero(out.point_data["set:D"])[0]
    return [Check("nafems_le10", "sigma_yy at D (MPa)", -5.38, float(out.point_data["stress"][d, 4]), 0.02)]
