"""Memory benchmark: peak RSS and phase times of a ~100k-element tet10 model through sim.model.Problem.

The mesh is made by gmsh in a child process (so gmsh's memory is not counted) and read with
sim.mesh.read_mesh; then sim.model.Problem assembles, constrains and factorizes (PARDISO) and one
load case is solved. Phase times come from timing wrappers around the functions Problem calls
(installed on the sim.model.problem module at run time; sim/ itself is unchanged).
Peak RSS is resource.getrusage(RUSAGE_SELF).ru_maxrss of this process (Linux: KiB).

    python bench/bench_memory.py                       # tube, ~100k tet10
    python bench/bench_memory.py --shape cube          # compact 20 mm cube (more fill-in)
    python bench/bench_memory.py --elements 50000      # or --size 0.6
"""

import argparse
import functools
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

import geometry
import sim.model.model as model_module
import sim.model.problem as problem_module
from sim.mesh import read_mesh
from sim.model.problem import Problem
from sim.model.spec import BoundarySpec, LoadSpec

TARGET_MB = 4096.0
MATERIALS = {"solid": {"model": "isotropic", "E_MPa": 17000.0, "nu": 0.3}}
BOUNDARIES = [BoundarySpec("base", {0: 0.0, 1: 0.0, 2: 0.0})]
FORCE_N = (0.0, 100.0, 0.0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


class Phases:
    """Wall time, current RSS after, and peak RSS after each named phase."""

    def __init__(self):
        self.rows = []

    def record(self, name, seconds):
        self.rows.append((name, seconds, current_mb(), peak_mb()))

    def wrap(self, name, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            out = fn(*args, **kwargs)
            self.record(name, time.perf_counter() - t0)
            return out
        return timed

    def time(self, name, fn, *args, **kwargs):
        return self.wrap(name, fn)(*args, **kwargs)


def nbytes(*arrays) -> int:
    return sum(a.nbytes for a in arrays if a is not None)


def held_arrays(problem) -> dict[str, int]:
    """Bytes of the big arrays a Problem keeps (names follow sim's attributes)."""
    p = problem.assembler.pattern
    out = {
        "K (CSR values; its index arrays are the pattern's)": nbytes(problem.K.data),
        "pattern: CSR layout (indices, indptr, take)": nbytes(p.indices, p.indptr, p.take),
        "pattern: chunks (cells, shared, target)": sum(nbytes(c.cells, c.shared, c.target) for c in p.chunks),
        "basis (grad, dV)": nbytes(problem.basis.grad_cqai, problem.basis.dV_cq),
        "D_ckl": nbytes(problem.D_ckl),
        "mesh": nbytes(problem.mesh.nodes_mm, problem.mesh.cells, problem.mesh.region),
    }
    A = getattr(problem.solver, "upper", getattr(problem.solver, "_A", None))
    if A is not None:
        out["solver triu(Kc)"] = nbytes(A.data, A.indices, A.indptr)
        pardiso = getattr(problem.solver, "pardiso", getattr(problem.solver, "_solver", None))
        copy = getattr(pardiso, "factorized_A", None)
        if copy is not None and hasattr(copy, "data"):
            out["pypardiso's copy of triu(Kc)"] = nbytes(copy.data, copy.indices, copy.indptr)
    return out


def instrument(phases: Phases):
    """Time the steps of Problem.__init__ by wrapping the names it looks up in its module."""
    pm, mm = problem_module, model_module
    base_assembler = pm.StiffnessAssembler

    class TimedAssembler(base_assembler):
        def __init__(self, basis):
            phases.time("pattern (StiffnessAssembler init)", super().__init__, basis)

        def __call__(self, D_ckl):
            return phases.time("assembly (kernel+scatter)", super().__call__, D_ckl)

    pm.StiffnessAssembler = TimedAssembler
    mm.cell_basis = phases.wrap("basis (cell_basis)", mm.cell_basis)
    mm.region_laws = phases.wrap("materials", mm.region_laws)
    mm.dirichlet = phases.wrap("constraints (dirichlet)", mm.dirichlet)
    pm.check_rigid_motion = phases.wrap("rigid-motion check", pm.check_rigid_motion)
    pm.constrained_matrix = phases.wrap("constrain K", pm.constrained_matrix)
    pm.DirectSolver = phases.wrap("factorize (DirectSolver)", pm.DirectSolver)
    pm.IterativeSolver = phases.wrap("AMG setup (IterativeSolver)", pm.IterativeSolver)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", choices=("tube", "cube"), default="tube")
    grp = ap.add_mutually_exclusive_group()
    grp.add_argument("--elements", type=float, default=100000, help="target number of tets (default 1e5)")
    grp.add_argument("--size", type=float, help="gmsh mesh size in mm")
    ap.add_argument("--order", type=int, choices=(1, 2), default=2)
    ap.add_argument("--method", choices=("auto", "direct", "iterative"), default="auto")
    ap.add_argument("--backend", default="auto", help="direct solver backend passed to Problem (default auto)")
    ap.add_argument("--mesh", type=Path, help="use this .msh (groups 'solid', 'base', 'tip') instead of meshing")
    a = ap.parse_args(argv)
    size = a.size or geometry.size_for(a.shape, a.elements)

    rss_start = peak_mb()
    phases = Phases()
    with tempfile.TemporaryDirectory() as tmp:
        path = a.mesh or Path(tmp) / f"{a.shape}.msh"
        t_gmsh, gmsh_mb = (0.0, 0.0) if a.mesh else geometry.mesh_in_child(path, a.shape, size, a.order)
        mesh = phases.time("read_mesh", read_mesh, path)
    kind = "tet10" if mesh.order == 2 else "tet4"
    print(f"spacer-sim memory benchmark, {date.today()}, {platform.node()}, {platform.machine()}, "
          f"python {platform.python_version()}, numpy {np.__version__}")
    print(f"solver: {a.method}{', backend ' + a.backend if a.method == 'direct' else ''}")
    print(f"mesh: {a.shape} h = {size:.3g} mm, {mesh.n_cells} {kind}, {mesh.n_nodes} nodes, {3 * mesh.n_nodes} DOFs; "
          f"gmsh in a child process {t_gmsh:.1f} s, child peak RSS {gmsh_mb:.0f} MB")
    print(f"RSS after imports {rss_start:.0f} MB")

    instrument(phases)
    t0 = time.perf_counter()
    problem = Problem(mesh, MATERIALS, BOUNDARIES, method=a.method, backend=a.backend)
    t_init = time.perf_counter() - t0
    f = phases.time("load vector", problem.load_vector, LoadSpec("tip", force_N=FORCE_N))
    u = phases.time("solve (1 load case)", problem.solve, f)
    t_total = time.perf_counter() - t0
    residual = problem.residual(u, f)
    free = np.ones(problem.n_dofs, bool)
    free[problem.bc.dofs] = False
    rel_residual = np.abs(residual[free]).max() / np.abs(f).max()
    tip_uy = u.reshape(-1, 3)[mesh.nodes_of("tip"), 1].mean()

    pardiso = getattr(problem.solver, "pardiso", getattr(problem.solver, "_solver", None))
    pardiso_peak = None
    if pardiso is not None:
        iparm = {i: int(pardiso.get_iparm(i)) for i in (15, 16, 17, 18)}
        pardiso_peak = max(iparm[15], iparm[16] + iparm[17]) / 1024
        print(f"PARDISO: factor nnz {iparm[18] / 1e6:.1f} M, reported peak {pardiso_peak:.0f} MB "
              f"(analysis {iparm[15] / 1024:.0f} MB, permanent {iparm[16] / 1024:.0f} MB, "
              f"factor+solve {iparm[17] / 1024:.0f} MB)")
    held = held_arrays(problem)
    print("largest arrays held by the Problem after init [MB]: "
          + ", ".join(f"{k} {v / 2**20:.0f}" for k, v in sorted(held.items(), key=lambda kv: -kv[1]) if v > 2**20)
          + f"; (Problem.__init__ also holds a constrained copy of K, "
          f"{nbytes(problem.K.data, problem.K.indices, problem.K.indptr) / 2**20:.0f} MB, while it factorizes)")
    print(f"K: {problem.K.nnz / 1e6:.1f} M nonzeros ({(problem.K.data.nbytes + problem.K.indices.nbytes) / 2**20:.0f} MB);"
          f" tip mean u_y = {tip_uy:.5f} mm; max free residual / max |f| = {rel_residual:.1e}")

    print(f"\n{'phase':<36} {'time [s]':>9} {'RSS after [MB]':>15} {'peak so far [MB]':>17}")
    print("-" * 80)
    for name, sec, cur, peak in phases.rows:
        print(f"{name:<36} {sec:>9.2f} {cur:>15.0f} {peak:>17.0f}")
    print(f"{'Problem() total':<36} {t_init:>9.2f}")
    print(f"{'Problem() + load + solve':<36} {t_total:>9.2f}")

    peak = peak_mb()
    ok = peak < TARGET_MB
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores; other jobs slow the timings)")
    print(f"\n{'metric':<34} {'ours':>9} {'peer':>9} {'ours/peer':>10}  peer")
    print("-" * 92)
    print(f"{f'peak RSS [MB], {mesh.n_cells} {kind}':<34} {peak:>9.0f} {TARGET_MB:>9.0f} {peak / TARGET_MB:>10.2f}"
          f"  target (< 1)")
    if pardiso_peak:
        print(f"{'peak RSS [MB]':<34} {peak:>9.0f} {pardiso_peak:>9.0f} {peak / pardiso_peak:>10.2f}"
              f"  PARDISO's own reported peak")
    print(f"{'Problem() + load + solve [s]':<34} {t_total:>9.2f} {'-':>9} {'-':>10}")
    print(f"\ntarget: peak RSS of a {mesh.n_cells}-element {kind} model < {TARGET_MB / 1024:.0f} GB: "
          f"{'met' if ok else 'MISSED'} ({peak / 1024:.2f} GB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
