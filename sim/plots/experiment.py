"""The plots of an experiment, from its results folder (summary.csv, frames.csv, fields/*.vtu)."""

import csv
import io
from pathlib import Path

import numpy as np

from .. import healthy_joint
from ..errors import InputError
from ..mesh.io import read_meshio
from ..textio import read_json, read_text
from .section import field_section, region_section
from .style import plt, save
from .uncertainty import plot_uncertainty

FILL = "fill_fraction"


def read_rows(path: Path) -> list[dict]:
    """CSV rows with numbers converted to float, 'true'/'false' to bool; a truncated or damaged table
    (a row with missing or extra cells, no rows) is an InputError naming the file and line."""
    def convert(v):
        if v in ("true", "false"):
            return v == "true"
        try:
            return float(v)
        except ValueError:
            return v
    reader = csv.DictReader(io.StringIO(read_text(path, "results table"), newline=""))
    rows = []
    for row in reader:
        number = reader.line_num
        if None in row or None in row.values():
            raise InputError(f"{path}:{number}: damaged or truncated row; run the experiment again to "
                             f"rewrite it")
        rows.append({k: convert(v) for k, v in row.items()})
    if not rows:
        raise InputError(f"{path}: no rows; run the experiment again to rewrite it")
    return rows


def _series(rows: list[dict], sweep_keys: list[str]) -> dict[str, list[dict]]:
    """Non-reference rows grouped by the swept keys other than the fill fraction, sorted by fill."""
    others = [k for k in sweep_keys if not k.endswith(FILL)]
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("reference"):
            continue
        label = ", ".join(f"{k.split('.')[-1]} = {row.get(k)}" for k in others) or "resected ray"
        groups.setdefault(label, []).append(row)
    return {k: sorted(v, key=lambda r: r[FILL]) for k, v in groups.items()}


def _references(ax, rows, key, scale=1.0):
    for row in rows:
        if row.get("reference") and np.isfinite(row.get(key, np.nan)):
            ax.axhline(row[key] * scale, color="0.3", linestyle="--", linewidth=1.2,
                       label=f"{str(row['case']).replace('_', ' ')} (reference)")


def _vs_fill(rows, sweep_keys, panels, title, stem):
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.0), squeeze=False)
    for ax, (key, ylabel) in zip(axes[0], panels):
        for label, series in _series(rows, sweep_keys).items():
            ax.plot([r[FILL] * 100 for r in series], [r[key] for r in series], "o-", label=label)
        _references(ax, rows, key)
        if "safety_factor" in key:
            ax.axhline(1.0, color="firebrick", linestyle=":", label="stress = strength")
            ax.set_ylim(bottom=0)
        ax.set_xlabel("cement fill (% of void volume)")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return save(fig, stem)


def plot_results(results_dir) -> list[Path]:
    """Write every plot of a results folder; returns the files written."""
    results_dir = Path(results_dir)
    if not (results_dir / "summary.csv").is_file():
        raise InputError(f"{results_dir}: no summary.csv here; run an experiment first (spacer-sim run)")
    rows = read_rows(results_dir / "summary.csv")
    frames = read_rows(results_dir / "frames.csv")
    manifest = read_json(results_dir / "manifest.json", "manifest")
    cases = [c.get("name") for c in manifest.get("cases", [])] if isinstance(manifest, dict) else None
    if cases != [r.get("case") for r in rows]:
        raise InputError(f"{results_dir}: summary.csv and manifest.json do not list the same cases; run "
                         f"the experiment again to rewrite them")
    keys = manifest.get("sweep_keys", [])
    out = results_dir / "plots"
    if rows and "sole_force_N" in rows[0]:
        from .forefoot import plot_forefoot

        return plot_forefoot(results_dir, rows, keys)
    written = []
    written += _vs_fill(rows, keys, [("construct_stiffness_axial_N_per_mm", "axial stiffness (N/mm)"),
                                     ("construct_stiffness_bending_N_per_mm", "dorsal bending stiffness (N/mm)")],
                        "Construct stiffness vs cement fill", out / "stiffness_vs_fill")
    written += _vs_fill(rows, keys, [("load_share_cement", "mean along the void (-)"),
                                     ("load_share_cement_min", "smallest over the void's slices (-)")],
                        "Share of the axial load crossing the void through cement (peak gait load)",
                        out / "load_share_vs_fill")
    written += _vs_fill(rows, keys, [("cement_safety_factor_tension", "safety factor, tension (-)"),
                                     ("cement_safety_factor_compression", "safety factor, compression (-)")],
                        "Cement safety factor against static strength (worst gait frame)",
                        out / "safety_factor_vs_fill")
    written += _stress_vs_gait(rows, frames, out / "stress_vs_gait")
    written += _moment_rotation(results_dir, rows, out / "moment_rotation")
    written += _contact_vs_gait(rows, frames, out / "contact_vs_gait")
    written += _field_picture(results_dir, rows, out / "von_mises_section")
    if (results_dir / "uncertainty.csv").is_file():
        written += plot_uncertainty(results_dir, read_rows)
    return written


def _stress_vs_gait(rows, frames, stem):
    panels = [("peak_von_mises_cement_MPa", "cement: robust peak von Mises (MPa)"),
              ("peak_von_mises_cortical_MPa", "metatarsal cortex: robust peak von Mises (MPa)")]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    cmap = plt.get_cmap("viridis")
    for ax, (key, ylabel) in zip(axes, panels):
        for row in rows:
            own = [f for f in frames if f["case"] == row["case"] and key in f and f[key] != ""]
            if not own or not np.isfinite([f[key] for f in own]).any():
                continue
            style = dict(color="0.3", linestyle="--") if row.get("reference") else dict(color=cmap(row[FILL]))
            label = f"{row['case']} (reference)" if row.get("reference") else _label(row)
            ax.plot([f["stance_percent"] for f in own], [f[key] for f in own], marker="o", ms=3,
                    label=_path_end(row, label), **style)
        _stance_axis(ax)
        ax.set_ylabel(ylabel)
    drawn = {}  # one legend for both panels, below them (the reference may have only the bone's curve)
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            drawn.setdefault(label, handle)
    if drawn:
        axes[0].legend(drawn.values(), drawn.keys(), fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(0.0, -0.15))
    fig.suptitle("Peak stresses over the stance phase")
    return save(fig, stem)


def _field_picture(results_dir, rows, stem):
    """Regions and von Mises stress in the mid-sagittal section of the case closest to 50 % fill."""
    cases = [r for r in rows if not r.get("reference")] or rows
    row = min(cases, key=lambda r: abs(r[FILL] - 0.5))
    path = results_dir / "fields" / f"{row['case']}.vtu"
    if not path.is_file():
        return []
    mesh = read_meshio(path, "field")
    cells = mesh.cells[0].data
    region = np.asarray(mesh.cell_data["region"][0])
    names = read_json(results_dir / "cases" / f"{row['case']}.json", "case file")["regions"]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7.0), layout="constrained")
    region_section(top, mesh.points, cells, region, {int(k): v for k, v in names.items()})
    top.set_title(f"case {row['case']}: {row[FILL] * 100:.0f} % of the void filled with cement (sagittal cut)")
    field_section(bottom, mesh.points, cells, np.asarray(mesh.cell_data["von_mises"][0]), "von Mises (MPa)")
    bottom.set_title(f"von Mises stress at peak gait load ({row['peak_stance_percent']:.0f} % of stance)")
    top.set_xlabel("")
    top.tick_params(labelbottom=False)
    return save(fig, stem)


def _path_end(row, label: str) -> str:
    """A case whose gait path ended before the last frame (a limit point, or no equilibrium found) says so:
    its curve stops at the last frame reached."""
    end = row.get("gait_end")
    return f"{label} (gait path ended: {end})" if isinstance(end, str) and end else label


def _stance_axis(ax) -> None:
    ax.set_xlabel("stance phase (%)")
    ax.set_xlim(0.0, 100.0)


def _label(row) -> str:
    swept = [k for k in row if "." in k and not k.endswith(FILL)]
    return ", ".join([f"{row[FILL] * 100:.0f} % fill"] + [str(row[k]) for k in swept])


def _moment_rotation(results_dir, rows, stem):
    """Moment-rotation across the void (pseudo-joint probe), one curve per case that has one."""
    curves = []
    for row in rows:
        record = read_json(results_dir / "cases" / f"{row['case']}.json", "case file")
        if record.get("moment_rotation"):
            curves.append((row, record["moment_rotation"]))
    if not curves:
        return []
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    cmap = plt.get_cmap("tab10")
    for i, (row, curve) in enumerate(curves):
        for j, (direction, (moment, theta)) in enumerate(curve.items()):
            side = -1.0 if direction == "dorsiflexion" else 1.0
            ax.plot(side * np.abs(theta), moment, "o-", ms=3, color=cmap(i % 10), label=_label(row) if j == 0 else None)
    _healthy_joint(ax)
    ax.set_xlabel("rotation across the void (deg; + plantarflexion)")
    ax.set_ylabel("moment about the medio-lateral axis (N mm)")
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title("Pseudo-joint: moment-rotation of the spacer segment")
    return save(fig, stem)


def _healthy_joint(ax) -> None:
    """The passive dorsiflexion stiffness of a healthy first MTP joint (mean line, subjects' range shaded;
    sim/healthy_joint.py) on the dorsiflexion side, within the limits the curves set."""
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    theta = np.linspace(min(xlim[0], 0.0), 0.0, 50)
    low, high = healthy_joint.RANGE_NMM_PER_DEG
    ax.fill_between(theta, low * theta, high * theta, color="0.6", alpha=0.2, linewidth=0, zorder=0,
                    label=f"healthy 1st MTP joint, passive, {low:g}-{high:g} N mm/deg")
    ax.plot(theta, healthy_joint.MEAN_NMM_PER_DEG * theta, "--", color="0.3", linewidth=1.2,
            label=f"its mean {healthy_joint.MEAN_NMM_PER_DEG:g} N mm/deg\n({healthy_joint.SOURCE})")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def _contact_vs_gait(rows, frames, stem):
    """Normal force through each reported interface (top) and its contact pressure, 99th percentile by
    contact area (bottom), over the stance phase."""
    names = [k.removesuffix("_normal_force_N") for k in (frames[0] if frames else {}) if k.endswith("_normal_force_N")]
    if not names:
        return []
    fig, axes = plt.subplots(2, len(names), figsize=(5.5 * len(names), 7.5), squeeze=False, sharex=True)
    cmap = plt.get_cmap("tab10")
    panels = (("_normal_force_N", "normal force through the interface (N)"),
              ("_contact_pressure_p99_MPa", "contact pressure, 99th pct by area (MPa)"))
    for col, name in enumerate(names):
        for ax, (suffix, label) in zip(axes[:, col], panels):
            key = name + suffix
            for i, row in enumerate(r for r in rows if not r.get("reference")):
                own = [f for f in frames if f["case"] == row["case"] and isinstance(f.get(key), float)]
                if own:
                    ax.plot([f["stance_percent"] for f in own], [f[key] for f in own], marker="o", ms=3,
                            color=cmap(i % 10), label=_path_end(row, _label(row)))
            ax.set_ylabel(f"{name.replace('_', ' ')}:\n{label}")
        axes[0, col].legend(fontsize=7)
        _stance_axis(axes[1, col])
    fig.suptitle("Load through the spacer interfaces over the stance phase")
    return save(fig, stem)
