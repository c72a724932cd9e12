"""Run an experiment: map the pure case function over an executor, keep each finished case on disk,
skip cases already done (same config hash), then write summary.csv, frames.csv and manifest.json.

Executors: "process" (a local process pool, --jobs workers) or "dask" (a dask.distributed cluster;
pass its scheduler address, or none for a local cluster).
"""

import json
import os
import time
from concurrent.futures import as_completed
from pathlib import Path

from .. import limits
from ..atomic import write_text
from ..errors import InputError
from ..model.series import series_paths
from ..names import check_name
from .case import run_case
from .config import Case, Experiment, field_mode, gait_load
from .inputs import changed_inputs
from .progress import Progress
from .results import write_results
from .limit_points import limit_note
from .validity import outside_note, sharp_edge_note
from .workers import process_pool

EXECUTORS = ("process", "dask")
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def case_file(out_dir: Path, case: Case) -> Path:
    """cases/<name>.json; the name is plain (sim/names.py), so the file is inside out_dir."""
    return out_dir / "cases" / f"{check_name(case.name, 'case name')}.json"


def read_record(out_dir: Path, case: Case) -> dict | None:
    """The finished record of `case`, or None when it is missing, unreadable, malformed (e.g. a file
    truncated or overwritten by hand) or was computed from another config or other input files."""
    try:
        record = json.loads(case_file(out_dir, case).read_bytes())
    except (OSError, ValueError):
        return None
    ok = (isinstance(record, dict) and record.get("hash") == case.config_hash
          and isinstance(record.get("summary"), dict) and isinstance(record.get("frames"), list)
          and isinstance(record.get("timings_s"), dict))
    return record if ok else None


def is_done(out_dir: Path, case: Case) -> bool:
    """A case is done when its record is readable with the same config hash (and its field files, if any)."""
    mode = field_mode(case.doc.get("outputs", {}).get("fields", True), "outputs.fields")
    files = [] if mode == "none" else [out_dir / "fields" / f"{case.name}.vtu"]
    if mode == "all_frames":
        files.append(series_paths(out_dir / "fields", case.name)[0])
    return read_record(out_dir, case) is not None and all(f.is_file() for f in files)


def compute_and_store(case: Case, out_dir: str) -> dict:
    """Run one case and write its record atomically; returns the record. Runs in a worker. A file the
    case reads that changed since the experiment was read stops the case (its hash would be wrong)."""
    try:
        record = {"name": case.name, "hash": case.config_hash, **run_case(case, out_dir)}
        changed = changed_inputs(case.inputs)
        if changed:
            raise InputError(f"{', '.join(changed)} changed during the run; run again")
    except InputError as exc:
        raise InputError(f"case {case.name}: {exc}") from None
    write_text(case_file(Path(out_dir), case), json.dumps(record, default=float, indent=1))
    return record


def compute_batch(cases: list[Case], out_dir: str) -> list[dict]:
    """Run cases one after the other in one worker (a batch shares meshes and factorizations, see
    sim/experiment/reuse.py); each is stored as soon as it is done."""
    return [compute_and_store(case, out_dir) for case in cases]


def batches(cases: list[Case]) -> list[list[Case]]:
    """Consecutive cases with the same non-empty `batch` tag together, every other case alone."""
    out = []
    for case in cases:
        if out and case.batch and out[-1][-1].batch == case.batch:
            out[-1].append(case)
        else:
            out.append([case])
    return out


def run_experiment(exp: Experiment, out_dir, jobs: int = 1, force: bool = False, executor: str = "process",
                   scheduler: str | None = None) -> dict:
    """Run every case not yet done; return {'computed': [...], 'skipped': [...], 'wall_s': ..., 'results_s': ...,
    'notes': [...]} (wall_s: up to the result files, results_s: writing them; notes: one line per small-strain
    case outside the range of small-strain theory, sim/experiment/validity.py)."""
    out_dir = Path(out_dir)
    start = time.perf_counter()
    todo = [c for c in exp.cases if force or not is_done(out_dir, c)]
    todo_names = {c.name for c in todo}
    skipped = [c.name for c in exp.cases if c.name not in todo_names]
    frames_per_case = _frames_per_case(exp)
    progress = Progress(len(exp.cases), frames_per_case * len(exp.cases), len(skipped))
    progress.frames = frames_per_case * len(skipped)
    try:
        for records in _map(batches(todo), str(out_dir), jobs, executor, scheduler):
            for record in records:
                progress.update(len(record["frames"]), record["name"])
    finally:
        progress.close()
    records = [read_record(out_dir, c) for c in exp.cases]
    broken = [str(case_file(out_dir, c)) for c, r in zip(exp.cases, records) if r is None]
    if broken:
        raise InputError(f"{broken[0]}: missing, unreadable or from another config after the run "
                         f"(another process wrote to {out_dir}?); run again to recompute it")
    wall = time.perf_counter() - start
    write_results(exp, out_dir, records, {"wall_s": wall, "jobs": jobs, "executor": executor,
                                          "computed": [c.name for c in todo], "skipped": skipped})
    notes = [note(c.name, r["summary"]) for c, r in zip(exp.cases, records)
             for note in (outside_note, limit_note, sharp_edge_note)]
    return {"computed": [c.name for c in todo], "skipped": skipped, "wall_s": wall,
            "results_s": time.perf_counter() - start - wall, "notes": [n for n in notes if n]}


def check_experiment_size(exp: Experiment, jobs: int, ignore: bool = False) -> None:
    """Refuse, before any work, an experiment whose cases cannot fit this machine (sim/limits.py)."""
    estimates = []
    for case in exp.cases:
        cfg = case.resolve()
        if not hasattr(cfg, "loads"):  # a forefoot case
            from ..forefoot.mesh import size_estimate

            estimates.append(size_estimate(cfg))
            continue
        frames = len(gait_load(cfg.loads, cfg.geometry.ray).stance_percent)
        estimates.append(limits.estimate(cfg.geometry, cfg.mesh.size_mm, cfg.mesh.order, frames))
    limits.check(estimates, jobs, str(exp.path), ignore)


def _frames_per_case(exp: Experiment) -> int:
    cfg = exp.cases[0].resolve()
    if not hasattr(cfg, "loads"):
        return 1  # a forefoot case: one load frame
    return len(gait_load(cfg.loads, cfg.geometry.ray).stance_percent)


def _map(groups: list[list[Case]], out_dir: str, jobs: int, executor: str, scheduler: str | None):
    """Yield the records of each batch of cases as it finishes."""
    if executor == "dask":
        yield from _map_dask(groups, out_dir, scheduler)
    elif jobs <= 1 or len(groups) <= 1:
        for group in groups:
            yield compute_batch(group, out_dir)
    else:
        saved = {k: os.environ.get(k) for k in _THREAD_VARS}
        os.environ.update({k: str(max(1, (os.cpu_count() or 1) // jobs)) for k in _THREAD_VARS})
        try:
            with process_pool(jobs) as pool:
                futures = [pool.submit(compute_batch, group, out_dir) for group in groups]
                for future in as_completed(futures):
                    yield future.result()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _map_dask(groups: list[list[Case]], out_dir: str, scheduler: str | None):
    try:
        from dask.distributed import Client, LocalCluster, as_completed as dask_completed
    except ImportError:
        raise InputError("the dask executor needs dask.distributed: pip install 'spacer-sim[dask]'") from None
    cluster = None if scheduler else LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                                                 processes=True, dashboard_address=None)
    with Client(scheduler or cluster) as client:
        futures = client.map(compute_batch, groups, out_dir=out_dir, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    if cluster is not None:
        cluster.close()
