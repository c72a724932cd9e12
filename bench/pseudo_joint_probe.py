"""The pseudo-joint probe alone, case by case, of an experiment file: what the README's sliding-contact
moment-rotation table comes from when the whole experiment (gait frames, stiffness probes, probe) is too
costly for the machine at hand.

For each case (or those named with --cases) the model is built as `spacer-sim run` builds it
(sim.experiment.case.case_model), the physiological moment is the largest medio-lateral moment of the
case's gait frames about the stump face (no gait solve needed), and the probe runs as in a case
(sim.experiment.interfaces.pseudo_joint: under finite strain rotation-controlled). Writes to --out one
cases/<case>.json per case (the probe's summary, its curves, the probe's CPU time) as it finishes (a case
already written is skipped: a stopped run resumes), then probe.csv and moment_rotation.png
(sim.plots.experiment's moment-rotation plot) over the cases written.

    python bench/pseudo_joint_probe.py experiments/pseudo_joint_sliding.toml --out probe_out [--cases c01 c04] (in that order)
"""

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.atomic import atomic_path  # noqa: E402
from sim.experiment.case import case_model  # noqa: E402
from sim.experiment.config import gait_load, read_experiment  # noqa: E402
from sim.experiment.interfaces import physiological_moment_Nmm, pseudo_joint, stump_centroid_mm  # noqa: E402
from sim.plots.experiment import _moment_rotation  # noqa: E402


def probe_case(case) -> dict:
    cfg = case.resolve()
    model = case_model(cfg)
    problem, loads, respond = model.problem, model.loads, model.respond
    gait = gait_load(cfg.loads, cfg.geometry.ray)
    pivot = stump_centroid_mm(problem.mesh)
    physiological = physiological_moment_Nmm(gait.force_N, gait.moment_Nmm, loads.point_mm, pivot)
    peak = int(np.argmax(np.linalg.norm(gait.force_N, axis=1)))
    preload = cfg.pseudo_joint.preload_N
    preload = abs(gait.force_N[peak, 0]) if preload is None else preload
    start = time.process_time()
    out = pseudo_joint(problem.mesh, respond, preload, cfg.pseudo_joint, cfg.kinematics == "finite", physiological)
    curve = out.pop("moment_rotation")
    row = {"case": case.name, **case.swept, "fill_fraction": model.built.fill_fraction, "n_dofs": problem.n_dofs,
           "probe_cpu_s": time.process_time() - start, **out}
    return {"summary": row, "moment_rotation": curve}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("experiment")
    parser.add_argument("--out", required=True)
    parser.add_argument("--cases", nargs="*")
    args = parser.parse_args()
    out = Path(args.out)
    (out / "cases").mkdir(parents=True, exist_ok=True)
    cases = [c for c in read_experiment(args.experiment).cases if not c.is_reference]
    by_name = {c.name: c for c in cases}
    for name in args.cases or list(by_name):  # in the order given
        case = by_name[next(n for n in by_name if n == name or n.startswith(name + "_"))]
        path = out / "cases" / f"{case.name}.json"
        if path.exists():
            continue
        record = probe_case(case)
        with atomic_path(path) as tmp:
            Path(tmp).write_text(json.dumps(record, default=float))
        print(case.name, case.swept, f"{record['summary']['probe_cpu_s']:.0f} s CPU", flush=True)
    rows = [json.loads(p.read_text())["summary"] for p in sorted((out / "cases").glob("*.json"))
            if not p.name.startswith(".")]
    if rows:
        keys = list(dict.fromkeys(k for r in rows for k in r))
        with atomic_path(out / "probe.csv") as tmp, open(tmp, "w", newline="") as fh:
            writer = csv.DictWriter(fh, keys)
            writer.writeheader()
            writer.writerows(rows)
        _moment_rotation(out, rows, out / "moment_rotation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
