"""`spacer-sim mesh CONFIG.toml --out DIR`: mesh one geometry config and write mesh.msh, mesh.vtu,
mesh.png and quality.json into DIR, all or nothing (built in a temporary folder, then moved)."""

import json
import shutil
import tempfile
import tomllib
from pathlib import Path

from ..errors import InputError
from ..schema import check_keys, value
from .build import build_mesh
from .config import parse_geometry, parse_mesh
from .render import render_mesh_png

OUTPUTS = ("mesh.msh", "mesh.vtu", "mesh.png", "quality.json")


def read_config(config_path):
    """The GeometryConfig and MeshOptions of a TOML file with a [geometry] and an optional [mesh] table."""
    path = Path(config_path)
    if not path.is_file():
        raise InputError(f"{path}: config file not found")
    try:
        doc = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    check_keys(doc, ("geometry", "mesh"), str(path))
    geometry = parse_geometry(value(doc, "geometry", dict, str(path)), base_dir=path.parent)
    return geometry, parse_mesh(value(doc, "mesh", dict, str(path), {}))


def mesh_command(config_path, out_dir) -> int:
    """Mesh the config into out_dir; returns 0. Bad input raises InputError and leaves out_dir untouched."""
    geometry, options = read_config(config_path)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=f".{out_dir.name}.") as tmp:
        result = build_mesh(geometry, tmp, options.size_mm, options.order)
        render_mesh_png(result.mesh, Path(tmp) / "mesh.png", title=Path(config_path).name)
        (Path(tmp) / "quality.json").write_text(json.dumps(result.report(), indent=2) + "\n")
        out_dir.mkdir(exist_ok=True)
        for name in OUTPUTS:
            shutil.move(Path(tmp) / name, out_dir / name)
    print(f"meshed {result.mesh.n_cells} cells ({result.quality['seconds']} s, min SICN "
          f"{result.quality['min_sicn']:.3f}) -> {out_dir}/mesh.msh, mesh.vtu, mesh.png, quality.json")
    return 0
