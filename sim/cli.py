"""The spacer-sim command line. User errors print one line and exit with code 2."""

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .errors import InputError


def _solve(args) -> None:
    from .experiment.outdir import check_target
    from .model.run import solve_model

    check_target(args.out)
    problem = solve_model(args.model, args.out, args.ignore_limits)
    print(f"solved {problem.mesh.n_cells} cells, {problem.n_dofs} DOFs -> {args.out}/fields.vtu, reactions.csv")


def _mesh(args) -> None:
    from .mesh_command import mesh_command

    try:
        mesh_command(args.config, args.out, args.case, args.ignore_limits)
    except InputError as exc:
        raise InputError(str(exc) if str(args.config) in str(exc) else f"{args.config}: {exc}") from None


def _run(args) -> None:
    from .experiment.catalogue import experiment_path
    from .experiment.config import read_experiment
    from .experiment.outdir import locked_output
    from .experiment.runner import check_experiment_size
    from .experiment.runner import run_experiment
    from .plots.experiment import plot_results

    if args.jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {args.jobs}")
    exp = read_experiment(experiment_path(args.experiment))
    check_experiment_size(exp, args.jobs, args.ignore_limits)
    out = Path(args.out) if args.out else Path("results") / exp.name
    with locked_output(out):
        report = run_experiment(exp, out, jobs=args.jobs, force=args.force, executor=args.executor,
                                scheduler=args.scheduler)
        plots = plot_results(out)
    print(f"{exp.name}: {len(report['computed'])} cases computed, {len(report['skipped'])} skipped, "
          f"{report['wall_s']:.0f} s -> {out}/summary.csv, frames.csv, manifest.json, fields/, "
          f"{len(plots)} plot files in {out}/plots/")
    for note in report["notes"]:
        print(note)


def _plot(args) -> None:
    from .plots.experiment import plot_results

    written = plot_results(args.results)
    print("\n".join(str(p) for p in written))


def _export(args) -> None:
    from .experiment.outdir import check_target
    from .export import export

    check_target(args.out)
    path = export(args.source, args.format, args.out, args.case, args.frame)
    print(f"wrote {path}")


def _verify(args) -> int:
    import time

    from .errors import nearest
    from .verify import CASES, run, table

    for name in args.case or []:
        if name not in CASES:
            raise InputError(f"no verification case '{name}'{nearest(name, CASES)}; cases are: {', '.join(CASES)}")
    start, checks = time.perf_counter(), []
    for name in args.case or list(CASES):
        checks += run(name)
    failed = sum(not c.passed for c in checks)
    print(table(checks))
    print(f"{len(checks) - failed} of {len(checks)} checks pass ({time.perf_counter() - start:.0f} s)")
    return 1 if failed else 0


def _list(args) -> None:
    from .experiment.catalogue import catalogue

    print(catalogue())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spacer-sim", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"spacer-sim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="solve a model file (TOML) on any mesh")
    solve.add_argument("model", help="model file (TOML)")
    solve.add_argument("--out", required=True, help="output folder for fields.vtu and reactions.csv")
    solve.add_argument("--ignore-limits", action="store_true",
                       help="solve even when the mesh looks too large for this machine's memory")
    solve.set_defaults(func=_solve)
    mesh = sub.add_parser("mesh", help="mesh a ray geometry config (TOML): .msh, .vtu, a PNG and a quality report")
    mesh.add_argument("config", help="config with a [geometry] table (and optional [mesh]), or an experiment file")
    mesh.add_argument("--out", required=True, help="output folder")
    mesh.add_argument("--case", help="with an experiment file: the case to mesh (default: its first case)")
    mesh.add_argument("--ignore-limits", action="store_true", help="mesh even when the size estimate is too large")
    mesh.set_defaults(func=_mesh)
    run = sub.add_parser("run", help="run an experiment (TOML): cases, tables, fields and plots")
    run.add_argument("experiment", help="experiment file, e.g. experiments/fill_sweep.toml, or a name that "
                                        "'spacer-sim list' shows, e.g. fill_sweep")
    run.add_argument("--out", help="results folder (default results/<experiment name>)")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel cases (default: CPU count)")
    run.add_argument("--force", action="store_true", help="recompute cases already done")
    run.add_argument("--executor", choices=("process", "dask"), default="process",
                     help="local process pool (default) or a dask.distributed cluster")
    run.add_argument("--scheduler", help="dask scheduler address (default: a local dask cluster)")
    run.add_argument("--ignore-limits", action="store_true",
                     help="run even when the size estimate (cells, memory) exceeds this machine")
    run.set_defaults(func=_run)
    plot = sub.add_parser("plot", help="(re)draw the plots of a results folder")
    plot.add_argument("results", help="results folder written by 'spacer-sim run'")
    plot.set_defaults(func=_plot)
    exp = sub.add_parser("export", help="write a model or an experiment case as CalculiX/Abaqus .inp or FEBio .feb")
    exp.add_argument("source", help="model file or experiment file (TOML)")
    exp.add_argument("--format", required=True, help="inp (CalculiX/Abaqus) or feb (FEBio 4.0)")
    exp.add_argument("--out", required=True, help="output folder")
    exp.add_argument("--case", help="with an experiment file: the case (default: its first case)")
    exp.add_argument("--frame", type=int, help="with an experiment file: gait frame index (default: the peak)")
    exp.set_defaults(func=_export)
    verify = sub.add_parser("verify", help="run the verification cases and print one table (exit 1 if any fails)")
    verify.add_argument("--case", action="append", help="run only this case (repeatable)")
    verify.set_defaults(func=_verify)
    lst = sub.add_parser("list", help="list material cards, load presets and experiments")
    lst.set_defaults(func=_list)
    return p


class Stopped(KeyboardInterrupt):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


def _stop(signum, frame):
    raise Stopped()


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if in_main else None
    try:
        code = args.func(args)
    except InputError as exc:
        print(f"spacer-sim: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder that cannot be read or written (e.g. a full disk)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"spacer-sim: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print("\nspacer-sim: interrupted; finished cases are kept and a rerun resumes", file=sys.stderr)
        return 143 if isinstance(exc, Stopped) else 130
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
