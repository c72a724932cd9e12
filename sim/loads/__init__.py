"""Loads on the ray: gait curves per body weight, scaled by body mass (N, N mm, ray frame)."""

from .gait import GaitLoad, curve_file, list_presets, load_curve

__all__ = ["GaitLoad", "curve_file", "load_curve", "list_presets"]
