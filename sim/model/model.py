"""The model, apart from any strategy that solves it: mesh, basis, a material law per region, constraints
and load vectors. Strategies (model/problem.py linear, contact/problem.py contact, model/finite.py Newton)
take a Model and solve it."""

import numpy as np

from ..errors import InputError
from ..fem import loads
from ..fem.basis import cell_basis
from ..fem.constraints import Dirichlet
from ..fem.surface import facet_basis
from ..laws import Law, make_law
from ..mesh import Mesh
from .spec import BoundarySpec, LoadSpec


def region_laws(mesh: Mesh, materials: dict[str, Law | dict]) -> dict[int, Law]:
    """The law of every region id, from a law (or its table) per region name; every region needs one."""
    regions = mesh.region_ids
    for name in materials:
        if name not in regions:
            raise InputError(f"material given for region '{name}', which the mesh does not have;"
                             f" regions are: {', '.join(sorted(regions))}")
    laws = {}
    for name, rid in regions.items():
        if name not in materials:
            raise InputError(f"region '{name}' has no material; give [materials.{name}]")
        laws[rid] = make_law(materials[name], f"material of region '{name}'")
    return laws


def material_field(mesh: Mesh, materials: dict[str, Law | dict]) -> np.ndarray:
    """Per-cell small-strain stiffness D (c, 6, 6) in MPa from a law (or its table) per region name."""
    D = np.empty((mesh.n_cells, 6, 6))
    for rid, law in region_laws(mesh, materials).items():
        D[mesh.region == rid] = law.D
    return D


def dirichlet(mesh: Mesh, boundaries: list[BoundarySpec]) -> tuple[Dirichlet, dict[str, np.ndarray]]:
    """Constraints and, per set, the constrained DOFs it owns (a DOF belongs to the first set naming it)."""
    parts, owned, taken = [], {}, np.zeros(3 * mesh.n_nodes, bool)
    for bc in boundaries:
        nodes = mesh.nodes_of(bc.set)
        for comp, val in bc.values_mm.items():
            parts.append((3 * nodes + comp, np.full(len(nodes), val)))
        dofs = (3 * nodes[:, None] + np.array(sorted(bc.values_mm))).ravel()
        mine = dofs[~taken[dofs]]
        taken[mine] = True
        owned[bc.set] = np.union1d(owned.get(bc.set, []), mine).astype(np.int64)
    return Dirichlet.combine(parts), owned


class Model:
    """Mesh (mm), basis, laws (region id -> law), constraints bc and the constrained DOFs of each set."""

    def __init__(self, mesh: Mesh, materials: dict[str, Law | dict], boundaries: list[BoundarySpec]):
        self.mesh = mesh
        self.basis = cell_basis(mesh)
        self.laws = region_laws(mesh, materials)
        self.bc, self.set_dofs = dirichlet(mesh, boundaries)

    @property
    def n_dofs(self) -> int:
        return 3 * self.mesh.n_nodes

    def D_ckl(self) -> np.ndarray:
        """Per-cell small-strain stiffness (c, 6, 6) in MPa."""
        D = np.empty((self.mesh.n_cells, 6, 6))
        for rid, law in self.laws.items():
            D[self.mesh.region == rid] = law.D
        return D

    def load_vector(self, load: LoadSpec) -> np.ndarray:
        """Nodal forces (N) of one surface load (in the reference configuration: a dead load)."""
        fb = facet_basis(self.mesh, self.mesh.facets_of(load.set))
        n = self.mesh.n_nodes
        if load.kind == "pressure":
            return loads.pressure(fb, load.pressure_MPa, n)
        if load.kind == "force":
            return loads.total_force(fb, load.force_N, n)
        point = load.point_mm if load.point_mm is not None else fb.centroid_mm
        moment = load.moment_Nmm if load.moment_Nmm is not None else (0.0, 0.0, 0.0)
        return loads.coupling(fb, point, load.force_N, moment, n)
