"""Integration over facet sets: points, outward normals and area weights of tri3/tri6 facets."""

from dataclasses import dataclass

import numpy as np

from ..mesh import Mesh
from ..mesh.topology import facet_owner
from .elements import tri_shape
from .quadrature import tri_rule


@dataclass(frozen=True)
class FacetBasis:
    """Facet shape functions N_qa, points x_fqi (mm), unit outward normals n_fqi and dA_fq (mm^2)."""

    facets: np.ndarray
    N_qa: np.ndarray
    x_fqi: np.ndarray
    n_fqi: np.ndarray
    dA_fq: np.ndarray

    @property
    def area_mm2(self) -> float:
        return float(self.dA_fq.sum())

    @property
    def centroid_mm(self) -> np.ndarray:
        """Area centroid (3,) of the facets in mm."""
        return np.einsum("fqi,fq->i", self.x_fqi, self.dA_fq) / self.area_mm2

    def nodal(self, values_fqi: np.ndarray, n_nodes: int) -> np.ndarray:
        """Consistent nodal vector (3 n,) of a surface density values_fqi (per mm^2)."""
        fa = np.einsum("qa,fqi,fq->fai", self.N_qa, values_fqi, self.dA_fq)
        out = np.zeros((n_nodes, 3))
        np.add.at(out, self.facets, fa)
        return out.ravel()


def facet_basis(mesh: Mesh, facets: np.ndarray, degree: int = 4) -> FacetBasis:
    """Basis on facets (f, 3|6); normals point out of the cell that owns each facet."""
    order = 1 if facets.shape[1] == 3 else 2
    points, weights = tri_rule(degree)
    N, dN = tri_shape(points, order)
    xf = mesh.nodes_mm[facets]
    x = np.einsum("qa,fai->fqi", N, xf)
    tangents = np.einsum("qak,fai->fqik", dN, xf)
    normal = np.cross(tangents[..., 0], tangents[..., 1])
    jac = np.linalg.norm(normal, axis=-1)
    normal /= jac[..., None]
    owner = facet_owner(mesh, facets)
    owner_centre = mesh.nodes_mm[mesh.cells[np.maximum(owner, 0), :4]].mean(axis=1)
    outward = np.einsum("fqi,fi->f", normal, xf[:, :3].mean(axis=1) - owner_centre) >= 0
    normal *= np.where(outward, 1.0, -1.0)[:, None, None]
    return FacetBasis(facets, N, x, normal, jac * weights)
