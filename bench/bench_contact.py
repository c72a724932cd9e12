"""Cost of a 100-frame gait load sequence with the spacer interface bonded, in contact and in friction.

A 10 x 10 x 20 mm prism of ~10k tet10 cells: 'bone' below z = 10, 'cement' above, base fixed, the top
loaded through a distributing coupling with a gait-like sequence (axial force with two humps, a bending
moment large enough to open part of the interface in some frames, a small shear). Timed:
- bonded: Problem on the conforming mesh (assemble + factor once, one batched solve of 100 frames);
- contact / frictional: ContactProblem on the split mesh (assemble + factor once, contact operator S once,
  then the frames).
Run:  python bench/bench_contact.py [n]   (n hexes per side of the cross-section, default 12 -> 10 368 cells)

The contact iterations are many small dense solves: threaded OpenBLAS next to MKL's (PARDISO) threads makes
them several times slower on a 2-core machine, so this script runs OpenBLAS on one thread unless
OPENBLAS_NUM_THREADS is already set (sim.contact does the same by itself when threadpoolctl is installed).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from sim.contact import ContactProblem, InterfaceSpec  # noqa: E402
from sim.mesh import Mesh  # noqa: E402
from sim.mesh.box import box_mesh  # noqa: E402
from sim.mesh.split import region_interface, split_interface  # noqa: E402
from sim.model import BoundarySpec, LoadSpec, Problem  # noqa: E402

MATERIALS = {"bone": {"E_MPa": 17000.0, "nu": 0.3}, "cement": {"E_MPa": 2500.0, "nu": 0.3}}
N_FRAMES = 100


def prism(n: int) -> Mesh:
    mesh = box_mesh((n, n, n), (10.0, 10.0, 20.0), order=2)
    zc = mesh.nodes_mm[mesh.cells[:, :4], 2].mean(axis=1)
    mesh = Mesh(mesh.nodes_mm, mesh.cells, (zc > 10).astype(int), {0: "bone", 1: "cement"}, {}, mesh.facet_sets)
    mesh.facet_sets["spacer"] = region_interface(mesh, ["bone"], ["cement"])
    return mesh


def gait_loads(t: np.ndarray) -> list[LoadSpec]:
    """Stance phase t in [0, 1]: two-hump axial force (N), a bending moment (N mm) whose eccentricity swings to
    3.5 mm (the kern of the 10 mm section is 1.67 mm, so the interface partly opens) and a shear (N)."""
    fz = -200.0 * (np.sin(np.pi * t) + 0.4 * np.sin(3 * np.pi * t))
    mx = 3.5 * np.sin(2 * np.pi * t) * np.abs(fz)
    fx = 20.0 * np.sin(np.pi * t)
    return [LoadSpec("zmax", force_N=(fx[k], 0.0, fz[k]), moment_Nmm=(mx[k], 0.0, 0.0), point_mm=(5, 5, 20))
            for k in range(len(t))]


def timed(label, build, frames):
    t0 = time.perf_counter()
    problem = build()
    t1 = time.perf_counter()
    F = np.column_stack([problem.load_vector(load) for load in frames])
    t2 = time.perf_counter()
    out = problem.solve_sequence(F) if isinstance(problem, ContactProblem) else problem.solve(F)
    t3 = time.perf_counter()
    print(f"{label:<28} setup {t1 - t0:6.2f} s   loads {t2 - t1:5.2f} s   {len(frames)} frames {t3 - t2:6.2f} s"
          f"   total {t3 - t0:6.2f} s")
    return problem, out


def main(n: int = 12) -> None:
    mesh = prism(n)
    split, _ = split_interface(mesh, "spacer", ["cement"])
    frames = gait_loads(np.linspace(0.0, 1.0, N_FRAMES))
    fixed = [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})]
    print(f"{mesh.n_cells} tet10 cells, {3 * split.n_nodes} DOFs, interface {len(mesh.facet_sets['spacer'])} facets")
    timed("bonded (shared nodes)", lambda: Problem(mesh, MATERIALS, fixed), frames)
    for kind, mu, bcs in (("contact", 0.0, fixed + [BoundarySpec("zmax", {0: 0.0, 1: 0.0})]),
                          ("frictional", 0.4, fixed)):
        problem, result = timed(f"{kind} (split, mu={mu})",
                                lambda: ContactProblem(split, MATERIALS, bcs, [InterfaceSpec("spacer", kind, mu)]),
                                frames)
        rows = [r for r in result.rows()]
        open_frames = sum(r["contact_fraction"] < 1 for r in rows)
        print(f"    rows {problem.rows.m}, Newton iterations per frame: mean {result.iterations.mean():.1f},"
              f" max {result.iterations.max()}; frames with a partly open interface: {open_frames}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
