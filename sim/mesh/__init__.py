"""Tetrahedral meshes: the Mesh container, reading/writing, order elevation."""

from .mesh import Mesh
from .io import read_mesh, write_vtu
from .elevate import elevate_to_tet10, reduce_to_tet4

__all__ = ["Mesh", "read_mesh", "write_vtu", "elevate_to_tet10", "reduce_to_tet4"]
