"""Uncertainty studies: SALib sampling and indices against the Ishigami function's known Sobol indices,
reproducibility, resume, and one-line errors for bad [uncertainty] tables. No finite elements here: the case
function is replaced by Ishigami's formula evaluated on each sample case's resolved config."""

import csv
import math

import numpy as np
import pytest

from sim.cli import main
from sim.experiment import runner
from sim.experiment.config import read_experiment
from sim.experiment.uncertainty import parse_study
from sim.experiment.uncertainty_results import analyze

# Ishigami (a = 7, b = 0.1) on x_i uniform in [-pi, pi]: closed-form indices (Sobol' & Levitan 1999;
# Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, sec. 4.6)
A, B = 7.0, 0.1
VAR = A ** 2 / 8 + B * math.pi ** 4 / 5 + B ** 2 * math.pi ** 8 / 18 + 0.5
V1 = 0.5 * (1 + B * math.pi ** 4 / 5) ** 2
V2 = A ** 2 / 8
V13 = B ** 2 * math.pi ** 8 * (1 / 18 - 1 / 50)
S1_EXACT = {"x1": V1 / VAR, "x2": V2 / VAR, "x3": 0.0, "x4": 0.0}
ST_EXACT = {"x1": (V1 + V13) / VAR, "x2": V2 / VAR, "x3": V13 / VAR, "x4": 0.0}

# Four config keys that accept any positive number carry x1..x4 (shifted by 1 + pi); x4 is a dummy input.
SHIFT = 1.0 + math.pi
KEYS = {"x1": "loads.scale", "x2": "bone_quality.modulus_factor", "x3": "bone_quality.strength_factor",
        "x4": "outputs.steps_per_day"}
METRIC = "construct_stiffness_axial_N_per_mm"  # the column the stand-in case function fills


def ishigami(x1, x2, x3):
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3 ** 4 * np.sin(x1)


def experiment_text(method="sobol", samples=64, seed=5, extra=""):
    inputs = "\n".join(f'"{key}" = {{ distribution = "uniform", low = 1.0, high = {1 + 2 * math.pi!r} }}'
                       for key in KEYS.values())
    return f"""
[experiment]
name = "ishigami"
[geometry]
ray = 2
[outputs]
fields = false
[uncertainty]
method = "{method}"
samples = {samples}
seed = {seed}
{extra}
[uncertainty.inputs]
{inputs}
"""


def ishigami_case(case, out_dir):
    """Stand-in for run_case: Ishigami's function of the case's resolved config."""
    cfg = case.resolve()
    x1, x2, x3 = (v - SHIFT for v in (cfg.loads.scale, cfg.bone_modulus_factor, cfg.bone_strength_factor))
    calls.append(case.name)
    return {"summary": {"case": case.name, **case.swept, METRIC: float(ishigami(x1, x2, x3))}, "frames": [],
            "timings_s": {}, "regions": {}}


calls: list[str] = []


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(runner, "run_case", ishigami_case)
    monkeypatch.setattr(runner, "_frames_per_case", lambda exp: 0)
    calls.clear()
    return calls


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def study(method="sobol", samples=1024, seed=5):
    table = {"method": method, "samples": samples, "seed": seed, "inputs": {
        name: {"distribution": "uniform", "low": -math.pi, "high": math.pi} for name in KEYS}}
    return parse_study(table, "uncertainty", lambda key, v: None)


def test_ishigami_indices_within_their_confidence_intervals():
    s = study()
    X = s.sample()
    _, rows = analyze(s, X, {METRIC: ishigami(*X[:, :3].T)})
    assert len(rows) == 4
    for row in rows:
        name = row["input"]
        assert abs(row["S1"] - S1_EXACT[name]) <= row["S1_conf"], row
        assert abs(row["ST"] - ST_EXACT[name]) <= row["ST_conf"], row
    dummy = next(r for r in rows if r["input"] == "x4")
    assert dummy["ST"] < 1e-3  # an input the metric does not depend on


def test_same_seed_same_samples_and_statistics_other_seed_differs():
    a, b, c = study(seed=5), study(seed=5), study(seed=6)
    Xa, Xb = a.sample(), b.sample()
    assert np.array_equal(Xa, Xb) and not np.array_equal(Xa, c.sample())
    Y = ishigami(*Xa[:, :3].T)
    assert analyze(a, Xa, {METRIC: Y}) == analyze(b, Xb, {METRIC: Y})
    assert np.array_equal(study(samples=16).sample(), Xa[:16 * 6])  # a smaller study is a prefix (resume)


@pytest.mark.parametrize("method, n_runs", [("monte_carlo", 40), ("sobol", 32 * 6), ("morris", 8 * 5)])
def test_run_counts_per_method(method, n_runs):
    s = study(method, {"monte_carlo": 40, "sobol": 32, "morris": 8}[method])
    assert s.n_runs == n_runs and s.sample().shape == (n_runs, 4)


@pytest.mark.slow
def test_ishigami_through_the_experiment_pipeline(tmp_path, stand_in):
    """Experiment file -> sample cases -> runner (records on disk) -> sensitivity.csv: the known indices."""
    path = tmp_path / "ishigami.toml"
    path.write_text(experiment_text(samples=128))
    exp = read_experiment(path)
    runner.run_experiment(exp, tmp_path / "out", jobs=1)
    rows = [r for r in read_csv(tmp_path / "out" / "sensitivity.csv") if r["metric"] == METRIC]
    names = {key: name for name, key in KEYS.items()}
    assert len(rows) == 4
    for row in rows:
        name = names[row["input"]]
        assert abs(float(row["S1"]) - S1_EXACT[name]) <= float(row["S1_conf"]), row
        assert abs(float(row["ST"]) - ST_EXACT[name]) <= float(row["ST_conf"]), row
    stats = next(r for r in read_csv(tmp_path / "out" / "uncertainty.csv") if r["metric"] == METRIC)
    assert abs(float(stats["mean"]) - A / 2) < 0.3 and abs(float(stats["std"]) ** 2 - VAR) < 0.15 * VAR
    summary = read_csv(tmp_path / "out" / "summary.csv")
    assert [r["case"] for r in summary] == ["ishigami"]  # samples stay out of summary.csv
    assert len(read_csv(tmp_path / "out" / "samples.csv")) == 128 * 6


def test_interrupted_study_resumes_without_recomputing(tmp_path, stand_in, monkeypatch):
    path = tmp_path / "ishigami.toml"
    path.write_text(experiment_text(samples=16))
    exp = read_experiment(path)
    total = len(exp.cases)
    assert total == 1 + 16 * 6

    def interrupted(case, out_dir):
        if len(calls) == 40:
            raise KeyboardInterrupt
        return ishigami_case(case, out_dir)

    monkeypatch.setattr(runner, "run_case", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runner.run_experiment(exp, tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "sensitivity.csv").exists()
    first = list(calls)
    monkeypatch.setattr(runner, "run_case", ishigami_case)
    report = runner.run_experiment(exp, tmp_path / "out", jobs=1)
    assert len(report["skipped"]) == 40 and sorted(report["computed"]) == sorted(set(calls) - set(first))
    assert len(calls) == total  # every case computed exactly once over both runs
    resumed = (tmp_path / "out" / "sensitivity.csv").read_text()
    runner.run_experiment(exp, tmp_path / "fresh", jobs=1)
    assert (tmp_path / "fresh" / "sensitivity.csv").read_text() == resumed


@pytest.mark.parametrize("change, message", [
    (('distribution = "uniform", low = 1.0', 'distribution = "uniformly", low = 1.0'),
     "unknown distribution 'uniformly' (did you mean 'uniform'?)"),
    (('"loads.scale"', '"loads.scal"'), "unknown key 'scal' (did you mean 'scale'?)"),
    (('"loads.scale" = { distribution = "uniform", low = 1.0', '"loads.scale" = { distribution = "uniform", low = 9.0'),
     "bounds reversed or empty: low = 9 must be < high = 7.28"),
    (("samples = 64", "samples = 4"), "samples = 4 is too small for sobol: the minimum is 8"),
    (("samples = 64", "samples = 48"), "sobol needs a power of 2"),
    (('method = "sobol"\nsamples = 64', 'method = "monte_carlo"\nsamples = 10'),
     "samples = 10 is too small for monte_carlo: the minimum is 20"),
    (('method = "sobol"', 'method = "morris"'), None),  # valid: uniform inputs are bounded
    (('method = "sobol"', 'method = "fast"'), "method = 'fast' is not one of"),
    (('distribution = "uniform", low = 1.0, high', 'distribution = "normal", mean = 1.0, std'),
     "case ishigami_u0007: loads"),  # every sample is checked before work starts
    (('"outputs.steps_per_day" = { distribution = "uniform", low = 1.0',
      '"geometry.ray" = { distribution = "uniform", low = 1.0'), "geometry.ray"),
])
def test_bad_uncertainty_table_is_one_line_exit_2(tmp_path, capsys, monkeypatch, change, message):
    path = tmp_path / "bad.toml"
    text = experiment_text()
    assert change[0] in text
    path.write_text(text.replace(*change, 1))
    if message is None:
        read_experiment(path)
        return
    monkeypatch.setattr(runner, "run_case", lambda *a: pytest.fail("no case may run"))
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and "\n" not in err, err
    assert not (tmp_path / "out").exists()


def test_morris_needs_bounded_and_distribution_parameters_are_checked():
    def parse(inputs, method="morris"):
        return parse_study({"method": method, "samples": 20, "inputs": inputs}, "u", lambda k, v: None)

    with pytest.raises(Exception, match="bounded distribution"):
        parse({"a": {"distribution": "normal", "mean": 1.0, "std": 0.1}})
    with pytest.raises(Exception, match="std must be > 0"):
        parse({"a": {"distribution": "truncated_normal", "mean": 1.0, "std": 0.0, "low": 0, "high": 2}})
    with pytest.raises(Exception, match="lognormal median must be > 0"):
        parse({"a": {"distribution": "lognormal", "median": -1.0, "sigma": 0.1}}, "monte_carlo")
    with pytest.raises(Exception, match="missing key 'high'"):
        parse({"a": {"distribution": "uniform", "low": 1.0}})
