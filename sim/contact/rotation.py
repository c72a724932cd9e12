"""Pseudo-joint rotation: the rigid rotation of one part relative to another, and the stiffness it gives.

A moment M (N mm) about an axis turns the distal part by theta relative to the proximal part; the
pseudo-joint stiffness is k = M / theta in N mm / deg. Each part's rotation is the least-squares rigid fit
u_i ~ t + w x (x_i - c) over its nodes (small rotations, w in rad).
"""

import numpy as np

from ..errors import InputError
from ..mesh import Mesh


def fit_rigid_motion(nodes_mm: np.ndarray, u_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best-fit translation (3,) mm of the centroid and small rotation vector (3,) rad of points (p, 3)."""
    centroid = nodes_mm.mean(axis=0)
    r = nodes_mm - centroid
    t = u_mm.mean(axis=0)
    J = np.einsum("pk,pk->", r, r) * np.eye(3) - r.T @ r
    if np.linalg.matrix_rank(J) < 3:
        raise InputError("cannot fit a rotation to fewer than three non-collinear nodes")
    return t, np.linalg.solve(J, np.cross(r, u_mm - t).sum(axis=0))


def relative_rotation_deg(mesh: Mesh, u_mm: np.ndarray, distal: str, proximal: str) -> np.ndarray:
    """Rotation vector (3,) in degrees of the set `distal` relative to the set `proximal` (node sets,
    facet sets or regions), from the displacement u (3 n,)."""
    u = np.asarray(u_mm, float).reshape(-1, 3)
    rotations = []
    for name in (distal, proximal):
        nodes = mesh.nodes_of(name)
        rotations.append(fit_rigid_motion(mesh.nodes_mm[nodes], u[nodes])[1])
    return np.degrees(rotations[0] - rotations[1])


def pseudo_joint(mesh: Mesh, u_mm: np.ndarray, moment_Nmm, distal: str, proximal: str) -> dict:
    """Rotation about the applied moment's axis and the pseudo-joint stiffness, as CSV-ready columns."""
    moment = np.asarray(moment_Nmm, float)
    size = np.linalg.norm(moment)
    if size == 0:
        raise InputError("pseudo-joint stiffness needs a non-zero moment")
    axis = moment / size
    theta = float(relative_rotation_deg(mesh, u_mm, distal, proximal) @ axis)
    k = size / theta if theta != 0 else float("inf")
    return {"pseudo_joint_rotation_deg": theta, "pseudo_joint_k_rot_Nmm_per_deg": k}
