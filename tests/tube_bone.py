"""A straight circular tube along x as the 'metatarsal' of a geometry test: solids whose volumes and faces have
closed forms (the canal is an exact inset circle)."""

import numpy as np

from sim.geometry.bones import Bone, BoneSet
from sim.geometry.occ_tools import loft
from sim.geometry.profiles import N_ANGLES, Profile


def tube_builder(radius, canal, length):
    """A bone_builder for build_mesh: tube of outer radius `radius`, canal radius `canal`, `length` (mm)."""
    def make():
        x = np.linspace(0.0, length, 3)
        outer = Profile(x, np.full((3, N_ANGLES), radius), np.zeros((3, 2)))
        bone = Bone(loft(outer), loft(outer.inset(radius - canal)), 0.0, length, "cortical", "cancellous", outer)
        return BoneSet({"metatarsal": bone}, 0.0, length), None
    return make
