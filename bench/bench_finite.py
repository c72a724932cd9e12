"""Finite-strain benchmark: this package side by side with felupe on one tet10 mesh and material.

A block L x 1 x 1 mm (tet10, structured) of compressible neo-Hookean material (E = 3 MPa, nu = 0.3; W =
mu/2 (I1 - 3) - mu ln J + lambda/2 (ln J)^2 in both codes) is clamped at x = 0; its end face x = L is moved
by w_mm = 0.4 L transverse (z), a large bending deformation, in two load increments in both codes. Both
get the same nodes, cells (felupe's quadratic tetra has the same node order) and 4-point quadrature.

Prints: the relative difference of the displacement fields (must be < 1e-6, else exit status 1), the
time of one Newton iteration's assembly (internal force + tangent) in each code and their ratio, and the
peak memory of this package's assembly on the mesh. --assembly-only skips both solves (felupe's takes minutes
on large meshes): both codes assemble at the same bent state u = (0, 0, w x^2 / L^2), and their internal
forces must agree to 1e-6 relative instead (exit status 1 otherwise).

    python bench/bench_finite.py                     # 8 x 4 x 4 hexes -> 768 tet10
    python bench/bench_finite.py --n 20 8 8          # 7 680 tet10
    python bench/bench_finite.py --n 40 12 12 --assembly-only   # ~35k tet10, assembly only
    python bench/bench_finite.py --n 60 17 17 --ours-only   # ~104k tet10: set-up + one assembly, peak memory

Needs felupe (pip install ".[bench]"); felupe is GPL-3 and used here only as a peer to run against.
"""

import argparse
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.fem.basis import cell_basis  # noqa: E402
from sim.fem.finite import FiniteStrainBody  # noqa: E402
from sim.laws import make_law  # noqa: E402
from sim.mesh.box import box_mesh  # noqa: E402
from sim.model import BoundarySpec  # noqa: E402
from sim.model.finite import FiniteProblem  # noqa: E402

E_MPA, NU = 3.0, 0.3


def best_of(fn, repeat=3) -> tuple[float, float]:
    """(wall, CPU) seconds of fn, each the best of `repeat` runs (CPU time is the fairer figure on a machine
    shared with other work; neither code runs threads here)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def seconds(t: tuple[float, float]) -> str:
    return f"{t[0]:.3f} s (CPU {t[1]:.3f} s)"


def speed_up(t_felupe: tuple[float, float], t_ours: tuple[float, float]) -> str:
    return f"assembly speed-up: {t_felupe[0] / t_ours[0]:.1f}x wall, {t_felupe[1] / t_ours[1]:.1f}x CPU"


def ours(mesh, w_mm: float, length: float):
    bcs = [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("xmax", {0: 0.0, 1: 0.0, 2: w_mm})]
    problem = FiniteProblem(mesh, {"domain": {"model": "neo_hookean", "E_MPa": E_MPA, "nu": NU}}, bcs,
                            increments=2)
    t0 = time.perf_counter()
    u = problem.solve(np.zeros(problem.n_dofs))
    return problem, u, time.perf_counter() - t0


def bent_state(mesh, w_mm: float, length: float) -> np.ndarray:
    """u = (0, 0, w x^2 / L^2) in mm (3n,): a large bending deformation without a solve."""
    u = np.zeros((mesh.n_nodes, 3))
    u[:, 2] = w_mm * (mesh.nodes_mm[:, 0] / length) ** 2
    return u.ravel()


def felupe_body(mesh):
    """felupe's solid body and field on our mesh and law."""
    import felupe as fem

    mu, lam = make_law({"model": "neo_hookean", "E_MPa": E_MPA, "nu": NU}, "bench").lame
    region = fem.RegionQuadraticTetra(fem.Mesh(mesh.nodes_mm, mesh.cells, "tetra10"))
    field = fem.FieldContainer([fem.Field(region, dim=3)])
    return fem.SolidBody(fem.NeoHookeCompressible(mu=mu, lmbda=lam), field), field


def felupe_assembly_time(solid, field) -> float:
    """Best-of-3 time (s) of felupe's internal force + tangent at the field's state."""
    return best_of(lambda: (solid.assemble.vector(field), solid.assemble.matrix(field)))


def felupe_solve(mesh, w_mm: float, length: float):
    import felupe as fem

    solid, field = felupe_body(mesh)
    t0 = time.perf_counter()
    for lam_load in (0.5, 1.0):
        boundaries = {"fixed": fem.Boundary(field[0], fx=lambda p: np.isclose(p, 0.0)),
                      "end_xy": fem.Boundary(field[0], fx=lambda p: np.isclose(p, length), skip=(0, 0, 1)),
                      "end_z": fem.Boundary(field[0], fx=lambda p: np.isclose(p, length), skip=(1, 1, 0),
                                            value=lam_load * w_mm)}
        dof0, dof1 = fem.dof.partition(field, boundaries)
        ext0 = fem.dof.apply(field, boundaries, dof0)
        res = fem.newtonraphson(items=[solid], dof1=dof1, dof0=dof0, ext0=ext0, tol=1e-12, verbose=0)
        field = res.x
    return solid, field, time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, nargs=3, default=[8, 4, 4], help="hexes along x, y, z (6 tet10 each)")
    p.add_argument("--length", type=float, default=4.0, help="block length L in mm (cross-section 1 x 1)")
    p.add_argument("--ours-only", action="store_true", help="skip felupe (large meshes: time and memory only)")
    p.add_argument("--assembly-only", action="store_true", help="no solves: both codes assemble at a bent state")
    a = p.parse_args()
    mesh = box_mesh(tuple(a.n), lengths_mm=(a.length, 1.0, 1.0), order=2)
    w_mm = 0.4 * a.length
    print(f"spacer-sim finite-strain bench, {date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; {mesh.n_cells} tet10, {3 * mesh.n_nodes} DOFs, end moved {w_mm:g} mm")
    if a.ours_only or a.assembly_only:  # no solve: set-up and one assembly at the bent state
        t0, c0 = time.perf_counter(), time.process_time()
        body = FiniteStrainBody(cell_basis(mesh), {0: make_law({"model": "neo_hookean", "E_MPa": E_MPA,
                                                                "nu": NU}, "bench")})
        t_setup = time.perf_counter() - t0, time.process_time() - c0
        u = bent_state(mesh, w_mm, a.length)
        t_asm = best_of(lambda: body.residual_tangent(u), repeat=2 if a.ours_only else 3)
        peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(f"ours:   set-up (basis, pattern) {seconds(t_setup)}; one assembly (internal force + tangent) "
              f"{seconds(t_asm)}; peak memory {peak_gb:.2f} GB (no linear solve)")
        if a.ours_only:
            return 0
        solid, field = felupe_body(mesh)
        field[0].values[:] = u.reshape(-1, 3)
        t_felupe_asm = felupe_assembly_time(solid, field)
        difference = (np.linalg.norm(body.residual_tangent(u)[0] - solid.assemble.vector(field).toarray().ravel())
                      / np.linalg.norm(solid.assemble.vector(field).toarray()))
        print(f"felupe: one assembly (internal force + tangent) {seconds(t_felupe_asm)}")
        print(f"internal force difference |f - f_felupe| / |f_felupe| = {difference:.2e} (limit 1e-6)")
        print(speed_up(t_felupe_asm, t_asm))
        return 0 if difference < 1e-6 else 1
    problem, u, t_ours = ours(mesh, w_mm, a.length)
    print(f"ours:   solve {t_ours:.2f} s, Newton iterations per increment {problem.last.iterations}")
    t_asm = best_of(lambda: problem.body.residual_tangent(u))
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"ours:   one assembly (internal force + tangent) {seconds(t_asm)}; peak memory so far {peak_gb:.2f} GB")
    solid, field, t_felupe = felupe_solve(mesh, w_mm, a.length)
    u_felupe = field[0].values.ravel()
    difference = np.linalg.norm(u - u_felupe) / np.linalg.norm(u_felupe)
    print(f"felupe: solve {t_felupe:.2f} s")
    t_felupe_asm = felupe_assembly_time(solid, field)
    print(f"felupe: one assembly (internal force + tangent) {seconds(t_felupe_asm)}")
    print(f"displacement difference |u - u_felupe| / |u_felupe| = {difference:.2e} (limit 1e-6)")
    print(speed_up(t_felupe_asm, t_asm))
    return 0 if difference < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
