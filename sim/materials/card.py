"""The MaterialCard container: one material's elastic law, strengths, fatigue law and sources."""

from dataclasses import dataclass, field
from pathlib import Path

from ..laws import LAWS, make_law

ELASTIC_KEYS = {name: law.keys + law.list_keys for name, law in LAWS.items()}
MODULUS_KEYS = ("E_MPa", "E_axial_MPa", "E_transverse_MPa", "G_axial_MPa")
STRENGTH_KEYS = ("compressive_MPa", "tensile_MPa", "bending_MPa", "shear_MPa",
                 "compressive_transverse_MPa", "tensile_transverse_MPa")
FATIGUE_STRESS_KEYS = ("coefficient_MPa", "endurance_limit_MPa")
CONFIDENCE_LEVELS = ("checked", "textbook", "range")


@dataclass(frozen=True)
class MaterialCard:
    """A material as read from materials/<name>.toml (units: MPa).

    elastic: the law's constants as data, {"model": name, constants...} (see sim/laws: isotropic,
    transversely_isotropic, neo_hookean, ogden), checked by the law when the card is read;
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

    def law(self, axis=None):
        """The card's material law; a transversely isotropic one needs the model's `axis` (no default)."""
        table = dict(self.elastic) | ({} if axis is None else {"axis": list(axis)})
        return make_law(table, f"material card '{self.name}'", placed=axis is not None)
