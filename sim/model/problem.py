"""Problem: the linear strategy: a Model assembled and factorized once, solved for any loads."""

import numpy as np

from ..clock import Clock
from ..fem import post
from ..fem.assembly import StiffnessAssembler
from ..fem.constraints import check_rigid_motion, constrained_matrix, constrained_rhs, rigid_modes
from ..fem.solvers import DirectSolver, IterativeSolver
from ..mesh import Mesh
from .model import Model, dirichlet, material_field  # noqa: F401  (dirichlet, material_field: re-exported)
from .spec import BoundarySpec, LoadSpec

# Above this size a direct factorization of a tet10 model needs more than ~4 GB (bench/bench_memory.py):
# "auto" switches to AMG-preconditioned conjugate gradients.
AUTO_DIRECT_MAX_DOFS = 300_000


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

    def _assemble(self, mesh: Mesh, materials: dict, boundaries: list[BoundarySpec]) -> None:
        """The model, per-cell stiffness and assembled K (before solving); timings_s: the wall and CPU time
        this took (s), phase 'assemble' of sim.clock.Clock.phases()."""
        clock = Clock()
        self.model = Model(mesh, materials, boundaries)
        self.mesh, self.basis = mesh, self.model.basis
        self.bc, self.set_dofs = self.model.bc, self.model.set_dofs
        self.D_ckl = self.model.D_ckl()
        self.assembler = StiffnessAssembler(self.basis)
        self.K = self.assembler(self.D_ckl)
        clock.lap("assemble")
        self.timings_s = clock.phases()

    @property
    def n_dofs(self) -> int:
        return self.K.shape[0]

    def load_vector(self, load: LoadSpec) -> np.ndarray:
        """Nodal forces (N) of one surface load."""
        return self.model.load_vector(load)

    def solve(self, f: np.ndarray) -> np.ndarray:
        """Displacements (mm) for load vector(s) f (N), with the prescribed displacements imposed."""
        return self.solver.solve(constrained_rhs(self.K, f, self.bc, self._diagonal))

    def strain_stress(self, u: np.ndarray):
        """Small strain (c, q, 6, engineering shear) and stress (c, q, 6) in MPa at quadrature points."""
        return post.strain_stress(self.basis, self.D_ckl, u)

    def residual(self, u: np.ndarray, f: np.ndarray) -> np.ndarray:
        """K u - f: the reaction forces (N) at constrained DOFs, ~0 elsewhere."""
        return self.K @ u - f
