import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

REQUIRED = (
    "peak_gflops naive_samples_per_s train_bs32_samples_per_s train_bs256_samples_per_s train_bs256_mfu "
    "predict_p50_ms predict_p99_ms monte_carlo_ms estimate_ms naive_accuracy train_bs32_accuracy "
    "train_bs256_accuracy"
).split()


def test_bench_prints_one_json_object_and_stores_it(data_home):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    result = subprocess.run(
        [sys.executable, "-m", "core.bench", "--epochs", "1", "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    bench = json.loads(result.stdout)
    assert set(REQUIRED) <= set(bench)
    assert bench["peak_gflops"] > 0.1
    assert 0 < bench["train_bs256_mfu"] < 1.5
    assert bench["predict_p50_ms"] <= bench["predict_p99_ms"]
    assert bench["monte_carlo_ms"] > 0 and bench["estimate_ms"] > 0
    for variant in ("naive", "train_bs32", "train_bs256"):
        assert 0.5 < bench[f"{variant}_accuracy"] <= 1

    from core.lab.bench import list_benchmarks

    stored = list_benchmarks()
    assert [row["id"] for row in stored] == [bench["id"]]
    assert stored[0]["train_bs32_samples_per_s"] == bench["train_bs32_samples_per_s"]


def test_bench_rejects_bad_epochs(data_home):
    result = subprocess.run(
        [sys.executable, "-m", "core.bench", "--epochs", "0"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
