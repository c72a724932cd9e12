"""The MaterialCard container: one material's elastic law, strengths, fatigue law and sources."""

from dataclasses import dataclass, field
from pathlib import Path

ISOTROPIC_KEYS = ("E_MPa", "nu")
TI_KEYS = ("E_axial_MPa", "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa")
ELASTIC_KEYS = {"isotropic": ISOTROPIC_KEYS, "transversely_isotropic": TI_KEYS}
MODULUS_KEYS = ("E_MPa", "E_axial_MPa", "E_transverse_MPa", "G_axial_MPa")
STRENGTH_KEYS = ("compressive_MPa", "tensile_MPa", "bending_MPa", "shear_MPa",
                 "compressive_transverse_MPa", "tensile_transverse_MPa")
FATIGUE_STRESS_KEYS = ("coefficient_MPa", "endurance_limit_MPa")
CONFIDENCE_LEVELS = ("checked", "textbook", "range")


@dataclass(frozen=True)
class MaterialCard:
    """A material as read from materials/<name>.toml (units: MPa).

    elastic: {"model": "isotropic", "E_MPa", "nu"} or {"model": "transversely_isotropic",
    "E_axial_MPa", "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa"};
    strengths: name -> MPa; fatigue: Basquin law dict or None;
    sources: value name -> {"ref", "confidence", optional "note"}.
    """

    name: str
    description: str
    category: str
    elastic: dict
    strengths: dict
    fatigue: dict | None = None
    sources: dict = field(default_factory=dict)
    path: Path | None = None
