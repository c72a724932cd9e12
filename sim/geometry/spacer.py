"""The cement spacer inside the void, sized so that its volume is a given fraction of the void (OCC volumes).

Shapes:
  bead     the void cut by the bone's outer loft scaled down about each section centre: a coaxial rod of
           reduced cross-section over the full void length; the scale is solved for the fraction (a
           fill too close to 1 for a distinct bead, above the volume at scale BEAD_MAX, is refused).
           Its end on the stump is a flat face of the bead's own cross-section on the cut face. Moulded
           to the cut (conform_to_cut), the bead also carries a layer of cement CUT_LAYER_MM thick over
           the stump's whole cut face, as doughy cement pressed onto the cut spreads over it; the scale
           is then solved for bead and layer together.
  plug     the void cut by a plane parallel to the resection plane: full cross-section, attached to the
           stump (to the proximal end of the void after a total resection), leaving a gap distally; its
           length is solved for the fraction. It covers the whole cut face (conform_to_cut changes nothing).
  stemmed  a plug plus an intramedullary stem: the stump's canal (core) over stem_length_mm proximal to
           the cut. Only the plug counts towards the fill fraction; the stem volume is reported apart.
The unknown is found with Brent's bracketing method (bisection-safe) to XTOL.
"""

import gmsh
import numpy as np
from scipy.optimize import brentq

from ..errors import InputError
from . import occ_tools as occ
from .bones import Bone
from .resection import CutPlane

XTOL = 1e-4  # bead scale (1) or plug length (mm): a volume error of ~0.03 %
LOWEST = 1e-3  # smallest bead scale / plug length (mm) tried
BEAD_MAX = 0.95  # largest bead scale (a ~0.2 mm soft-tissue skin; OCC fails near 1)
BEAD_OVERRUN_MM = 2.0
CUT_LAYER_MM = 2.0  # cement moulded over the stump's cut face by conform_to_cut: an assumption (no source)


def plug(void, plane: CutPlane, length_mm: float) -> list:
    """The part of the void within length_mm of the plane."""
    far = plane.point_mm + length_mm * plane.normal
    return occ.intersect(occ.copy(void), occ.half_space(far, -plane.normal))


def bead(void, bone: Bone, scale: float) -> list:
    """The void inside the bone's outer loft with every section radius times `scale` (< 1), the loft
    extended past the bone's ends so that it crosses the void's end faces instead of touching them."""
    return occ.intersect(occ.copy(void), occ.loft(bone.profile.scaled(scale).extended(BEAD_OVERRUN_MM)))


def stem(bone: Bone, plane: CutPlane, length_mm: float) -> list:
    """The stump's core over length_mm proximal to the cut."""
    stump_length = plane.distance_mm(np.array([bone.x_proximal_mm, 0.0, 0.0]))
    if length_mm >= -stump_length:
        raise InputError(f"stem_length_mm = {length_mm:g} reaches beyond the stump, which is "
                         f"{-stump_length:.1f} mm long")
    slab = occ.intersect(occ.half_space(plane.point_mm, -plane.normal),
                         occ.half_space(plane.point_mm - length_mm * plane.normal, plane.normal))
    return occ.intersect(occ.copy(bone.inner), slab)


def conforming_bead(void, bone: Bone, plane: CutPlane, scale: float) -> list:
    """A bead of `scale` joined to a cement layer CUT_LAYER_MM thick over the stump's whole cut face."""
    return occ.fuse(bead(void, bone, scale), plug(void, plane, CUT_LAYER_MM))


def cement_in_void(void, bone: Bone, plane: CutPlane, shape: str, volume_mm3: float,
                   conform_to_cut: bool = False) -> list:
    """The cement solid of `shape` inside the void with the given volume (empty for 0, the void for all);
    conform_to_cut: a bead also covers the stump's cut face (conforming_bead)."""
    void_mm3 = occ.volume_mm3(void)
    if volume_mm3 <= 0:
        return []
    if volume_mm3 >= void_mm3:
        return occ.copy(void)
    if shape == "bead" and conform_to_cut:
        make, hi = (lambda s: conforming_bead(void, bone, plane, s)), BEAD_MAX
    elif shape == "bead":
        make, hi = (lambda s: bead(void, bone, s)), BEAD_MAX
    else:
        make, hi = (lambda length: plug(void, plane, length)), _reach_mm(void, plane)
    def excess_mm3(u):
        return occ.trial_volume_mm3(lambda: make(u)) - volume_mm3

    if excess_mm3(LOWEST) >= 0:
        layer = (f" (the cement moulded over the cut face alone takes {excess_mm3(LOWEST) + volume_mm3:.3g}; "
                 f"drop conform_to_cut)" if shape == "bead" and conform_to_cut else "")
        raise InputError(f"a cement volume of {volume_mm3:.3g} mm^3 is too small to model{layer}; "
                         f"use fill_fraction = 0 for no cement")
    top = excess_mm3(hi)
    if top <= 0:
        raise InputError(f"a {shape} of {volume_mm3 / void_mm3:.3f} of the void would leave only slivers of "
                         f"soft tissue (the largest is {(top + volume_mm3) / void_mm3:.2f}); "
                         f"use fill_fraction = 1 to fill the void")
    return make(brentq(excess_mm3, LOWEST, hi, xtol=XTOL))


def _reach_mm(void, plane: CutPlane) -> float:
    """Largest distance of the void's bounding-box corners from the plane."""
    box = np.array(_bounding_box(void)).reshape(2, 3)
    corners = np.stack(np.meshgrid(*box.T, indexing="ij"), axis=-1).reshape(-1, 3)
    return float(plane.distance_mm(corners).max())


def _bounding_box(dimtags) -> tuple:
    boxes = np.array([gmsh.model.occ.getBoundingBox(d, t) for d, t in dimtags])
    return (*boxes[:, :3].min(axis=0), *boxes[:, 3:].max(axis=0))
