"""The bench at a small size backs its own claims: the fast trainer beats plain `fit` at equal accuracy, MFU is a
fraction, start-up is timed. Its wall-clock limits are reported as checks, not asserted here on a loaded machine."""

import json
import os
import subprocess
import sys

import pytest

from core.lab import bench as bench_module
from tests.conftest import PROJECT_ROOT

REQUIRED = (
    "peak_gflops naive_samples_per_s train_bs32_samples_per_s train_bs256_samples_per_s train_bs256_mfu "
    "predict_p50_ms predict_p99_ms monte_carlo_ms estimate_ms naive_accuracy train_bs32_accuracy "
    "train_bs256_accuracy startup_home_ms startup_bare_ms checks"
).split()
SMALL = ["--limit", "4500", "--epochs", "3", "--seeds", "3"]


@pytest.fixture(scope="module")
def small_bench(tmp_path_factory):
    home = tmp_path_factory.mktemp("bench") / "home"
    env = {**os.environ, "MODELRUNWAY_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "core.bench", *SMALL, "--startup", "--startup-repeats", "1", "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return home, json.loads(result.stdout)


def test_the_fast_trainer_is_faster_than_plain_fit_at_equal_accuracy(small_bench):
    _, bench = small_bench
    assert set(REQUIRED) <= set(bench)
    assert (bench["n_train"], bench["epochs"], bench["seeds"]) == (4500, 3, 3)
    assert len(bench["naive_accuracies"]) == len(bench["train_bs32_accuracies"]) == 3
    assert bench["train_bs32_samples_per_s"] > bench["naive_samples_per_s"]
    assert bench["bs32_speedup_vs_naive"] == pytest.approx(
        bench["train_bs32_samples_per_s"] / bench["naive_samples_per_s"]
    )
    assert abs(bench["train_bs32_accuracy"] - bench["naive_accuracy"]) <= 0.01
    for variant in ("naive", "train_bs32", "train_bs256"):
        assert 0 < bench[f"{variant}_mfu"] < 1
        assert 0.85 < bench[f"{variant}_accuracy"] <= 1
    checks = bench["checks"]
    assert checks["fast_trainer_faster_than_plain_fit"]["ok"]
    assert checks["fast_trainer_accuracy_within_one_point"]["ok"]
    assert checks["mfu_between_0_and_1"]["ok"]


def test_serving_estimators_and_start_up_are_timed_and_checked_against_their_limits(small_bench):
    _, bench = small_bench
    assert 0 < bench["predict_p50_ms"] <= bench["predict_p99_ms"]
    assert bench["monte_carlo_ms"] > 0 and bench["estimate_ms"] > 0
    assert bench["startup_home_ms"] > 0 and bench["startup_bare_ms"] > 0
    checks = bench["checks"]
    assert (checks["predict_p50_ms"]["value"], checks["predict_p50_ms"]["at_most"]) == (bench["predict_p50_ms"], 5.0)
    assert (checks["monte_carlo_ms"]["value"], checks["monte_carlo_ms"]["at_most"]) == (bench["monte_carlo_ms"], 1000)
    for check in checks.values():
        above, at_most = check["above"], check["at_most"]
        assert check["ok"] == (
            (above is None or check["value"] > above) and (at_most is None or check["value"] <= at_most)
        )


def test_the_bench_is_stored(small_bench, monkeypatch):
    from db.engine import reset_cache

    home, bench = small_bench
    monkeypatch.setenv("MODELRUNWAY_HOME", str(home))
    reset_cache()
    stored = bench_module.list_benchmarks()
    assert [row["id"] for row in stored] == [bench["id"]]
    assert stored[0]["train_bs32_samples_per_s"] == bench["train_bs32_samples_per_s"]
    assert stored[0]["checks"] == bench["checks"]


def _results(**changes) -> dict:
    results = {
        "bs32_speedup_vs_naive": 3.0,
        "train_bs32_accuracy": 0.93,
        "naive_accuracy": 0.935,
        "naive_mfu": 0.05,
        "train_bs32_mfu": 0.2,
        "train_bs256_mfu": 0.4,
        "predict_p50_ms": 1.0,
        "monte_carlo_ms": 300.0,
    }
    return {**results, **changes}


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({}, []),
        ({"bs32_speedup_vs_naive": 0.9}, ["fast_trainer_faster_than_plain_fit"]),
        ({"train_bs32_accuracy": 0.92}, ["fast_trainer_accuracy_within_one_point"]),
        ({"train_bs32_accuracy": 0.95}, ["fast_trainer_accuracy_within_one_point"]),
        ({"train_bs256_mfu": 1.2}, ["mfu_between_0_and_1"]),
        ({"predict_p50_ms": 5.5}, ["predict_p50_ms"]),
        ({"monte_carlo_ms": 1500.0}, ["monte_carlo_ms"]),
        ({"monte_carlo_ms": None}, ["monte_carlo_ms"]),
    ],
)
def test_each_check_fails_outside_its_limit(changes, failing):
    checks = bench_module.checks(_results(**changes))
    assert sorted(name for name, check in checks.items() if not check["ok"]) == failing


def test_check_flag_exits_1_naming_the_failed_claims(monkeypatch, capsys):
    def slow_bench(*args, **kwargs):
        results = _results(predict_p50_ms=9.0)
        return {**results, "checks": bench_module.checks(results)}

    monkeypatch.setattr(bench_module, "run_bench", slow_bench)
    assert bench_module.main(["--json"]) == 0
    capsys.readouterr()
    assert bench_module.main(["--json", "--check"]) == 1
    assert capsys.readouterr().err == "error: bench checks failed: predict_p50_ms\n"


@pytest.mark.parametrize("args", [["--epochs", "0"], ["--seeds", "0"], ["--limit", "-5"], ["--startup-repeats", "0"]])
def test_bench_rejects_bad_numbers_with_one_line(args):
    result = subprocess.run(
        [sys.executable, "-m", "core.bench", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"error: {args[0][2:].replace('-', '_')}:")


def test_bench_training_reports_median_speed_mean_accuracy_and_mfu_against_the_best_peak(monkeypatch):
    """Canned trainings on a pretend two-device machine: the arithmetic of the bench's own figures."""
    from types import SimpleNamespace

    import core.lab.device as device_module
    import core.lab.train as train_module
    from core.lab.device import DeviceInfo

    speeds = {"seed": [100.0, 400.0, 200.0], "fast": [900.0, 500.0, 600.0]}
    accuracies = {"seed": [0.90, 0.93, 0.93], "fast": [0.92, 0.92, 0.95]}
    peaks = iter([4e9, 8e9, 5e9, 6e9, 7e9, 3e9] * 3)

    def canned(config, data, device=None):
        index = config.seed
        return SimpleNamespace(
            samples_per_second=speeds[config.variant][index],
            achieved_flops=speeds[config.variant][index] * 1e6 * config.batch_size / 32,
            test_accuracy=accuracies[config.variant][index],
            wall_seconds=10.0,
            peak_flops=next(peaks),
            precision="float32",
            model=f"{config.variant}-{config.batch_size}-{config.seed}",
        )

    monkeypatch.setattr(device_module, "detect_device", lambda: DeviceInfo("gpu", "pretend", 2, "tensorflow"))
    monkeypatch.setattr(device_module, "measure_matmul_peak", lambda kind, precision, seconds: next(peaks))
    monkeypatch.setattr(train_module, "measure_training", canned)
    data = SimpleNamespace(name="pretend", n_train=96)
    results = bench_module.bench_training(data, epochs=1, seeds=3)

    assert results["naive_samples_per_s"] == 200.0 and results["train_bs32_samples_per_s"] == 600.0
    assert results["bs32_speedup_vs_naive"] == pytest.approx(3.0)
    assert results["naive_accuracy"] == pytest.approx(0.92) and results["train_bs32_accuracy"] == pytest.approx(0.93)
    assert results["naive_accuracies"] == [0.90, 0.93, 0.93]
    assert results["peak_gflops"] == pytest.approx(8.0)
    assert results["naive_mfu"] == pytest.approx(200e6 / (8e9 * 2))
    assert results["train_bs256_mfu"] == pytest.approx(600e6 * 8 / (8e9 * 2))
    assert results["_model"] == "fast-32-0" and results["device_count"] == 2
