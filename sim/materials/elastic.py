"""The elastic parameters the FE core consumes (the fibre axis is set per region by the model)."""

from .card import ELASTIC_KEYS, MaterialCard


def elastic_params(card: MaterialCard) -> dict:
    """{"model": "isotropic", "E_MPa", "nu"} or {"model": "transversely_isotropic", "E_axial_MPa",
    "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa"}; a fresh dict (MPa)."""
    model = card.elastic["model"]
    return {"model": model} | {k: float(card.elastic[k]) for k in ELASTIC_KEYS[model]}
