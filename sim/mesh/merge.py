"""Several separately meshed bodies in one Mesh (node numbers offset body by body)."""

import numpy as np

from ..errors import InputError
from .mesh import Mesh


def merge_bodies(bodies: dict[str, Mesh]) -> Mesh:
    """One mesh of the named bodies (same element order). Every region, node set and facet set is renamed
    '<body>.<name>' except a body's single region, which takes the body's name; nodes are not shared."""
    orders = {m.order for m in bodies.values()}
    if len(orders) > 1:
        raise InputError(f"bodies must have the same element order, got {', '.join(map(str, sorted(orders)))}")
    nodes, cells, region, names, node_sets, facet_sets = [], [], [], {}, {}, {}
    offset = 0
    for body, mesh in bodies.items():
        single = len(mesh.region_names) == 1
        for rid, rname in sorted(mesh.region_names.items()):
            new = len(names)
            names[new] = body if single else f"{body}.{rname}"
            region.append(np.full(int((mesh.region == rid).sum()), new))
            cells.append(mesh.cells[mesh.region == rid] + offset)
        node_sets.update({f"{body}.{k}": v + offset for k, v in mesh.node_sets.items()})
        facet_sets.update({f"{body}.{k}": v + offset for k, v in mesh.facet_sets.items()})
        nodes.append(mesh.nodes_mm)
        offset += mesh.n_nodes
    return Mesh(np.vstack(nodes), np.vstack(cells), np.concatenate(region), names, node_sets, facet_sets)
