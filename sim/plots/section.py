"""Section views: a mesh cut by a plane, coloured by region or by a cell field (e.g. von Mises, MPa).

The cut cells are drawn rasterized: in an SVG they are one embedded image (at the saving dpi) instead of
thousands of vector polygons, while axes, labels and colour bar stay vector."""

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ..mesh.section import plane_section
from .style import plt

REGION_COLOURS = {"cortical": "#e8dcc0", "cancellous": "#c9a66b", "phalanx_cortical": "#e8dcc0",
                  "phalanx_cancellous": "#c9a66b", "joint_cartilage": "#7fb3d5", "cement": "#9b59b6",
                  "soft_tissue": "#e59866"}
_FALLBACK = plt.get_cmap("tab10")


def _sagittal(ax, nodes, cells, axes=(0, 2)):
    """Section polygons in the mid-sagittal plane (y through the bone axis), as 2D (x, z) outlines."""
    centre = nodes.mean(axis=0)
    polygons, cut = plane_section(nodes, cells, centre, (0.0, 1.0, 0.0))
    ax.set_aspect("equal")
    ax.set_xlabel("x along the ray (mm)")
    ax.set_ylabel("z, plantar to dorsal (mm)")
    ax.grid(False)
    return polygons[..., list(axes)], cut


def region_section(ax, nodes, cells, region, region_names: dict) -> None:
    """Draw the sagittal section coloured by region, with a legend."""
    polygons, cut = _sagittal(ax, nodes, cells)
    ids = sorted(region_names)
    colours = [REGION_COLOURS.get(region_names[i], _FALLBACK(k % 10)) for k, i in enumerate(ids)]
    index = np.searchsorted(ids, region[cut])
    ax.add_collection(PolyCollection(polygons, array=index, cmap=ListedColormap(colours), clim=(-0.5, len(ids) - 0.5),
                                     edgecolors="face", linewidths=0.2, rasterized=True))
    ax.autoscale_view()
    ax.legend(handles=[Patch(color=c, label=region_names[i].replace("_", " ")) for i, c in zip(ids, colours)],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=4, frameon=False, fontsize=8)


def field_section(ax, nodes, cells, values, label: str, vmax=None) -> None:
    """Draw the sagittal section coloured by a cell field, with a colour bar."""
    polygons, cut = _sagittal(ax, nodes, cells)
    coll = PolyCollection(polygons, array=values[cut], cmap="inferno", edgecolors="face", linewidths=0.2,
                          rasterized=True)
    coll.set_clim(0, vmax if vmax is not None else np.percentile(values[cut], 99))
    ax.add_collection(coll)
    ax.autoscale_view()
    plt.colorbar(coll, ax=ax, label=label, orientation="horizontal", fraction=0.06, pad=0.2, aspect=40,
                 extend="max")
