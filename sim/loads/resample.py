"""Resampling a load curve over stance without losing its peak."""

import numpy as np

from ..errors import InputError


def resample_keep_peak(stance_percent, values, n_frames: int) -> tuple[np.ndarray, np.ndarray]:
    """Linear resampling onto n_frames stance points that include the peak frame.

    stance_percent: (f,) increasing; values: (f, k) with the force in columns 0-2. The points are
    evenly spaced over the curve's range, except that the interior point nearest the frame of
    largest |force| is moved onto it. n_frames = 1 returns the peak frame alone; n_frames = 2 is
    refused (it cannot hold both ends and an interior peak).
    """
    stance = np.asarray(stance_percent, dtype=float)
    values = np.asarray(values, dtype=float)
    is_int = isinstance(n_frames, (int, np.integer)) and not isinstance(n_frames, bool)
    if not is_int or n_frames < 1 or n_frames == 2:
        raise InputError(f"n_frames must be 1 or an integer >= 3, got {n_frames!r}")
    peak = int(np.argmax(np.linalg.norm(values[:, :3], axis=1)))
    if n_frames == 1:
        return stance[peak:peak + 1], values[peak:peak + 1]
    if len(stance) < 2:
        raise InputError(f"a single-frame load cannot be resampled to {n_frames} frames; "
                         "use n_frames=None or 1")
    grid = np.linspace(stance[0], stance[-1], n_frames)
    if 0 < peak < len(stance) - 1:
        grid[int(np.clip(np.argmin(np.abs(grid - stance[peak])), 1, n_frames - 2))] = stance[peak]
        grid.sort()
    resampled = np.column_stack([np.interp(grid, stance, column) for column in values.T])
    return grid, resampled
