"""The finite-element core: 3D linear elasticity on tet4/tet10 meshes.

Data flow: quadrature + elements -> CellBasis (gradients, dV) -> elasticity (stiffness per
cell) -> assembly (fixed sparsity pattern) -> loads and constraints -> solvers -> post.
Index letters in docstrings: c = cell, q = quadrature point, a/b = element node, i/j = component.
"""
