"""A card's TOML tables -> MaterialCard, or a scaled copy of its `base` card."""

from dataclasses import replace
from pathlib import Path

from .. import textio
from ..errors import InputError, nearest
from . import validate as v
from .card import MaterialCard
from .scaling import scaled

TABLES = ("card", "elastic", "strength", "fatigue", "scaling", "source")
CARD_KEYS = ("name", "description", "category", "base")
# category -> are compressive and tensile strengths required?
CATEGORIES = {"bone": True, "cement": True, "homogenised": False, "soft_tissue": False, "insole": False,
              "rigid": False}
SCALING_KEYS = ("modulus_factor", "strength_factor")


def read_toml(path: Path) -> dict:
    """The parsed card; unreadable or malformed TOML is an InputError naming the file."""
    return textio.read_toml(path, "material card")


def card_from_toml(raw: dict, path: Path, load_base) -> MaterialCard:
    """Validate every table; `load_base(name, path)` resolves a [card] base for scaled cards."""
    for table in raw:
        if table not in TABLES:
            v.fail(path, table, "", f"unknown table{nearest(table, TABLES)}; allowed: {', '.join(TABLES)}")
    header = raw.get("card")
    if header is None:
        v.fail(path, "card", "", "missing")
    v.check_keys(path, "card", header, CARD_KEYS, required=("name", "description"))
    name = v.text(path, "card", "name", header["name"])
    description = v.text(path, "card", "description", header["description"])
    if "base" in header:
        return _scaled_card(raw, path, name, description, load_base)
    category = header.get("category")
    if category not in CATEGORIES:
        v.fail(path, "card", "category", f"must be one of {', '.join(CATEGORIES)}, got {category!r}"
               f"{nearest(str(category), CATEGORIES)}")
    if "scaling" in raw:
        v.fail(path, "scaling", "", "only a card with a [card] base may have a [scaling] table")
    if "elastic" not in raw:
        v.fail(path, "elastic", "", "missing")
    elastic = v.elastic(path, raw["elastic"])
    strengths = v.strengths(path, raw.get("strength", {}), required=CATEGORIES[category])
    fatigue = v.fatigue(path, raw["fatigue"]) if "fatigue" in raw else None
    sourced = [k for k in elastic if k != "model"] + list(strengths)
    sourced += [k for k in v.FATIGUE_SOURCED if k in (fatigue or {})]
    sources = v.sources(path, raw.get("source", {}), sourced)
    return MaterialCard(name, description, category, elastic, strengths, fatigue, sources, path)


def _scaled_card(raw: dict, path: Path, name: str, description: str, load_base) -> MaterialCard:
    """A card defined as its base card times [scaling] factors, each with a source."""
    for table in ("elastic", "strength", "fatigue"):
        if table in raw:
            v.fail(path, table, "", "a card with a [card] base takes its values from the base; "
                   "give only [scaling] factors")
    base_name = v.text(path, "card", "base", raw["card"]["base"])
    factors = raw.get("scaling", {})
    v.check_keys(path, "scaling", factors, SCALING_KEYS)
    factors = {k: v.number(path, "scaling", k, x) for k, x in factors.items()}
    for key, value in factors.items():
        if value <= 0:
            v.fail(path, "scaling", key, f"must be > 0, got {value}")
    own_sources = v.sources(path, raw.get("source", {}), list(factors))
    base = load_base(base_name, path)
    reason = "; ".join(f"{k} {own_sources[k]['ref']}" for k, x in factors.items() if x != 1.0)
    card = scaled(base, name=name, description=description, reason=reason, **factors)
    if "category" in raw["card"] and raw["card"]["category"] != base.category:
        v.fail(path, "card", "category", f"must match the base card's category {base.category!r}")
    return replace(card, sources=card.sources | own_sources, path=path)
