"""Shared figure set-up and saving (PNG for viewing, SVG for papers), written atomically."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..atomic import atomic_path  # noqa: E402

plt.rcParams.update({"figure.dpi": 110, "axes.grid": True, "grid.alpha": 0.3, "font.size": 10,
                     "axes.spines.top": False, "axes.spines.right": False})


SAVE_DPI = 150  # of the PNG, and of the rasterized parts (mesh sections) of the SVG


def save(fig, path_stem, formats=("png", "svg")) -> list[Path]:
    """Save a figure as path_stem.png and path_stem.svg; returns the paths."""
    paths = []
    for fmt in formats:
        path = Path(f"{path_stem}.{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, bbox_inches="tight", dpi=SAVE_DPI)
        paths.append(path)
    plt.close(fig)
    return paths
