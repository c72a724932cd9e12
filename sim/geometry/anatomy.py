"""Default bone dimensions (mm) of the parametric ray, rays 1-5, each value with its source.

Coordinate system of every geometry in `sim.geometry` (fixed):
  x  along the ray, from the metatarsal base (x = 0) distally, in mm;
  z  plantar -> dorsal (dorsal positive);
  y  completes the right-handed frame (y = z x x; medial for a left foot, lateral for a right foot).
The bone axis is the x axis (y = z = 0).

"Height" is the dorsal-plantar (z) diameter, "width" the medial-lateral (y) diameter. Metatarsal shafts
are taller than wide (Griffin & Richmond 2005, Bone 37:253, cross-sectional geometry of the human
forefoot); the height/width ratios below are estimates in that sense.

Sources:
  [Patil]   Patil et al. 2017, J Clin Diagn Res 11(9):AC05, radiographic biometry of metatarsals and
            phalanges, 60 adults (males): first metatarsal length 56.4 and width 13.7, first proximal
            phalanx length 28.0.
  [Fraser]  Fraser et al. 2017, Foot Ankle Surg 23:230, CT of the lesser metatarsal heads: vertical
            height 16.1 (2nd) decreasing to 13.0 (5th); 3rd and 4th interpolated here.
  [table]   adult CT morphometry, e.g. Niu et al. 2015 (J Mech Med Biol): lengths 60-75, shaft
            diameters 7-14, cortex 1.5-3 (ranges; values inside them are assumptions).
  [Cheung]  Cheung et al. 2005, J Biomech 38:1045: whole-foot FE model with cartilage layers at the joints.
  [est]     an estimate for this model, to be replaced by a measured value.
"""

from dataclasses import dataclass, fields, replace

from ..errors import InputError

JOINT_CARTILAGE_MM = 1.0  # metatarsal head to phalanx base layer [Cheung] uses cartilage; thickness [est]
EPIPHYSIS_CORTEX_MM = 1.0  # cortex/subchondral plate at base, head and joint ends [est]


@dataclass(frozen=True)
class BoneDims:
    """Outer dimensions (mm) of one long bone: length, and height x width at base, shaft and head.

    shaft_* are mid-shaft diameters; cortical_mm is the shaft wall thickness; the canal is the shaft
    section inset by it (canal_height_mm x canal_width_mm). Metatarsal head_height_mm is the diameter
    of the spherical articular head.
    """

    length_mm: float
    base_height_mm: float
    base_width_mm: float
    shaft_height_mm: float
    shaft_width_mm: float
    head_height_mm: float
    head_width_mm: float
    cortical_mm: float

    @property
    def canal_height_mm(self) -> float:
        return self.shaft_height_mm - 2 * self.cortical_mm

    @property
    def canal_width_mm(self) -> float:
        return self.shaft_width_mm - 2 * self.cortical_mm

    def with_overrides(self, overrides: dict, where: str) -> "BoneDims":
        """A copy with some fields replaced (values already checked as numbers), then validated."""
        dims = replace(self, **overrides)
        dims.validate(where)
        return dims

    def validate(self, where: str) -> None:
        """Raise InputError for non-positive sizes or a cortex that leaves no canal."""
        for f in fields(self):
            if getattr(self, f.name) <= 0:
                raise InputError(f"{where}.{f.name} must be > 0, got {getattr(self, f.name)}")
        if min(self.canal_height_mm, self.canal_width_mm) <= 0.5:
            raise InputError(f"{where}.cortical_mm = {self.cortical_mm} leaves no canal in a "
                             f"{self.shaft_height_mm} x {self.shaft_width_mm} mm shaft")


DIM_NAMES = tuple(f.name for f in fields(BoneDims))

# Metatarsals. Lengths: ray 1 [Patil]; rays 2-5 mid-range of [table] (estimates). Shaft widths: ray 1
# [Patil]; others mid-range of [table]. Heights: ~1.1-1.3 x width [est, after Griffin & Richmond].
# Head heights: rays 2-5 [Fraser]; ray 1 [est]. Head widths, bases: [est]. Cortex: mid-range of [table].
METATARSAL = {
    1: BoneDims(56.4, 24.0, 17.0, 15.0, 13.7, 20.0, 18.0, 2.5),
    2: BoneDims(72.0, 18.0, 12.0, 9.0, 7.5, 16.1, 10.0, 2.0),
    3: BoneDims(67.5, 16.0, 11.0, 8.5, 7.0, 15.1, 9.5, 1.75),
    4: BoneDims(65.0, 14.0, 11.0, 8.5, 7.0, 14.0, 9.0, 1.75),
    5: BoneDims(67.5, 14.0, 16.0, 9.0, 8.5, 13.0, 9.0, 1.75),
}

# Proximal phalanges: length ray 1 [Patil]; rays 2-5 within the 20-30 of [table], shorter laterally
# [est]. Phalanges are wider than tall; all sections and the cortex are [est]. The phalanx "head" is
# its distal end, where the load of the distal toe is applied.
PHALANX = {
    1: BoneDims(28.0, 14.0, 17.0, 10.0, 12.0, 10.0, 13.0, 1.5),
    2: BoneDims(22.0, 10.0, 11.0, 6.0, 7.0, 6.5, 8.0, 1.2),
    3: BoneDims(20.0, 9.5, 10.5, 5.5, 6.5, 6.0, 7.5, 1.2),
    4: BoneDims(19.0, 9.0, 10.0, 5.5, 6.5, 6.0, 7.5, 1.2),
    5: BoneDims(17.0, 8.5, 9.5, 5.5, 6.0, 6.0, 7.0, 1.2),
}
