"""Serving against first principles: KV cache, decode time, tensor parallelism, batching, cost at stated traffic."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.compute.architectures import preset
from core.compute.estimate import EstimateInputError, ServingInputs, estimate_serving
from core.compute.gpus import find_gpu, seeded_specs
from core.compute.serving import DAYS_PER_MONTH, HOURS_PER_MONTH
from tests.conftest import PROJECT_ROOT

SERVE_KEYS = ("gpus_per_replica", "replicas", "kv_cache_gb", "ttft_ms", "tpot_ms", "tokens_per_second",
              "usd_per_million_input_tokens", "usd_per_million_output_tokens", "utilization", "monthly_cost_usd",
              "monthly_cost_low", "monthly_cost_high")  # fmt: skip


def gpu(name: str):
    return find_gpu(name, seeded_specs())


def serve(model: str, gpu_name: str = "H100", **changes) -> dict:
    return estimate_serving(ServingInputs(architecture=preset(model), gpu=gpu(gpu_name), **changes))


def test_kv_cache_at_2048_tokens_by_hand():
    # K and V × layers × KV heads × head dim × 2 bytes × 2,048 tokens
    seven = serve("llama-2-7b", context=2048, batch=1)["kv_cache_gb"]
    seventy = serve("llama-2-70b", context=2048, batch=1)["kv_cache_gb"]
    assert seven == pytest.approx(2 * 32 * 32 * 128 * 2 * 2048 / 1e9)  # 1.07 GB
    assert seventy == pytest.approx(2 * 80 * 8 * 128 * 2 * 2048 / 1e9)  # 0.67 GB: 8 KV heads, not 64
    assert serve("llama-2-70b", context=2048, batch=8)["kv_cache_gb"] == pytest.approx(8 * 0.67108864)


def test_decode_at_batch_one_is_the_weights_read_over_the_bandwidth():
    result = serve("llama-2-7b", "A100 80GB", context=2048, batch=1)
    floor_ms = 6.738e9 * 2 / 2.039e12 * 1000  # 13.5 GB of BF16 weights at 2.039 TB/s: 6.6 ms
    assert result["gpus_per_replica"] == 1 and result["bound"] == "memory bandwidth"
    assert floor_ms < result["tpot_ms"] < 2 * floor_ms
    kv_read = 524_288 * 750  # bytes of KV for the mean context: 500 prompt + half of 500 output tokens
    assert result["tpot_ms"] == pytest.approx((6.738e9 * 2 + kv_read) / (2.039e12 * 0.7) * 1000, rel=0.01)


@pytest.mark.parametrize("gpu_name", ["H100", "A100 80GB", "H200"])
def test_70b_at_batch_32_is_tensor_parallel_in_whole_powers_of_two(gpu_name):
    result = serve("llama-2-70b", gpu_name, batch=32)
    assert result["tensor_parallel"] in {2, 4, 8}
    assert result["gpus_per_replica"] % result["tensor_parallel"] == 0


@pytest.mark.parametrize(("model", "gpu_name"), [("llama-2-70b", "H100"), ("llama-2-7b", "A100 80GB"),
                                                 ("mixtral-8x7b", "H100"), ("llama-3.1-8b", "L4")])  # fmt: skip
def test_decode_time_per_sequence_never_falls_as_the_batch_grows(model, gpu_name):
    times = [serve(model, gpu_name, batch=batch)["tpot_ms"] for batch in (1, 2, 4, 8, 16, 32, 64, 128)]
    assert times == sorted(times)
    assert times[-1] > times[0]


def test_cost_at_the_stated_traffic_includes_prefill_and_idle_time():
    result = serve("llama-2-70b", requests_per_day=10_000, prompt_tokens=500, output_tokens=500)
    assert 0 < result["utilization"] < 1
    monthly = result["monthly_cost_usd"]
    assert monthly == pytest.approx(result["replicas"] * result["gpus_per_replica"] * 2.69 * HOURS_PER_MONTH)
    # input and output dollars add up to the whole bill: idle time is paid for by the tokens served
    spent = (result["usd_per_million_input_tokens"] + result["usd_per_million_output_tokens"]) * (
        10_000 * 500 * DAYS_PER_MONTH / 1e6
    )
    assert spent == pytest.approx(monthly)
    # the bill splits by GPU time: a long prompt's prefill takes most of it
    long_prompt = serve("llama-2-70b", prompt_tokens=3500, output_tokens=50, batch=8)
    assert long_prompt["usd_per_million_input_tokens"] * 3500 > long_prompt["usd_per_million_output_tokens"] * 50
    assert 0 < result["usd_per_million_input_tokens"] < result["usd_per_million_output_tokens"]
    busy = serve("llama-2-70b", requests_per_day=2_000_000)
    assert busy["replicas"] > result["replicas"]
    assert busy["usd_per_million_output_tokens"] < result["usd_per_million_output_tokens"]


def test_bands_are_ordered():
    result = serve("llama-3.1-70b", requests_per_day=3_000_000)
    for key in ("monthly_cost_usd", "usd_per_million_output_tokens", "tpot_ms", "ttft_ms", "replicas"):
        assert result[f"{key}_low"] <= result[key] <= result[f"{key}_high"], key
    assert result["monthly_cost_low"] < result["monthly_cost_high"]


def test_prefill_is_compute_bound_for_long_prompts():
    short = serve("llama-2-7b", prompt_tokens=100, output_tokens=100)
    long = serve("llama-2-7b", prompt_tokens=3000, output_tokens=100)
    # 3,000 × 2 × 6.74e9 FLOPs at half of 989 TFLOP/s is about 82 ms, well above one 13.5 GB weights read (5.8 ms)
    assert long["ttft_ms"] - long["tpot_ms"] == pytest.approx(
        (3000 * 2 * 6.738e9 + 2 * 32 * 3000 * 3000 / 2 * 8192) / (989e12 * 0.5) * 1000, rel=0.01
    )
    assert long["ttft_ms"] > 10 * short["ttft_ms"] / 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"batch": 0}, "batch"), ({"weight_precision": "int3"}, "weight_precision"),
     ({"gpus_per_replica": 1}, "gpus_per_replica"), ({"mbu": 1.2}, "mbu"),
     ({"peak_to_average": 0.5}, "peak_to_average"),
     ({"prompt_tokens": 4000, "output_tokens": 500}, "context")],
)  # fmt: skip
def test_serving_validation_names_the_field(changes, field):
    with pytest.raises(EstimateInputError, match=rf"^{field}:"):
        serve("llama-2-70b", **changes)


@pytest.mark.parametrize("gpu_name", ["T4", "V100"])
def test_gpus_without_bf16_refuse_it_and_default_to_fp16(gpu_name):
    with pytest.raises(EstimateInputError, match="^weight_precision:"):
        serve("llama-2-7b", gpu_name, weight_precision="bf16")
    assert serve("llama-2-7b", gpu_name)["weight_precision"] == "fp16"


def run_cli(*args, home):
    env = {"MODELRUNWAY_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "core.estimate", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def test_cli_serve_prints_every_listed_key_and_refuses_bad_input_in_one_line(data_home):
    done = run_cli("serve", "--model", "llama-2-7b", "--gpu", "A100 80GB", "--batch", "1", "--context", "2048",
                   "--prompt-tokens", "500", "--output-tokens", "200", "--requests-per-day", "5000", "--json",
                   home=data_home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert all(key in result for key in SERVE_KEYS)
    assert result["kv_cache_gb"] == pytest.approx(1.073741824)
    shape = run_cli("serve", "--layers", "32", "--hidden", "4096", "--heads", "32", "--kv-heads", "8", "--ffn",
                    "14336", "--vocab", "32000", "--gpu", "H100", "--json", home=data_home)  # fmt: skip
    assert json.loads(shape.stdout)["kv_cache_mb_per_token"] == pytest.approx(2 * 32 * 8 * 128 * 2 / 1e6)
    bad = run_cli("serve", "--model", "llama-2-70b", "--gpu", "H100", "--gpus-per-replica", "1", home=data_home)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: gpus_per_replica:") and bad.stderr.count("\n") == 1
