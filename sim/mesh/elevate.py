"""Change element order: tet4 -> tet10 with straight-edge midside nodes, or tet10 -> tet4."""

import numpy as np

from .mesh import TET10_EDGES, TRI6_EDGES, Mesh, compacted


def elevate_to_tet10(mesh: Mesh) -> Mesh:
    """Return a tet10 copy of a tet4 mesh (edge nodes at edge midpoints); sets are carried over, and
    surface and curve sets gain the new nodes on their facets and edges (point sets stay points)."""
    if mesh.order == 2:
        return mesh
    edges = np.sort(mesh.cells[:, TET10_EDGES].reshape(-1, 2), axis=1)
    unique_edges, inverse = np.unique(edges, axis=0, return_inverse=True)
    mid_index = mesh.n_nodes + np.arange(len(unique_edges))
    nodes = np.vstack([mesh.nodes_mm, mesh.nodes_mm[unique_edges].mean(axis=1)])
    cells = np.hstack([mesh.cells, mid_index[inverse.reshape(-1, 6)]])

    keys = unique_edges[:, 0] * nodes.shape[0] + unique_edges[:, 1]

    def midnodes(pairs):
        pairs = np.sort(pairs, axis=-1)
        return mid_index[np.searchsorted(keys, pairs[..., 0] * nodes.shape[0] + pairs[..., 1])]

    facet_sets = {k: np.hstack([f, midnodes(f[:, TRI6_EDGES])]) for k, f in mesh.facet_sets.items()}
    edge_sets = {k: np.hstack([e[:, :2], midnodes(e[:, None, :2])]) for k, e in mesh.edge_sets.items()}
    node_sets = dict(mesh.node_sets)
    mid_nodes = {k: f[:, 3:] for k, f in facet_sets.items()} | {k: e[:, 2:] for k, e in edge_sets.items()}
    for name, mids in mid_nodes.items():
        if name in node_sets:
            node_sets[name] = np.union1d(node_sets[name], mids)
    return Mesh(nodes, cells, mesh.region.copy(), dict(mesh.region_names), node_sets, facet_sets, edge_sets)


def reduce_to_tet4(mesh: Mesh) -> Mesh:
    """Return a tet4 copy of a tet10 mesh (edge nodes dropped)."""
    if mesh.order == 1:
        return mesh
    return compacted(Mesh(mesh.nodes_mm, mesh.cells[:, :4], mesh.region, dict(mesh.region_names),
                          dict(mesh.node_sets), {k: f[:, :3] for k, f in mesh.facet_sets.items()}))
