"""What the number of gait frames costs a linear case: the same case with 21 and with 201 frames.

A bonded case answers every frame by superposing six unit-load solutions (sim/experiment/response.py), so
201 frames should cost little more than 21: target < 1.2x for the whole case (mesh to field file). The
case is one of the fill sweep's (default c05, 50 % fill; tet10, 3 mm), run in this process, each frame
count --repeat times; the best (smallest) total of each is compared, and the phases are printed (run_case's
timings_s: wall time, and CPU time of the same run). On a shared machine wall times swing with the load, so
the CPU time of the process (all its threads) is compared too: it is what the case costs, whatever else runs.

Run:  python bench/bench_frames.py [--case c05_fill_fraction-0.5] [--repeat 3] [--frames 21 201]
"""

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.experiment import reuse  # noqa: E402
from sim.experiment.case import run_case  # noqa: E402
from sim.experiment.config import read_experiment  # noqa: E402
from sim.experiment.sweep import set_path  # noqa: E402

PHASES = ("mesh", "assemble", "factorize", "solve", "post", "write")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiment", default=str(ROOT / "experiments" / "fill_sweep.toml"))
    ap.add_argument("--case", default="c05_fill_fraction-0.5")
    ap.add_argument("--frames", type=int, nargs=2, default=(21, 201))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    exp = read_experiment(args.experiment)
    base = next(c for c in exp.cases if c.name == args.case)
    best, best_cpu = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-frames-") as out:
        for _ in range(args.repeat):
            for n in args.frames:
                case = replace(base, doc=set_path(base.doc, "loads.n_frames", n))
                reuse.clear()  # no mesh or factorization kept from the run before
                record = run_case(case, out)
                cpu = record["timings_s"]["cpu_s"]["total"]
                assert len(record["frames"]) == n
                if n not in best or record["timings_s"]["total"] < best[n]["total"]:
                    best[n] = record["timings_s"]
                best_cpu[n] = min(best_cpu.get(n, cpu), cpu)
                print(f"{n:4d} frames: {record['timings_s']['total']:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    few, many = args.frames
    print(f"\ncase {args.case} ({exp.name}), best of {args.repeat}; phases in s:")
    print(f"{'frames':>8}" + "".join(f"{p:>11}" for p in PHASES) + f"{'total':>11}")
    for n in args.frames:
        print(f"{n:>8}" + "".join(f"{best[n].get(p, 0.0):>11.2f}" for p in PHASES) + f"{best[n]['total']:>11.2f}")
    print("CPU time of the same runs, s:")
    for n in args.frames:
        cpu = best[n]["cpu_s"]
        print(f"{n:>8}" + "".join(f"{cpu.get(p, 0.0):>11.2f}" for p in PHASES) + f"{cpu['total']:>11.2f}")
    print(f"{many} / {few} frames, CPU time of the whole case: {best_cpu[many]:.2f} / {best_cpu[few]:.2f} s"
          f" = {best_cpu[many] / best_cpu[few]:.2f} (target < 1.2)")
    frame_work = {n: sum(best[n][p] for p in ("solve", "post", "write")) for n in args.frames}
    print(f"{many} / {few} frames, whole case: {best[many]['total']:.2f} / {best[few]['total']:.2f} s"
          f" = {best[many]['total'] / best[few]['total']:.2f} (target < 1.2)")
    print(f"{many} / {few} frames, solve + post + write only: {frame_work[many]:.2f} / {frame_work[few]:.2f} s"
          f" = {frame_work[many] / frame_work[few]:.2f}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores; other jobs slow the timings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
