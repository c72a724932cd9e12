"""Nodal load vectors (N) for surface loads: total force, pressure, force and moment through a coupling."""

import numpy as np

from .surface import FacetBasis


def total_force(fb: FacetBasis, force_N, n_nodes: int) -> np.ndarray:
    """A total force (N) spread over the facets as a uniform traction force / area."""
    traction = np.broadcast_to(np.asarray(force_N, float) / fb.area_mm2, fb.x_fqi.shape)
    return fb.nodal(traction, n_nodes)


def pressure(fb: FacetBasis, pressure_MPa: float, n_nodes: int) -> np.ndarray:
    """A pressure (MPa) acting against the outward normal (positive pushes into the body)."""
    return fb.nodal(-pressure_MPa * fb.n_fqi, n_nodes)


def coupling(fb: FacetBasis, point_mm, force_N, moment_Nmm, n_nodes: int) -> np.ndarray:
    """Distributing coupling: a force and a moment at `point_mm` spread over the facets.

    The traction is linear over the surface, t(x) = F / A + theta x (x - c) with c the area
    centroid, and theta chosen so that the resultant force and the moment about `point_mm`
    equal the applied ones exactly (the RBE3 idea, with area weights).
    """
    F, M = np.asarray(force_N, float), np.asarray(moment_Nmm, float)
    A = fb.area_mm2
    centroid = fb.centroid_mm
    r = fb.x_fqi - centroid
    J = np.einsum("fq,fqk,fqk->", fb.dA_fq, r, r) * np.eye(3) - np.einsum("fq,fqi,fqj->ij", fb.dA_fq, r, r)
    moment_about_centroid = M + np.cross(np.asarray(point_mm, float) - centroid, F)
    theta = np.linalg.solve(J, moment_about_centroid)
    traction = F / A + np.cross(theta, r)
    return fb.nodal(traction, n_nodes)
