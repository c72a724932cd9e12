"""Material laws: one registry (LAWS), each law checking its own constants once (see base.py)."""

from .base import LAWS, Law, make_law
from .hyperelastic import NeoHookean, Ogden
from .linear import Isotropic, TransverselyIsotropic, isotropic, rotate, transversely_isotropic

__all__ = ["LAWS", "Law", "make_law", "Isotropic", "TransverselyIsotropic", "NeoHookean", "Ogden",
           "isotropic", "rotate", "transversely_isotropic"]
