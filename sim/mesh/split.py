"""Split a conforming mesh along an interface: give one side its own copy of the interface nodes.

The gmsh mesher produces regions that share nodes on their common surfaces (a bonded interface).
`split_interface` duplicates the nodes of one such surface for the cells of one side, so that the two
sides touch without being connected; a contact solver then ties them node to node through the pairs.

Naming: the facet set `<name>` becomes `<name>_a` (the side that keeps the original nodes) and
`<name>_b` (the side given in `side_region_names`, with the new nodes); facet k of one is facet k of
the other, node for node. Index letters: f = facet, a = facet node, p = node pair.
"""

import numpy as np

from ..errors import InputError
from .mesh import TET10_EDGES, TRI6_EDGES, Mesh
from .topology import TET_FACES

SIDE_SUFFIXES = ("_a", "_b")


def _face_nodes(order: int) -> np.ndarray:
    """Local node indices (4, 3|6) of the four faces of a tet4/tet10, tri3/tri6 ordered."""
    if order == 1:
        return TET_FACES.copy()
    edge_index = {tuple(sorted(e)): 4 + k for k, e in enumerate(TET10_EDGES.tolist())}
    mids = [[edge_index[tuple(sorted((f[i], f[j])))] for i, j in TRI6_EDGES] for f in TET_FACES.tolist()]
    return np.hstack([TET_FACES, np.array(mids)])


def _corner_keys(corners: np.ndarray, n_nodes: int) -> np.ndarray:
    t = np.sort(corners[:, :3], axis=1).astype(np.int64)
    return (t[:, 0] * n_nodes + t[:, 1]) * n_nodes + t[:, 2]


def facet_cells(mesh: Mesh, facets: np.ndarray) -> np.ndarray:
    """The (f, 2) cells having each facet as a face, -1 where fewer than two do (outer surface)."""
    keys = _corner_keys(mesh.cells[:, TET_FACES].reshape(-1, 3), mesh.n_nodes)
    order = np.argsort(keys, kind="stable")
    wanted = _corner_keys(facets, mesh.n_nodes)
    lo = np.searchsorted(keys, wanted, sorter=order)
    hi = np.searchsorted(keys, wanted, side="right", sorter=order)
    out = np.full((len(facets), 2), -1, dtype=np.int64)
    for k in range(2):
        has = hi - lo > k
        out[has, k] = order[lo[has] + k] // 4
    return out


def region_interface(mesh: Mesh, regions_a, regions_b) -> np.ndarray:
    """The facets (f, 3|6) shared by a cell of regions_a and a cell of regions_b, in the node order of the
    regions_a cell's face (a facet set for split_interface)."""
    in_a, in_b = _in_regions(mesh, regions_a), _in_regions(mesh, regions_b)
    local = _face_nodes(mesh.order)
    cells_a = np.flatnonzero(in_a)
    faces = mesh.cells[cells_a][:, local].reshape(-1, local.shape[1])
    pair = facet_cells(mesh, faces)
    neighbour = np.where(pair[:, 0] == np.repeat(cells_a, 4), pair[:, 1], pair[:, 0])
    return faces[(neighbour >= 0) & in_b[np.maximum(neighbour, 0)]]


def split_interface(mesh: Mesh, facet_set: str, side_region_names) -> tuple[Mesh, np.ndarray]:
    """Duplicate the nodes of the interface `facet_set` for the cells of the regions `side_region_names`.

    Returns the new mesh and the node pairs (p, 2): column 0 the original node (side a), column 1 its
    copy (side b), at the same position. Cells of every other region keep the original nodes. Facet
    sets touching the interface follow the cells they bound; node sets of the same name as a facet set
    are rebuilt from it; other node sets that held an interface node hold both copies.
    Raises InputError when the set is not a surface set, a region does not exist, or a facet does not
    separate a cell of the side from a cell of the rest.
    """
    facets = mesh.facets_of(facet_set)
    if isinstance(side_region_names, str):
        side_region_names = [side_region_names]
    on_side = _in_regions(mesh, side_region_names)
    side = np.unique(mesh.region[on_side])
    if not on_side.any():
        raise InputError(f"cannot split '{facet_set}': give at least one region for side b")
    cells = facet_cells(mesh, facets)
    two = (cells >= 0).all(axis=1)
    straddles = two & (on_side[np.maximum(cells[:, 0], 0)] != on_side[np.maximum(cells[:, 1], 0)])
    if not straddles.all():
        bad = int((~straddles).sum())
        why = "lie on the outer surface" if not two.all() else "do not separate the side regions from the rest"
        names = ", ".join(mesh.region_names[r] for r in side)
        raise InputError(f"cannot split '{facet_set}': {bad} of its {len(facets)} facets {why} (side b: {names})")

    shared = np.unique(facets)
    copy_of = np.full(mesh.n_nodes, -1, dtype=np.int64)
    copy_of[shared] = mesh.n_nodes + np.arange(len(shared))
    nodes = np.vstack([mesh.nodes_mm, mesh.nodes_mm[shared]])
    new_cells = mesh.cells.copy()
    side_cells = new_cells[on_side]
    side_cells = np.where(copy_of[side_cells] >= 0, copy_of[side_cells], side_cells)
    new_cells[on_side] = side_cells
    moved = lambda f: np.where(copy_of[f] >= 0, copy_of[f], f)  # noqa: E731

    split = Mesh(nodes, new_cells, mesh.region.copy(), dict(mesh.region_names), {}, {})
    facet_sets = {}
    for name, f in mesh.facet_sets.items():
        if name == facet_set:
            continue
        touched = (copy_of[f] >= 0).any(axis=1)
        if touched.any():
            f = f.copy()
            still_face = facet_cells(split, f[touched])[:, 0] >= 0
            f[np.flatnonzero(touched)[~still_face]] = moved(f[touched][~still_face])
        facet_sets[name] = f
    facet_sets[facet_set + SIDE_SUFFIXES[0]] = facets.copy()
    facet_sets[facet_set + SIDE_SUFFIXES[1]] = moved(facets)

    node_sets = {}
    for name, members in mesh.node_sets.items():
        if name == facet_set:
            continue
        if name in facet_sets:
            node_sets[name] = np.union1d(members[copy_of[members] < 0], facet_sets[name])
        else:
            node_sets[name] = np.union1d(members, copy_of[members][copy_of[members] >= 0])
    split.node_sets, split.facet_sets = node_sets, facet_sets
    return split, np.column_stack([shared, copy_of[shared]])


def _in_regions(mesh: Mesh, names) -> np.ndarray:
    """Cell mask of the named regions (an unknown name is an InputError listing the regions)."""
    mask = np.zeros(mesh.n_cells, bool)
    for name in names:
        mask[mesh.cells_in(name)] = True
    return mask
