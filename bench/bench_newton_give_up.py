"""What a limit point costs Newton, with and without its early give-up (sim.solve.newton.hopeless).

experiments/pseudo_joint_sliding.toml's bead at 50 % fill (tet4 4 mm, frictional sliding contact, finite
kinematics): its first two gait frames (unloaded, then 25 % stance), where the segment folds at a limit
point in the loaded frame; the same solve (60 iterations per attempt, 6 cut-backs) with give_up off (as
until 2026-11-30) and on. Prints per run the Newton iterations spent (converged and failed increments), the
process CPU time and the load reached; both runs must end at the same limit point (load reached within one
cut-back step of each other, else exit status 1).

    python bench/bench_newton_give_up.py [--shape bead] [--fill 0.5]
"""

import argparse
import dataclasses
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.experiment.case import case_model  # noqa: E402
from sim.experiment.config import gait_load, resolve  # noqa: E402
from sim.solve import LimitPoint, SolveFailed, solve_increments  # noqa: E402
from sim.textio import read_toml  # noqa: E402

EXPERIMENT = Path(__file__).resolve().parents[1] / "experiments" / "pseudo_joint_sliding.toml"


def run(shape: str, fill: float, give_up: bool) -> dict:
    doc = {k: v for k, v in read_toml(EXPERIMENT, "experiment file").items() if k not in ("sweep", "experiment")}
    doc["geometry"]["spacer"].update(shape=shape, fill_fraction=fill)
    cfg = resolve(doc, "bench", EXPERIMENT.parent, "")
    model = case_model(cfg)
    problem, loads = model.problem, model.loads
    options = dataclasses.replace(problem.options, give_up=give_up)
    gait = gait_load(cfg.loads, cfg.geometry.ray)
    F = loads.vectors(gait.force_N[:2], gait.moment_Nmm[:2])
    items = problem.path_items()
    start = time.process_time()
    first = solve_increments(items, F[:, 0], problem.bc, options)
    spent, outcome, reached = sum(first.iterations), "reached the frame", 1.0
    try:
        result = solve_increments(items, F[:, 1], problem.bc, options, u0_mm=first.u_mm, f0_N=F[:, 0])
        spent += sum(result.iterations) + result.failed_iterations
    except SolveFailed as exc:
        spent += exc.iterations
        outcome = "limit point" if isinstance(exc, LimitPoint) else "failed"
        reached = getattr(exc, "load_factor", float("nan"))
    return {"iterations": spent, "cpu_s": time.process_time() - start, "outcome": outcome, "reached": reached,
            "axial_N": reached * abs(gait.force_N[1, 0])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", default="bead")
    parser.add_argument("--fill", type=float, default=0.5)
    args = parser.parse_args()
    print(f"# {date.today()}, {platform.machine()}, {os.cpu_count()} cores; {args.shape} {args.fill:.0%}, "
          f"gait frames 1-2 of experiments/pseudo_joint_sliding.toml")
    runs = {}
    for give_up in (False, True):
        runs[give_up] = r = run(args.shape, args.fill, give_up)
        print(f"give_up={str(give_up):5}  {r['iterations']:4d} Newton iterations  {r['cpu_s']:7.1f} s CPU  "
              f"{r['outcome']} at {r['reached']:.4f} of the loaded frame ({r['axial_N']:.2f} N axial)", flush=True)
    ratio = runs[False]["iterations"] / max(runs[True]["iterations"], 1)
    print(f"iterations before / after: {ratio:.2f}x, CPU {runs[False]['cpu_s'] / max(runs[True]['cpu_s'], 1e-9):.2f}x")
    same = runs[False]["outcome"] == runs[True]["outcome"] and abs(runs[False]["reached"] - runs[True]["reached"]) <= 1 / 64
    return 0 if same or not np.isfinite(runs[False]["reached"]) else 1


if __name__ == "__main__":
    sys.exit(main())
