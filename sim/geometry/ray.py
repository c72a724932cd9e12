"""The parametric ray in OCC: metatarsal, joint cartilage layer and proximal phalanx (mm).

The metatarsal is a loft through elliptic sections (anatomy.BoneDims) whose distal end is trimmed by
the articular sphere of radius HEAD_SPHERE x head_height/2 that touches x = length. The cartilage is
a shell of uniform thickness on that sphere, bounded laterally by the phalanx outline; the phalanx
base is the matching concave cup. Its base rim starts half a sphere radius distal to the sphere centre
and is at most BASE_FIT x the sphere radius (height and width) so that the cup seats on the head.
Each bone's core is its loft inset by the cortical thickness (EPIPHYSIS_CORTEX_MM at the ends).
"""

from . import occ_tools as occ
from .anatomy import EPIPHYSIS_CORTEX_MM, BoneDims
from .bones import Bone, BoneSet
from .profiles import metatarsal_profiles, phalanx_profiles

HEAD_SPHERE = 1.08  # sphere radius / head half-height: cuts the head loft transversally [est]
BASE_FIT = 0.85  # largest phalanx base half-height/width over the sphere radius [est]


def build_ray(metatarsal: BoneDims, phalanx: BoneDims, cartilage_mm: float) -> BoneSet:
    """Metatarsal, cartilage and phalanx solids of one ray, with the metatarsal base at x = 0."""
    radius = HEAD_SPHERE * metatarsal.head_height_mm / 2
    centre = (metatarsal.length_mm - radius, 0.0, 0.0)
    te = EPIPHYSIS_CORTEX_MM

    def head_trim(r):
        return occ.fuse(occ.ball(centre, r), occ.half_space(centre, (-1.0, 0.0, 0.0)))

    mt_outer, mt_inner = metatarsal_profiles(metatarsal)
    mt = Bone(occ.intersect(occ.loft(mt_outer), head_trim(radius)),
              occ.intersect(occ.loft(mt_inner), head_trim(radius - te)),
              0.0, metatarsal.length_mm, "cortical", "cancellous", mt_outer)

    fit = 2 * BASE_FIT * radius
    seated = phalanx.with_overrides({"base_height_mm": min(phalanx.base_height_mm, fit),
                                     "base_width_mm": min(phalanx.base_width_mm, fit)}, "phalanx")
    x_rim = centre[0] + radius / 2
    ph_outer, ph_inner = phalanx_profiles(seated, x_rim)
    ph_loft = occ.loft(ph_outer)
    shell = occ.cut(occ.ball(centre, radius + cartilage_mm), occ.ball(centre, radius))
    cartilage = occ.intersect(shell, ph_loft, keep_b=True)
    ph = Bone(occ.cut(ph_loft, occ.ball(centre, radius + cartilage_mm)),
              occ.cut(occ.loft(ph_inner), occ.ball(centre, radius + cartilage_mm + te)),
              x_rim, x_rim + phalanx.length_mm,
              "phalanx_cortical", "phalanx_cancellous", ph_outer)
    return BoneSet({"metatarsal": mt, "phalanx": ph}, 0.0, ph.x_distal_mm, cartilage)
