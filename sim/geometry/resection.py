"""Where the surgeon cuts: the resection plane of a bone and the void (the removed bone's envelope)."""

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from . import occ_tools as occ
from .bones import Bone
from .config import Resection, check_resection_length

MIN_CUT_AXIAL = 0.25  # |normal . x| below this: the cut runs along the bone, not across it


@dataclass(frozen=True)
class CutPlane:
    """A plane through point_mm (3,) with unit normal (3,) pointing distally, into the void."""

    point_mm: np.ndarray
    normal: np.ndarray

    def distance_mm(self, points_mm) -> np.ndarray:
        """Signed distance (..., ) of points (..., 3) from the plane, positive on the void side."""
        return (np.asarray(points_mm) - self.point_mm) @ self.normal


def cut_plane(res: Resection, bone: Bone, to_frame=None) -> CutPlane:
    """The resection plane in the ray frame; for a total resection, the plane at the bone's proximal end.

    to_frame maps a (point, direction) pair from the input file's frame to the ray frame (surface bones).
    """
    axis = np.array([1.0, 0.0, 0.0])
    if res.total:
        return CutPlane(np.array([bone.x_proximal_mm, 0.0, 0.0]), axis)
    if res.plane_point_mm is not None:
        point, normal = to_frame(np.array(res.plane_point_mm), np.array(res.plane_normal))
        normal = normal / np.linalg.norm(normal)
        if abs(normal[0]) < MIN_CUT_AXIAL:
            raise InputError(f"resection plane_normal {list(res.plane_normal)} runs almost along the bone "
                             f"axis; a resection plane must cross the bone")
        return CutPlane(point, normal * np.sign(normal[0]))
    check_resection_length(res, bone.length_mm)
    return CutPlane(np.array([bone.x_distal_mm - res.length_mm, 0.0, 0.0]), axis)


def make_void(bone: Bone, plane: CutPlane, total: bool) -> list:
    """The void: the bone's outer envelope on the distal side of the plane (all of it if total)."""
    if total:
        return occ.copy(bone.outer)
    void = occ.intersect(occ.copy(bone.outer), occ.half_space(plane.point_mm, plane.normal))
    whole = occ.volume_mm3(bone.outer)
    if not void or not 1e-3 * whole < occ.volume_mm3(void) < (1 - 1e-3) * whole:
        raise InputError("the resection plane does not cut across the bone: it leaves no void or no stump")
    return void
