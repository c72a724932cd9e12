"""Where the surgeon cuts: the resection plane of a bone, the void (the removed bone's envelope) and the
rounded rim of the stump's cut face."""

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from . import occ_tools as occ
from .bones import Bone
from .config import Resection, check_resection_length

MIN_CUT_AXIAL = 0.25  # |normal . x| below this: the cut runs along the bone, not across it
CORE_DEPTH_MM = 1e-3  # the core's cut rim, this far below the cut, must lie inside the rounded stump
# A fillet of radius r removes r^2 (cot(a/2) - (pi - a)/2) per unit rim length from a wedge of angle a:
# 0.21 r^2 at a right angle, 2 r^2 at a = 31 deg (a cut through the flare of a head); more is not a fillet.
FILLET_MAX_AREA = 2.0


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


def round_cut_edge(bone: Bone, plane: CutPlane, radius_mm: float) -> None:
    """Round the rim of the stump's cut face (the edge where the cut plane meets the bone's outer surface)
    by a fillet of radius_mm, in place, as a surgeon rasps a cut edge. The fillet must stay inside the
    cortex (the core's rim on the cut, just below it, inside the rounded solid; a core corner at depth t
    below a rounding of radius r > t lies outside it), and OCC's fillet must remove what a fillet can
    remove: more than nothing and at most the rim length x FILLET_MAX_AREA r^2 (OCC fails silently on
    some spline rims); otherwise InputError."""
    where = f"geometry.resection.edge_radius_mm = {radius_mm:g}"
    rim = occ.boundary_curves(occ.faces_in_plane(bone.outer, plane.point_mm, plane.normal))
    if not rim:
        raise InputError(f"{where}: the stump has no flat cut face to round")
    before_mm3 = occ.volume_mm3(bone.outer)
    most_mm3 = occ.length_mm(rim) * FILLET_MAX_AREA * radius_mm**2
    try:
        bone.outer = occ.fillet(bone.outer, rim, radius_mm)
    except Exception as exc:  # gmsh reports a failed fillet as a bare Exception
        raise InputError(f"{where}: OpenCASCADE could not round the cut edge ({exc}); "
                         f"try a smaller radius") from None
    removed_mm3 = before_mm3 - occ.volume_mm3(bone.outer)
    if not 0 < removed_mm3 <= most_mm3:
        raise InputError(f"{where}: OpenCASCADE's rounding of the cut edge removed {removed_mm3:.3g} mm^3, "
                         f"not between 0 and {most_mm3:.3g}; try a smaller radius")
    core_rim = occ.boundary_curves(occ.faces_in_plane(bone.inner, plane.point_mm, plane.normal))
    if not occ.inside(bone.outer, occ.curve_points_mm(core_rim) - CORE_DEPTH_MM * plane.normal).all():
        raise InputError(f"{where} is larger than the cortex at the cut allows: the rounding would reach "
                         f"the cancellous core; use a smaller radius")
