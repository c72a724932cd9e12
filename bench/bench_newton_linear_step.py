"""One Newton iteration's linear step, as it was and as it is: the constrained tangent solved with PARDISO.

The block of bench_finite.py (L x 1 x 1 mm, tet10, compressible neo-Hookean E = 3 MPa, nu = 0.3, clamped at
x = 0, end face moved w = 0.4 L in z) is assembled at the bent state u = (0, 0, w x^2 / L^2). The linear step
(constrain the tangent, take its upper triangle, factor, solve) is timed two ways on the same matrix:
  before: sp.triu of the constrained tangent and a fresh PARDISO solver per iteration (analysis, factor,
          solve, free), the Newton solver's linear step until 2026-11-30;
  after:  TangentSolver (sim/solve/tangent_solver.py) in the steady state of a Newton solve: the pattern's
          analysis kept from an earlier iteration, the triangle gathered by a stored index, factor and solve.
Both must give the same solution (relative difference < 1e-10, else exit status 1). Prints the best of
--repeat runs, wall and process CPU time, and their ratios. --solve times instead the whole Newton solve of
the block (2 increments, from u = 0) with each linear step (displacements must agree to 1e-8 relative).

    python bench/bench_newton_linear_step.py                 # 20 x 8 x 8 hexes -> 7 680 tet10
    python bench/bench_newton_linear_step.py --n 40 12 12    # 34 560 tet10
    python bench/bench_newton_linear_step.py --solve         # the whole solve at 7 680 tet10, both ways
"""

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.fem.constraints import constrained_matrix  # noqa: E402
from sim.mesh.box import box_mesh  # noqa: E402
from sim.model import BoundarySpec  # noqa: E402
from sim.model.finite import FiniteProblem  # noqa: E402
from sim.solve.newton import assemble_items  # noqa: E402
from sim.solve.tangent_solver import TangentSolver, pypardiso  # noqa: E402

E_MPA, NU = 3.0, 0.3


def best_of(fn, repeat: int):
    """(wall s, CPU s, result) of the fastest of `repeat` calls (by wall time)."""
    best = None
    for _ in range(repeat):
        cpu0, t0 = time.process_time(), time.perf_counter()
        x = fn()
        run = (time.perf_counter() - t0, time.process_time() - cpu0, x)
        best = run if best is None or run[0] < best[0] else best
    return best


def before(K, b, dofs, diagonal):
    return old_solve(constrained_matrix(K, dofs, diagonal), b)


def old_solve(Kc, b):
    """The Newton solver's PARDISO solve until 2026-11-30: a new triangle and a new solver per call."""
    upper = sp.triu(Kc, format="csr")
    upper.sort_indices()
    solver = pypardiso.PyPardisoSolver(mtype=-2)
    x = solver.solve(upper, b)
    solver.free_memory(everything=True)
    return x


def whole_solve(problem, repeat: int) -> int:
    """Time problem.solve (2 increments) with today's linear step and with the one before."""
    def run():
        return problem.solve(np.zeros(problem.n_dofs)), sum(problem.last.iterations)

    t_new = best_of(run, repeat)
    steady = TangentSolver.solve
    TangentSolver.solve = lambda self, Kc, b: old_solve(Kc, b)
    try:
        t_old = best_of(run, repeat)
    finally:
        TangentSolver.solve = steady
    (u_new, iterations), (u_old, _) = t_new[2], t_old[2]
    difference = np.linalg.norm(u_new - u_old) / np.linalg.norm(u_old)
    print(f"whole solve, {iterations} Newton iterations: before {t_old[0]:.1f} s wall, {t_old[1]:.1f} s CPU; "
          f"after {t_new[0]:.1f} s wall, {t_new[1]:.1f} s CPU; {t_old[0] / t_new[0]:.2f}x wall, "
          f"{t_old[1] / t_new[1]:.2f}x CPU; displacements differ by {difference:.1e}; load average "
          f"{os.getloadavg()[0]:.1f} at end")
    return 0 if difference < 1e-8 else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs=3, default=(20, 8, 8), help="hexes per axis (6 tet10 each)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--solve", action="store_true", help="time the whole Newton solve both ways instead")
    args = ap.parse_args()
    length = args.n[0] / args.n[1]
    mesh = box_mesh(args.n, (length, 1.0, 1.0), order=2)
    w_mm = 0.4 * length
    bcs = [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("xmax", {0: 0.0, 1: 0.0, 2: w_mm})]
    problem = FiniteProblem(mesh, {"domain": {"model": "neo_hookean", "E_MPa": E_MPA, "nu": NU}}, bcs,
                            increments=2)
    u = np.zeros((mesh.n_nodes, 3))
    u[:, 2] = w_mm * (mesh.nodes_mm[:, 0] / length) ** 2
    r, K = assemble_items(problem.items, u.ravel())
    dofs = problem.bc.dofs
    diagonal = float(np.abs(K.diagonal()).mean())
    b = -r
    b[dofs] = 0.0
    print(f"{mesh.n_cells} tet10, {3 * mesh.n_nodes} DOFs, tangent nnz {K.nnz}; {date.today()}, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    if args.solve:
        return whole_solve(problem, args.repeat)
    t_old = best_of(lambda: before(K, b, dofs, diagonal), args.repeat)
    with TangentSolver(symmetric=True) as linear:
        cpu0, t0 = time.process_time(), time.perf_counter()
        linear.solve(constrained_matrix(K, dofs, diagonal), b)  # the first iteration: analysis included
        t_first = (time.perf_counter() - t0, time.process_time() - cpu0)
        t_new = best_of(lambda: linear.solve(constrained_matrix(K, dofs, diagonal), b), args.repeat)
    difference = np.linalg.norm(t_new[2] - t_old[2]) / np.linalg.norm(t_old[2])
    print(f"before (triu, analyse, factor, solve, free): {t_old[0]:.3f} s wall, {t_old[1]:.3f} s CPU")
    print(f"after, first iteration (with the analysis):  {t_first[0]:.3f} s wall, {t_first[1]:.3f} s CPU")
    print(f"after, later iterations (factor, solve):      {t_new[0]:.3f} s wall, {t_new[1]:.3f} s CPU")
    print(f"later iterations' speed-up: {t_old[0] / t_new[0]:.2f}x wall, {t_old[1] / t_new[1]:.2f}x CPU; "
          f"solutions differ by {difference:.1e} (relative); load average {os.getloadavg()[0]:.1f} at end")
    return 0 if difference < 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main())
