"""Sharp edges of a body's surface on a tetrahedral mesh (mm): where a contact pressure peak sits on a
singular point of the geometry (a sharp edge bearing on a surface), a value that does not converge under
mesh refinement, rather than on a smooth surface.

A surface edge is sharp where the outward normals of the two boundary facets that share it differ by more
than FEATURE_ANGLE_DEG; an edge with other than two boundary facets (a non-manifold rim) counts as sharp.
A body is one of BODIES (regions that are one piece of material: the metatarsal's cortex and core), so that
the seam between two of its regions is not taken for an edge.
"""

import numpy as np

from ..mesh import Mesh
from ..mesh.mesh import TRI6_EDGES
from ..mesh.split import SIDE_SUFFIXES, facet_cells
from ..mesh.topology import TET_FACES

# gmsh facets a smooth surface by its curvature (meshing.CURVATURE_ELEMENTS = 20 per turn): neighbouring
# facets turn by about 18 deg there; a saw cut's rim or a bead's end turns by about 90.
FEATURE_ANGLE_DEG = 45.0
# the mesher's volume groups (sim/geometry/__init__.py) grouped into bodies: each bone's shell and core are one
BODIES = (("cortical", "cancellous"), ("phalanx_cortical", "phalanx_cancellous"), ("joint_cartilage",),
          ("cement",), ("soft_tissue",))


def boundary_facets(mesh: Mesh, regions) -> np.ndarray:
    """Corner triples (f, 3) of the faces of the cells in `regions` (names) that no other cell of theirs
    shares, ordered so that their normals point out of the body."""
    ids = [mesh.region_ids[name] for name in regions if name in mesh.region_ids]
    cells = mesh.vertex_cells()[np.isin(mesh.region, ids)]
    faces, apex = cells[:, TET_FACES].reshape(-1, 3), cells.reshape(-1)  # face k of a tet faces its vertex k
    _, inverse, counts = np.unique(np.sort(faces, axis=1), axis=0, return_inverse=True, return_counts=True)
    outer = counts[inverse.ravel()] == 1
    faces, apex = faces[outer], apex[outer]
    x = mesh.nodes_mm
    normal = np.cross(x[faces[:, 1]] - x[faces[:, 0]], x[faces[:, 2]] - x[faces[:, 0]])
    inward = np.einsum("fi,fi->f", normal, x[apex] - x[faces[:, 0]]) > 0
    faces[inward] = faces[inward][:, ::-1]
    return faces


def sharp_edge_nodes(mesh: Mesh, regions, angle_deg: float = FEATURE_ANGLE_DEG) -> np.ndarray:
    """Sorted ids of the corner nodes on sharp edges of the surface of the body made of `regions`."""
    faces = boundary_facets(mesh, regions)
    if not len(faces):
        return np.array([], np.int64)
    x = mesh.nodes_mm
    normal = np.cross(x[faces[:, 1]] - x[faces[:, 0]], x[faces[:, 2]] - x[faces[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    edges = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    owner = np.repeat(np.arange(len(faces)), 3)
    keys, inverse, counts = np.unique(edges, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    pairs = counts == 2
    first = np.searchsorted(inverse[order], np.flatnonzero(pairs))
    a, b = owner[order[first]], owner[order[first + 1]]
    cos = np.einsum("fi,fi->f", normal[a], normal[b])
    sharp = np.flatnonzero(~pairs)
    sharp = np.concatenate([sharp, np.flatnonzero(pairs)[cos < np.cos(np.radians(angle_deg))]])
    return np.unique(keys[sharp])


def on_sharp_edge(mesh: Mesh, bodies, points_mm, tol_mm: float = 1e-6) -> np.ndarray:
    """Whether each point (p, 3) is a node on a sharp edge of the surface of one of `bodies` (lists of region
    names), within tol_mm. For the nodes of a contact pressure peak: on a mesh whose interfaces share nodes
    (before splitting), a slave node under the master body's sharp edge is a node of that edge."""
    from scipy.spatial import cKDTree

    edges = np.concatenate([sharp_edge_nodes(mesh, regions) for regions in bodies])
    return at_nodes(mesh, edges, points_mm, tol_mm)


def at_nodes(mesh: Mesh, nodes, points_mm, tol_mm: float = 1e-6) -> np.ndarray:
    """Whether each point (p, 3) coincides with one of the mesh nodes `nodes` within tol_mm (the copies
    of a split interface's nodes sit where their originals are)."""
    from scipy.spatial import cKDTree

    points = np.atleast_2d(np.asarray(points_mm, float)).reshape(-1, 3)
    if not len(nodes) or not len(points):
        return np.zeros(len(points), bool)
    distance, _ = cKDTree(mesh.nodes_mm[np.asarray(nodes, np.int64)]).query(points)
    return distance < tol_mm


def interface_bodies(mesh: Mesh, interface: str) -> list[list[str]]:
    """The bodies (lists of region names, BODIES; a region in none of them is a body of its own) with a
    cell on either side of the interface: its facet set, or after splitting (sim.mesh.split) its two."""
    names = [n for n in (interface, *(interface + s for s in SIDE_SUFFIXES)) if n in mesh.facet_sets]
    if not names:
        raise KeyError(f"the mesh has no interface '{interface}'")
    cells = np.concatenate([facet_cells(mesh, mesh.facet_sets[n]).ravel() for n in names])
    touching = {mesh.region_names[r] for r in np.unique(mesh.region[cells[cells >= 0]])}
    bodies = [[r for r in body if r in mesh.region_ids] for body in BODIES if touching & set(body)]
    return bodies + [[r] for r in sorted(touching) if not any(r in body for body in BODIES)]


def interface_edge_nodes(mesh: Mesh, interface: str, nodes) -> np.ndarray:
    """Whether each of `nodes` (mesh node ids on the interface, either side) lies on a sharp edge of a body
    on either side of it (interface_bodies): a pressure there bears on a singular point of the geometry."""
    nodes = np.asarray(nodes, np.int64)
    return on_sharp_edge(mesh, interface_bodies(mesh, interface), mesh.nodes_mm[nodes])


def interface_rim_nodes(mesh: Mesh, interface: str, nodes) -> np.ndarray:
    """Whether each of `nodes` (mesh node ids on the interface, either side) lies on the rim of the
    interface: an edge of one facet only of its facet set (side a's after splitting), where the surfaces
    that can touch end. A pressure peak there has been cut off by the geometry, not fallen to zero."""
    name = next((n for n in (interface, interface + SIDE_SUFFIXES[0]) if n in mesh.facet_sets), None)
    if name is None:
        raise KeyError(f"the mesh has no interface '{interface}'")
    facets = mesh.facet_sets[name]
    edges = np.sort(facets[:, TRI6_EDGES].reshape(-1, 2), axis=1)  # (3 f, 2): edges 0-1, 1-2, 2-0 of each
    _, inverse, counts = np.unique(edges, axis=0, return_inverse=True, return_counts=True)
    rim = counts[inverse.ravel()] == 1
    on_rim = edges[rim].ravel()
    if facets.shape[1] == 6:  # tri6: the midside node of a rim edge (3, 4, 5 on edges 0-1, 1-2, 2-0)
        on_rim = np.concatenate([on_rim, facets[:, 3:].reshape(-1)[rim]])
    return at_nodes(mesh, np.unique(on_rim), mesh.nodes_mm[np.asarray(nodes, np.int64)])
