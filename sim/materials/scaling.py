"""Scaled copies of a card: diabetic/osteoporotic bone, antibiotic-loaded cement."""

from dataclasses import replace

from ..errors import InputError
from .card import FATIGUE_STRESS_KEYS, MODULUS_KEYS, MaterialCard


def scaled(card: MaterialCard, modulus_factor: float = 1.0, strength_factor: float = 1.0,
           name: str | None = None, description: str | None = None, reason: str = "") -> MaterialCard:
    """A copy with moduli x modulus_factor and strengths (and fatigue stresses) x strength_factor.

    For diabetic or osteoporotic bone both factors are user parameters: the project sweeps
    0.6-0.9 as an assumption (a plausible range for diabetic and osteoporotic bone); no single study fixes them,
    so the defaults leave the card unchanged. Scaling the S-N curve with the static strength
    (same exponent) is an assumption. `reason` is appended to every scaled value's source.
    """
    for label, factor in (("modulus_factor", modulus_factor), ("strength_factor", strength_factor)):
        if not factor > 0:
            raise InputError(f"{card.name}: {label} must be > 0, got {factor}")
    elastic = {k: v * modulus_factor if k in MODULUS_KEYS else v for k, v in card.elastic.items()}
    strengths = {k: v * strength_factor for k, v in card.strengths.items()}
    fatigue = _scaled_fatigue(card.fatigue, strength_factor, reason)
    sources = dict(card.sources)
    for key, factor in _scaled_keys(elastic, strengths, fatigue, modulus_factor, strength_factor):
        tag = f"[{card.name} value x {factor:g}{': ' + reason if reason else ''}]"
        sources[key] = sources[key] | {"note": f"{sources[key].get('note', '')} {tag}".strip()}
    return replace(card, name=name or card.name, description=description or card.description,
                   elastic=elastic, strengths=strengths, fatigue=fatigue, sources=sources)


def _scaled_fatigue(fatigue: dict | None, factor: float, reason: str) -> dict | None:
    """The S-N curve shifted with the static strength (same exponent)."""
    if fatigue is None or factor == 1.0:
        return fatigue
    out = {k: v * factor if k in FATIGUE_STRESS_KEYS else v for k, v in fatigue.items()}
    if "defining_points" in fatigue:
        out["defining_points"] = [[n, s * factor] for n, s in fatigue["defining_points"]]
    out["derivation"] = (fatigue.get("derivation", "") + f" Stresses then scaled x {factor:g}"
                         f"{' (' + reason + ')' if reason else ''}.").strip()
    return out


def _scaled_keys(elastic, strengths, fatigue, modulus_factor, strength_factor):
    """(value name, factor) for every value a factor other than 1 changed."""
    if modulus_factor != 1.0:
        yield from ((k, modulus_factor) for k in elastic if k in MODULUS_KEYS)
    if strength_factor != 1.0:
        yield from ((k, strength_factor) for k in strengths)
        yield from ((k, strength_factor) for k in (fatigue or {}) if k in FATIGUE_STRESS_KEYS)
