"""The Mesh container: nodes (mm), tet4/tet10 cells, a region per cell, named node and facet sets.

Node ordering of tet10 cells is VTK's: vertices 0-3, then edge nodes on
(0,1), (1,2), (0,2), (0,3), (1,3), (2,3). Facets are tri3/tri6 in the same convention.
"""

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError

TET10_EDGES = np.array([[0, 1], [1, 2], [0, 2], [0, 3], [1, 3], [2, 3]])
TRI6_EDGES = np.array([[0, 1], [1, 2], [2, 0]])


@dataclass
class Mesh:
    """A tetrahedral mesh.

    nodes_mm: (n, 3) coordinates in mm; cells: (c, 4) or (c, 10) node indices;
    region: (c,) integer region id per cell; region_names: id -> name;
    node_sets: name -> node indices; facet_sets: name -> (f, 3) or (f, 6) facet node indices;
    edge_sets: name -> (e, 2) or (e, 3) line node indices of curve sets (so that raising the order
    can add the new mid-edge nodes to them).
    """

    nodes_mm: np.ndarray
    cells: np.ndarray
    region: np.ndarray
    region_names: dict[int, str] = field(default_factory=dict)
    node_sets: dict[str, np.ndarray] = field(default_factory=dict)
    facet_sets: dict[str, np.ndarray] = field(default_factory=dict)
    edge_sets: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        self.nodes_mm = np.ascontiguousarray(self.nodes_mm, dtype=float)
        self.cells = np.ascontiguousarray(self.cells, dtype=np.int64)
        self.region = np.ascontiguousarray(self.region, dtype=np.int64)
        if self.cells.ndim != 2 or self.cells.shape[1] not in (4, 10):
            raise InputError(f"cells must be tet4 or tet10, got shape {self.cells.shape}")
        if len(self.cells) == 0:
            raise InputError("the mesh has no tetrahedra")
        if not np.isfinite(self.nodes_mm).all():
            bad = int(np.flatnonzero(~np.isfinite(self.nodes_mm).all(axis=1))[0])
            raise InputError(f"node {bad} has a coordinate that is not a finite number: {self.nodes_mm[bad]}")
        for rid in np.unique(self.region):
            self.region_names.setdefault(int(rid), f"region_{rid}")

    @property
    def order(self) -> int:
        """Element order: 1 for tet4, 2 for tet10."""
        return 1 if self.cells.shape[1] == 4 else 2

    @property
    def n_nodes(self) -> int:
        return len(self.nodes_mm)

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    @property
    def region_ids(self) -> dict[str, int]:
        """name -> region id."""
        return {name: rid for rid, name in self.region_names.items()}

    def cells_in(self, region_name: str) -> np.ndarray:
        """Indices of the cells of one named region."""
        ids = self.region_ids
        if region_name not in ids:
            raise InputError(f"no region '{region_name}'; the mesh has: {', '.join(sorted(ids))}")
        return np.flatnonzero(self.region == ids[region_name])

    def set_names(self) -> list[str]:
        """Every name a boundary condition may refer to: node sets, facet sets and regions."""
        return sorted(set(self.node_sets) | set(self.facet_sets) | set(self.region_names.values()))

    def nodes_of(self, set_name: str) -> np.ndarray:
        """Node indices of a named node set, facet set or region."""
        if set_name in self.node_sets:
            return self.node_sets[set_name]
        if set_name in self.facet_sets:
            return np.unique(self.facet_sets[set_name])
        if set_name in self.region_names.values():
            return np.unique(self.cells[self.cells_in(set_name)])
        raise InputError(f"no set named '{set_name}'; the mesh has: {', '.join(self.set_names()) or 'none'}")

    def facets_of(self, set_name: str) -> np.ndarray:
        """Facets (f, 3|6) of a named surface set."""
        if set_name not in self.facet_sets:
            surfaces = ", ".join(sorted(self.facet_sets)) or "none"
            raise InputError(f"'{set_name}' is not a surface set; surface sets are: {surfaces}")
        return self.facet_sets[set_name]

    def vertex_cells(self) -> np.ndarray:
        """The (c, 4) corner nodes of every cell."""
        return self.cells[:, :4]


def compacted(mesh: Mesh) -> Mesh:
    """The same mesh without nodes that no cell uses (sets renumbered; facets on dropped nodes removed)."""
    used = np.unique(mesh.cells)
    new_index = np.full(mesh.n_nodes, -1, dtype=np.int64)
    new_index[used] = np.arange(len(used))
    node_sets = {k: new_index[v][new_index[v] >= 0] for k, v in mesh.node_sets.items()}
    facet_sets = {k: new_index[f] for k, f in mesh.facet_sets.items() if (new_index[f] >= 0).all()}
    edge_sets = {k: new_index[e] for k, e in mesh.edge_sets.items() if (new_index[e] >= 0).all()}
    return Mesh(mesh.nodes_mm[used], new_index[mesh.cells], mesh.region, dict(mesh.region_names),
                {k: v for k, v in node_sets.items() if len(v)}, facet_sets, edge_sets)
