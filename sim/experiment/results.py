"""Experiment outputs: summary.csv (one row per case), frames.csv (one row per case and gait frame) and
manifest.json (resolved configs, their hashes, package versions, timings); with an [uncertainty] table
also samples.csv, uncertainty.csv and sensitivity.csv (sim/experiment/uncertainty_results.py), the samples
staying out of summary.csv and frames.csv. Each file is written atomically."""

import json
import platform
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata

from ..atomic import write_text
from ..table import csv_text
from .config import Experiment
from .uncertainty_results import write_uncertainty

PACKAGES = ("spacer-sim", "numpy", "scipy", "meshio", "gmsh", "matplotlib", "pypardiso", "pyamg", "dask", "SALib")


def package_versions() -> dict:
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_results(exp: Experiment, out_dir, records: list[dict], run_info: dict) -> None:
    if exp.study is not None:
        write_uncertainty(exp, out_dir, records)
    pairs = [(c, r) for c, r in zip(exp.cases, records) if c.sample_of is None]
    write_text(out_dir / "summary.csv", csv_text([r["summary"] for _, r in pairs]))
    write_text(out_dir / "frames.csv", csv_text([row for _, r in pairs for row in r["frames"]]))
    manifest = {
        "experiment": exp.name, "description": exp.description, "file": str(exp.path),
        "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": exp.doc, "sweep_keys": exp.sweep_keys, "run": run_info, "versions": package_versions(),
        "cases": [{"name": c.name, "hash": c.config_hash, "reference": c.is_reference, "swept": c.swept,
                   "inputs": [{"path": p, "sha256": h} for p, h in c.inputs],
                   "resolved": asdict(c.resolve()), "timings_s": r["timings_s"]}
                  for c, r in pairs],
    }
    if exp.study is not None:  # samples: their values are in samples.csv, their configs the nominal's + those
        manifest["uncertainty"] = {**asdict(exp.study), "n_runs_per_case": exp.study.n_runs,
                                   "samples": {c.name: c.config_hash for c in exp.cases if c.sample_of}}
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=1, default=str))
