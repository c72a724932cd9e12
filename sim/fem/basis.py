"""Per-cell geometry that never changes for a mesh: physical shape gradients and dV at quadrature points."""

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..mesh import Mesh
from .elements import tet_shape
from .quadrature import tet_rule

_DEGENERATE = 1e-10  # |det J| relative to the cell's edge length cubed


@dataclass(frozen=True)
class CellBasis:
    """Shape functions N (q, a), physical gradients grad_cqai (1/mm) and volume weights dV_cq (mm^3)."""

    mesh: Mesh
    points_qk: np.ndarray
    N_qa: np.ndarray
    grad_cqai: np.ndarray
    dV_cq: np.ndarray

    @property
    def x_cqi(self) -> np.ndarray:
        """Physical coordinates of the quadrature points (mm)."""
        return np.einsum("qa,cai->cqi", self.N_qa, self.mesh.nodes_mm[self.mesh.cells])


def jacobians(mesh: Mesh, dN_qak: np.ndarray) -> np.ndarray:
    """Jacobians dx/dxi (c, q, 3, 3) at reference points with shape gradients dN_qak."""
    return np.einsum("cai,qak->cqik", mesh.nodes_mm[mesh.cells], dN_qak)


def check_cells(mesh: Mesh) -> None:
    """Raise InputError naming the first inverted or degenerate cell (Jacobian checked at the corners)."""
    corners = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    points = np.vstack([corners, [[0.25, 0.25, 0.25]]])
    _, dN = tet_shape(points, mesh.order)
    det = np.linalg.det(jacobians(mesh, dN))
    xyz = mesh.nodes_mm[mesh.cells[:, :4]]
    h = np.linalg.norm(xyz[:, 1:] - xyz[:, :1], axis=2).max(axis=1)
    bad_degenerate = np.abs(det).min(axis=1) <= _DEGENERATE * h**3
    bad_inverted = (det < 0).any(axis=1) & ~bad_degenerate
    for bad, what in ((bad_inverted, "inverted (negative Jacobian)"), (bad_degenerate, "degenerate (zero volume)")):
        if bad.any():
            c = int(np.flatnonzero(bad)[0])
            region = mesh.region_names.get(int(mesh.region[c]), mesh.region[c])
            raise InputError(f"cell {c} in region '{region}' is {what}: nodes {mesh.cells[c, :4].tolist()}"
                             f" ({int(bad.sum())} such cells)")


def cell_basis(mesh: Mesh, degree: int | None = None) -> CellBasis:
    """Precompute the basis; `degree` defaults to the exact degree for the stiffness (2*(order-1))."""
    check_cells(mesh)
    points, weights = tet_rule(2 * (mesh.order - 1) if degree is None else degree)
    N, dN = tet_shape(points, mesh.order)
    J = jacobians(mesh, dN)
    det = np.linalg.det(J)
    grad = np.einsum("qak,cqki->cqai", dN, np.linalg.inv(J))
    return CellBasis(mesh, points, N, grad, det * weights)
