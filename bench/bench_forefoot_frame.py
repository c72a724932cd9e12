"""Where one finite-strain push-off frame of the forefoot goes: meshing, set-up, assembly, linear solves,
Newton iterations per increment, and the head pressures and forces per ray it gives (to compare meshes).

One case of an experiment (default: the intact foot of experiments/forefoot_transfer.toml) at the experiment's
mesh or at --size/--order, run in this process. The Newton solver's assembly and linear solve are timed by
wrapping sim.solve.newton.assemble_items and TangentSolver.solve (their count and total wall time); the increments' iteration counts
come from the solver's own history. Peak memory is this process's maximum resident set size. On a shared
machine wall times swing with the load: the process CPU time is printed too.

Run:  python bench/bench_forefoot_frame.py [--case intact] [--size 12 --order 2] [--increments 4] [--toes 20]
"""

import argparse
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sim.solve.newton as newton  # noqa: E402
from sim.solve.tangent_solver import TangentSolver  # noqa: E402
from sim.experiment.config import read_experiment  # noqa: E402
from sim.experiment.sweep import set_path  # noqa: E402
from sim.forefoot.mesh import build_forefoot_mesh  # noqa: E402
from sim.forefoot.outputs import force_columns, pressure_columns  # noqa: E402
from sim.forefoot.outputs import head_regions  # noqa: E402
from sim.forefoot.sensors import SENSOR_MM, sensor_columns, sensor_forces  # noqa: E402
from sim.forefoot.solve import solve_forefoot  # noqa: E402

TOTALS = {"assemble": [0, 0.0], "linear_solve": [0, 0.0]}


def _timed(name, fn):
    def wrapper(*args):
        start = time.perf_counter()
        out = fn(*args)
        TOTALS[name][0] += 1
        TOTALS[name][1] += time.perf_counter() - start
        return out
    return wrapper


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiment", default=str(ROOT / "experiments" / "forefoot_transfer.toml"))
    ap.add_argument("--case", default="intact")
    ap.add_argument("--size", type=float, help="mesh size (mm); default the experiment's")
    ap.add_argument("--order", type=int, choices=(1, 2), help="1 = tet4, 2 = tet10; default the experiment's")
    ap.add_argument("--increments", type=int, help="[analysis] increments; default the experiment's")
    ap.add_argument("--toes", type=float, help="forefoot.toe_dorsiflexion_deg; default the experiment's")
    args = ap.parse_args()
    case = next(c for c in read_experiment(args.experiment).cases if c.name == args.case)
    doc = case.doc
    for key, value in (("mesh.size_mm", args.size), ("mesh.order", args.order),
                       ("analysis.increments", args.increments), ("forefoot.toe_dorsiflexion_deg", args.toes)):
        if value is not None:
            doc = set_path(doc, key, value)
    case = replace(case, doc=doc, resolved=())
    cfg = case.resolve()
    newton.assemble_items = _timed("assemble", newton.assemble_items)
    TangentSolver.solve = _timed("linear_solve", TangentSolver.solve)
    cpu0, t0 = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        fm = build_forefoot_mesh(cfg, tmp)
    t_mesh = time.perf_counter() - t0
    sol = solve_forefoot(cfg, fm)
    t_solve = time.perf_counter() - t0 - t_mesh
    cpu = time.process_time() - cpu0
    last = sol.problem.last
    print(f"case {case.name}: {cfg.kinematics}, {cfg.mesh.size_mm:g} mm tet{4 if cfg.mesh.order == 1 else 10}, "
          f"{fm.mesh.n_cells} cells, {sol.problem.n_dofs} DOFs, {cfg.force_N:.1f} N")
    print(f"mesh {t_mesh:.1f} s; solve {t_solve:.1f} s (assembly {TOTALS['assemble'][0]} x, "
          f"{TOTALS['assemble'][1]:.1f} s; linear solves {TOTALS['linear_solve'][0]} x, "
          f"{TOTALS['linear_solve'][1]:.1f} s; the rest {t_solve - TOTALS['assemble'][1] - TOTALS['linear_solve'][1]:.1f} s)")
    if last is not None:
        print(f"Newton iterations per increment {last.iterations} (cut-backs {last.cutbacks})")
    print(f"wall {t_mesh + t_solve:.1f} s, CPU {cpu:.1f} s, peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    t_post = time.perf_counter()
    row = {**pressure_columns(fm, sol), **force_columns(fm, sol), **sensor_columns(fm, sol)}
    t_post = time.perf_counter() - t_post
    rays = [f.ray for f in fm.rays]
    print("MTH peak kPa  " + " / ".join(f"{row[f'mth{r}_peak_pressure_kPa']:.0f}" for r in rays))
    print("MTH p99 kPa   " + " / ".join(f"{row[f'mth{r}_pressure_p99_kPa']:.0f}" for r in rays))
    print(f"MTH {SENSOR_MM:g} mm sensor peak kPa " + " / ".join(f"{row[f'mth{r}_sensor_peak_pressure_kPa']:.0f}" for r in rays)
          + f"; sole {row['sole_sensor_peak_pressure_kPa']:.0f}; sensor force {row['sole_sensor_force_N']:.2f} N against "
          f"the ground's {row['sole_force_N']:.2f} N (post-processing {t_post:.1f} s)")
    xy, F = sensor_forces(fm.mesh.nodes_mm, fm.mesh.facet_sets["ground"], sol.u_mm, sol.ground_nodes,
                          sol.pressure_MPa, 2 * SENSOR_MM)
    coarse = {ray: 1000 * F[mask].max(initial=0.0) / (2 * SENSOR_MM) ** 2 for ray, mask in head_regions(fm, xy).items()}
    print(f"MTH {2 * SENSOR_MM:g} mm sensor peak kPa " + " / ".join(f"{coarse[r]:.0f}" for r in rays))
    print("MTH mean kPa  " + " / ".join(f"{1000 * row[f'mth{r}_force_N'] / max(row[f'mth{r}_contact_area_mm2'], 1e-9):.0f}"
                                         for r in rays) + " (head force / contact area)")
    print("MTH force N   " + " / ".join(f"{row[f'mth{r}_force_N']:.1f}" for r in rays))
    print("ray force N   " + " / ".join(f"{row[f'ray{r}_vertical_force_N']:.1f}" for r in rays)
          + f"; envelope {row['plantar_soft_tissue_vertical_force_N']:.1f}; sum {row['sum_vertical_force_N']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
