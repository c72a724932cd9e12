"""Loads on the ray: gait curves per body weight, scaled by body mass (N, N mm, ray frame)."""

from .gait import GaitLoad, list_presets, load_curve

__all__ = ["GaitLoad", "load_curve", "list_presets"]
