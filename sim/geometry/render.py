"""A PNG of a meshed ray cut open: the sagittal section (y = 0) and the horizontal section (z = 0),
coloured by region, with a legend of region volumes (mm^3) and axes in mm."""

from pathlib import Path

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from ..mesh import Mesh
from ..mesh.section import plane_section
from ..plots.section import REGION_COLOURS
from ..plots.style import plt, save
from .measure import region_volumes_mm3

LABELS = {"cortical": "metatarsal cortex", "cancellous": "metatarsal cancellous bone / canal",
          "phalanx_cortical": "phalanx cortex", "phalanx_cancellous": "phalanx cancellous bone",
          "joint_cartilage": "MTP joint cartilage", "cement": "cement spacer (PMMA)",
          "soft_tissue": "scar tissue in the void"}
ORDER = list(LABELS)


def render_mesh_png(mesh: Mesh, path, title: str = "") -> None:
    """Write the two sections of `mesh` to `path` (PNG)."""
    names = sorted(set(mesh.region_names.values()), key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
    colour_of_id = {rid: REGION_COLOURS.get(name, "#999999") for rid, name in mesh.region_names.items()}
    span = np.ptp(mesh.nodes_mm, axis=0) + 4.0
    width = 12.0
    fig, axes = plt.subplots(2, 1, sharex=True, height_ratios=[span[2], span[1]], layout="constrained",
                             figsize=(width, 2.6 + 0.85 * width * (span[2] + span[1]) / span[0]))
    views = ((1, 2, "sagittal section y = 0 (medial/lateral cut)", "z (mm)", ("plantar", "dorsal")),
             (2, 1, "horizontal section z = 0 (seen from dorsal)", "y (mm)", ("-y", "+y")))
    for ax, (axis, up, label, ylabel, ends) in zip(axes, views):
        poly, cells = plane_section(mesh.nodes_mm, mesh.cells, (0.0, 0.0, 0.0), np.eye(3)[axis])
        colours = [colour_of_id[r] for r in mesh.region[cells]]
        ax.add_collection(PolyCollection(poly[..., [0, up]], facecolors=colours, edgecolors="#00000030",
                                         linewidths=0.15))
        ax.autoscale_view()
        ax.set_xlim(mesh.nodes_mm[:, 0].min() - 2, mesh.nodes_mm[:, 0].max() + 2)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(label, fontsize=10)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3, linewidth=0.5)
        for y, text in zip(ax.get_ylim(), ends):
            ax.annotate(text, (1.0, y), xycoords=("axes fraction", "data"), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=8, color="#444444")
    axes[0].tick_params(labelbottom=True)
    axes[1].set_xlabel("x (mm): metatarsal base (proximal, fixed) -> toe (distal, loaded)")
    volumes = region_volumes_mm3(mesh)
    handles = [Patch(facecolor=REGION_COLOURS.get(n, "#999999"), edgecolor="#555555",
                     label=f"{LABELS.get(n, n)}: {volumes[n]:,.0f} mm³") for n in names]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(4, len(handles)), fontsize=9,
               title="region: volume", title_fontsize=9)
    if title:
        fig.suptitle(title, fontsize=11, wrap=True)
    save(fig, Path(path).with_suffix(""), formats=("png",))
