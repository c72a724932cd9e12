"""The Newton solver's linear step keeps PARDISO's symbolic analysis while the tangent's pattern stays the same:
the solutions equal SuperLU's on the same systems, the analysis (PARDISO phase 11) runs once per pattern,
a changed pattern is analysed again, and a multi-iteration finite-strain solve gives the same displacement
as one that analyses every tangent afresh."""

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from sim.mesh.box import box_mesh
from sim.model import BoundarySpec
from sim.model.finite import FiniteProblem
from sim.solve import tangent_solver
from sim.solve.tangent_solver import SMALL_DOFS, TangentSolver

pypardiso = pytest.importorskip("pypardiso")


@pytest.fixture
def phases(monkeypatch):
    """The PARDISO phases called, recorded at pypardiso's own entry point (not by the solver under test)."""
    called = []
    original = pypardiso.PyPardisoSolver._call_pardiso

    def record(self, A, b):
        called.append(int(self.phase))
        return original(self, A, b)

    monkeypatch.setattr(pypardiso.PyPardisoSolver, "_call_pardiso", record)
    return called


def laplacian(n: int, shift: float, seed: int, symmetric: bool = True) -> sp.csr_matrix:
    """A sparse nonsingular n x n matrix with random values on a fixed banded pattern."""
    rng = np.random.default_rng(seed)
    offsets = [-37, -1, 1, 37]
    K = sp.diags([rng.uniform(-1, 0, n - abs(k)) for k in offsets], offsets, shape=(n, n))
    K = (K + K.T) if symmetric else K
    return (K + sp.diags(np.abs(K).sum(axis=1).A1 + shift)).tocsr()


@pytest.mark.parametrize("symmetric", [True, False])
def test_one_analysis_per_pattern_and_the_solutions_of_a_direct_solver(phases, symmetric):
    n = SMALL_DOFS + 200
    b = np.random.default_rng(0).normal(size=n)
    with TangentSolver(symmetric) as linear:
        for seed in range(3):  # three tangents on one pattern
            K = laplacian(n, 0.1 * (seed + 1), seed, symmetric)
            x = linear.solve(K, b)
            assert np.linalg.norm(x - spla.spsolve(K.tocsc(), b)) <= 1e-10 * np.linalg.norm(x)
        assert linear.analyses == 1 and phases.count(11) == 1 and phases.count(22) == 3
        K = (K + sp.csr_matrix(([0.5, 0.5], ([0, 100], [100, 0])), shape=(n, n))).tocsr()  # an entry more
        x = linear.solve(K, b)
        assert np.linalg.norm(x - spla.spsolve(K.tocsc(), b)) <= 1e-10 * np.linalg.norm(x)
        assert linear.analyses == 2 and phases.count(11) == 2
    assert phases[-1] == -1  # freed on leaving


def test_unsorted_indices_give_the_same_upper_triangle(phases):
    n = SMALL_DOFS + 10
    K = laplacian(n, 1.0, 4)
    shuffled = K.copy()
    for i in range(n):  # reverse each row's entries
        lo, hi = shuffled.indptr[i], shuffled.indptr[i + 1]
        shuffled.indices[lo:hi] = shuffled.indices[lo:hi][::-1].copy()
        shuffled.data[lo:hi] = shuffled.data[lo:hi][::-1].copy()
    shuffled.has_sorted_indices = False
    b = np.ones(n)
    with TangentSolver(True) as linear:
        assert np.allclose(linear.solve(shuffled, b), spla.spsolve(K.tocsc(), b), rtol=1e-10, atol=0)


def test_a_finite_strain_solve_analyses_once_and_matches_fresh_analyses(phases, monkeypatch):
    mesh = box_mesh((10, 4, 4), (5.0, 1.0, 1.0), order=2)  # 5 103 DOFs: PARDISO's side of SMALL_DOFS

    def bent():
        bcs = [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("xmax", {0: 0.0, 1: 0.0, 2: 1.5})]
        problem = FiniteProblem(mesh, {"domain": {"model": "neo_hookean", "E_MPa": 3.0, "nu": 0.3}}, bcs,
                                increments=2)
        assert problem.n_dofs > SMALL_DOFS
        return problem, problem.solve(np.zeros(problem.n_dofs))

    problem, u = bent()
    iterations = sum(problem.last.iterations)
    assert iterations >= 4
    assert phases.count(11) == 1 and phases.count(22) == iterations and phases[-1] == -1
    fresh_solve = TangentSolver.solve

    def fresh(self, K, b):  # analyse every tangent, as before the reuse
        self.free()
        return fresh_solve(self, K, b)

    monkeypatch.setattr(tangent_solver.TangentSolver, "solve", fresh)
    _, u_fresh = bent()
    assert phases.count(11) == 1 + iterations
    assert np.linalg.norm(u - u_fresh) <= 1e-10 * np.linalg.norm(u)
