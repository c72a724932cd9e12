"""Plots of a forefoot experiment: pedobarograph-style plantar pressure maps (kPa, one colour scale), force
per ray vs fill and pressure under each head vs fill; and forefoot_changes.csv (each case against the intact
reference with the same insole, or the reference when there is none)."""

import csv
from pathlib import Path

import numpy as np
from matplotlib.tri import Triangulation

from ..atomic import write_text
from ..table import csv_text
from .style import plt, save

RAYS = (1, 2, 3, 4, 5)
FILL = "fill_fraction"


def plot_forefoot(results_dir: Path, rows: list[dict], sweep_keys: list[str]) -> list[Path]:
    out = results_dir / "plots"
    written = _changes(results_dir, rows)
    written += _pressure_maps(results_dir, rows, out / "plantar_pressure_map")
    written += _per_condition(rows, _force_panel, "Vertical force each ray (and the envelope) carries into the midfoot",
                              out / "force_per_ray_vs_fill")
    written += _per_condition(rows, _pressure_panel, "Plantar pressure under each metatarsal head "
                              "(99th percentile by area; dashed: intact)", out / "peak_pressure_per_head_vs_fill")
    return written


def _label(row) -> str:
    if row.get("reference"):
        return f"{row['case']} (reference)"
    rays = str(row.get("resected_rays", "")).replace(".0", "")
    label = "intact" if rays in ("", "none") else f"ray {rays}, {row[FILL] * 100:.0f} % fill"
    label += f", {_variant(row)}" if _variant(row) else ""
    toes = row.get("toe_dorsiflexion_deg") or 0
    return f"{label}, toes up {toes:g} deg" if toes else label


def _variant(row) -> str:
    """A case's swept values other than fill and insole (e.g. 'bead, frictional'), '' without any."""
    return ", ".join(str(row[k]) for k in sorted(row) if "." in k and not k.endswith(FILL) and "insole" not in k
                     and row[k] not in (None, ""))


def _reference_for(row, rows):
    refs = [r for r in rows if r.get("reference")]
    same = [r for r in refs if r.get("insole") == row.get("insole")]
    return (same or refs or [None])[0]


def _changes(results_dir: Path, rows: list[dict]) -> list[Path]:
    """forefoot_changes.csv: per case, change (%) of each head's p99 pressure and force and of each ray's force."""
    keys = [f"mth{r}_pressure_p99_kPa" for r in RAYS] + [f"mth{r}_force_N" for r in RAYS] + \
           [f"ray{r}_vertical_force_N" for r in RAYS] + ["sole_pressure_p99_kPa"]
    table = []
    for row in rows:
        ref = _reference_for(row, rows)
        if row.get("reference") or ref is None:
            continue
        entry = {"case": row["case"], "compared_with": ref["case"], "insole": row.get("insole"), FILL: row[FILL]}
        for k in keys:
            if k in row and k in ref and ref[k]:
                entry[k.rsplit("_", 1)[0] + "_change_percent"] = 100.0 * (row[k] - ref[k]) / ref[k]
        table.append(entry)
    if not table:
        return []
    path = results_dir / "forefoot_changes.csv"
    write_text(path, csv_text(table))
    return [path]


def _read_plantar(path: Path):
    with open(path, newline="") as fh:
        data = list(csv.DictReader(fh))
    sole = [d for d in data if not d.get("head_of_ray")]
    heads = [d for d in data if d.get("head_of_ray")]
    xy = np.array([[float(d["x_mm"]), float(d["y_mm"])] for d in sole])
    p = np.array([float(d["pressure_kPa"]) for d in sole])
    return xy, p, [(int(float(d["head_of_ray"])), float(d["x_mm"]), float(d["y_mm"])) for d in heads]


def _pressure_maps(results_dir: Path, rows: list[dict], stem) -> list[Path]:
    """All cases side by side (intact first), y across and x up as on a pedobarograph, one colour scale."""
    ordered = sorted(rows, key=lambda r: (not r.get("reference"), str(r.get("insole")), r[FILL]))
    maps = [(r, results_dir / "fields" / f"{r['case']}_plantar.csv") for r in ordered]
    maps = [(r, p) for r, p in maps if p.is_file()]
    if not maps:
        return []
    data = [(r, *_read_plantar(p)) for r, p in maps]
    vmax = max(float(np.percentile(p, 99.5)) for _, _, p, _ in data)
    ncol = min(6, len(data))
    nrow = int(np.ceil(len(data) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(2.6 * ncol, 4.0 * nrow), squeeze=False, layout="constrained")
    for ax in axes.ravel()[len(data):]:
        ax.axis("off")
    for ax, (row, xy, p, heads) in zip(axes.ravel(), data):
        tri = Triangulation(-xy[:, 1], xy[:, 0])
        image = ax.tripcolor(tri, np.clip(p, 0, None), shading="gouraud", cmap="jet", vmin=0.0, vmax=vmax)
        for ray, x, y in heads:
            ax.text(-y, x, str(ray), ha="center", va="center", fontsize=7, color="white")
        ax.set_aspect("equal")
        ax.set_title(_label(row) + (f"\n{row['insole']} insole" if row.get("insole") not in (None, "none") else
                                    "\nbarefoot"), fontsize=8)
        ax.set_axis_off()
    fig.colorbar(image, ax=axes, shrink=0.6, label="plantar pressure (kPa)")
    fig.suptitle("Plantar pressure on the ground (right foot seen from below, toes up; numbers: metatarsal heads)")
    return save(fig, stem)


def _conditions(rows) -> dict:
    """The cases by insole and by their other swept values (spacer shape, interface law...): one panel each,
    the fills within a panel; the reference is drawn in every panel of its insole."""
    groups = {}
    for row in sorted([r for r in rows if not r.get("reference")] or rows, key=lambda r: str(r.get("insole"))):
        insole = str(row.get("insole"))
        name = "barefoot" if insole == "none" else f"{insole} insole"
        groups.setdefault(f"{name}, {_variant(row)}" if _variant(row) else name, []).append(row)
    return dict(sorted(groups.items()))


def _per_condition(rows, panel, title, stem) -> list[Path]:
    conditions = _conditions(rows)
    ncol = min(3, len(conditions))
    nrow = -(-len(conditions) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.0 * ncol, 4.2 * nrow), squeeze=False, sharey=True,
                             layout="constrained")
    for ax in axes.ravel()[len(conditions):]:
        ax.axis("off")
    for ax, (name, group) in zip(axes.ravel(), conditions.items()):
        panel(ax, group, _reference_for(group[0], rows))
        ax.set_title(name, fontsize=9)
    fig.suptitle(title)
    return save(fig, stem)


def _force_panel(ax, group, ref):
    cases = ([ref] if ref is not None else []) + sorted([r for r in group if not r.get("reference")],
                                                         key=lambda r: r[FILL])
    names = [f"ray{r}_vertical_force_N" for r in RAYS] + ["plantar_soft_tissue_vertical_force_N"]
    width = 0.8 / len(cases)
    cmap = plt.get_cmap("viridis")
    for i, row in enumerate(cases):
        color = "0.3" if row.get("reference") else cmap(row[FILL])
        ax.bar(np.arange(len(names)) + (i - (len(cases) - 1) / 2) * width, [row.get(n, np.nan) for n in names],
               width, color=color, label=_label(row))
    ax.set_xticks(np.arange(len(names)), [f"ray {r}" for r in RAYS] + ["envelope"])
    ax.set_ylabel("vertical force into the midfoot (N)")
    ax.legend(fontsize=7)


def _given(row: dict, key: str) -> bool:
    """Whether the row has a number for key (rows of other cases may leave it empty)."""
    try:
        return bool(np.isfinite(float(row.get(key))))
    except (TypeError, ValueError):
        return False


def _pressure_panel(ax, group, ref):
    resected = sorted([r for r in group if not r.get("reference")], key=lambda r: r[FILL])
    # on an insole, the pressure the foot feels: at the foot-insole interface (outputs.interface_columns)
    where = "interface_" if any(_given(r, "mth1_interface_pressure_p99_kPa") for r in resected) else ""
    for k, ray in enumerate(RAYS):
        key = f"mth{ray}_{where}pressure_p99_kPa"
        color = plt.get_cmap("tab10")(k)
        if resected:
            ax.plot([r[FILL] * 100 for r in resected], [r[key] for r in resected], "o-", color=color,
                    label=f"MTH{ray}")
        if ref is not None:  # the intact foot (barefoot when no intact case stands on this insole: its ground)
            ax.axhline(ref[key if _given(ref, key) else f"mth{ray}_pressure_p99_kPa"], color=color, linestyle="--",
                       linewidth=1.0)
    ax.set_xlabel("cement fill of the resected ray's void (%)")
    ax.set_ylabel(f"pressure under the head{' at the insole' if where else ''}, p99 (kPa)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, ncol=2)
