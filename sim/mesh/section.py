"""Plane sections of tetrahedral meshes: the polygon each cut cell leaves in the plane."""

import numpy as np

_EDGES = np.array([[0, 1], [1, 2], [0, 2], [0, 3], [1, 3], [2, 3]])


def plane_section(nodes_mm: np.ndarray, tets: np.ndarray, point_mm, normal):
    """Cut tets (c, 4+) by the plane through point_mm with the given normal.

    Returns (polygons (m, 4, 3) in mm, a triangle repeating its last corner; cell indices (m,)).
    """
    n = np.asarray(normal, float) / np.linalg.norm(normal)
    d = (nodes_mm - np.asarray(point_mm, float)) @ n
    corners = tets[:, :4]
    dc = d[corners]
    cut = np.flatnonzero((dc.min(axis=1) < 0) & (dc.max(axis=1) > 0))
    da, db = dc[cut][:, _EDGES[:, 0]], dc[cut][:, _EDGES[:, 1]]
    crossing = (da < 0) != (db < 0)
    t = np.where(crossing, da / np.where(crossing, da - db, 1.0), np.nan)
    xa, xb = nodes_mm[corners[cut][:, _EDGES[:, 0]]], nodes_mm[corners[cut][:, _EDGES[:, 1]]]
    points = xa + t[..., None] * (xb - xa)  # (m, 6, 3), NaN where the edge is not cut
    centre = np.nanmean(points, axis=1)
    u = np.cross(n, np.eye(3)[np.argmin(np.abs(n))])
    u /= np.linalg.norm(u)
    v = np.cross(n, u)
    rel = points - centre[:, None]
    angle = np.where(crossing, np.arctan2(rel @ v, rel @ u), np.inf)
    order = np.argsort(angle, axis=1)[:, :4]
    polygons = np.take_along_axis(points, order[..., None], axis=1)
    triangle = crossing.sum(axis=1) == 3
    polygons[triangle, 3] = polygons[triangle, 2]
    return polygons, cut
