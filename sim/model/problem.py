"""Problem: a mesh with materials and constraints, assembled and factorized once, solved for any loads."""

import numpy as np

from ..errors import InputError
from ..fem.assembly import StiffnessAssembler
from ..fem.basis import cell_basis
from ..fem.constraints import Dirichlet, check_rigid_motion, constrained_matrix, constrained_rhs, rigid_modes
from ..laws import Law, make_law
from ..fem import loads
from ..fem.solvers import DirectSolver, IterativeSolver
from ..fem.surface import facet_basis
from ..mesh import Mesh
from .spec import BoundarySpec, LoadSpec

# Above this size a direct factorization of a tet10 model needs more than ~4 GB (bench/bench_memory.py):
# "auto" switches to AMG-preconditioned conjugate gradients.
AUTO_DIRECT_MAX_DOFS = 300_000


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


class Problem:
    """Assembled, constrained and factorized linear-elastic model; loads in N, displacements in mm.

    The stiffness is factorized once: `solve` takes one load vector (3 n,) or many (3 n, k).
    """

    def __init__(self, mesh: Mesh, materials: dict[str, dict], boundaries: list[BoundarySpec],
                 method: str = "auto", backend: str = "auto"):
        self._assemble(mesh, materials, boundaries)
        check_rigid_motion(mesh, self.bc.dofs)
        self._diagonal = self.K.diagonal().mean()
        Kc = constrained_matrix(self.K, self.bc.dofs, self._diagonal)
        if method == "auto":
            method = "direct" if self.K.shape[0] <= AUTO_DIRECT_MAX_DOFS else "iterative"
        self.method = method
        if method == "iterative":
            free = np.ones(self.K.shape[0], bool)
            free[self.bc.dofs] = False
            self.solver = IterativeSolver(Kc, rigid_modes(mesh.nodes_mm) * free[:, None])
        else:
            self.solver = DirectSolver(Kc, backend)

    def _assemble(self, mesh: Mesh, materials: dict[str, dict], boundaries: list[BoundarySpec]) -> None:
        """Basis, per-cell stiffness, assembled K and the prescribed displacements (before solving)."""
        self.mesh = mesh
        self.basis = cell_basis(mesh)
        self.D_ckl = material_field(mesh, materials)
        self.assembler = StiffnessAssembler(self.basis)
        self.K = self.assembler(self.D_ckl)
        self.bc, self.set_dofs = dirichlet(mesh, boundaries)

    @property
    def n_dofs(self) -> int:
        return self.K.shape[0]

    def load_vector(self, load: LoadSpec) -> np.ndarray:
        """Nodal forces (N) of one surface load."""
        fb = facet_basis(self.mesh, self.mesh.facets_of(load.set))
        n = self.mesh.n_nodes
        if load.kind == "pressure":
            return loads.pressure(fb, load.pressure_MPa, n)
        if load.kind == "force":
            return loads.total_force(fb, load.force_N, n)
        point = load.point_mm if load.point_mm is not None else fb.centroid_mm
        moment = load.moment_Nmm if load.moment_Nmm is not None else (0.0, 0.0, 0.0)
        return loads.coupling(fb, point, load.force_N, moment, n)

    def solve(self, f: np.ndarray) -> np.ndarray:
        """Displacements (mm) for load vector(s) f (N), with the prescribed displacements imposed."""
        return self.solver.solve(constrained_rhs(self.K, f, self.bc, self._diagonal))

    def residual(self, u: np.ndarray, f: np.ndarray) -> np.ndarray:
        """K u - f: the reaction forces (N) at constrained DOFs, ~0 elsewhere."""
        return self.K @ u - f
