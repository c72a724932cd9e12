"""A solvable model: mesh + materials per region + boundary conditions + loads, as data or from a TOML file."""

from .spec import BoundarySpec, LoadSpec, ModelSpec, read_model
from .problem import Problem

__all__ = ["BoundarySpec", "LoadSpec", "ModelSpec", "read_model", "Problem"]
