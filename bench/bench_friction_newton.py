"""Newton's residual history with Coulomb friction in the sliding-contact item, on two cases:

  forefoot  one case of a forefoot experiment (default: the intact foot of experiments/forefoot_first_ray.toml,
            finite kinematics, 8 mm tet4, the push-off peak, the sole on a rigid ground plane with mu)
  stemmed   the stemmed spacer at 50 % of experiments/pseudo_joint_sliding.toml (tet4 4 mm, finite, mortar
            Coulomb mu 0.4 at the cement-bone interfaces): the unloaded gait frame and the first loaded one

For every Newton increment: the load factors, the residual norm |R_free| (N) of each iteration and how it
ended (converged, or the reason it was cut back), so that the rate (linear or quadratic) can be read off;
then the iterations per increment, the cut-backs and the CPU time.

Run:  nice -n 5 python bench/bench_friction_newton.py forefoot [--case intact] [--experiment FILE]
      nice -n 5 python bench/bench_friction_newton.py stemmed [--frames 2] [--max-cutbacks 0]
"""

import argparse
import copy
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sim.solve.newton as newton  # noqa: E402
from sim.contact.surface_item import SurfaceContact  # noqa: E402

LAST_U = [None]  # the displacement (3 n,) of Newton's last evaluation
LAST_STATUS = {}  # contact name -> node status at its last evaluation (with --flips)
HISTORY = []  # per Newton call: [lam0, lam, [|R_free| per iteration], outcome, [line-search step per iteration]]


def _record(flips: bool, save: str | None, full_steps: bool):
    """Wrap the solver's increment and step so that each iteration's residual norm is kept."""
    residual_tangent = SurfaceContact.residual_tangent
    assemble_items = newton.assemble_items
    newton_increment, newton_step, line_search = newton._newton, newton._newton_step, newton._line_search

    def increment(items, f0, f_ext, bc, u, u_start_c, lam0, lam, free, linear, opt):
        HISTORY.append([lam0, lam, [], "converged", [], []])
        try:
            out = newton_increment(items, f0, f_ext, bc, u, u_start_c, lam0, lam, free, linear, opt)
        except newton._Increment as failed:
            HISTORY[-1][3] = failed.reason.split(":")[0]
            if save:
                np.save(save, LAST_U[0])
            raise
        HISTORY[-1][2].append(out[3][-1])
        return out

    def step(K, R, bc, du_c, linear):
        free = np.ones(len(R), bool)
        free[bc.dofs] = False
        HISTORY[-1][2].append(float(np.linalg.norm(R[free])))
        return newton_step(K, R, bc, du_c, linear)

    def tangent(self, u_mm):  # how many of each contact item's nodes changed status since its last evaluation
        status = self.state(u_mm).status
        before = LAST_STATUS.get(self.name)
        LAST_STATUS[self.name] = status
        if HISTORY and before is not None and len(before) == len(status):
            HISTORY[-1][5].append(
                f"{self.name}: closed {((before == 0) & (status > 0)).sum()} opened {((before > 0) & (status == 0)).sum()} "
                f"stuck {((before == 2) & (status == 1)).sum()} slipped {((before == 1) & (status == 2)).sum()} "
                f"(now {(status == 1).sum()} stick, {(status == 2).sum()} slip)")
        return residual_tangent(self, u_mm)

    def assemble(items, u_mm):  # the last state Newton evaluated (saved with --save when an increment fails)
        LAST_U[0] = u_mm
        return assemble_items(items, u_mm)

    def search(items, u, du, f, g0, opt):
        out = line_search(items, u, du, f, 0.0 if full_steps else g0, opt)  # slope 0: the full step
        HISTORY[-1][4].append(out[0])
        return out

    newton._newton, newton._newton_step, newton._line_search = increment, step, search
    newton.assemble_items = assemble
    if flips:
        SurfaceContact.residual_tangent = tangent


def forefoot(args) -> None:
    from sim.experiment.config import read_experiment
    from sim.forefoot.mesh import build_forefoot_mesh
    from sim.forefoot.solve import solve_forefoot

    case = next(c for c in read_experiment(args.experiment).cases if c.name == args.case)
    cfg = replace(case, resolved=()).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        fm = build_forefoot_mesh(cfg, tmp)
    print(f"forefoot case {case.name}: {cfg.kinematics}, {cfg.mesh.size_mm:g} mm, {fm.mesh.n_cells} cells, "
          f"{cfg.force_N:.1f} N, ground mu {cfg.mu:g}", flush=True)
    solve_forefoot(cfg, fm)


def stemmed_model(shape: str, fill: float, max_cutbacks: int):
    """The FiniteSliding problem of experiments/pseudo_joint_sliding.toml's spacer of that shape and fill
    (without its sweep and probe) as a case builds it (sim.experiment.case.case_model), its LoadBasis and
    gait load."""
    from sim.experiment.case import case_model
    from sim.experiment.config import gait_load, resolve
    from sim.textio import read_toml

    path = ROOT / "experiments" / "pseudo_joint_sliding.toml"
    doc = copy.deepcopy(read_toml(path, "experiment file"))
    for table in ("sweep", "experiment", "pseudo_joint"):
        doc.pop(table, None)
    doc["geometry"]["spacer"].update(shape=shape, fill_fraction=fill)
    cfg = resolve(doc, "bench", path.parent, "")
    model = case_model(cfg)
    problem = model.problem
    problem.options = replace(problem.options, max_cutbacks=max_cutbacks)
    return problem, model.loads, gait_load(cfg.loads, cfg.geometry.ray)


def stemmed(args) -> None:
    problem, loads, gait = stemmed_model(args.shape, args.fill, args.max_cutbacks)
    k = args.frames
    print(f"{args.shape} {100 * args.fill:g} %: {problem.mesh.n_cells} cells, {problem.n_dofs} DOFs, interfaces "
          f"{', '.join(f'{s.name} ({s.kind}, mu {s.mu:g})' for s in problem.specs)}; frames 1-{k}: force N "
          f"{np.round(gait.force_N[:k], 1).tolist()}, moment N mm {np.round(gait.moment_Nmm[:k], 0).tolist()}",
          flush=True)
    result, limit = problem.follow(loads.vectors(gait.force_N[:k], gait.moment_Nmm[:k]))
    print(f"iterations per frame {result.iterations.tolist()}" + (f"; ended: {limit.reason}" if limit else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="which", required=True)
    f = sub.add_parser("forefoot")
    f.add_argument("--experiment", default=str(ROOT / "experiments" / "forefoot_first_ray.toml"))
    f.add_argument("--case", default="intact")
    s = sub.add_parser("stemmed")
    s.add_argument("--frames", type=int, default=2, help="gait frames solved in turn from the first")
    s.add_argument("--shape", default="stemmed")
    s.add_argument("--fill", type=float, default=0.5)
    s.add_argument("--max-cutbacks", type=int, default=6, help="halvings of a failing increment (the solver's 6)")
    parser.add_argument("--flips", action="store_true", help="count the contact nodes changing status (open, "
                        "stick, slip) from one evaluation of the residual to the next")
    parser.add_argument("--full-steps", action="store_true", help="Newton without its line search (every step "
                        "taken whole), to see what the line search does")
    parser.add_argument("--save", help="file (.npy) to keep the displacement of the last evaluation of a failing "
                        "increment in, for a closer look")
    args = parser.parse_args(argv)
    _record(args.flips, args.save, args.full_steps)
    cpu0, t0 = time.process_time(), time.perf_counter()
    try:
        (forefoot if args.which == "forefoot" else stemmed)(args)
    except Exception as exc:  # a failed solve is a result here: print it after the history
        print(f"stopped: {str(exc).splitlines()[0][:300]}")
    for lam0, lam, norms, outcome, steps, flips in HISTORY:
        print(f"increment {lam0:.4g} -> {lam:.4g}: {len(norms) - 1} iterations, {outcome}; |R| N: "
              + " ".join(f"{r:.2e}" for r in norms), flush=True)
        if any(s < 1 for s in steps):
            print("    line-search steps: " + " ".join(f"{s:.2g}" for s in steps))
        for line in flips:  # one per evaluation of the residual (iterations and line-search trials)
            print("    " + line)
    good = [len(h[2]) - 1 for h in HISTORY if h[3] == "converged"]
    bad = [len(h[2]) - 1 for h in HISTORY if h[3] != "converged"]
    print(f"converged increments {len(good)} ({sum(good)} iterations), failed {len(bad)} ({sum(bad)} iterations); "
          f"CPU {time.process_time() - cpu0:.0f} s, wall {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
