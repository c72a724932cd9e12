"""Material cards (materials/*.toml): loading, validation, scaling, elastic, strength and fatigue laws."""

from .card import MaterialCard
from .elastic import elastic_params
from .fatigue import fatigue_life_cycles
from .load import card_files, list_cards, load_card
from .scaling import scaled
from .strength import SafetyFactors, safety_factors

__all__ = ["MaterialCard", "load_card", "card_files", "list_cards", "scaled", "elastic_params",
           "fatigue_life_cycles", "safety_factors", "SafetyFactors"]
