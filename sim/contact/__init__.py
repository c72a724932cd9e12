"""Interfaces between parts: bonded, frictionless contact (no tension, no penetration) or Coulomb friction.

Data flow: a conforming mesh -> sim.mesh.split.split_interface (duplicate the interface nodes) ->
InterfaceSpec per interface -> ContactProblem (K factorized once, contact operator on the interface rows)
-> solve_sequence(load frames) -> ContactResult (displacements, per-interface nodal fields, CSV rows);
rotation.relative_rotation_deg measures how one part turns against another (the pseudo-joint).
Sliding contact (finite sliding, non-matching surfaces): surface_item.SurfaceContact, a Newton item;
sliding.FiniteSliding / SmallSliding run it on a split mesh frame after frame (experiments under finite
kinematics).
"""

from .interface import KINDS, InterfaceSpec
from .problem import ContactDidNotConverge, ContactProblem
from .results import ContactResult, InterfaceFrames
from .rotation import fit_rigid_motion, relative_rotation_deg

__all__ = ["KINDS", "InterfaceSpec", "ContactProblem", "ContactDidNotConverge", "ContactResult", "InterfaceFrames",
           "fit_rigid_motion", "relative_rotation_deg"]
