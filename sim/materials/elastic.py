"""The elastic parameters the FE core consumes (the fibre axis is set per region by the model)."""

from .card import MaterialCard


def elastic_params(card: MaterialCard) -> dict:
    """The card's law as data: {"model": name, constants...} (MPa); a fresh dict."""
    return {k: (list(v) if isinstance(v, list) else v) for k, v in card.elastic.items()}
