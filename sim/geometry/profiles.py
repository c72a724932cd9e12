"""Bone cross-sections as radii (mm) at stations along x: the input of every loft.

A section is sampled at N_ANGLES angles theta, measured from dorsal (+z) towards +y; the point of
radius r at station x is (x, cy + r sin(theta), cz + r cos(theta)). Shapes: x_mm (s,), radii_mm (s, k),
centre_mm (s, 2) = (cy, cz); s = station, k = angle.
"""

from dataclasses import dataclass

import numpy as np

from .anatomy import EPIPHYSIS_CORTEX_MM, BoneDims

N_ANGLES = 16
THETA = np.linspace(0.0, 2 * np.pi, N_ANGLES, endpoint=False)


@dataclass(frozen=True)
class Profile:
    """Stations x_mm (s,), radii_mm (s, k) and section centres centre_mm (s, 2) of one loft."""

    x_mm: np.ndarray
    radii_mm: np.ndarray
    centre_mm: np.ndarray

    def points_mm(self) -> np.ndarray:
        """Section points (s, k, 3) in mm."""
        x = np.broadcast_to(self.x_mm[:, None], self.radii_mm.shape)
        y = self.centre_mm[:, :1] + self.radii_mm * np.sin(THETA)
        z = self.centre_mm[:, 1:] + self.radii_mm * np.cos(THETA)
        return np.stack([x, y, z], axis=-1)

    def scaled(self, factor: float) -> "Profile":
        """The profile with every radius times factor (same stations and centres)."""
        return Profile(self.x_mm, factor * self.radii_mm, self.centre_mm)

    def extended(self, length_mm: float) -> "Profile":
        """The profile with its end sections repeated length_mm beyond both ends."""
        x = np.concatenate([[self.x_mm[0] - length_mm], self.x_mm, [self.x_mm[-1] + length_mm]])
        ends = [0] + list(range(len(self.x_mm))) + [-1]
        return Profile(x, self.radii_mm[ends], self.centre_mm[ends])

    def inset(self, thickness_mm, x_mm=None) -> "Profile":
        """The profile shrunk radially by thickness_mm (scalar or (s,)), optionally at moved stations."""
        radii = self.radii_mm - np.broadcast_to(np.asarray(thickness_mm, float), self.x_mm.shape)[:, None]
        return Profile(self.x_mm if x_mm is None else np.asarray(x_mm, float), radii, self.centre_mm)


def ellipse_radii(height_mm, width_mm) -> np.ndarray:
    """Radii (s, k) of ellipses of the given heights (z) and widths (y), each (s,)."""
    a = np.asarray(height_mm, float)[:, None] / 2
    b = np.asarray(width_mm, float)[:, None] / 2
    return a * b / np.hypot(b * np.cos(THETA), a * np.sin(THETA))


def _on_axis(x_mm, heights, widths) -> Profile:
    x = np.asarray(x_mm, float)
    return Profile(x, ellipse_radii(heights, widths), np.zeros((len(x), 2)))


def metatarsal_profiles(d: BoneDims) -> tuple[Profile, Profile]:
    """Outer and inner (cancellous core) profiles of a metatarsal: base, tapered shaft, head.

    The head is a sphere of diameter head_height_mm centred at x = length - head_height/2; the loft
    runs on to x = length and is trimmed by that sphere (see ray.py).
    """
    x_head = d.length_mm - d.head_height_mm / 2
    x = np.array([0.0, 0.15, 0.35, 0.6, 0.8, 1.0]) * x_head
    x = np.append(x, d.length_mm)
    mix = 0.55, 0.45
    heights = [d.base_height_mm, mix[0] * d.base_height_mm + mix[1] * 1.1 * d.shaft_height_mm,
               1.1 * d.shaft_height_mm, d.shaft_height_mm, 0.95 * d.shaft_height_mm,
               d.head_height_mm, d.head_height_mm]
    widths = [d.base_width_mm, mix[0] * d.base_width_mm + mix[1] * 1.1 * d.shaft_width_mm,
              1.1 * d.shaft_width_mm, d.shaft_width_mm, 0.95 * d.shaft_width_mm,
              d.head_width_mm, d.head_width_mm]
    te, t = EPIPHYSIS_CORTEX_MM, d.cortical_mm
    outer = _on_axis(x, heights, widths)
    return outer, outer.inset([te, (te + t) / 2, t, t, t, te, te])


def phalanx_profiles(d: BoneDims, x_start_mm: float) -> tuple[Profile, Profile]:
    """Outer and inner profiles of a proximal phalanx from its base rim at x_start_mm to its tip.

    The inner core stops EPIPHYSIS_CORTEX_MM short of the flat distal end face.
    """
    frac = np.array([0.0, 0.25, 0.55, 0.85, 1.0])
    x = x_start_mm + frac * d.length_mm
    heights = [d.base_height_mm, (d.base_height_mm + d.shaft_height_mm) / 2, d.shaft_height_mm,
               d.head_height_mm, 0.9 * d.head_height_mm]
    widths = [d.base_width_mm, (d.base_width_mm + d.shaft_width_mm) / 2, d.shaft_width_mm,
              d.head_width_mm, 0.9 * d.head_width_mm]
    te, t = EPIPHYSIS_CORTEX_MM, d.cortical_mm
    outer = _on_axis(x, heights, widths)
    inner_x = x_start_mm + frac * (d.length_mm - te)
    return outer, outer.inset([te, (te + t) / 2, t, t, te], inner_x)
