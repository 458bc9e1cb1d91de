"""Training formulas against hand-worked examples, validation, and the CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from core.compute.architectures import preset
from core.compute.estimate import (
    EstimateInputError,
    TrainingInputs,
    cost_by_gpu,
    estimate_training,
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
    # per token: 6 × 6.738e9 for the weights plus 3 × 2 × 32 layers × 2,048 (causal mean of 4,096) × (4,096 + 4,096)
    # for the attention scores = 43.65 GFLOPs; × 2e12 tokens at 40% of 312 TFLOP/s
    result = estimate_training(
        TrainingInputs(architecture=preset("llama-2-7b"), tokens=2e12, gpu=gpu("A100 80GB"), gpus=256, mfu=0.4,
                       price_per_hour=2.0)
    )  # fmt: skip
    per_token = 6 * 6_738_415_616 + 3 * 2 * 32 * 2048 * 8192
    assert result["flops_per_token"] == pytest.approx(per_token)
    hours = per_token * 2e12 / (312e12 * 0.4 * 3600)
    assert result["layout"]["slowdown"] == 1.0
    assert result["gpu_hours"] == pytest.approx(hours, rel=1e-9)
    assert result["wall_days"] == pytest.approx(hours / 256 / 24, rel=1e-9)
    assert result["cost_usd"] == pytest.approx(hours * 2.0, rel=1e-9)
    # 400 W TDP, PUE 1.1, 0.385 kg CO2 per kWh
    assert result["energy_kwh"] == pytest.approx(hours * 0.4 * 1.1, rel=1e-9)
    assert result["co2_kg"] == pytest.approx(hours * 0.4 * 1.1 * 0.385, rel=1e-9)


def test_the_attention_term_grows_with_context():
    short = estimate_training(TrainingInputs(architecture=preset("llama-3.1-8b"), gpu=gpu("H100"), context=2048))
    long = estimate_training(TrainingInputs(architecture=preset("llama-3.1-8b"), gpu=gpu("H100"), context=32768))
    assert short["attention_flops_share"] < 0.05 < 0.3 < long["attention_flops_share"]
    extra = 3 * 2 * 32 * (32768 - 2048) / 2 * (4096 + 4096)
    assert long["flops_per_token"] - short["flops_per_token"] == pytest.approx(extra)


def test_every_figure_has_an_ordered_band():
    result = estimate_training(example_training_inputs())
    for key in ("gpu_hours", "wall_days", "cost_usd", "energy_kwh", "co2_kg", "train_memory_gb", "min_gpus"):
        assert result[f"{key}_low"] <= result[key] <= result[f"{key}_high"], key
    assert result["gpu_hours_low"] < result["gpu_hours"] < result["gpu_hours_high"]
    assert result["mfu_low"] < result["mfu"] < result["mfu_high"]
    assert result["gpu_hours"] * result["mfu"] == pytest.approx(result["gpu_hours_low"] * result["mfu_high"])


def test_mixture_of_experts_uses_active_parameters_for_flops_and_total_for_memory():
    dense = estimate_training(TrainingInputs(params=671e9, tokens=14.8e12, gpu=gpu("H800"), context=4096))
    moe = estimate_training(TrainingInputs(params=671e9, active_params=37e9, tokens=14.8e12, gpu=gpu("H800")))
    assert moe["training_flops"] < dense["training_flops"] / 10
    assert moe["flops_per_token"] - 6 * 37e9 < 0.1 * 6 * 37e9
    assert moe["memory"]["optimizer_gb"] == dense["memory"]["optimizer_gb"] == pytest.approx(671e9 * 12 / 1e9)


def test_tokens_default_to_twenty_per_parameter_and_fine_tuning_to_100m():
    assert estimate_training(TrainingInputs(params=1e9, gpu=gpu("H100")))["tokens"] == 20e9
    assert estimate_training(TrainingInputs(params=1e9, gpu=gpu("H100"), mode="lora"))["tokens"] == 100e6


def test_training_memory_is_sixteen_bytes_per_parameter_plus_activations():
    result = estimate_training(
        TrainingInputs(params=1e9, gpu=gpu("A100 80GB"), layers=24, hidden=2048, context=2048, gpus=8)
    )
    memory = result["memory"]
    assert (memory["weights_gb"], memory["gradients_gb"], memory["optimizer_gb"]) == pytest.approx((2, 2, 12))
    logits = 2048 * 32000 * 4 / 1e9
    assert memory["activations_gb"] == pytest.approx(34 * 2048 * 2048 * 24 / 1e9 + logits)
    assert memory["activations_gb_low"] == pytest.approx(2 * 2048 * 2048 * 24 / 1e9 + logits)
    assert result["min_gpus"] == 1


def test_lora_and_qlora_shrink_memory_and_flops():
    full = estimate_training(TrainingInputs(architecture=preset("llama-2-7b"), tokens=1e8, gpu=gpu("A100 80GB")))
    lora = estimate_training(
        TrainingInputs(architecture=preset("llama-2-7b"), tokens=1e8, gpu=gpu("A100 80GB"), mode="lora")
    )
    qlora = estimate_training(
        TrainingInputs(architecture=preset("llama-2-7b"), tokens=1e8, gpu=gpu("A100 80GB"), mode="qlora")
    )
    # rank 16 on q, k, v, o (4096 → 4096) and gate, up, down (4096 ↔ 11008), 32 layers
    adapters = 16 * 32 * (4 * (4096 + 4096) + 3 * (4096 + 11008))
    assert lora["trainable_params"] == adapters
    assert lora["flops_per_token"] == pytest.approx(full["flops_per_token"] - 2 * 6_738_415_616 + 6 * adapters)
    assert full["min_gpus"] > 1 and lora["min_gpus"] == qlora["min_gpus"] == 1
    assert qlora["memory"]["weights_gb"] < lora["memory"]["weights_gb"] / 3
    assert qlora["gpu_hours"] > lora["gpu_hours"]  # dequantising the weights costs time


def test_overhead_knobs_move_the_estimate_by_their_difference_from_the_defaults():
    base = estimate_training(TrainingInputs(params=7e9, gpu=gpu("H100"), gpus=64))
    more = estimate_training(TrainingInputs(params=7e9, gpu=gpu("H100"), gpus=64, failure_overhead=0.15))
    assert more["gpu_hours"] / base["gpu_hours"] == pytest.approx(1.20 / 1.10)
    assert base["overhead_factor"] == 1.0
    assert base["project_cost_usd"] == pytest.approx(base["cost_usd"] * 2.2)
    none = estimate_training(TrainingInputs(params=7e9, gpu=gpu("H100"), gpus=64, ablation_multiple=0))
    assert none["project_cost_usd"] == pytest.approx(none["cost_usd"])


def test_reserved_and_spot_prices_come_from_the_catalog():
    on_demand = estimate_training(TrainingInputs(params=7e9, gpu=gpu("H100")))
    spot = estimate_training(TrainingInputs(params=7e9, gpu=gpu("H100"), pricing="spot"))
    assert spot["price_per_hour_usd"] == 1.49 and on_demand["price_per_hour_usd"] == 2.69
    assert spot["cost_usd"] == pytest.approx(on_demand["cost_usd"] * 1.49 / 2.69)
    assert "Vast.ai" in spot["price_source"]


def test_fp32_uses_the_fp32_peak_and_fp8_doubles_the_tensor_peak():
    fp32 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("A100 80GB"), precision="fp32"))
    assert fp32["peak_tflops"] == 19.5
    assert fp32["memory"]["weights_gb"] == pytest.approx(4)
    fp8 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("H100"), precision="fp8"))
    bf16 = estimate_training(TrainingInputs(params=1e9, tokens=1e10, gpu=gpu("H100")))
    assert fp8["peak_tflops"] == 2 * bf16["peak_tflops"]
    assert bf16["gpu_hours"] / fp8["gpu_hours"] == pytest.approx(1.3)


@pytest.mark.parametrize("name", ["T4", "V100"])
def test_gpus_without_bf16_refuse_it_and_default_to_fp16(name):
    with pytest.raises(EstimateInputError, match="^precision: the .* has no BF16"):
        TrainingInputs(params=1e9, gpu=gpu(name), precision="bf16")
    assert estimate_training(TrainingInputs(params=1e9, gpu=gpu(name)))["precision"] == "fp16"


def test_old_helpers_keep_working():
    assert params_from_architecture(layers=12, hidden=768, vocab=50257, context=1024) == 124_438_272
    shape = infer_architecture(70e9)
    assert 60 <= shape["layers"] <= 90 and 8000 <= shape["hidden"] <= 9500
    assert suggested_gpu_count(gpu_hours=24 * 90 * 100, min_gpus=4) == 104
    assert suggested_gpu_count(gpu_hours=10, min_gpus=20) == 24


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"params": 0}, "params"),
        ({"params": -5}, "params"),
        ({"active_params": 80e9}, "active_params"),
        ({"tokens": -1}, "tokens"),
        ({"gpus": 2.5}, "gpus"),
        ({"gpus": 1}, "gpus"),  # 70B does not fit one GPU
        ({"mfu": 1.5}, "mfu"),
        ({"mfu": 0}, "mfu"),
        ({"price_per_hour": -1}, "price_per_hour"),
        ({"pue": 0.9}, "pue"),
        ({"carbon_kg_per_kwh": -0.1}, "carbon_kg_per_kwh"),
        ({"precision": "fp4"}, "precision"),
        ({"precision": "fp8"}, "precision"),  # the A100 has no FP8 tensor cores
        ({"context": 0}, "context"),
        ({"mode": "adapter"}, "mode"),
        ({"zero_stage": 4}, "zero_stage"),
        ({"tensor_parallel": 3}, "tensor_parallel"),
        ({"pricing": "auction"}, "pricing"),
        ({"failure_overhead": 2}, "failure_overhead"),
    ],
)
def test_training_validation_names_the_field(changes, field):
    values = {"params": 70e9, "tokens": 2e12, "gpu": gpu("A100 80GB"), **changes}
    with pytest.raises(EstimateInputError, match=rf"^{field}:"):
        TrainingInputs(**values)


def test_chart_series_follow_the_estimate():
    inputs = example_training_inputs()
    base = estimate_training(inputs)
    by_gpu = cost_by_gpu(inputs, list(seeded_specs()))
    assert [row["cost_usd"] for row in by_gpu] == sorted(row["cost_usd"] for row in by_gpu)
    assert "TPU v5e" not in {row["gpu"] for row in by_gpu}  # no public price
    assert {row["precision"] for row in by_gpu if row["gpu"] in ("T4", "V100 SXM2 32GB")} <= {"fp16"}
    a100 = next(row for row in by_gpu if row["gpu"] == "A100 80GB SXM")
    assert a100["cost_usd"] == pytest.approx(base["cost_usd"])
    sweep = mfu_sweep(inputs)
    assert sweep[0]["mfu"] == pytest.approx(0.05) and sweep[-1]["mfu"] == pytest.approx(0.7)
    assert all(a["cost_usd"] > b["cost_usd"] for a, b in zip(sweep, sweep[1:], strict=False))
    scaling = gpus_vs_days(inputs)
    assert scaling[0]["gpus"] == base["min_gpus"]
    assert all(a["wall_days"] >= b["wall_days"] for a, b in zip(scaling, scaling[1:], strict=False))


def test_cli_prints_the_required_json(capsys):
    assert main(["--params", "70e9", "--tokens", "2e12", "--gpu", "A100 80GB", "--gpus", "2048", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    required = ("training_flops", "gpu_hours", "gpu_hours_low", "gpu_hours_high", "wall_days", "cost_usd",
                "energy_kwh", "co2_kg", "train_memory_gb", "min_gpus", "layout")  # fmt: skip
    assert all(key in result for key in required)
    assert result["training_flops"] == pytest.approx(2e12 * result["flops_per_token"])
    assert 6 * 70e9 < result["flops_per_token"] < 1.05 * 6 * 70e9
    assert result["gpus"] == 2048
    assert result["wall_days"] * 24 * 2048 == pytest.approx(result["gpu_hours"])


def test_cli_train_takes_a_preset_or_a_shape(capsys):
    assert main(["train", "--model", "llama-2-70b", "--gpu", "H100", "--tokens", "2e12", "--json"]) == 0
    by_preset = json.loads(capsys.readouterr().out)
    assert by_preset["params"] == preset("llama-2-70b").params() and by_preset["context"] == 4096
    shape = ["--layers", "80", "--hidden", "8192", "--heads", "64", "--kv-heads", "8", "--ffn", "28672",
             "--vocab", "32000"]  # fmt: skip
    assert main(["train", *shape, "--gpu", "H100", "--tokens", "2e12", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gpu_hours"] == pytest.approx(by_preset["gpu_hours"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [("H100", "H100 SXM"), ("a100 40gb", "A100 40GB SXM"), ("NVIDIA H100 80GB", "H100 SXM"), ("h800", "H800 SXM"),
     ("A100-80GB", "A100 80GB SXM"), ("mi300x", "MI300X"), ("A100 SXM4 80GB", "A100 80GB SXM")],
)  # fmt: skip
def test_cli_gpu_accepts_unambiguous_parts(capsys, query, expected):
    assert main(["--params", "7e9", "--gpu", query, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gpu"] == expected


def run_cli(*args, home):
    env = {"MODELRUNWAY_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "core.estimate", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [(("--params", "7e9", "--gpu", "A100"), ["A100 40GB SXM", "A100 80GB SXM"]),
     (("--params", "7e9", "--gpu", "Z9000"), ["H100 SXM", "A100 80GB SXM"]),
     (("train", "--model", "llama-2-70b", "--gpu", "A100 80GB", "--gpus", "1"), ["at least 24", "TP", "ZeRO"]),
     (("--params", "70e9", "--gpu", "H100", "--gpus", "1"), ["gpus:", "at least"]),
     (("train", "--model", "gpt-5", "--gpu", "H100"), ["model:", "llama-2-7b"]),
     (("--params", "7e9", "--gpu", "T4", "--precision", "bf16"), ["precision:", "fp16"])],
)  # fmt: skip
def test_cli_errors_exit_2_with_one_line(data_home, args, expected):
    done = run_cli(*args, "--json", home=data_home)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert all(text in lines[0] for text in expected)


def test_a_huge_fleet_hits_the_batch_floor_and_says_so_compactly(capsys):
    result = estimate_training(TrainingInputs(params=1.3e9, gpu=gpu("H100"), gpus=16384))
    # the global batch (1M tokens = 244 sequences of 4,096) caps data parallelism at 244, and with tensor 8 ×
    # pipeline 26 at most 50,752 GPUs have work: past that they idle and the wall-clock time stops falling
    assert result["layout"]["data_parallel"] <= 244 and result["max_useful_gpus"] == 8 * 26 * 244
    at_ceiling = estimate_training(TrainingInputs(params=1.3e9, gpu=gpu("H100"), gpus=65536))
    beyond = estimate_training(TrainingInputs(params=1.3e9, gpu=gpu("H100"), gpus=131072))
    assert beyond["wall_hours"] == pytest.approx(at_ceiling["wall_hours"], rel=1e-9)
    assert beyond["idle_gpus"] >= 65536 and beyond["cost_usd"] > at_ceiling["cost_usd"]
    assert 0 < result["wall_hours"] and math.isfinite(result["wall_hours"])
    assert main(["--params", "1.3e9", "--gpu", "H100", "--gpus", "16384"]) == 0
    line = capsys.readouterr().out
    assert "0.0 days" not in line and ("min" in line or " h " in line)
