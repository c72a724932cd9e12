"""The bones of a model as OCC solids, before resection: what the parametric ray and a patient surface share."""

from dataclasses import dataclass, field

from .profiles import Profile


@dataclass
class Bone:
    """One bone: outer envelope and cancellous core (OCC dimtags), its axial extent (mm) and region names.

    profile is the outer loft's sections (before any trimming of the envelope); x_proximal_mm / x_distal_mm are the bone's extreme points on the x axis (its length is their
    difference); core_region / shell_region name the core and the cortical shell.
    """

    outer: list
    inner: list
    x_proximal_mm: float
    x_distal_mm: float
    shell_region: str
    core_region: str
    profile: Profile

    @property
    def length_mm(self) -> float:
        return self.x_distal_mm - self.x_proximal_mm


@dataclass
class BoneSet:
    """The bones by name ('metatarsal', 'phalanx'), the joint layer (dimtags, may be empty), and the
    x planes of the fixed base face and of the distal load face, in mm."""

    bones: dict[str, Bone]
    x_base_mm: float
    x_tip_mm: float
    cartilage: list = field(default_factory=list)
