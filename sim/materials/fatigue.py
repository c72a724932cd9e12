"""Fatigue life from a card's Basquin law: stress_amplitude_MPa = coefficient_MPa * N**exponent."""

import numpy as np

from ..errors import InputError
from .card import MaterialCard


def fatigue_life_cycles(card: MaterialCard, stress_amplitude_MPa):
    """Cycles to failure for each stress amplitude (MPa), same shape as the input.

    Inverts the card's law; a law written in reversals is halved to cycles. Zero amplitude,
    and amplitudes below the card's endurance_limit_MPa (if it states one), give inf.
    The law holds only for the card's test condition (R ratio), stated in card.fatigue.
    """
    law = card.fatigue
    if law is None:
        raise InputError(f"material '{card.name}' has no [fatigue] law")
    amplitude = np.asarray(stress_amplitude_MPa, dtype=float)
    if np.any(amplitude < 0) or not np.all(np.isfinite(amplitude)):
        raise InputError(f"{card.name}: stress amplitudes must be finite and >= 0 MPa")
    with np.errstate(divide="ignore"):
        life = (amplitude / law["coefficient_MPa"]) ** (1.0 / law["exponent"])
    if law["life_unit"] == "reversals":
        life = life / 2.0
    life = np.where(amplitude < law.get("endurance_limit_MPa", 0.0), np.inf, life)
    return life[()] if life.ndim == 0 else life
