"""Index helpers shared by the material laws: Voigt order xx, yy, zz, yz, xz, xy (engineering shear)."""

import numpy as np

VOIGT = np.array([[0, 0], [1, 1], [2, 2], [1, 2], [0, 2], [0, 1]])
VOIGT_OF = np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2]])  # Voigt index of the tensor index pair (i, j)
I3 = np.eye(3)


def tensor4(D: np.ndarray) -> np.ndarray:
    """Fourth-order tensor C_IJKL (..., 3, 3, 3, 3) of a Voigt stiffness D (..., 6, 6)."""
    return D[..., VOIGT_OF[:, :, None, None], VOIGT_OF[None, None]]


def voigt4(C: np.ndarray) -> np.ndarray:
    """Voigt stiffness D (..., 6, 6) of a fourth-order tensor with minor symmetries."""
    return C[..., VOIGT[:, 0], VOIGT[:, 1], :, :][..., VOIGT[:, 0], VOIGT[:, 1]]


def voigt_strain(E: np.ndarray) -> np.ndarray:
    """Voigt strain (..., 6), engineering shear, of a symmetric strain tensor (..., 3, 3)."""
    return E[..., VOIGT[:, 0], VOIGT[:, 1]] * np.array([1, 1, 1, 2, 2, 2])


def from_voigt_stress(s: np.ndarray) -> np.ndarray:
    """Symmetric stress tensor (..., 3, 3) of a Voigt stress (..., 6)."""
    return s[..., VOIGT_OF]


def outer(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """(A x B)_IJKL = A_IJ B_KL."""
    return A[..., :, :, None, None] * B[..., None, None, :, :]


def sym_product(A: np.ndarray) -> np.ndarray:
    """(A (.) A)_IJKL = (A_IK A_JL + A_IL A_JK) / 2 for symmetric A (..., 3, 3)."""
    return 0.5 * (np.einsum("...IK,...JL->...IJKL", A, A) + np.einsum("...IL,...JK->...IJKL", A, A))
