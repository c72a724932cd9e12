"""Read meshes (gmsh .msh with physical groups, or anything meshio reads) and write VTU."""

import contextlib
import io
from pathlib import Path

import meshio
import numpy as np

from ..errors import InputError
from .mesh import Mesh, compacted

_TETS = ("tetra", "tetra10")
_FACETS = ("triangle", "triangle6")
_DIM = {"vertex": 0, "line": 1, "line3": 1, "triangle": 2, "triangle6": 2, "tetra": 3, "tetra10": 3}


def read_mesh(path) -> Mesh:
    """Read a tetrahedral mesh in mm.

    gmsh physical volumes become regions; physical points, curves and surfaces become node
    sets (named by the group); physical surfaces also become facet sets. Files without gmsh tags
    use cell data 'region' when present. Nodes not used by any tetrahedron are dropped.
    """
    path = Path(path)
    raw = read_meshio(path, "mesh", file_format="gmsh" if path.suffix == ".msh" else None)

    tet_blocks = [i for i, b in enumerate(raw.cells) if b.type in _TETS]
    if not tet_blocks:
        raise InputError(f"{path}: the mesh has no tetrahedra")
    if len({raw.cells[i].type for i in tet_blocks}) > 1:
        raise InputError(f"{path}: mixes tet4 and tet10 cells")

    tags = _block_tags(raw)
    names = {(int(tag), int(dim)): name for name, (tag, dim) in
             ((n, v[:2]) for n, v in raw.field_data.items())} if tags is not None else {}

    cells = np.concatenate([raw.cells[i].data for i in tet_blocks])
    if tags is not None:
        region = np.concatenate([tags[i] for i in tet_blocks])
        region_names = {int(t): names.get((int(t), 3), f"region_{t}") for t in np.unique(region)}
    else:
        region = np.zeros(len(cells), dtype=np.int64)
        if "region" in raw.cell_data:
            region = np.concatenate([np.asarray(raw.cell_data["region"][i]) for i in tet_blocks])
        region_names = {}

    node_sets, facet_sets, edge_sets = {}, {}, {}
    if tags is not None:
        for (tag, dim), name in names.items():
            if dim == 3:
                continue  # volumes are regions, resolved through cells
            blocks = [i for i, b in enumerate(raw.cells) if _DIM.get(b.type) == dim]
            members = [raw.cells[i].data[tags[i] == tag] for i in blocks]
            members = [m for m in members if len(m)]
            if not members:
                continue
            node_sets[name] = np.unique(np.concatenate([m.ravel() for m in members]))
            if dim == 2:
                facet_sets[name] = np.concatenate([m for m, i in zip(members, blocks)
                                                   if raw.cells[i].type in _FACETS])
            if dim == 1 and len({m.shape[1] for m in members}) == 1:
                edge_sets[name] = np.concatenate(members)
    try:
        mesh = Mesh(raw.points[:, :3], cells, region, region_names, node_sets, facet_sets, edge_sets)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return compacted(mesh)


def read_meshio(path, what: str = "mesh", **kwargs) -> meshio.Mesh:
    """meshio.read, with every failure (a missing, empty or unreadable file; meshio's own sys.exit on
    some formats) as one InputError naming the file; what meshio prints on failure is kept out of the
    terminal and its first line goes into the message."""
    path = Path(path)
    printed = io.StringIO()
    try:
        if not path.is_file():
            raise InputError(f"{path}: {what} file not found")
        if path.stat().st_size == 0:
            raise InputError(f"{path}: the {what} file is empty")
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            return meshio.read(path, **kwargs)
    except InputError:
        raise
    except (Exception, SystemExit) as exc:  # meshio raises many types, and exits on some formats
        text = (printed.getvalue().strip() if isinstance(exc, SystemExit) else str(exc).strip()).splitlines()
        raise InputError(f"{path}: cannot read {what} ({exc.__class__.__name__}"
                         f"{': ' + text[0][:200] if text else ''})") from None


def _block_tags(raw):
    """Per-block physical tags from gmsh cell data, or None when the file has none."""
    data = raw.cell_data.get("gmsh:physical")
    if data is None or not raw.field_data:
        return None
    return [np.asarray(d, dtype=np.int64) for d in data]


def write_vtu(path, mesh: Mesh, point_data=None, cell_data=None) -> None:
    """Write the mesh and fields to VTU (ParaView). Cell data always includes 'region' (the id) and a 0/1
    mask 'region:<name>' per named region; point data a 0/1 mask 'set:<name>' per named node or facet set."""
    cell_type = "tetra" if mesh.order == 1 else "tetra10"
    cdata = {"region": [mesh.region.astype(np.int32)]}
    for rid, name in sorted(mesh.region_names.items()):
        cdata[f"region:{name}"] = [(mesh.region == rid).astype(np.uint8)]
    for key, value in (cell_data or {}).items():
        cdata[key] = [np.asarray(value)]
    pdata = {}
    for name in sorted(set(mesh.node_sets) | set(mesh.facet_sets)):
        mask = np.zeros(mesh.n_nodes, np.uint8)
        mask[mesh.nodes_of(name)] = 1
        pdata[f"set:{name}"] = mask
    pdata |= {k: np.asarray(v) for k, v in (point_data or {}).items()}
    meshio.Mesh(mesh.nodes_mm, [(cell_type, mesh.cells)], point_data=pdata, cell_data=cdata).write(str(path))
