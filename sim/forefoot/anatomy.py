"""Where the five rays sit in the forefoot (mm, degrees), each value with its source or marked [est].

Foot frame (fixed): x anterior (heel -> toes), z up (plantar -> dorsal), y = z x x (medial for a right
foot); the unloaded sole lies in the plane z = 0, the ground below it. Each ray is the parametric ray of
sim.geometry (its own frame: x base -> head), tilted head-down by its declination and placed by its
metatarsal head.

Sources:
  [Dominguez]  Dominguez-Maldonado et al. 2014, ScientificWorldJournal 2014:505736 (PMC3932714), metatarsal
               parabola of 169 normal feet, protrusion of each head's distal tip relative to metatarsal 2
               (mm): I +0.94, III -4.44, IV -11.17, V -20.21.
  [Molines]    Molines-Barroso et al. 2020, J Clin Med 9:794, ultrasound under MTH1 / MTH2 in diabetic
               patients without head resection: fat pad 5.44 / 4.73 mm, skin 2.80 / 2.62 mm.
  [Bus]        Bus et al. 2004, Diabetes Care 27:2376, MRI of rays 2-3: sub-MTH fat pad 6.0 +/- 1.4 mm in
               neuropathic feet without toe deformity (no different from healthy controls).
  [Mickle]     Mickle et al. 2011, J Orthop Res 29:1042 (doi 10.1002/jor.21328), ultrasound, non-weight-bearing,
               312 adults over 60: total soft tissue under MTH5 5.5 +/- 1.3 mm and under MTH1 8.5 +/- 1.5 mm
               in the controls (the MTH1 figure agrees with [Molines]' 5.44 + 2.80 = 8.24 mm).
  [Abouaesha]  Abouaesha et al. 2004, J Am Podiatr Med Assoc 94:39, ultrasound on a standing platform, 157
               neuropathic diabetic patients: tissue-thickness cut-offs for > 700 kPa of 11.05, 7.85, 6.65, 6.55
               and 5.05 mm under MTH1-5 (thresholds, not means: used only for MTH4 ~ MTH3 > MTH5).
  [Radiopaedia] first metatarsal declination angle, normal 20-21 deg (textbook summary).
  [TFA]        Foot Ankle Surg 2009 (PMID 19218058), horizontal radiographs under maximal loading: transverse
               forefoot arch at the heads 3.91 mm mean, -1 to 10 mm; Ultrasound Med Biol 2003, 29:373
               (PMID 12706188): no transverse arch at the heads on standing. A range: a parameter.
  [est]        an estimate for this model, to be replaced by a measured value.
"""

from dataclasses import dataclass

RAYS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class RayPlacement:
    """Placement of one ray: protrusion of its head tip relative to ray 2 (mm, + = distal), the head's
    y (mm), declination of the metatarsal axis (deg, head down), plantar soft tissue under the head (mm)."""

    protrusion_mm: float
    head_y_mm: float
    declination_deg: float
    pad_mm: float


# Protrusion [Dominguez]. Pad = all soft tissue under the head (fat pad + skin): rays 1-2 [Molines]; ray 3
# [Bus] fat pad 6.0 + the ray-2 skin 2.62 of [Molines]; ray 4 as ray 3 [est] (no mean found; the [Abouaesha]
# cut-offs put MTH4 level with MTH3); ray 5 [Mickle] total 5.5. Declination: ray 1 [Radiopaedia] (no primary
# study with its figures found); rays 2-5 [est], decreasing laterally (no primary value found). Head y:
# centres one head width plus a 3 mm soft-tissue gap apart [est] (head widths from sim.geometry.anatomy:
# 18, 10, 9.5, 9, 9 mm); no primary spacing with its figures found.
PLACEMENT = {
    1: RayPlacement(+0.94, 0.0, 20.0, 5.44 + 2.80),
    2: RayPlacement(0.0, -17.0, 15.0, 4.73 + 2.62),
    3: RayPlacement(-4.44, -29.75, 12.0, 6.0 + 2.62),
    4: RayPlacement(-11.17, -42.0, 9.0, 6.0 + 2.62),
    5: RayPlacement(-20.21, -54.0, 6.0, 5.5),
}
TRANSVERSE_ARCH_MM = 0.0  # [TFA]: 0 on standing (ultrasound), 3.91 (-1..10) under radiographic loading
ENVELOPE_MARGIN_MM = 6.0  # soft tissue beside the outer rays and beyond the toe tips [est]
DORSAL_TISSUE_MM = 3.0  # skin and extensor layer over the bones [est]
LISFRANC_OFFSET_MM = 3.0  # the midfoot cut lies this far distal to the bases of rays 1 and 5 [est]
MIDFOOT_MM = 8.0  # thickness of the rigid midfoot slab proximal to the cut [modelling device]
MIDFOOT_CLEARANCE_MM = 8.0  # the rigid slab's underside above the sole: tissue under the cut stays free [est]
