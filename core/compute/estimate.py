"""Training and serving cost estimates: pure arithmetic over a GPU spec, with a low–high band from the MFU range.

Training compute is 6·N·D (Kaplan et al. 2020), N the active parameters for mixture-of-experts models. Training
memory follows ZeRO (Rajbhandari et al. 2020): 16 bytes per parameter in mixed precision (16-bit weights and
gradients, FP32 master weights and two Adam moments); activations follow Korthikanti et al. 2022.

CLI: python -m core.estimate --params 70e9 --tokens 2e12 --gpu "A100 80GB" [--active-params A] [--gpus G]
[--mfu M] [--price P] [--precision bf16|fp16|fp8|fp32] [--pue X] [--carbon KG_PER_KWH] --json
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from core.compute.gpus import GpuSpec
from core.compute.mfu import band_ratios, default_mfu, generation_of, supports_fp8

TOKENS_PER_PARAM_OPTIMAL = 20  # Hoffmann et al. 2022 (Chinchilla)
DEFAULT_PUE = 1.1  # the LLaMA paper's assumption for a modern data centre
DEFAULT_CARBON_KG_PER_KWH = 0.385  # US average used by the LLaMA paper
DEFAULT_CONTEXT = 4096
DEFAULT_TARGET_DAYS = 90  # GPU count suggested when none is given: finish in about a quarter
USABLE_MEMORY_FRACTION = 0.9  # CUDA context, allocator fragmentation and communication buffers take the rest
HOURS_PER_MONTH = 730
PRECISIONS = ("bf16", "fp16", "fp8", "fp32")
SERVING_PRECISIONS = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
# Selective recomputation with FlashAttention keeps about 34 bytes per token per hidden unit per layer; full
# recomputation keeps only each layer's 2-byte input; neither keeps the 5·heads·seq/hidden attention scores term.
ACTIVATION_BYTES_SELECTIVE, ACTIVATION_BYTES_FULL_RECOMPUTE, ATTENTION_SCORE_BYTES = 34, 2, 5
DEFAULT_MBU, MBU_BAND = 0.6, (0.4, 0.8)  # decode reaches about 60% of HBM bandwidth (Databricks inference blog, 2023)
DEFAULT_SERVING_MFU, SERVING_MFU_BAND = 0.5, (0.3, 0.7)


# Bounds every input must lie within (None: no bound). The largest published runs have about 2e12 parameters,
# 4e13 tokens and 1e5 GPUs; far beyond these a figure is a typo, and the arithmetic would overflow to infinity.
# Utilizations have a floor because they divide.
INPUT_BOUNDS = {
    "params": (1, 1e15), "active_params": (1, 1e15), "tokens": (1, 1e17), "gpus": (None, 1e7),
    "mfu": (1e-4, None), "mbu": (1e-4, None), "serving_mfu": (1e-4, None), "price_per_hour": (None, 1e5),
    "pue": (None, 10), "carbon_kg_per_kwh": (None, 10), "context": (None, 1e8), "layers": (None, 1e5),
    "hidden": (None, 1e7), "target_days": (0.01, 1e5), "head_dim": (None, 1e5), "kv_heads": (None, 1e5),
    "batch": (None, 1e7), "gpus_per_replica": (None, 1e7), "requests_per_day": (None, 1e13),
    "prompt_tokens": (None, 1e8), "output_tokens": (None, 1e8), "peak_to_average": (None, 1e3), "vocab": (None, 1e8),
}  # fmt: skip


class EstimateInputError(ValueError):
    """Bad estimator input; the message starts with the field's name."""


def _positive(field: str, value, integer: bool = False, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EstimateInputError(f"{field}: must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise EstimateInputError(f"{field}: must be a finite number, got {value!r}")
    if number < 0 or (number == 0 and not allow_zero):
        raise EstimateInputError(
            f"{field}: must be {'non-negative' if allow_zero else 'greater than 0'}, got {number:g}"
        )
    low, high = INPUT_BOUNDS.get(field, (None, None))
    if high is not None and number > high:
        raise EstimateInputError(f"{field}: at most {high:g}, got {number:g}")
    if low is not None and 0 < number < low:
        raise EstimateInputError(f"{field}: at least {low:g}, got {number:g}")
    if integer:
        if number != int(number):
            raise EstimateInputError(f"{field}: must be a whole number, got {number:g}")
        return int(number)
    return number


def _check_gpu_and_sizes(inputs) -> None:
    """What training and serving inputs share: a catalog GPU, a positive size, active parameters within it."""
    if not isinstance(inputs.gpu, GpuSpec):
        raise EstimateInputError("gpu: pick an entry of the hardware catalog")
    object.__setattr__(inputs, "params", _positive("params", inputs.params))
    if inputs.active_params is not None:
        object.__setattr__(inputs, "active_params", _positive("active_params", inputs.active_params))
        if inputs.active_params > inputs.params:
            raise EstimateInputError(
                f"active_params: {inputs.active_params:.3g} exceeds the total parameters {inputs.params:.3g}"
            )


def params_from_architecture(layers: int, hidden: int, vocab: int, context: int = 0) -> int:
    """Decoder-only transformer parameters (Narayanan et al. 2021): 12·L·h² + 13·L·h + (V + s)·h."""
    layers = _positive("layers", layers, integer=True)
    hidden = _positive("hidden", hidden, integer=True)
    vocab = _positive("vocab", vocab, integer=True)
    context = _positive("context", context, integer=True, allow_zero=True)
    return int(12 * layers * hidden**2 + 13 * layers * hidden + (vocab + context) * hidden)


def infer_architecture(params: float) -> dict:
    """A plausible shape for N parameters: width about 128 × depth (Llama 7B: 32 × 4096; 70B: 80 × 8192)."""
    hidden = max(128, round((params * 128 / 12) ** (1 / 3) / 128) * 128)
    layers = max(1, round(params / (12 * hidden**2)))
    return {"layers": layers, "hidden": hidden, "heads": max(1, hidden // 128), "head_dim": 128}


@dataclass(frozen=True)
class TrainingInputs:
    params: float
    gpu: GpuSpec
    active_params: float | None = None
    tokens: float | None = None
    gpus: int | None = None
    precision: str = "bf16"
    mfu: float | None = None
    price_per_hour: float | None = None
    pue: float = DEFAULT_PUE
    carbon_kg_per_kwh: float = DEFAULT_CARBON_KG_PER_KWH
    context: int = DEFAULT_CONTEXT
    layers: int | None = None
    hidden: int | None = None
    target_days: float = DEFAULT_TARGET_DAYS

    def __post_init__(self) -> None:
        _check_gpu_and_sizes(self)
        check = object.__setattr__
        if self.tokens is not None:
            check(self, "tokens", _positive("tokens", self.tokens))
        if self.gpus is not None:
            check(self, "gpus", _positive("gpus", self.gpus, integer=True))
        if self.precision not in PRECISIONS:
            raise EstimateInputError(f"precision: one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.precision == "fp8" and not supports_fp8(self.gpu.name):
            raise EstimateInputError(f"precision: the {self.gpu.name} has no FP8 tensor cores; use bf16 or fp16")
        if self.precision == "fp32" and not self.gpu.fp32_tflops:
            raise EstimateInputError(f"precision: the catalog has no FP32 figure for the {self.gpu.name}")
        if self.mfu is not None:
            check(self, "mfu", _positive("mfu", self.mfu))
            if self.mfu > 1:
                raise EstimateInputError(f"mfu: a fraction of peak between 0 and 1, got {self.mfu:g}")
        if self.price_per_hour is not None:
            check(self, "price_per_hour", _positive("price_per_hour", self.price_per_hour, allow_zero=True))
        check(self, "pue", _positive("pue", self.pue))
        if self.pue < 1:
            raise EstimateInputError(f"pue: power usage effectiveness is at least 1, got {self.pue:g}")
        check(self, "carbon_kg_per_kwh", _positive("carbon_kg_per_kwh", self.carbon_kg_per_kwh, allow_zero=True))
        check(self, "context", _positive("context", self.context, integer=True))
        for field in ("layers", "hidden"):
            if getattr(self, field) is not None:
                check(self, field, _positive(field, getattr(self, field), integer=True))
        check(self, "target_days", _positive("target_days", self.target_days))

    @property
    def flops_params(self) -> float:
        return self.active_params or self.params

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gpu"] = self.gpu.name
        return data


def peak_tflops(gpu: GpuSpec, precision: str) -> float:
    if precision == "fp32":
        return gpu.fp32_tflops
    return gpu.bf16_dense_tflops * (2 if precision == "fp8" else 1)


def mfu_band(inputs: TrainingInputs) -> tuple[float, float, float, str]:
    """(point, low, high, source); a user's MFU keeps the generation's relative band around it."""
    default = default_mfu(inputs.gpu.name, inputs.flops_params, inputs.precision)
    if inputs.mfu is None:
        return default.mfu, default.low, default.high, default.source
    low_ratio, high_ratio = band_ratios(inputs.gpu.name, inputs.precision)
    return inputs.mfu, inputs.mfu * low_ratio, min(1.0, inputs.mfu * high_ratio), "given"


def training_memory(inputs: TrainingInputs) -> dict:
    """GB to train: weights, gradients and Adam states for all parameters, plus one sequence's activations."""
    shape = infer_architecture(inputs.params)
    layers, hidden = inputs.layers or shape["layers"], inputs.hidden or shape["hidden"]
    heads = max(1, hidden // 128)
    fp32 = inputs.precision == "fp32"
    weight_bytes, grad_bytes, optimizer_bytes = (4, 4, 8) if fp32 else (2, 2, 12)
    activation_scale = 2 if fp32 else 1
    per_layer_token = inputs.context * hidden * layers * activation_scale
    scores = ATTENTION_SCORE_BYTES * heads * inputs.context / hidden
    memory = {
        "weights_gb": inputs.params * weight_bytes / 1e9,
        "gradients_gb": inputs.params * grad_bytes / 1e9,
        "optimizer_gb": inputs.params * optimizer_bytes / 1e9,
        "activations_gb": per_layer_token * ACTIVATION_BYTES_SELECTIVE / 1e9,
        "activations_gb_low": per_layer_token * ACTIVATION_BYTES_FULL_RECOMPUTE / 1e9,
        "activations_gb_high": per_layer_token * (ACTIVATION_BYTES_SELECTIVE + scores) / 1e9,
        "layers": layers,
        "hidden": hidden,
        "architecture_inferred": inputs.layers is None or inputs.hidden is None,
    }
    states = memory["weights_gb"] + memory["gradients_gb"] + memory["optimizer_gb"]
    for suffix in ("", "_low", "_high"):
        memory[f"train_memory_gb{suffix}"] = states + memory[f"activations_gb{suffix}"]
    return memory


def gpus_to_hold(memory_gb: float, gpu: GpuSpec) -> int:
    """States and activations sharded across GPUs (ZeRO-3/FSDP with tensor and sequence parallelism)."""
    return max(1, math.ceil(memory_gb / (gpu.memory_gb * USABLE_MEMORY_FRACTION)))


def suggested_gpu_count(gpu_hours: float, min_gpus: int, target_days: float = DEFAULT_TARGET_DAYS) -> int:
    """Enough GPUs to finish in target_days and hold the model, in whole 8-GPU nodes above one node."""
    count = max(min_gpus, math.ceil(gpu_hours / (24 * target_days)), 1)
    return count if count <= 8 else math.ceil(count / 8) * 8


def estimate_training(inputs: TrainingInputs) -> dict:
    """Every training figure with its low–high band. 'low' is always the smaller number."""
    tokens = inputs.tokens or TOKENS_PER_PARAM_OPTIMAL * inputs.params
    flops = 6 * inputs.flops_params * tokens
    peak = peak_tflops(inputs.gpu, inputs.precision)
    mfu, mfu_low, mfu_high, mfu_source = mfu_band(inputs)
    price = inputs.price_per_hour if inputs.price_per_hour is not None else inputs.gpu.price_per_hour_usd
    memory = training_memory(inputs)
    min_gpus = gpus_to_hold(memory["train_memory_gb"], inputs.gpu)
    # the low GPU-hours come from the high MFU
    by_mfu = (("", mfu), ("_low", mfu_high), ("_high", mfu_low))
    gpu_hours = {suffix: flops / (peak * 1e12 * value * 3600) for suffix, value in by_mfu}
    gpus = inputs.gpus or suggested_gpu_count(gpu_hours[""], min_gpus, inputs.target_days)
    result = {
        "gpu": inputs.gpu.name,
        "gpu_generation": generation_of(inputs.gpu.name),
        "precision": inputs.precision,
        "params": inputs.params,
        "active_params": inputs.flops_params,
        "tokens": tokens,
        "tokens_compute_optimal": TOKENS_PER_PARAM_OPTIMAL * inputs.params,
        "tokens_per_param": tokens / inputs.params,
        "peak_tflops": peak,
        "mfu": mfu,
        "mfu_low": mfu_low,
        "mfu_high": mfu_high,
        "mfu_source": mfu_source,
        "price_per_hour_usd": price,
        "price_source": "given" if inputs.price_per_hour is not None else (inputs.gpu.price_note or "catalog"),
        "gpus": gpus,
        "gpus_source": "given" if inputs.gpus else f"suggested: finish in about {inputs.target_days:g} days",
        "training_flops": flops,
        "pue": inputs.pue,
        "carbon_kg_per_kwh": inputs.carbon_kg_per_kwh,
    }
    for suffix, hours in gpu_hours.items():
        result[f"gpu_hours{suffix}"] = hours
        result[f"wall_days{suffix}"] = hours / gpus / 24
        result[f"cost_usd{suffix}"] = hours * price if price is not None else None
        energy = hours * inputs.gpu.tdp_w / 1000 * inputs.pue if inputs.gpu.tdp_w else None
        result[f"energy_kwh{suffix}"] = energy
        result[f"co2_kg{suffix}"] = energy * inputs.carbon_kg_per_kwh if energy is not None else None
    for suffix in ("", "_low", "_high"):
        result[f"train_memory_gb{suffix}"] = memory[f"train_memory_gb{suffix}"]
        result[f"min_gpus{suffix}"] = gpus_to_hold(memory[f"train_memory_gb{suffix}"], inputs.gpu)
    result["memory"] = {key: value for key, value in memory.items() if not key.startswith("train_memory")}
    return result


@dataclass(frozen=True)
class ServingInputs:
    params: float
    gpu: GpuSpec
    active_params: float | None = None
    layers: int | None = None
    hidden: int | None = None
    kv_heads: int | None = None
    head_dim: int = 128
    context: int = DEFAULT_CONTEXT
    batch: int = 16
    weight_precision: str = "bf16"
    kv_precision: str = "bf16"
    gpus_per_replica: int | None = None
    requests_per_day: float = 10_000
    prompt_tokens: int = 500
    output_tokens: int = 500
    price_per_hour: float | None = None
    peak_to_average: float = 2.0
    mbu: float = DEFAULT_MBU
    serving_mfu: float = DEFAULT_SERVING_MFU

    def __post_init__(self) -> None:
        _check_gpu_and_sizes(self)
        check = object.__setattr__
        for field in ("layers", "hidden", "kv_heads", "gpus_per_replica"):
            if getattr(self, field) is not None:
                check(self, field, _positive(field, getattr(self, field), integer=True))
        for field in ("head_dim", "context", "batch", "output_tokens"):
            check(self, field, _positive(field, getattr(self, field), integer=True))
        check(self, "prompt_tokens", _positive("prompt_tokens", self.prompt_tokens, integer=True, allow_zero=True))
        check(self, "requests_per_day", _positive("requests_per_day", self.requests_per_day, allow_zero=True))
        for field in ("weight_precision", "kv_precision"):
            if getattr(self, field) not in SERVING_PRECISIONS:
                raise EstimateInputError(
                    f"{field}: one of {', '.join(SERVING_PRECISIONS)}, got {getattr(self, field)!r}"
                )
        if self.price_per_hour is not None:
            check(self, "price_per_hour", _positive("price_per_hour", self.price_per_hour, allow_zero=True))
        check(self, "peak_to_average", _positive("peak_to_average", self.peak_to_average))
        if self.peak_to_average < 1:
            raise EstimateInputError("peak_to_average: the busiest hour is at least the average, so at least 1")
        for field in ("mbu", "serving_mfu"):
            check(self, field, _positive(field, getattr(self, field)))
            if getattr(self, field) > 1:
                raise EstimateInputError(f"{field}: a fraction between 0 and 1, got {getattr(self, field):g}")
        if not self.gpu.bandwidth_tbs:
            raise EstimateInputError(f"gpu: the catalog has no memory bandwidth for the {self.gpu.name}")

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gpu"] = self.gpu.name
        return data


def estimate_serving(inputs: ServingInputs) -> dict:
    """Memory, decode speed (bandwidth-bound and compute-bound), cost per million tokens and the monthly bill."""
    shape = infer_architecture(inputs.params)
    layers, hidden = inputs.layers or shape["layers"], inputs.hidden or shape["hidden"]
    kv_heads = inputs.kv_heads or min(8, max(1, hidden // inputs.head_dim))
    active = inputs.active_params or inputs.params
    weight_bytes = SERVING_PRECISIONS[inputs.weight_precision]
    kv_bytes_per_token = 2 * layers * kv_heads * inputs.head_dim * SERVING_PRECISIONS[inputs.kv_precision]
    weights_gb = inputs.params * weight_bytes / 1e9
    kv_cache_gb = kv_bytes_per_token * inputs.context * inputs.batch / 1e9
    min_gpus = max(1, math.ceil((weights_gb + kv_cache_gb) / (inputs.gpu.memory_gb * USABLE_MEMORY_FRACTION)))
    if inputs.gpus_per_replica is not None and inputs.gpus_per_replica < min_gpus:
        raise EstimateInputError(
            f"gpus_per_replica: weights and KV cache need {weights_gb + kv_cache_gb:,.0f} GB, "
            f"at least {min_gpus} {inputs.gpu.name}; lower the batch or context, or add GPUs"
        )
    gpus = inputs.gpus_per_replica or min_gpus
    price = inputs.price_per_hour if inputs.price_per_hour is not None else inputs.gpu.price_per_hour_usd
    mean_context = min(inputs.context, inputs.prompt_tokens + inputs.output_tokens / 2)
    # With a batch, a mixture-of-experts model touches more experts per step, up to all of them.
    bytes_per_step = min(inputs.params, active * inputs.batch) * weight_bytes + (
        kv_bytes_per_token * mean_context * inputs.batch
    )
    flops_per_token = 2 * active + 4 * layers * mean_context * hidden
    prefill_flops = inputs.prompt_tokens * (2 * active + 2 * layers * inputs.prompt_tokens * hidden)
    bandwidth = inputs.gpu.bandwidth_tbs * 1e12 * gpus
    compute = inputs.gpu.bf16_dense_tflops * 1e12 * gpus
    ratios = {"": (inputs.mbu, inputs.serving_mfu)}
    ratios["_low"] = (
        inputs.mbu * MBU_BAND[0] / DEFAULT_MBU,
        inputs.serving_mfu * SERVING_MFU_BAND[0] / DEFAULT_SERVING_MFU,
    )
    ratios["_high"] = (
        min(1.0, inputs.mbu * MBU_BAND[1] / DEFAULT_MBU),
        min(1.0, inputs.serving_mfu * SERVING_MFU_BAND[1] / DEFAULT_SERVING_MFU),
    )
    result = {
        "gpu": inputs.gpu.name,
        "weights_gb": weights_gb,
        "kv_cache_gb": kv_cache_gb,
        "kv_cache_mb_per_token": kv_bytes_per_token / 1e6,
        "serving_memory_gb": weights_gb + kv_cache_gb,
        "min_gpus_per_replica": min_gpus,
        "gpus_per_replica": gpus,
        "layers": layers,
        "hidden": hidden,
        "kv_heads": kv_heads,
        "price_per_hour_usd": price,
        "tokens_per_month": inputs.requests_per_day * inputs.output_tokens * HOURS_PER_MONTH / 24,
    }
    # 'low' figures come from the pessimistic utilisation, so costs swap: their high end is the slow case.
    for suffix, (mbu, mfu) in ratios.items():
        cost_suffix = {"": "", "_low": "_high", "_high": "_low"}[suffix]
        memory_bound = inputs.batch * bandwidth * mbu / bytes_per_step
        compute_bound = compute * mfu / flops_per_token
        decode = min(memory_bound, compute_bound)
        replica_seconds = inputs.output_tokens / decode + prefill_flops / (compute * mfu)
        replicas = max(1, math.ceil(inputs.requests_per_day * replica_seconds * inputs.peak_to_average / 86400))
        result[f"decode_tokens_per_s{suffix}"] = decode
        result[f"memory_bound_tokens_per_s{suffix}"] = memory_bound
        result[f"compute_bound_tokens_per_s{suffix}"] = compute_bound
        result[f"tokens_per_s_per_request{suffix}"] = decode / inputs.batch
        result[f"replicas{cost_suffix}"] = replicas
        result[f"gpus_needed{cost_suffix}"] = replicas * gpus
        hourly = gpus * price if price is not None else None
        result[f"cost_per_million_output_tokens{cost_suffix}"] = (
            hourly / (decode * 3600) * 1e6 if hourly is not None else None
        )
        result[f"monthly_cost_usd{cost_suffix}"] = replicas * hourly * HOURS_PER_MONTH if hourly is not None else None
    result["bound"] = (
        "memory bandwidth" if result["memory_bound_tokens_per_s"] <= result["compute_bound_tokens_per_s"] else "compute"
    )
    return result


def cost_by_gpu(inputs: TrainingInputs, catalog: list[GpuSpec]) -> list[dict]:
    """The same job on every priced catalog GPU, each at its own default MFU (FP8 only where the GPU has it)."""
    rows = []
    for spec in catalog:
        if spec.price_per_hour_usd is None:
            continue
        precision = inputs.precision
        if (precision == "fp8" and not supports_fp8(spec.name)) or (precision == "fp32" and not spec.fp32_tflops):
            precision = "bf16"
        try:
            job = replace(inputs, gpu=spec, gpus=None, mfu=None, price_per_hour=None, precision=precision)
        except EstimateInputError:
            continue
        result = estimate_training(job)
        rows.append(
            {key: result[key] for key in ("gpu", "precision", "mfu", "gpu_hours", "cost_usd", "cost_usd_low",
                                          "cost_usd_high", "wall_days", "gpus", "price_per_hour_usd")}
        )  # fmt: skip
    return sorted(rows, key=lambda row: row["cost_usd"])


def mfu_sweep(inputs: TrainingInputs, points: int = 40) -> list[dict]:
    """Cost and wall-clock days for MFU from 5% to 70% on the chosen GPU and count."""
    base = estimate_training(inputs)
    rows = []
    for step in range(points):
        mfu = 0.05 + step * (0.65 / (points - 1))
        scale = base["mfu"] / mfu
        cost = base["cost_usd"] * scale if base["cost_usd"] is not None else None
        rows.append({"mfu": mfu, "cost_usd": cost, "wall_days": base["wall_days"] * scale})
    return rows


def gpus_vs_days(inputs: TrainingInputs, max_gpus: int = 32768) -> list[dict]:
    """Wall-clock days (with band) for GPU counts from the minimum that holds the model, doubling each step."""
    base = estimate_training(inputs)
    rows, count = [], base["min_gpus"]
    while count <= max_gpus:
        rows.append(
            {
                "gpus": count,
                "wall_days": base["gpu_hours"] / count / 24,
                "wall_days_low": base["gpu_hours_low"] / count / 24,
                "wall_days_high": base["gpu_hours_high"] / count / 24,
            }
        )
        count *= 2
    return rows


def example_gpu() -> GpuSpec:
    from core.compute.gpus import find_gpu, seeded_specs

    return find_gpu("A100 80GB", seeded_specs())


def example_training_inputs() -> TrainingInputs:
    """Llama 2 70B's published run: 69B parameters, 2T tokens, A100 80GB (no database needed)."""
    return TrainingInputs(params=69e9, tokens=2e12, gpu=example_gpu())


def example_serving_inputs() -> ServingInputs:
    """A Llama-2-70B-shaped model (80 layers, 8 KV heads) served in BF16."""
    return ServingInputs(params=69e9, gpu=example_gpu(), layers=80, hidden=8192, kv_heads=8)


def main(argv: list[str] | None = None) -> int:
    from core.cli import ArgumentParser, exit_with_error, strict_json

    parser = ArgumentParser(prog="python -m core.estimate", description="Training cost estimate with a band.")
    parser.add_argument("--params", type=float, required=True, help="total parameters, e.g. 70e9")
    parser.add_argument("--tokens", type=float, help="training tokens (default: 20 per parameter)")
    parser.add_argument("--gpu", required=True, help="catalog name or an unambiguous part of one")
    parser.add_argument("--active-params", type=float, help="active parameters per token (mixture of experts)")
    parser.add_argument("--gpus", type=float, help="GPU count (default: finish in about 90 days)")
    parser.add_argument("--mfu", type=float, help="model FLOPs utilization, 0-1 (default: per GPU generation)")
    parser.add_argument("--price", type=float, help="USD per GPU-hour (default: catalog)")
    parser.add_argument("--precision", default="bf16", help=f"one of {', '.join(PRECISIONS)}")
    parser.add_argument("--pue", type=float, default=DEFAULT_PUE)
    parser.add_argument("--carbon", type=float, default=DEFAULT_CARBON_KG_PER_KWH, help="grid kg CO2 per kWh")
    parser.add_argument("--context", type=float, default=DEFAULT_CONTEXT, help="training sequence length")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from core.compute.gpus import GpuLookupError, resolve_gpu

    try:
        gpu = resolve_gpu(args.gpu)
        inputs = TrainingInputs(
            params=args.params, tokens=args.tokens, gpu=gpu, active_params=args.active_params, gpus=args.gpus,
            mfu=args.mfu, price_per_hour=args.price, precision=args.precision.lower(), pue=args.pue,
            carbon_kg_per_kwh=args.carbon, context=args.context,
        )  # fmt: skip
    except (GpuLookupError, EstimateInputError) as exc:
        exit_with_error(str(exc.args[0]) if exc.args else str(exc))
    result = estimate_training(inputs)
    if args.json:
        print(strict_json(result))
        return 0
    print(
        f"{result['gpu']}: {result['training_flops']:.3g} FLOPs, {result['gpu_hours']:,.0f} GPU-hours "
        f"({result['gpu_hours_low']:,.0f}-{result['gpu_hours_high']:,.0f}) at MFU {result['mfu']:.0%}; "
        f"{result['wall_days']:,.1f} days on {result['gpus']} GPUs; "
        + (f"${result['cost_usd']:,.0f}; " if result["cost_usd"] is not None else "no price; ")
        + f"{result['train_memory_gb']:,.0f} GB to train (at least {result['min_gpus']} GPUs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
