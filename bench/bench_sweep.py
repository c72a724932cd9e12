"""The README's main job end to end, phase by phase: where the time of the fill sweep goes.

Runs `spacer-sim run experiments/fill_sweep.toml --jobs 2 --force` in this process (read, cases on a
process pool, result files, plots) and prints, summed over the cases, the time of each phase (mesh,
assemble, factorize, solve, post, write; then the run's result files and plots), the wall time of the
whole run, and the ratio of the whole run's work to its irreducible part (mesh + assemble + factorize:
what any solver of these cases must do). Targets: wall < 60 s on 2 cores, work ratio <= 1.4.

With --reference DIR (the results folder of an earlier run, e.g. of the previous version on the same
experiment) it also checks that summary.csv and frames.csv agree to 1e-9 relative, column by column
(exit 1 otherwise). The CSVs carry 10 significant digits, so two runs that differ by round-off may differ
by one unit in the 10th digit: at most 1e-9 relative.

Run:  python bench/bench_sweep.py [--experiment FILE] [--jobs 2] [--repeat 1] [--reference DIR]
The machine's load changes wall times a lot: repeat, read the minimum, and note the load average printed.
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.experiment.config import read_experiment  # noqa: E402
from sim.experiment.runner import run_experiment  # noqa: E402
from sim.plots.experiment import plot_results  # noqa: E402

CASE_PHASES = ("mesh", "assemble", "factorize", "solve", "post", "write")
IRREDUCIBLE = ("mesh", "assemble", "factorize")
RTOL = 1e-9


def run_once(experiment: Path, out: Path, jobs: int) -> dict:
    """One full run (as the CLI does it); phases in s, summed over the cases, plus the run's own parts."""
    start = time.perf_counter()
    exp = read_experiment(experiment)
    read_s = time.perf_counter() - start
    report = run_experiment(exp, out, jobs=jobs, force=True)
    t_plot = time.perf_counter()
    plot_results(out)
    plot_s = time.perf_counter() - t_plot
    wall = time.perf_counter() - start
    cases = json.loads((out / "manifest.json").read_text())["cases"]
    phases = {p: sum(c["timings_s"].get(p, 0.0) for c in cases) for p in CASE_PHASES}
    phases["read"] = read_s
    phases["results"] = report["results_s"]
    phases["plot"] = plot_s
    return {"phases": phases, "wall": wall, "n_cases": len(cases)}


def compare(reference: Path, out: Path) -> list[tuple[float, str]]:
    """(largest relative difference, 'file: column (case)') of every numeric column of summary.csv and
    frames.csv, worst first; relative to the larger of the two values, with a floor of 1e-9 x the column's
    largest magnitude (values at round-off zero). Text columns, rows and columns must match exactly."""
    found = []
    for name in ("summary.csv", "frames.csv"):
        a, b = _rows(reference / name), _rows(out / name)
        if len(a) != len(b) or (a and list(a[0]) != list(b[0])):
            found.append((float("inf"), f"{name}: different rows or columns ({len(a)} vs {len(b)} rows)"))
            continue
        for key in a[0] if a else []:
            x, y = [r[key] for r in a], [r[key] for r in b]
            if not all(isinstance(v, float) for v in x + y):
                found.append((0.0 if x == y else float("inf"), f"{name}: {key}"))
                continue
            x, y = np.array(x), np.array(y)
            both = np.isfinite(x) & np.isfinite(y)
            if (np.isnan(x) != np.isnan(y)).any() or (x[~both & ~np.isnan(x)] != y[~both & ~np.isnan(x)]).any():
                found.append((float("inf"), f"{name}: {key} (nan or inf in one run only)"))
                continue
            if not both.any():
                continue
            x, y = x[both], y[both]
            scale = np.abs(np.r_[x, y]).max()
            rel = np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-9 * scale + 1e-300)
            i = int(np.argmax(rel))
            case = np.array([r.get("case") for r in a])[both][i]
            found.append((float(rel[i]), f"{name}: {key} ({case}: {x[i]:.10g} vs {y[i]:.10g})"))
    return sorted(found, reverse=True)


def _rows(path: Path) -> list[dict]:
    def number(v):
        try:
            return float(v) if v != "" else float("nan")
        except ValueError:
            return v
    with open(path, newline="") as fh:
        return [{k: number(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiment", default=str(ROOT / "experiments" / "fill_sweep.toml"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs; the best (smallest wall time) is reported")
    ap.add_argument("--out", help="results folder (default: a temporary one)")
    ap.add_argument("--reference", help="results folder of an earlier run to compare summary/frames with")
    ap.add_argument("--rtol", type=float, default=RTOL, help="largest relative difference allowed (default 1e-9)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        out = Path(args.out or tmp)
        runs = []
        for i in range(args.repeat):
            runs.append(run_once(Path(args.experiment), out, args.jobs))
            print(f"run {i + 1}: {runs[-1]['wall']:.1f} s wall", flush=True)
        best = min(runs, key=lambda r: r["wall"])
        phases = best["phases"]
        work = sum(phases.values())
        irreducible = sum(phases[p] for p in IRREDUCIBLE)
        walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
        print(f"\n{args.experiment}: {best['n_cases']} cases, --jobs {args.jobs}, best of {args.repeat}"
              f" (walls: {walls} s)")
        print(f"{'phase':<12}{'s (summed over cases)':>24}")
        for p, t in phases.items():
            print(f"{p:<12}{t:>24.2f}")
        print(f"{'work':<12}{work:>24.2f}")
        print(f"wall time of the whole run: {best['wall']:.1f} s (target < 60 s on 2 cores)")
        print(f"whole run / irreducible (mesh + assemble + factorize): {work:.1f} / {irreducible:.1f} s"
              f" = {work / irreducible:.2f} (target <= 1.4)")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores; other jobs slow the timings)")
        if args.reference:
            found = compare(Path(args.reference), out)
            worst = found[0][0] if found else 0.0
            print(f"\nsummary.csv and frames.csv vs {args.reference}: largest relative difference {worst:.1e}"
                  f" ({'within' if worst <= args.rtol else 'ABOVE'} {args.rtol:g}); worst columns:")
            for rel, where in found[:12]:
                print(f"  {rel:9.1e}  {where}")
            if worst > args.rtol:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
