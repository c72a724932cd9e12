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


def det_inv3(A: np.ndarray):
    """Determinant (...) and inverse (..., 3, 3) of 3x3 matrices A (..., 3, 3), in closed form (the adjugate
    over the determinant; a zero determinant gives inf/NaN entries, for the caller to catch)."""
    a = np.ascontiguousarray(A.reshape(-1, 9).T)  # one row per entry: the products below run on contiguous rows
    adjugate = np.empty_like(a)
    adjugate[0] = a[4] * a[8] - a[5] * a[7]
    adjugate[3] = a[5] * a[6] - a[3] * a[8]
    adjugate[6] = a[3] * a[7] - a[4] * a[6]
    det = a[0] * adjugate[0] + a[1] * adjugate[3] + a[2] * adjugate[6]
    adjugate[1] = a[2] * a[7] - a[1] * a[8]
    adjugate[2] = a[1] * a[5] - a[2] * a[4]
    adjugate[4] = a[0] * a[8] - a[2] * a[6]
    adjugate[5] = a[2] * a[3] - a[0] * a[5]
    adjugate[7] = a[1] * a[6] - a[0] * a[7]
    adjugate[8] = a[0] * a[4] - a[1] * a[3]
    adjugate /= det
    return det.reshape(A.shape[:-2]), adjugate.T.reshape(A.shape)
