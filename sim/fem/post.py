"""Post-processing: strain and stress at quadrature points, invariants, nodal recovery, reactions, region statistics.

Stresses in MPa, strains dimensionless (Voigt, engineering shear), energies in mJ/mm^3 (= MPa).
"""

import numpy as np

from .basis import CellBasis
from .elements import tet_shape
from .kinematics import strain

_TENSOR = np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2]])


def strain_stress(basis: CellBasis, D_ckl: np.ndarray, u: np.ndarray):
    """Strain (c, q, 6) and stress (c, q, 6) in MPa from the global displacement u (3 n,) in mm."""
    u_cai = u.reshape(-1, 3)[basis.mesh.cells]
    eps = strain(basis.grad_cqai, u_cai)
    return eps, np.einsum("ckl,cql->cqk", D_ckl, eps)


def tensor(voigt_stress: np.ndarray) -> np.ndarray:
    """(..., 3, 3) symmetric tensor from a Voigt stress (..., 6)."""
    return voigt_stress[..., _TENSOR]


def strain_tensor(voigt_strain: np.ndarray) -> np.ndarray:
    """(..., 3, 3) symmetric (tensor) strain from a Voigt strain (..., 6) with engineering shear."""
    return tensor(voigt_strain * np.array([1.0, 1.0, 1.0, 0.5, 0.5, 0.5]))


def von_mises(s: np.ndarray) -> np.ndarray:
    """Von Mises equivalent stress (MPa) of Voigt stresses (..., 6)."""
    d = s[..., :3] - s[..., :3].mean(axis=-1, keepdims=True)
    return np.sqrt(1.5 * (d**2).sum(axis=-1) + 3.0 * (s[..., 3:] ** 2).sum(axis=-1))


def principal(s: np.ndarray) -> np.ndarray:
    """Principal stresses (..., 3), ascending (min, mid, max), in MPa; NaN where the stress is not finite
    (a gait frame past a limit point, which the solve did not reach)."""
    t = tensor(s)
    finite = np.isfinite(t).all(axis=(-2, -1))
    out = np.full(t.shape[:-1], np.nan)
    out[finite] = np.linalg.eigvalsh(t[finite])
    return out


def principal_axes(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Principal stresses (..., 3) ascending (MPa) and their unit directions (..., 3, 3), direction k in [..., :, k]."""
    return np.linalg.eigh(tensor(s))


def strain_energy_density(eps: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Strain energy density 0.5 sigma : eps (MPa = mJ/mm^3)."""
    return 0.5 * (eps * s).sum(axis=-1)


def to_nodes(basis: CellBasis, values_cq: np.ndarray) -> np.ndarray:
    """Recover quadrature-point values (c, q) or (c, q, k) to nodes, (n,) or (n, k): linear least-squares
    fit per cell, evaluated at its corners (edge nodes take the mean of their corners), averaged by cell volume."""
    N1, _ = tet_shape(basis.points_qk, 1)
    corner_cak = np.einsum("aq,cqk->cak", np.linalg.pinv(N1), values_cq.reshape(*values_cq.shape[:2], -1))
    mesh = basis.mesh
    if mesh.order == 2:
        from ..mesh.mesh import TET10_EDGES

        corner_cak = np.concatenate([corner_cak, corner_cak[:, TET10_EDGES].mean(axis=2)], axis=1)
    weight_c = basis.dV_cq.sum(axis=1)
    count = np.bincount(mesh.cells.ravel(), np.repeat(weight_c, mesh.cells.shape[1]), mesh.n_nodes)
    nodal = np.column_stack([np.bincount(mesh.cells.ravel(), (corner_cak[..., k] * weight_c[:, None]).ravel(),
                                         mesh.n_nodes) for k in range(corner_cak.shape[2])])
    nodal /= np.where(count > 0, count, 1.0)[:, None]
    return nodal.reshape(mesh.n_nodes, *values_cq.shape[2:])


def cell_mean(basis: CellBasis, values_cq: np.ndarray) -> np.ndarray:
    """Volume average over each cell of quadrature-point values (c, q) or (c, q, k)."""
    dV_cq = basis.dV_cq.reshape(basis.dV_cq.shape + (1,) * (values_cq.ndim - 2))
    return (values_cq * dV_cq).sum(axis=1) / dV_cq.sum(axis=1)


def reactions(residual: np.ndarray, nodes_mm: np.ndarray, set_dofs: dict[str, np.ndarray]) -> dict:
    """Reaction force (N) and moment about the origin (N mm) per constrained set.

    residual = K u - f_applied (3 n,); set_dofs maps each set to the constrained DOFs it owns.
    """
    out = {}
    for name, dofs in set_dofs.items():
        r = np.zeros_like(residual)
        r[dofs] = residual[dofs]
        r = r.reshape(-1, 3)
        out[name] = (r.sum(axis=0), np.cross(nodes_mm, r).sum(axis=0))
    return out


def weighted_percentile(values: np.ndarray, weights: np.ndarray, percent: float) -> float:
    """The value below which `percent` % of the total weight (volume) lies: in ascending order of the
    values, the first whose cumulative weight reaches percent / 100 of the total.

    Only the values above the percentile need ordering: the largest few are partitioned off (O(n)) and
    sorted, with more taken until the rest weighs less than the percentile's share."""
    v, w = values.ravel(), weights.ravel()
    n = len(v)
    top = 2 * int(n * (1.0 - percent / 100.0)) + 64
    while True:
        if top >= n:
            upper, below = np.arange(n), 0.0
        else:
            split = np.argpartition(v, n - top)
            upper, below = split[n - top:], w[split[:n - top]].sum()
        order = upper[np.argsort(v[upper])]
        cumulative = below + np.cumsum(w[order])
        target = percent / 100.0 * cumulative[-1]
        if top >= n or below < target:
            return float(v[order[min(np.searchsorted(cumulative, target), len(order) - 1)]])
        top *= 4


def region_stats(basis: CellBasis, values_cq: np.ndarray, percentile: float = 99.0) -> dict[str, dict]:
    """Per region: volume_mm3, volume-weighted mean, robust peak (percentile by volume) and max."""
    mesh = basis.mesh
    out = {}
    for rid, name in sorted(mesh.region_names.items()):
        cells = mesh.region == rid
        if not cells.any():
            continue
        v, w = values_cq[cells], basis.dV_cq[cells]
        out[name] = {"volume_mm3": float(w.sum()), "mean": float((v * w).sum() / w.sum()),
                     f"p{percentile:g}": weighted_percentile(v, w, percentile), "max": float(v.max())}
    return out
