"""Quadrature rules on the reference tetrahedron and triangle.

Reference tetrahedron: vertices (0,0,0), (1,0,0), (0,1,0), (0,0,1), volume 1/6.
Reference triangle: vertices (0,0), (1,0), (0,1), area 1/2.
Rules of degree 1 and 2 are the classical symmetric ones; higher degrees use a collapsed
(Stroud conical) product of Gauss-Jacobi rules, exact for polynomials of that degree.
"""

import numpy as np
from scipy.special import roots_jacobi


def _gauss_jacobi_01(n: int, alpha: float):
    """n-point Gauss-Jacobi rule on [0, 1] for weight (1 - t)^alpha."""
    x, w = roots_jacobi(n, alpha, 0.0)
    return (x + 1.0) / 2.0, w / 2.0 ** (alpha + 1.0)


def tet_rule(degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Points (q, 3) and weights (q,) exact to `degree` on the reference tetrahedron."""
    if degree <= 1:
        return np.full((1, 3), 0.25), np.array([1.0 / 6.0])
    if degree == 2:
        a, b = 0.5854101966249685, 0.1381966011250105
        points = np.array([[b, b, b], [a, b, b], [b, a, b], [b, b, a]])
        return points, np.full(4, 1.0 / 24.0)
    n = degree // 2 + 1
    t1, w1 = _gauss_jacobi_01(n, 2.0)
    t2, w2 = _gauss_jacobi_01(n, 1.0)
    t3, w3 = _gauss_jacobi_01(n, 0.0)
    a, b, c = (g.ravel() for g in np.meshgrid(t1, t2, t3, indexing="ij"))
    w = np.einsum("i,j,k->ijk", w1, w2, w3).ravel()
    points = np.column_stack([a, b * (1 - a), c * (1 - a) * (1 - b)])
    return points, w


def tri_rule(degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Points (q, 2) and weights (q,) exact to `degree` on the reference triangle."""
    if degree <= 1:
        return np.full((1, 2), 1.0 / 3.0), np.array([0.5])
    if degree == 2:
        points = np.array([[1 / 6, 1 / 6], [2 / 3, 1 / 6], [1 / 6, 2 / 3]])
        return points, np.full(3, 1.0 / 6.0)
    n = degree // 2 + 1
    t1, w1 = _gauss_jacobi_01(n, 1.0)
    t2, w2 = _gauss_jacobi_01(n, 0.0)
    a, b = (g.ravel() for g in np.meshgrid(t1, t2, indexing="ij"))
    return np.column_stack([a, b * (1 - a)]), np.outer(w1, w2).ravel()
