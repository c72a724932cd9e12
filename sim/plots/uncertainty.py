"""Plots of an uncertainty study (uncertainty.csv, sensitivity.csv, summary.csv of a results folder):
5-95 % bands around the fill-sweep curves, the inputs' sensitivity indices per metric, and the probability
of cement failure vs fill."""

from pathlib import Path

import numpy as np

from .style import plt, save

FILL = "fill_fraction"
BANDS = (("construct_stiffness_axial_N_per_mm", "axial stiffness (N/mm)", None),
         ("cement_safety_factor", "cement safety factor (-)", 1.0),
         ("cement_fatigue_life_years", "cement fatigue life (years)", 10.0))
INDEX_METRICS = (("construct_stiffness_axial_N_per_mm", "axial stiffness"),
                 ("construct_stiffness_bending_N_per_mm", "bending stiffness"),
                 ("load_share_cement", "load share of cement"),
                 ("cement_safety_factor", "cement safety factor"),
                 ("log10_cement_fatigue_life_years", "log10 cement fatigue life"),
                 ("bone_interface_peak_von_mises_MPa", "bone at cement: von Mises"))
FAILURES = (("cement_safety_factor", "static: safety factor < 1"),
            ("cement_fatigue_life_years", "fatigue: life < 10 years"))
# method -> (index column, its confidence half-width column, axis label)
INDEX = {"sobol": ("ST", "ST_conf", "total Sobol index ST (95 % CI)"),
         "morris": ("mu_star", "mu_star_conf", "Morris mu* (95 % CI)"),
         "monte_carlo": ("delta", "delta_conf", "delta index (95 % CI)")}


def plot_uncertainty(results_dir: Path, read_rows) -> list[Path]:
    """Every uncertainty plot of a results folder that has an uncertainty.csv; returns the files."""
    stats = read_rows(results_dir / "uncertainty.csv")
    sens = read_rows(results_dir / "sensitivity.csv") if (results_dir / "sensitivity.csv").stat().st_size else []
    fill = {r["case"]: r[FILL] for r in read_rows(results_dir / "summary.csv")}
    for row in stats + sens:
        row[FILL] = fill[row["case"]]
    out = results_dir / "plots"
    return _bands(stats, out / "uncertainty_bands_vs_fill") + _indices(sens, out / "sensitivity_indices") + \
        _failure(stats, out / "failure_probability_vs_fill")


def _metric(rows, metric):
    return sorted((r for r in rows if r["metric"] == metric), key=lambda r: r[FILL])


def _bands(stats, stem):
    fig, axes = plt.subplots(1, len(BANDS), figsize=(5.2 * len(BANDS), 4.0))
    for ax, (metric, label, limit) in zip(axes, BANDS):
        rows = _metric(stats, metric)
        x = [100 * r[FILL] for r in rows]
        ax.fill_between(x, [r["p05"] for r in rows], [r["p95"] for r in rows], alpha=0.25)
        p05, p50, p95 = (np.array([r[k] for r in rows]) for k in ("p05", "p50", "p95"))
        ax.errorbar(x, p50, yerr=[p50 - p05, p95 - p50], fmt="s--", capsize=4, ms=4, label="median, 5-95 %")
        ax.plot(x, [r["nominal"] for r in rows], "o-", color="k", label="nominal inputs")
        if limit is not None:
            ax.axhline(limit, color="firebrick", linestyle=":", label=f"limit ({limit:g})")
        if "fatigue" in metric:
            ax.set_yscale("log")
        ax.set_xlabel("cement fill (% of void volume)")
        ax.set_ylabel(label)
        ax.legend(fontsize=8)
    fig.suptitle("Fill sweep under input uncertainty: nominal, median and 5-95 % band")
    return save(fig, stem)


def _indices(sens, stem):
    if not sens:
        return []
    column, conf, label = INDEX[sens[0]["method"]]
    metrics = [(m, t) for m, t in INDEX_METRICS if any(r["metric"] == m for r in sens)]
    inputs = list(dict.fromkeys(r["input"] for r in sens))
    cases = sorted({(r[FILL], r["case"]) for r in sens})
    ncol = min(3, len(metrics))
    nrow = -(-len(metrics) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol, 0.55 * len(inputs) * len(cases) / 2 + 2.2 * nrow),
                             squeeze=False, sharey=True)
    height = 0.8 / len(cases)
    for ax, (metric, title) in zip(axes.flat, metrics):
        for k, (f, case) in enumerate(cases):
            own = {r["input"]: r for r in sens if r["metric"] == metric and r["case"] == case}
            y = np.arange(len(inputs)) + (k - (len(cases) - 1) / 2) * height
            v = [own[i][column] if i in own else np.nan for i in inputs]
            e = [own[i][conf] if i in own else np.nan for i in inputs]
            ax.barh(y, v, height, xerr=e, capsize=2, label=f"{100 * f:.0f} % fill")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(label, fontsize=8)
        ax.axvline(0, color="0.4", linewidth=0.8)
        ax.set_yticks(np.arange(len(inputs)), [_short(i) for i in inputs])
        ax.invert_yaxis()
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Which input decides each metric")
    fig.tight_layout()
    return save(fig, stem)


def _failure(stats, stem):
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    for metric, label in FAILURES:
        rows = [r for r in _metric(stats, metric) if isinstance(r.get("p_failure"), float)]
        if not rows:
            continue
        x = np.array([100 * r[FILL] for r in rows])
        p = np.array([r["p_failure"] for r in rows])
        err = [p - [r["p_failure_low"] for r in rows], [r["p_failure_high"] for r in rows] - p]
        ax.errorbar(x, 100 * p, yerr=100 * np.array(err), fmt="o-", capsize=3, label=label)
    ax.set_xlabel("cement fill (% of void volume)")
    ax.set_ylabel("probability of cement failure (%), 95 % interval")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    ax.set_title("Probability of cement failure under input uncertainty")
    return save(fig, stem)


def _short(key: str) -> str:
    """'material_scaling.soft_tissue.modulus_factor' -> 'soft_tissue modulus_factor'."""
    return " ".join(key.split(".")[-2:])
