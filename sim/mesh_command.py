"""`spacer-sim mesh CONFIG.toml --out DIR [--case NAME]`: mesh one geometry and write mesh.msh, mesh.vtu,
mesh.png and quality.json into DIR, all or nothing (built in a temporary folder, then moved). CONFIG is a
geometry config ([geometry] and an optional [mesh]) or an experiment file, of which one case is meshed
(the first unless --case names another)."""

import json
import shutil
import tempfile
from pathlib import Path

from . import limits
from .errors import InputError
from .geometry.build import build_mesh
from .geometry.config import parse_geometry, parse_mesh
from .geometry.render import render_mesh_png
from .schema import check_keys, value
from .textio import read_toml

OUTPUTS = ("mesh.msh", "mesh.vtu", "mesh.png", "quality.json")


def read_config(config_path, case: str | None = None):
    """The GeometryConfig and MeshOptions of a geometry config, or of one case of an experiment file."""
    path = Path(config_path)
    doc = read_toml(path, "config file")
    if set(doc) - {"geometry", "mesh"}:
        return _experiment_case(path, case)
    if case is not None:
        raise InputError(f"{path}: --case picks a case of an experiment file; this is a geometry config")
    check_keys(doc, ("geometry", "mesh"), str(path))
    geometry = parse_geometry(value(doc, "geometry", dict, str(path)), base_dir=path.parent)
    return geometry, parse_mesh(value(doc, "mesh", dict, str(path), {}))


def _experiment_case(path: Path, case: str | None):
    from .experiment.config import read_experiment

    cases = {c.name: c for c in read_experiment(path).cases}
    name = next(iter(cases)) if case is None else case
    if name not in cases:
        raise InputError(f"{path}: no case '{name}'; cases are: {', '.join(cases)}")
    config = cases[name].resolve()
    if not hasattr(config, "geometry"):
        raise InputError(f"{path}: 'spacer-sim mesh' meshes one ray; a [forefoot] case is meshed by 'spacer-sim run'")
    return config.geometry, config.mesh


def mesh_command(config_path, out_dir, case: str | None = None, ignore_limits: bool = False) -> int:
    """Mesh the config (or one case of an experiment file) into out_dir; returns 0. Bad input (or a mesh
    too large for this machine, sim/limits.py) raises InputError and leaves out_dir untouched."""
    from .experiment.outdir import check_target

    geometry, options = read_config(config_path, case)
    check_target(out_dir)
    limits.check([limits.estimate(geometry, options.size_mm, options.order)], 1, str(config_path), ignore_limits)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=f".{out_dir.name}.") as tmp:
        result = build_mesh(geometry, tmp, options.size_mm, options.order)
        title = Path(config_path).name + (f", case {case}" if case else "")
        render_mesh_png(result.mesh, Path(tmp) / "mesh.png", title=title)
        (Path(tmp) / "quality.json").write_text(json.dumps(result.report(), indent=2) + "\n")
        out_dir.mkdir(exist_ok=True)
        for name in OUTPUTS:
            shutil.move(Path(tmp) / name, out_dir / name)
    print(f"meshed {result.mesh.n_cells} cells ({result.quality['seconds']} s, min SICN "
          f"{result.quality['min_sicn']:.3f}) -> {out_dir}/mesh.msh, mesh.vtu, mesh.png, quality.json")
    return 0
