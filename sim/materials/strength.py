"""Static safety factors against a card's tensile and compressive strengths."""

from typing import NamedTuple

import numpy as np

from ..errors import InputError
from .card import MaterialCard


class SafetyFactors(NamedTuple):
    """Strength / stress, per point; inf where that mode is not loaded."""

    tensile: np.ndarray
    compressive: np.ndarray


def safety_factors(card: MaterialCard, max_principal_MPa, min_principal_MPa) -> SafetyFactors:
    """tensile = tensile_MPa / max principal (where > 0), compressive = compressive_MPa / |min principal|
    (where < 0); inf where the stress has the other sign. For a transversely isotropic card these are
    the axial strengths; its transverse strengths are in card.strengths."""
    missing = [k for k in ("tensile_MPa", "compressive_MPa") if k not in card.strengths]
    if missing:
        raise InputError(f"material '{card.name}' has no {' or '.join(missing)} for safety factors")
    s_max = np.asarray(max_principal_MPa, dtype=float)
    s_min = np.asarray(min_principal_MPa, dtype=float)
    with np.errstate(divide="ignore"):
        tensile = np.where(s_max > 0, card.strengths["tensile_MPa"] / s_max, np.inf)
        compressive = np.where(s_min < 0, card.strengths["compressive_MPa"] / -s_min, np.inf)
    return SafetyFactors(tensile[()] if tensile.ndim == 0 else tensile,
                         compressive[()] if compressive.ndim == 0 else compressive)
