"""Cost of a gait cycle with sliding contact, side by side with the same frames bonded.

The 50 % bead of experiments/pseudo_joint_sliding.toml (tet4 4 mm, finite kinematics, mortar contact with
Coulomb mu 0.4 at every cement-bone interface) follows the walking-stance curve with `[loads] n_frames`
set to --frames (default 100) and its scale to --scale (default 0.05: a peak axial force of 6.87 N). At the
experiment's own scale (0.6, 82 N) the segment folds at a limit point at 8.4-8.6 N of axial force in its
first loaded frame (README, "Sliding contact between separately meshed bodies"); the cycle is timed below
that. The same frames, mesh and load run with the cement-bone interfaces bonded, under small strain (the
superposed linear path: six unit loads on one factorization) and under finite kinematics (Newton, no
contact). Each variant is built and solved by the experiment machinery (sim.experiment.case.mesh_case and
case_model, its response to the gait frames, metrics.frame_table) in a fresh child process, one after the
other, so that each has its own peak RSS and CPU time (the process's, all threads: on a shared machine it is
what the variant costs, whatever else runs), timed by run_case's clock (sim.clock.Clock). Not by run_case
itself: its solve phase also holds the stiffness and pseudo-joint probes, and counting Newton's evaluations
needs the model before it is solved. Printed per variant: frames converged (and where the path ended, if it
did), Newton iterations per loaded frame (sliding: per frame, converged increments; every finite variant:
body evaluations, line searches and failed increments included), wall and CPU time of the mesh, the model
set-up, the frames and their metrics, per loaded frame, peak RSS, the load average; then the ratios
sliding / bonded.

    python bench/bench_gait_cycle_sliding.py [--frames 100] [--scale 0.05] [--shape bead] [--fill 0.5]
                                             [--variants sliding bonded-small bonded-finite]
"""

import argparse
import multiprocessing
import os
import platform
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.clock import Clock  # noqa: E402
from sim.experiment.case import case_model, mesh_case  # noqa: E402
from sim.experiment.config import gait_load, read_experiment  # noqa: E402
from sim.experiment.metrics import Regions, frame_table  # noqa: E402
from sim.experiment.sweep import delete_path, set_path  # noqa: E402

EXPERIMENT = ROOT / "experiments" / "pseudo_joint_sliding.toml"
VARIANTS = {"sliding": None, "bonded-small": "small", "bonded-finite": "finite"}  # bonded: kinematics


class CountingItem:
    """A Newton item that counts its residual evaluations (one per Newton iteration and line-search step,
    failed increments included) and otherwise is the item it wraps."""

    def __init__(self, item):
        self.item, self.calls = item, 0

    def residual_tangent(self, u_mm):
        self.calls += 1
        return self.item.residual_tangent(u_mm)

    def __getattr__(self, name):
        return getattr(self.item, name)


def case_doc(shape: str, fill: float, frames: int, scale: float, variant: str) -> tuple:
    """The experiment's case of that shape and fill with n_frames and scale set; bonded variants without
    [interfaces] (every interface bonded, shared nodes) and with their kinematics. Returns (case, doc)."""
    exp = read_experiment(EXPERIMENT)
    case = next(c for c in exp.cases
                if c.swept == {"geometry.spacer.shape": shape, "geometry.spacer.fill_fraction": fill})
    doc = set_path(set_path(case.doc, "loads.n_frames", frames), "loads.scale", scale)
    if VARIANTS[variant]:
        doc = set_path(delete_path(doc, "interfaces"), "analysis.kinematics", VARIANTS[variant])
    return case, doc


def run_variant(shape: str, fill: float, frames: int, scale: float, variant: str) -> dict:
    """One variant, timed phase by phase (wall and process CPU time, s); run in a child process."""
    load_before = os.getloadavg()[0]
    case, doc = case_doc(shape, fill, frames, scale, variant)
    cfg = replace(case, doc=doc).resolve()
    clock = Clock()
    built = mesh_case(cfg)
    clock.lap("mesh")
    model = case_model(cfg, built)
    problem = model.problem
    counter = None
    if hasattr(problem, "body"):  # finite kinematics: count the body's evaluations
        counter = CountingItem(problem.body)
        problem.body = counter
        problem.items = [counter if item is counter.item else item for item in problem.items]
    gait = gait_load(cfg.loads, cfg.geometry.ray)
    clock.lap("set-up")
    response = model.respond(gait.force_N, gait.moment_Nmm)
    clock.lap("frames")
    regions = Regions(problem, 0.5 * cfg.geometry.metatarsal.length_mm)
    frame_table(regions, model.cards.get("cement"), response, frames, cfg.outputs.percentile)
    clock.lap("metrics")

    loaded = np.flatnonzero(np.linalg.norm(gait.force_N, axis=1) > 0)
    reached = np.isfinite(response.u_mm).all(axis=0)
    per_frame = getattr(response.contact, "iterations", None)
    return {"variant": variant, "n_dofs": problem.n_dofs, "n_cells": problem.mesh.n_cells, "times": clock.phases(),
            "frames": frames, "reached": int(reached.sum()), "loaded": len(loaded),
            "loaded_reached": int(reached[loaded].sum()),
            "limit": None if response.limit is None else response.limit.reason,
            "iterations": None if per_frame is None else [int(per_frame[k]) for k in loaded if reached[k]],
            "evaluations": None if counter is None else counter.calls,
            "peak_axial_N": float(np.abs(gait.force_N[:, 0]).max()),
            "peak_rss_MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "load": (load_before, os.getloadavg()[0])}


def report(r: dict) -> None:
    wall = {p: w for p, w in r["times"].items() if p not in ("total", "cpu_s")}
    cpu = r["times"]["cpu_s"]
    n = max(r["loaded_reached"], 1)
    cycle = ("set-up", "frames", "metrics")
    print(f"\n{r['variant']}: {r['reached']} of {r['frames']} frames converged ({r['loaded_reached']} of "
          f"{r['loaded']} loaded), {r['n_cells']} cells, {r['n_dofs']} DOFs, peak axial {r['peak_axial_N']:.2f} N")
    if r["limit"]:
        print(f"  path ended: {r['limit']}")
    if r["iterations"]:
        it = np.array(r["iterations"])
        print(f"  Newton iterations per loaded frame (converged increments): mean {it.mean():.1f}, max {it.max()},"
              f" min {it.min()}, total {it.sum()}")
    if r["evaluations"] is not None:
        print(f"  body evaluations (iterations + line search + failed increments): {r['evaluations']},"
              f" {r['evaluations'] / n:.1f} per loaded frame")
    print(f"  {'phase':<10}{'wall s':>10}{'CPU s':>10}")
    for p in wall:
        print(f"  {p:<10}{wall[p]:>10.1f}{cpu[p]:>10.1f}")
    print(f"  {'cycle':<10}{sum(wall[p] for p in cycle):>10.1f}{sum(cpu[p] for p in cycle):>10.1f}"
          f"   (set-up + frames + metrics; per loaded frame {sum(wall[p] for p in cycle) / n:.2f} s wall, "
          f"{sum(cpu[p] for p in cycle) / n:.2f} s CPU)")
    print(f"  peak RSS {r['peak_rss_MB']:.0f} MB; load average {r['load'][0]:.2f} at the start, "
          f"{r['load'][1]:.2f} at the end", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=100)
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--shape", default="bead")
    ap.add_argument("--fill", type=float, default=0.5)
    ap.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    args = ap.parse_args()
    print(f"# {date.today()}, {platform.machine()}, {os.cpu_count()} cores; {args.shape} {args.fill:.0%} of "
          f"{EXPERIMENT.name}, {args.frames} frames of walking_stance at scale {args.scale}", flush=True)
    results = {}
    context = multiprocessing.get_context("spawn")
    for variant in args.variants:  # one child at a time: its own peak RSS and CPU time
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            results[variant] = pool.submit(run_variant, args.shape, args.fill, args.frames, args.scale,
                                           variant).result()
        report(results[variant])
    if "sliding" in results:
        s = results["sliding"]["times"]
        print()
        for other in ("bonded-small", "bonded-finite"):
            if other in results:
                o = results[other]["times"]
                for phases in (("frames",), ("set-up", "frames", "metrics")):
                    w = sum(s[p] for p in phases) / max(sum(o[p] for p in phases), 1e-9)
                    c = sum(s["cpu_s"][p] for p in phases) / max(sum(o["cpu_s"][p] for p in phases), 1e-9)
                    print(f"sliding / {other}, {' + '.join(phases)}: {w:.1f}x wall, {c:.1f}x CPU")
    return 0 if all(r["reached"] == r["frames"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
