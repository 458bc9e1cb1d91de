"""Training and serving formulas against hand-worked examples, validation, and the CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from core.compute.estimate import (
    EstimateInputError,
    ServingInputs,
    TrainingInputs,
    cost_by_gpu,
    estimate_serving,
    estimate_training,
    example_serving_inputs,
    example_training_inputs,
    gpus_vs_days,
    infer_architecture,
    main,
    mfu_sweep,
    params_from_architecture,
    suggested_gpu_count,
)
from core.compute.gpus import find_gpu, seeded_specs
from tests.conftest import PROJECT_ROOT


def gpu(name: str):
    return find_gpu(name, seeded_specs())


def test_llama2_7b_at_a_given_mfu_matches_the_hand_calculation():
    # 6 · 6.74e9 · 2e12 = 8.088e22 FLOPs; at 40% of 312 TFLOP/s: 8.088e22 / (312e12 · 0.4 · 3600) = 180,021 h.
    result = estimate_training(
        TrainingInputs(params=6.74e9, tokens=2e12, gpu=gpu("A100 80GB"), gpus=1024, mfu=0.4, price_per_hour=2.0)
    )
    assert result["training_flops"] == pytest.approx(8.088e22)
    assert result["gpu_hours"] == pytest.approx(180_021.37, rel=1e-6)
    assert result["wall_days"] == pytest.approx(180_021.37 / 1024 / 24, rel=1e-6)
    assert result["cost_usd"] == pytest.approx(360_042.7, rel=1e-6)
    # 400 W TDP, PUE 1.1, 0.385 kg CO2 per kWh
    assert result["energy_kwh"] == pytest.approx(180_021.37 * 0.4 * 1.1, rel=1e-6)
    assert result["co2_kg"] == pytest.approx(180_021.37 * 0.4 * 1.1 * 0.385, rel=1e-6)


def test_every_figure_has_an_ordered_band():
    result = estimate_training(example_training_inputs())
    for key in ("gpu_hours", "wall_days", "cost_usd", "energy_kwh", "co2_kg", "train_memory_gb", "min_gpus"):
        assert result[f"{key}_low"] <= result[key] <= result[f"{key}_high"], key
    assert result["gpu_hours_low"] < result["gpu_hours"] < result["gpu_hours_high"]
    assert result["mfu_low"] < result["mfu"] < result["mfu_high"]
    assert result["gpu_hours"] * result["mfu"] == pytest.approx(result["gpu_hours_low"] * result["mfu_high"])


def test_a_given_mfu_keeps_the_generations_band_around_it():
    default = estimate_training(example_training_inputs())
    given = estimate_training(TrainingInputs(params=69e9, tokens=2e12, gpu=gpu("A100 80GB"), mfu=0.5))
    assert given["mfu"] == 0.5 and given["mfu_source"] == "given"
    assert given["mfu_low"] / 0.5 == pytest.approx(default["mfu_low"] / default["mfu"])


def test_mixture_of_experts_uses_active_parameters_for_flops_and_total_for_memory():
    dense = estimate_training(TrainingInputs(params=671e9, tokens=14.8e12, gpu=gpu("H800")))
    moe = estimate_training(TrainingInputs(params=671e9, active_params=37e9, tokens=14.8e12, gpu=gpu("H800")))
    assert moe["training_flops"] == pytest.approx(6 * 37e9 * 14.8e12)
    assert dense["training_flops"] == pytest.approx(6 * 671e9 * 14.8e12)
    assert moe["memory"]["optimizer_gb"] == dense["memory"]["optimizer_gb"] == pytest.approx(671e9 * 12 / 1e9)


def test_tokens_default_to_twenty_per_parameter():
    result = estimate_training(TrainingInputs(params=1e9, gpu=gpu("H100")))
    assert result["tokens"] == result["tokens_compute_optimal"] == 20e9


def test_training_memory_is_sixteen_bytes_per_parameter_plus_activations():
    result = estimate_training(
        TrainingInputs(params=1e9, gpu=gpu("A100 80GB"), layers=24, hidden=2048, context=2048, gpus=8)
    )
    memory = result["memory"]
    assert (memory["weights_gb"], memory["gradients_gb"], memory["optimizer_gb"]) == pytest.approx((2, 2, 12))
    assert memory["activations_gb"] == pytest.approx(34 * 2048 * 2048 * 24 / 1e9)
    assert memory["activations_gb_low"] == pytest.approx(2 * 2048 * 2048 * 24 / 1e9)
    assert result["train_memory_gb"] == pytest.approx(16 + 34 * 2048 * 2048 * 24 / 1e9)
    assert result["min_gpus"] == 1
    # 70B: 1,120 GB of states alone needs ceil(1120 / 72) = 16 A100 80GB at 90% usable memory
    big = estimate_training(TrainingInputs(params=70e9, gpu=gpu("A100 80GB"), layers=80, hidden=8192, context=4096))
    assert big["min_gpus_low"] == math.ceil((1120 + 2 * 4096 * 8192 * 80 / 1e9) / 72)


def test_fp32_uses_the_fp32_peak_and_fp8_doubles_the_tensor_peak():
    fp32 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("A100 80GB"), precision="fp32"))
    assert fp32["peak_tflops"] == 19.5
    assert fp32["memory"]["weights_gb"] == pytest.approx(4)
    fp8 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("H100"), precision="fp8"))
    bf16 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("H100")))
    assert fp8["peak_tflops"] == 2 * bf16["peak_tflops"]
    assert bf16["gpu_hours"] / fp8["gpu_hours"] == pytest.approx(1.3)


def test_architecture_gives_gpt2_small_its_124m_parameters():
    assert params_from_architecture(layers=12, hidden=768, vocab=50257, context=1024) == 124_438_272
    shape = infer_architecture(70e9)
    assert 60 <= shape["layers"] <= 90 and 8000 <= shape["hidden"] <= 9500


def test_suggested_gpu_count_finishes_in_target_days_in_whole_nodes():
    assert suggested_gpu_count(gpu_hours=24 * 90 * 100, min_gpus=4) == 104
    assert suggested_gpu_count(gpu_hours=10, min_gpus=3) == 3
    assert suggested_gpu_count(gpu_hours=10, min_gpus=20) == 24


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"params": 0}, "params"),
        ({"params": -5}, "params"),
        ({"active_params": 80e9}, "active_params"),
        ({"tokens": -1}, "tokens"),
        ({"gpus": 2.5}, "gpus"),
        ({"mfu": 1.5}, "mfu"),
        ({"mfu": 0}, "mfu"),
        ({"price_per_hour": -1}, "price_per_hour"),
        ({"pue": 0.9}, "pue"),
        ({"carbon_kg_per_kwh": -0.1}, "carbon_kg_per_kwh"),
        ({"precision": "fp4"}, "precision"),
        ({"precision": "fp8"}, "precision"),  # the A100 has no FP8 tensor cores
        ({"context": 0}, "context"),
    ],
)
def test_training_validation_names_the_field(changes, field):
    values = {"params": 70e9, "tokens": 2e12, "gpu": gpu("A100 80GB"), **changes}
    with pytest.raises(EstimateInputError, match=rf"^{field}:"):
        TrainingInputs(**values)


def test_serving_7b_matches_the_hand_calculation():
    # 7B FP16 on one A100 80GB, 32 layers × 32 KV heads × 128: 524,288 bytes of KV per token.
    inputs = ServingInputs(
        params=7e9, gpu=gpu("A100 80GB"), layers=32, hidden=4096, kv_heads=32, head_dim=128, context=4096,
        batch=1, weight_precision="fp16", kv_precision="fp16", prompt_tokens=500, output_tokens=500,
        requests_per_day=1000, peak_to_average=1.0,
    )  # fmt: skip
    result = estimate_serving(inputs)
    assert result["weights_gb"] == pytest.approx(14)
    assert result["kv_cache_gb"] == pytest.approx(524_288 * 4096 / 1e9)
    assert result["gpus_per_replica"] == 1
    # decode reads the weights and 750 tokens of KV per step at 60% of 2.039 TB/s
    memory_bound = 2.039e12 * 0.6 / (14e9 + 524_288 * 750)
    assert result["memory_bound_tokens_per_s"] == pytest.approx(memory_bound)
    assert result["compute_bound_tokens_per_s"] == pytest.approx(312e12 * 0.5 / (2 * 7e9 + 4 * 32 * 750 * 4096))
    assert result["bound"] == "memory bandwidth"
    assert result["decode_tokens_per_s"] == pytest.approx(memory_bound)
    assert result["cost_per_million_output_tokens"] == pytest.approx(2.45 / (memory_bound * 3600) * 1e6)
    assert result["replicas"] == 1
    assert result["monthly_cost_usd"] == pytest.approx(2.45 * 730)


def test_serving_scales_replicas_with_traffic_and_bands_are_ordered():
    quiet = estimate_serving(example_serving_inputs())
    busy_inputs = ServingInputs(**{**example_serving_inputs().__dict__, "requests_per_day": 5_000_000})
    busy = estimate_serving(busy_inputs)
    assert busy["gpus_needed"] > quiet["gpus_needed"] >= quiet["gpus_per_replica"]
    for key in ("monthly_cost_usd", "cost_per_million_output_tokens", "gpus_needed"):
        assert busy[f"{key}_low"] <= busy[key] <= busy[f"{key}_high"], key
    assert busy["decode_tokens_per_s_low"] <= busy["decode_tokens_per_s"] <= busy["decode_tokens_per_s_high"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"batch": 0}, "batch"),
        ({"weight_precision": "int3"}, "weight_precision"),
        ({"gpus_per_replica": 1}, "gpus_per_replica"),  # 140 GB of weights do not fit one 80 GB GPU
        ({"mbu": 1.2}, "mbu"),
        ({"peak_to_average": 0.5}, "peak_to_average"),
    ],
)
def test_serving_validation_names_the_field(changes, field):
    with pytest.raises(EstimateInputError, match=rf"^{field}:"):
        estimate_serving(ServingInputs(**{**example_serving_inputs().__dict__, **changes}))


def test_chart_series_follow_the_estimate():
    inputs = example_training_inputs()
    base = estimate_training(inputs)
    by_gpu = cost_by_gpu(inputs, list(seeded_specs()))
    assert [row["cost_usd"] for row in by_gpu] == sorted(row["cost_usd"] for row in by_gpu)
    assert "TPU v5e" not in {row["gpu"] for row in by_gpu}  # no public price
    a100 = next(row for row in by_gpu if row["gpu"] == "A100 80GB SXM")
    assert a100["cost_usd"] == pytest.approx(base["cost_usd"])
    sweep = mfu_sweep(inputs)
    assert sweep[0]["mfu"] == pytest.approx(0.05) and sweep[-1]["mfu"] == pytest.approx(0.7)
    assert all(a["cost_usd"] > b["cost_usd"] for a, b in zip(sweep, sweep[1:], strict=False))
    scaling = gpus_vs_days(inputs)
    assert scaling[0]["gpus"] == base["min_gpus"]
    assert scaling[1]["wall_days"] == pytest.approx(scaling[0]["wall_days"] / 2)


def test_cli_prints_the_required_json(capsys):
    assert main(["--params", "70e9", "--tokens", "2e12", "--gpu", "A100 80GB", "--gpus", "2048", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    required = ("training_flops", "gpu_hours", "gpu_hours_low", "gpu_hours_high", "wall_days", "cost_usd",
                "energy_kwh", "co2_kg", "train_memory_gb", "min_gpus")  # fmt: skip
    assert all(key in result for key in required)
    assert result["training_flops"] == pytest.approx(8.4e23)
    assert result["gpus"] == 2048
    assert result["wall_days"] == pytest.approx(result["gpu_hours"] / 2048 / 24)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("H100", "H100 SXM"), ("a100 40gb", "A100 40GB SXM"), ("NVIDIA H100 80GB", "H100 SXM"), ("h800", "H800 SXM"),
     ("A100-80GB", "A100 80GB SXM"), ("mi300x", "MI300X"), ("A100 SXM4 80GB", "A100 80GB SXM")],
)  # fmt: skip
def test_cli_gpu_accepts_unambiguous_parts(capsys, query, expected):
    assert main(["--params", "7e9", "--gpu", query, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gpu"] == expected


@pytest.mark.parametrize(
    ("query", "listed"),
    [("A100", ["A100 40GB SXM", "A100 80GB SXM"]), ("Z9000", ["H100 SXM", "A100 80GB SXM"])],
)
def test_cli_unknown_or_ambiguous_gpu_exits_2_listing_candidates(data_home, query, listed):
    env = {"MODELRUNWAY_HOME": str(data_home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "core.estimate", "--params", "7e9", "--gpu", query, "--json"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert all(name in lines[0] for name in listed)


def test_cli_bad_number_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--params", "7e9", "--gpu", "H100", "--mfu", "2", "--json"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("error: mfu:")
