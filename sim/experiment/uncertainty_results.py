"""What an uncertainty study reports per nominal case and output metric: statistics (uncertainty.csv) and
sensitivity indices from SALib (sensitivity.csv); the sample rows themselves go to samples.csv.

Statistics: mean, standard deviation, 5th/50th/95th percentiles over all sample runs, and where a limit
exists the probability of failure (cement safety factor < 1; cement fatigue life < 10 years) with a 95 %
Wilson interval counted on the independent draws only (Saltelli's rows of one block are correlated).
Indices: sobol: first-order S1 and total ST with bootstrap 95 % intervals (Saltelli 2010 / Jansen
estimators, SALib.analyze.sobol); morris: mu, mu*, its 95 % interval, sigma (SALib.analyze.morris);
monte_carlo: the moment-independent delta and S1 (Borgonovo 2007, SALib.analyze.delta).
Fatigue life spans decades, so its indices are those of log10(life).
"""

import math

import numpy as np

from ..atomic import write_text
from ..table import csv_text
from .uncertainty import Study

# metric -> failure limit (failure when the metric is below it), or None
METRICS = {
    "construct_stiffness_axial_N_per_mm": None,
    "construct_stiffness_bending_N_per_mm": None,
    "load_share_cement": None,
    "cement_peak_tension_MPa": None,
    "cement_safety_factor": 1.0,
    "cement_fatigue_life_years": 10.0,
    "log10_cement_fatigue_life_years": 1.0,
    "bone_interface_peak_von_mises_MPa": None,
    "dorsal_shaft_strain_microstrain": None,
}
NO_INDICES = ("cement_fatigue_life_years",)  # indices of its log10 instead
CONFIDENCE = 0.95
Z95 = 1.959963984540054


def metric_values(summary: dict) -> dict:
    """The metrics of one case's summary row (log10 of fatigue life added)."""
    out = {k: float(summary.get(k, math.nan)) for k in METRICS if not k.startswith("log10_")}
    with np.errstate(divide="ignore", invalid="ignore"):
        out["log10_cement_fatigue_life_years"] = float(np.log10(out["cement_fatigue_life_years"]))
    return out


def independent_draws(study: Study) -> int:
    """Rows of the design that are independent draws: all of them, Saltelli's A and B, Morris starts."""
    return {"monte_carlo": study.samples, "sobol": 2 * study.samples, "morris": study.samples}[study.method]


def statistics(study: Study, values: np.ndarray, limit: float | None) -> dict:
    """Mean, std, percentiles and, with a limit, P(value < limit) with its Wilson 95 % interval."""
    row = {"n_runs": values.size, "n_finite": int(np.isfinite(values).sum())}
    finite = values[np.isfinite(values)]
    if finite.size != values.size or not values.size:
        row.update(mean=math.nan, std=math.nan)
    else:
        row.update(mean=float(values.mean()), std=float(values.std(ddof=1)))
    if np.isnan(values).all():
        return row | dict.fromkeys(("p05", "p50", "p95"), math.nan)
    row.update(zip(("p05", "p50", "p95"), map(float, np.nanpercentile(values, [5, 50, 95]))))
    if limit is not None:
        p = float(np.mean(values[~np.isnan(values)] < limit))
        n = independent_draws(study)
        centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
        half = Z95 / (1 + Z95 ** 2 / n) * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n))
        row.update(limit=limit, p_failure=p, p_failure_low=max(centre - half, 0.0), p_failure_high=min(centre + half, 1.0))
    return row


def indices(study: Study, X: np.ndarray, Y: np.ndarray, seed: int) -> list[dict]:
    """Per input: the method's sensitivity indices of output Y (one value per row of X); [] if Y is not all
    finite or constant (no variance to apportion)."""
    if not np.isfinite(Y).all() or np.ptp(Y) == 0:
        return []
    problem = study.problem()
    if study.method == "sobol":
        from SALib.analyze import sobol

        r = sobol.analyze(problem, Y, calc_second_order=False, conf_level=CONFIDENCE, seed=seed)
        keys = {"S1": "S1", "S1_conf": "S1_conf", "ST": "ST", "ST_conf": "ST_conf"}
    elif study.method == "morris":
        from SALib.analyze import morris

        r = morris.analyze(problem, X, Y, conf_level=CONFIDENCE, num_levels=4, seed=seed)
        keys = {"mu": "mu", "mu_star": "mu_star", "mu_star_conf": "mu_star_conf", "sigma": "sigma"}
    else:
        from SALib.analyze import delta

        r = delta.analyze(problem, X, Y, conf_level=CONFIDENCE, seed=seed)
        keys = {"delta": "delta", "delta_conf": "delta_conf", "S1": "S1", "S1_conf": "S1_conf"}
    return [{"input": name, **{out: float(r[k][i]) for out, k in keys.items()}}
            for i, name in enumerate(study.names)]


def analyze(study: Study, X: np.ndarray, outputs: dict) -> tuple[list[dict], list[dict]]:
    """Statistics rows and index rows for outputs {metric: values (n_runs,)} at the design X."""
    stats, sens = [], []
    for metric, values in outputs.items():
        values = np.asarray(values, dtype=float)
        stats.append({"metric": metric, **statistics(study, values, METRICS.get(metric))})
        if metric not in NO_INDICES:
            sens += [{"metric": metric, "method": study.method, **row}
                     for row in indices(study, X, values, study.seed)]
    return stats, sens


def write_uncertainty(exp, out_dir, records: list[dict]) -> None:
    """samples.csv, uncertainty.csv and sensitivity.csv of an experiment with a [uncertainty] table."""
    study = exp.study
    by_name = {r["name"]: r for r in records}
    X = study.sample()
    samples, stats, sens = [], [], []
    for case in exp.cases:
        if case.is_reference or case.sample_of is not None:
            continue
        runs = [by_name[f"{case.name}_u{j:04d}"]["summary"] for j in range(len(X))]
        samples += runs
        nominal = metric_values(by_name[case.name]["summary"])
        values = [metric_values(run) for run in runs]
        outputs = {m: [v[m] for v in values] for m in METRICS}
        label = {"case": case.name, **case.swept}
        s, t = analyze(study, X, outputs)
        stats += [{**label, **row, "nominal": nominal[row["metric"]]} for row in s]
        sens += [{**label, **row} for row in t]
    write_text(out_dir / "samples.csv", csv_text(samples))
    write_text(out_dir / "uncertainty.csv", csv_text(stats))
    write_text(out_dir / "sensitivity.csv", csv_text(sens))
