"""Read meshes (gmsh .msh with physical groups, or anything meshio reads) and write VTU."""

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
    if not path.is_file():
        raise InputError(f"{path}: mesh file not found")
    try:
        raw = meshio.read(path, file_format="gmsh" if path.suffix == ".msh" else None)
    except Exception as exc:  # meshio raises many types for unreadable files
        raise InputError(f"{path}: cannot read mesh ({exc.__class__.__name__}: {exc})") from None

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

    node_sets, facet_sets = {}, {}
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
    return compacted(Mesh(raw.points[:, :3], cells, region, region_names, node_sets, facet_sets))


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
