"""Uncertainty studies: distributions over dotted config keys, sampled with SALib into ordinary cases.

    [uncertainty]
    method = "sobol"        # "monte_carlo" (Latin hypercube), "sobol" (Saltelli) or "morris" (screening)
    samples = 32            # base count N: runs per swept case are N (monte_carlo), N (D + 2) (sobol,
    seed = 14               #   first and total order) or N (D + 1) (morris trajectories), D = inputs
    [uncertainty.inputs]
    "loads.scale" = { distribution = "uniform", low = 0.5, high = 0.8 }
    "loads.body_mass_kg" = { distribution = "truncated_normal", mean = 80, std = 12, low = 50, high = 130 }
    "bone_quality.modulus_factor" = { distribution = "normal", mean = 0.8, std = 0.1 }
    "material_scaling.soft_tissue.modulus_factor" = { distribution = "lognormal", median = 1.0, sigma = 0.6 }

Every swept case gets its own samples (the same unit-hypercube design, so fill fractions are compared on
common inputs); each sample is a case like any other (own config, hash, record, resume). Samples are
grouped into batches (one Saltelli block, one Morris trajectory, or 8 Latin-hypercube rows) that a worker
runs in order, so that rows sharing a mesh or a stiffness reuse it (sim/experiment/reuse.py).
"""

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, nearest
from ..schema import check_keys, value

METHODS = ("monte_carlo", "sobol", "morris")
# Smallest base sample count per method, and why.
MIN_SAMPLES = {
    "monte_carlo": 20,  # one sample beyond each of the 5th and 95th percentiles
    "sobol": 8,  # bootstrap confidence intervals of the Saltelli/Jansen estimators need some rows (wide at 8)
    "morris": 4,  # mu* and sigma over trajectories
}
DISTRIBUTIONS = {  # name -> parameters (in the unit of the key; lognormal: median and sigma of ln)
    "uniform": ("low", "high"),
    "normal": ("mean", "std"),
    "lognormal": ("median", "sigma"),
    "truncated_normal": ("mean", "std", "low", "high"),
}
BOUNDED = ("uniform", "truncated_normal")
MORRIS_LEVELS = 4
LHS_BATCH = 8


@dataclass(frozen=True)
class Distribution:
    """One uncertain input: a distribution name and its parameters (in the key's unit)."""

    kind: str
    params: dict

    @property
    def center(self) -> float:
        """Its median (a valid value to check the key with)."""
        p = self.params
        if self.kind == "uniform":
            return 0.5 * (p["low"] + p["high"])
        if self.kind == "lognormal":
            return p["median"]
        if self.kind == "truncated_normal":
            return min(max(p["mean"], p["low"]), p["high"])
        return p["mean"]

    def salib(self) -> tuple[str, list[float]]:
        """SALib's name and 'bounds' for this distribution."""
        p = self.params
        return {"uniform": ("unif", [p.get("low"), p.get("high")]),
                "normal": ("norm", [p.get("mean"), p.get("std")]),
                "lognormal": ("lognorm", [math.log(p["median"]) if "median" in p else 0.0, p.get("sigma")]),
                "truncated_normal": ("truncnorm", [p.get("low"), p.get("high"), p.get("mean"), p.get("std")]),
                }[self.kind]


@dataclass(frozen=True)
class Study:
    """A checked [uncertainty] table."""

    method: str
    samples: int
    seed: int
    inputs: dict  # dotted key -> Distribution, in file order

    @property
    def names(self) -> list[str]:
        return list(self.inputs)

    @property
    def n_runs(self) -> int:
        """Sample cases per swept case."""
        d = len(self.inputs)
        return self.samples * {"monte_carlo": 1, "sobol": d + 2, "morris": d + 1}[self.method]

    @property
    def batch_size(self) -> int:
        return {"monte_carlo": LHS_BATCH, "sobol": len(self.inputs) + 2, "morris": len(self.inputs) + 1}[self.method]

    def problem(self) -> dict:
        """The SALib problem definition."""
        dists = [d.salib() for d in self.inputs.values()]
        return {"num_vars": len(self.inputs), "names": self.names, "dists": [d for d, _ in dists],
                "bounds": [b for _, b in dists]}

    def sample(self) -> np.ndarray:
        """The sample matrix (n_runs, D) in the keys' units; a pure function of the table."""
        from SALib.sample import latin, morris, sobol

        problem = self.problem()
        if self.method == "monte_carlo":
            X = latin.sample(problem, self.samples, seed=self.seed)
        elif self.method == "sobol":
            X = sobol.sample(problem, self.samples, calc_second_order=False, seed=self.seed)
        else:
            X = morris.sample(problem, self.samples, num_levels=MORRIS_LEVELS, seed=self.seed)
        return np.asarray(X, dtype=float)


def parse_study(table: dict, where: str, check_key) -> Study:
    """Check an [uncertainty] table. `check_key(dotted, value)` raises InputError when setting the key to
    the value does not give a valid case (the key does not exist, or the value is out of its range)."""
    check_keys(table, ("method", "samples", "seed", "inputs"), where)
    method = value(table, "method", str, where, "monte_carlo")
    if method not in METHODS:
        raise InputError(f"{where}.method = '{method}' is not one of: {', '.join(METHODS)}{nearest(method, METHODS)}")
    samples = value(table, "samples", int, where)
    minimum = MIN_SAMPLES[method]
    if samples < minimum:
        raise InputError(f"{where}.samples = {samples} is too small for {method}: the minimum is {minimum}")
    if method == "sobol" and samples & (samples - 1):
        raise InputError(f"{where}.samples = {samples}: sobol needs a power of 2 (Sobol' sequence balance), "
                         f"e.g. {2 ** math.ceil(math.log2(samples))}")
    seed = value(table, "seed", int, where, 0)
    raw = value(table, "inputs", dict, where)
    if not raw:
        raise InputError(f"{where}.inputs: give at least one uncertain key")
    inputs = {}
    for key, spec in raw.items():
        at = f"{where}.inputs.\"{key}\""
        dist = parse_distribution(spec, at)
        if method == "morris" and dist.kind not in BOUNDED:
            raise InputError(f"{at}: morris samples the ends of each range; give a bounded distribution "
                             f"({' or '.join(BOUNDED)}), not {dist.kind}")
        try:
            check_key(key, dist.center)
        except InputError as exc:
            raise InputError(f"{at}: {exc}") from None
        inputs[key] = dist
    if method == "sobol" and len(inputs) < 2:
        raise InputError(f"{where}.inputs: sobol indices need at least 2 inputs, got {len(inputs)}")
    return Study(method, samples, seed, inputs)


def parse_distribution(spec, where: str) -> Distribution:
    """A distribution table {distribution = NAME, parameters...}, parameters and bounds checked."""
    if not isinstance(spec, dict):
        raise InputError(f"{where}: expected a table {{distribution = ..., ...}}, got {spec!r}")
    kind = value(spec, "distribution", str, where)
    if kind not in DISTRIBUTIONS:
        raise InputError(f"{where}: unknown distribution '{kind}'{nearest(kind, DISTRIBUTIONS)}; "
                         f"known: {', '.join(DISTRIBUTIONS)}")
    names = DISTRIBUTIONS[kind]
    check_keys(spec, ("distribution",) + names, where)
    p = {k: value(spec, k, float, where) for k in names}
    if not all(math.isfinite(v) for v in p.values()):
        raise InputError(f"{where}: parameters must be finite, got {p}")
    if "low" in p and not p["low"] < p["high"]:
        raise InputError(f"{where}: bounds reversed or empty: low = {p['low']:g} must be < high = {p['high']:g}")
    for scale in ("std", "sigma"):
        if scale in p and not p[scale] > 0:
            raise InputError(f"{where}: {scale} must be > 0, got {p[scale]:g}")
    if kind == "lognormal" and not p["median"] > 0:
        raise InputError(f"{where}: a lognormal median must be > 0, got {p['median']:g}")
    return Distribution(kind, p)


def sample_cases(study: Study, nominal: list) -> list:
    """The sample cases of every nominal (swept, non-reference) case: its doc with the sampled values set,
    no field files, named '<case>_u0000', ...; `swept` carries the case's swept values, the sample index
    and the sampled inputs (so samples.csv shows them). Ordered batch by batch across the nominal cases;
    a Sobol' design of N rows is the first rows of one of 2N (same seed), so a study stopped part-way can
    also be finished with a smaller `samples` and keep every finished case."""
    from dataclasses import replace

    from .sweep import set_path

    X = study.sample()
    out = []
    for start in range(0, len(X), study.batch_size):  # block by block, so a partial run covers every case
        for case in nominal:
            for j in range(start, min(start + study.batch_size, len(X))):
                doc = set_path(case.doc, "outputs.fields", False)
                for key, v in zip(study.names, X[j]):
                    doc = set_path(doc, key, float(v))
                out.append(replace(case, name=f"{case.name}_u{j:04d}", doc=doc,
                                   swept={**case.swept, "sample": j, **dict(zip(study.names, map(float, X[j])))},
                                   sample_of=case.name, batch=f"{case.name}_b{j // study.batch_size}"))
    return out
