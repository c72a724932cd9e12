"""Experiment outputs: summary.csv (one row per case), frames.csv (one row per case and gait frame) and
manifest.json (resolved configs, their hashes, package versions, timings). Each file is written atomically."""

import json
import platform
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata

from ..atomic import write_text
from ..table import csv_text
from .config import Experiment

PACKAGES = ("spacer-sim", "numpy", "scipy", "meshio", "gmsh", "matplotlib", "pypardiso", "pyamg", "dask")


def package_versions() -> dict:
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_results(exp: Experiment, out_dir, records: list[dict], run_info: dict) -> None:
    write_text(out_dir / "summary.csv", csv_text([r["summary"] for r in records]))
    write_text(out_dir / "frames.csv", csv_text([row for r in records for row in r["frames"]]))
    manifest = {
        "experiment": exp.name, "description": exp.description, "file": str(exp.path),
        "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": exp.doc, "sweep_keys": exp.sweep_keys, "run": run_info, "versions": package_versions(),
        "cases": [{"name": c.name, "hash": c.config_hash, "reference": c.is_reference, "swept": c.swept,
                   "inputs": [{"path": p, "sha256": h} for p, h in c.inputs],
                   "resolved": asdict(c.resolve()), "timings_s": r["timings_s"]}
                  for c, r in zip(exp.cases, records)],
    }
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=1, default=str))
