"""Toe dorsiflexion at push-off: each proximal phalanx turned up about its metatarsophalangeal (MTP) joint by a
prescribed rigid rotation before the push-off load is applied (finite kinematics only; mm, degrees, N).

The joint axis of each ray is transverse (the foot's y axis: every ray's axis lies in an x-z plane) through
the centre of its head sphere, about which the phalanx's base is concentric, so the turn slides the base over
the head through the joint's cartilage. The plantar tissue is not told anything: it follows the bones (the
windlass pulls the pad under the heads distally and stretches it round the head).

How the turn is prescribed: only the x (anterior) displacement of every phalanx node is held, at its value in
the rigid rotation. For a (near) rigid phalanx that fixes the rotation about y and z and the x translation,
but leaves it free to sink with its metatarsal head (z) and to move sideways (y): the phalanx follows the ray
under load, and the reactions that hold it are horizontal (the toe's tendons run along it), so the vertical
forces through the rays, the envelope and the ground still add up to the applied load. Reported per ray: the
phalanx's best-fit rotation about y (Kabsch) and how far its nodes are from that rigid motion.

Typical value: 42 deg, the mean peak dorsiflexion of the first MTP joint during walking (33 healthy adults,
electromagnetic tracking of the hallux against the first metatarsal: Nawoczenski, Baumhauer & Umberger
1999, J Bone Joint Surg Am 81:370). That is the peak, reached as the toe leaves the ground; at the push-off
force peak the joint is turned less. The lesser toes get the same angle here [est].
"""

import numpy as np

PHALANX_REGIONS = ("phalanx_cortical", "phalanx_cancellous")
TYPICAL_DEG = 42.0  # Nawoczenski et al. 1999: mean peak first-MTP dorsiflexion in walking
MAX_DEG = 60.0  # beyond the gait peak (42) and the active weight-bearing range measured there (44) [range]
STEP_DEG = 6.0  # the turn is prescribed in steps of at most this angle (Newton from the previous one)


def dorsiflexion_matrix(angle_deg: float) -> np.ndarray:
    """Rotation (3, 3) about the transverse axis y that turns the anterior axis x up (+z) by angle_deg."""
    a = np.radians(angle_deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0.0, -s], [0.0, 1.0, 0.0], [s, 0.0, c]])


def phalanx_nodes(fm) -> dict[int, np.ndarray]:
    """Ray -> the nodes (k,) of its proximal phalanx (cortical and cancellous cells)."""
    mesh = fm.mesh
    ids = [mesh.region_ids[r] for r in PHALANX_REGIONS if r in mesh.region_ids]
    bone = np.isin(mesh.region, ids)
    return {f.ray: np.unique(mesh.cells[bone & (fm.cell_ray == f.ray)]) for f in fm.rays}


def rigid_turn_mm(fm, nodes: dict, angle_deg: float) -> dict[int, np.ndarray]:
    """Ray -> displacement (k, 3) mm of its phalanx nodes (nodes: ray -> (k,)) under the rigid turn by
    angle_deg about its head centre."""
    R = dorsiflexion_matrix(angle_deg)
    out = {}
    for f in fm.rays:
        X = fm.mesh.nodes_mm[nodes[f.ray]]
        c = np.asarray(f.head_centre_mm)
        out[f.ray] = (X - c) @ R.T + c - X
    return out


def toe_constraint(fm, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(dofs, values mm) holding the x displacement of every phalanx node at the rigid turn by angle_deg."""
    nodes = phalanx_nodes(fm)
    turn = rigid_turn_mm(fm, nodes, angle_deg)
    rays = sorted(nodes)
    dofs = np.concatenate([3 * nodes[r] for r in rays]).astype(np.int64)
    return dofs, np.concatenate([turn[r][:, 0] for r in rays])


def turn_steps(angle_deg: float) -> np.ndarray:
    """The angles (deg) the turn passes through: equal steps of at most STEP_DEG ending at angle_deg."""
    n = int(np.ceil(angle_deg / STEP_DEG - 1e-9))
    return angle_deg * np.arange(1, n + 1) / n


def fitted_turn(X_mm: np.ndarray, x_mm: np.ndarray) -> tuple[float, float]:
    """Best-fit rigid motion X -> x (Kabsch): its rotation about y (deg, + = toes up, from the rotated x axis)
    and the RMS distance (mm) of the points from it."""
    P, Q = X_mm - X_mm.mean(axis=0), x_mm - x_mm.mean(axis=0)
    U, _, Vt = np.linalg.svd(P.T @ Q)
    d = np.sign(np.linalg.det(Vt.T @ U.T))
    R = Vt.T @ np.diag([1.0, 1.0, d]) @ U.T
    rms = float(np.sqrt(((P @ R.T - Q) ** 2).sum(axis=1).mean()))
    ex = R[:, 0]
    return float(np.degrees(np.arctan2(ex[2], ex[0]))), rms


def toe_columns(fm, u_mm: np.ndarray, angle_deg: float) -> dict:
    """The prescribed angle and per ray the phalanx's fitted turn (deg) and its RMS distance from rigid (mm)."""
    out = {"toe_dorsiflexion_deg": angle_deg}
    u = u_mm.reshape(-1, 3)
    for ray, nodes in phalanx_nodes(fm).items():
        X = fm.mesh.nodes_mm[nodes]
        turn, rms = fitted_turn(X, X + u[nodes])
        out.update({f"ray{ray}_toe_turn_deg": turn, f"ray{ray}_phalanx_rigid_rms_mm": rms})
    return out
