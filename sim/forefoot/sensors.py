"""Plantar pressure as a pedobarograph reads it: the ground force on each cell of a fixed grid of square
sensors divided by the cell's area (kPa), instead of the pressure at a mesh node.

A platform or in-shoe system measures the force on each sensor over its area: SENSOR_MM = 5 mm square cells,
4 sensors per cm² (the resolution of the emed platform and the F-Scan insole (5.08 mm) [manufacturers'
specifications]; what the clinical pressures quoted in the README were read with). A node's pressure on an
8 mm mesh stands for a patch as large as the element and its peak moves with the mesh; a sensor's average
is a property of the field over a fixed area.

The contact pressure field is the one the ground contact works with: interpolated from the nodal pressures
by the sole's shape functions (sim.contact.surface_item: a node's pressure is the penalty times its
weighted mean gap, its nodal forces the consistent integral of that field), per current area. Each cell
gets that field's integral over it (each facet clipped to each cell in plan, exactly); the cells' forces
add up to the field's integral over the sole, which is the ground force up to the difference between a
node's current tributary area in plan and the reported one (its reference area times the mean stretch
around it): summary column sole_sensor_force_N against sole_force_N. The grid is fixed in the foot frame
(a cell's corner at x = y = 0), the same for every mesh.
"""

import numpy as np

from ..fem.elements import tri_shape
from .outputs import head_regions

SENSOR_MM = 5.0
# degree-2 rule on a triangle: its edge midpoints, each a third of its area (exact for the quadratic facets)
MIDPOINTS = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5]])


def _clip(poly: np.ndarray, axis: int, value: float, sign: float) -> np.ndarray:
    """The part of the convex polygon (k, 2) where sign * (coordinate `axis` - value) >= 0 (Sutherland-Hodgman)."""
    out = []
    d = sign * (poly[:, axis] - value)
    for k in range(len(poly)):
        a, b, da, db = poly[k], poly[(k + 1) % len(poly)], d[k], d[(k + 1) % len(poly)]
        if da >= 0:
            out.append(a)
        if da * db < 0:
            out.append(a + (b - a) * da / (da - db))
    return np.array(out)


def _shares(corners: np.ndarray, order: int, box: tuple) -> np.ndarray | None:
    """Integral over the part of the triangle corners (3, 2) inside box (x0, x1, y0, y1) of each of the
    facet's shape functions (a,), in plan (mm^2); None when they do not overlap."""
    poly = corners
    for axis, value, sign in ((0, box[0], 1.0), (0, box[1], -1.0), (1, box[2], 1.0), (1, box[3], -1.0)):
        poly = _clip(poly, axis, value, sign)
        if len(poly) < 3:
            return None
    J = np.column_stack([corners[1] - corners[0], corners[2] - corners[0]])
    tri = np.stack([np.broadcast_to(poly[0], poly[1:-1].shape), poly[1:-1], poly[2:]], axis=1)  # a fan
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
    points = np.einsum("qv,tvi->tqi", MIDPOINTS, tri).reshape(-1, 2)
    xi = np.linalg.solve(J, (points - corners[0]).T).T
    N_qa, _ = tri_shape(xi, order)
    return (N_qa * np.repeat(area / 3.0, 3)[:, None]).sum(axis=0)


def sensor_forces(nodes_mm: np.ndarray, facets: np.ndarray, u_mm: np.ndarray, ground_nodes: np.ndarray,
                  pressure_MPa: np.ndarray, sensor_mm: float = SENSOR_MM) -> tuple[np.ndarray, np.ndarray]:
    """Centres (c, 2) mm of the sensor cells under the sole and the ground force (c,) N on each: the integral
    over each cell of the pressure field interpolated from the ground nodes' pressures pressure_MPa (j,)
    (nodes ground_nodes (j,); per current area) on the sole's facets (f, 3|6), in plan in the current
    configuration (u_mm (3 n,)); straight-sided facets (curved ones approximately)."""
    order = 1 if facets.shape[1] == 3 else 2
    xy = (nodes_mm + u_mm.reshape(-1, 3))[:, :2]
    rows_node, rows_cell, rows_share = [], [], []
    for facet in facets:
        corners = xy[facet[:3]]
        e1, e2 = corners[1] - corners[0], corners[2] - corners[0]
        if abs(e1[0] * e2[1] - e1[1] * e2[0]) < 1e-12:
            continue
        lo, hi = np.floor(corners.min(axis=0) / sensor_mm), np.floor(corners.max(axis=0) / sensor_mm)
        for i in range(int(lo[0]), int(hi[0]) + 1):
            for j in range(int(lo[1]), int(hi[1]) + 1):
                share = _shares(corners, order, (i * sensor_mm, (i + 1) * sensor_mm, j * sensor_mm,
                                                 (j + 1) * sensor_mm))
                if share is not None:
                    rows_node.append(facet)
                    rows_cell.append((i, j))
                    rows_share.append(share)
    node, share = np.concatenate(rows_node), np.concatenate(rows_share)
    cells, cell = np.unique(np.array(rows_cell), axis=0, return_inverse=True)
    p = np.zeros(len(nodes_mm))
    p[ground_nodes] = pressure_MPa
    F_c = np.bincount(np.repeat(cell.ravel(), facets.shape[1]), share * p[node], len(cells))
    return (cells + 0.5) * sensor_mm, F_c


def sensor_columns(fm, sol) -> dict:
    """Sensor-cell pressure (kPa): the sole's peak and force (N: equals the ground force), and per head region
    (cells whose centre lies in it, outputs.head_regions) the peak."""
    xy, F = sensor_forces(fm.mesh.nodes_mm, fm.mesh.facet_sets["ground"], sol.u_mm, sol.ground_nodes,
                          sol.pressure_MPa)
    p = F / SENSOR_MM**2 * 1000.0
    out = {"sole_sensor_force_N": float(F.sum()), "sole_sensor_peak_pressure_kPa": float(max(p.max(), 0.0))}
    for ray, mask in head_regions(fm, xy).items():
        out[f"mth{ray}_sensor_peak_pressure_kPa"] = float(max(p[mask].max(initial=0.0), 0.0))
    return out
