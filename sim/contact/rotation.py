"""Rigid rotation of one part of a mesh relative to another, as the pseudo-joint measures need.

Each part's rotation is the least-squares rigid fit u_i ~ t + w x (x_i - c) over its nodes (small
rotations, w in rad).
"""

import numpy as np

from ..errors import InputError


def fit_rigid_motion(nodes_mm: np.ndarray, u_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best-fit translation (3,) mm of the centroid and small rotation vector (3,) rad of points (p, 3)."""
    p = len(nodes_mm)
    return u_mm.mean(axis=0), rotation_weights(nodes_mm, np.arange(p), p) @ np.ravel(u_mm)


def rotation_weights(nodes_mm: np.ndarray, nodes: np.ndarray, n_nodes: int) -> np.ndarray:
    """The small-rotation fit of fit_rigid_motion as a linear map: W (3, 3 n_nodes) with w = W u (rad) for
    the displacement u (3 n_nodes,) in mm, the fit over the points `nodes` (index array) of nodes_mm (n, 3)
    (w = J^-1 sum_p r_p x u_p, since the r_p sum to zero)."""
    r = nodes_mm[nodes] - nodes_mm[nodes].mean(axis=0)
    J = np.einsum("pk,pk->", r, r) * np.eye(3) - r.T @ r
    if np.linalg.matrix_rank(J) < 3:
        raise InputError("cannot fit a rotation to fewer than three non-collinear nodes")
    skew = np.zeros((len(nodes), 3, 3))  # r_p x u_p = skew_p u_p
    skew[:, 0, 1], skew[:, 0, 2], skew[:, 1, 2] = -r[:, 2], r[:, 1], -r[:, 0]
    skew -= skew.transpose(0, 2, 1)
    W = np.zeros((3, n_nodes, 3))
    W[:, nodes, :] = np.einsum("ij,pjk->ipk", np.linalg.inv(J), skew)
    return W.reshape(3, -1)


def fit_finite_rotation(nodes_mm: np.ndarray, u_mm: np.ndarray) -> np.ndarray:
    """Best-fit rotation matrix (3, 3) taking points (p, 3) to points + u, any angle (least squares about
    the centroids: the Kabsch / polar-decomposition solution)."""
    X = nodes_mm - nodes_mm.mean(axis=0)
    Y = nodes_mm + u_mm - (nodes_mm + u_mm).mean(axis=0)
    U, _, Vt = np.linalg.svd(X.T @ Y)
    d = np.sign(np.linalg.det(Vt.T @ U.T))
    return Vt.T @ np.diag([1.0, 1.0, d]) @ U.T


def relative_rotation_deg(nodes_mm: np.ndarray, u_mm: np.ndarray, distal: np.ndarray,
                          proximal: np.ndarray, finite: bool = False) -> np.ndarray:
    """Rotation vector (3,) in degrees of the nodes `distal` relative to the nodes `proximal` (index
    arrays), from the displacement u (3 n,) in mm of nodes (n, 3) in mm. finite=True fits finite rotations
    (for displacements from a finite-strain solve); the default is the small-rotation fit."""
    u = np.asarray(u_mm, float).reshape(-1, 3)
    if finite:
        from scipy.spatial.transform import Rotation

        R_d, R_p = (fit_finite_rotation(nodes_mm[nodes], u[nodes]) for nodes in (distal, proximal))
        return np.degrees(Rotation.from_matrix(R_d @ R_p.T).as_rotvec())
    distal_w, proximal_w = (fit_rigid_motion(nodes_mm[nodes], u[nodes])[1] for nodes in (distal, proximal))
    return np.degrees(distal_w - proximal_w)
