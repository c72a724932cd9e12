"""Linear solvers for the constrained stiffness: a direct factorization (PARDISO when installed, else
SuperLU) reused for any number of right-hand sides, and AMG-preconditioned conjugate gradients."""

import os
import weakref
from importlib import metadata

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def _point_pypardiso_at_mkl() -> None:
    """Tell pypardiso where MKL's runtime library is (PYPARDISO_MKL_RT), from the file list of the
    installed 'mkl' package. Otherwise importing pypardiso, and each new solver, searches all of
    sys.prefix for it in every process (every worker of a parallel run): seconds in a large environment."""
    if "PYPARDISO_MKL_RT" in os.environ:
        return
    try:
        files = metadata.files("mkl") or []
    except metadata.PackageNotFoundError:
        return
    found = sorted((str(f.locate()) for f in files if f.name.startswith("libmkl_rt")), key=len)
    if found:
        os.environ["PYPARDISO_MKL_RT"] = found[0]


_point_pypardiso_at_mkl()

try:
    import pypardiso
except ImportError:  # not available on every platform; SuperLU is the fallback
    pypardiso = None


def pardiso_solver(mtype: int):
    """A new PyPardisoSolver of PARDISO matrix type `mtype` (2 SPD, -2 symmetric indefinite, 11 unsymmetric),
    remembering where MKL's runtime is if it had to search for it."""
    solver = pypardiso.PyPardisoSolver(mtype=mtype)
    os.environ.setdefault("PYPARDISO_MKL_RT", solver.libmkl._name)
    return solver


class DirectSolver:
    """Factor a symmetric positive definite K once; solve(b) for b of shape (n,) or (n, k).

    With PARDISO, `pardiso` is the factorized solver and `upper` the upper triangle it factorized.
    """

    def __init__(self, K: sp.csr_matrix, backend: str = "auto"):
        if backend == "auto":
            backend = "pardiso" if pypardiso is not None else "superlu"
        self.backend = backend
        if backend == "pardiso":
            if pypardiso is None:
                raise RuntimeError("pypardiso is not installed")
            self.upper = sp.triu(K, format="csr")
            self.upper.sort_indices()
            self.pardiso = pardiso_solver(mtype=2)
            self.pardiso.factorize(self.upper)
            weakref.finalize(self, self.pardiso.free_memory, True)
        elif backend == "superlu":
            self._lu = spla.splu(K.tocsc(), permc_spec="MMD_AT_PLUS_A")
        else:
            raise ValueError(f"unknown direct solver backend '{backend}'")

    def solve(self, b: np.ndarray) -> np.ndarray:
        if self.backend == "pardiso":
            x = self.pardiso.solve(self.upper, np.asfortranarray(b))
            return x.reshape(b.shape)
        return self._lu.solve(b)


class IterativeSolver:
    """Conjugate gradients preconditioned by smoothed-aggregation AMG built on the rigid-body modes."""

    def __init__(self, K: sp.csr_matrix, rigid_modes: np.ndarray, rtol: float = 1e-10, maxiter: int = 2000):
        import pyamg

        self.K, self.rtol, self.maxiter = K, rtol, maxiter
        hierarchy = pyamg.smoothed_aggregation_solver(K, B=rigid_modes, symmetry="hermitian",
                                                      strength=("symmetric", {"theta": 0.0}))
        self._M = hierarchy.aspreconditioner(cycle="V")
        self.iterations: list[int] = []

    def solve(self, b: np.ndarray) -> np.ndarray:
        columns = b.reshape(len(b), -1)
        x = np.empty_like(columns)
        for k in range(columns.shape[1]):
            count = [0]
            x[:, k], info = spla.cg(self.K, columns[:, k], rtol=self.rtol, maxiter=self.maxiter, M=self._M,
                                    callback=lambda _: count.__setitem__(0, count[0] + 1))
            if info != 0:
                raise RuntimeError(f"conjugate gradients did not converge in {self.maxiter} iterations")
            self.iterations.append(count[0])
        return x.reshape(b.shape)
