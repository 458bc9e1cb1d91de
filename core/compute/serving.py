"""Serving: the one function every page uses for what a model costs to serve at a stated traffic.

- Replica: tensor parallelism is the smallest power of two (within one 8-GPU server) whose share of the weights
  leaves at least 40% of each GPU's usable memory for the KV cache; a batch whose cache does not fit adds pipeline
  stages, which add memory but not speed (each token still crosses every stage). So the replica's speed does not
  depend on the batch, and decode time per sequence never falls as the batch grows.
- Prefill is compute-bound: 2·N FLOPs per prompt token plus causal attention, at the serving MFU, and never
  faster than one read of the weights.
- Decode is bandwidth-bound at small batches: every step reads the weights (for a mixture of experts, the experts
  the batch's tokens route to) and each sequence's KV cache, at a fraction of HBM bandwidth (MBU); at large batches
  the step's FLOPs take over. Tensor-parallel all-reduces add a fixed latency per layer.
- Continuous batching at the stated traffic: a replica serves a request in prefill time plus its decode steps shared
  with the batch; the fleet is sized for the busiest hour, so utilization is below 1 and idle time is paid for.
- $/M input and output tokens split the monthly bill by the GPU time prefill and decode take.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from core.compute.architectures import Architecture, infer_architecture
from core.compute.gpus import PRICE_TIERS, GpuSpec
from core.compute.parallelism import GPUS_PER_NODE, TENSOR_DEGREES, USABLE_MEMORY_FRACTION
from core.compute.validation import EstimateInputError, check_gpu_and_sizes, number

HOURS_PER_MONTH = 730
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
SERVING_PRECISIONS = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
WEIGHT_ONLY = ("int8", "int4")  # weight-only quantisation: dequantised to 16 bits for the matmul, any GPU runs it
WEIGHT_SHARE_LIMIT = 0.6
# Decode at batch 1 reaches about 70% of HBM bandwidth: gpt-fast reads Llama-2-7B at 1,397 GB/s of an A100 80GB's
# 2,039 (PyTorch blog "Accelerating Generative AI with PyTorch II: GPT, Fast", 2023); band 50-85%.
DEFAULT_MBU, MBU_BAND = 0.7, (0.5, 0.85)
DEFAULT_SERVING_MFU, SERVING_MFU_BAND = 0.5, (0.3, 0.7)  # prefill: our assumption, below training's best
TP_ALLREDUCE_LATENCY_S = 10e-6  # our assumption: a small NCCL all-reduce over NVLink takes about 10 µs
DEFAULT_CONTEXT = 4096


@dataclass(frozen=True)
class ServingInputs:
    params: float | None = None
    gpu: GpuSpec | None = None
    active_params: float | None = None
    layers: int | None = None
    hidden: int | None = None
    kv_heads: int | None = None
    head_dim: int = 128
    context: int = DEFAULT_CONTEXT
    batch: int = 16
    weight_precision: str | None = None  # None: BF16 where the GPU has it, else FP16
    kv_precision: str | None = None
    gpus_per_replica: int | None = None
    requests_per_day: float = 10_000
    prompt_tokens: int = 500
    output_tokens: int = 500
    price_per_hour: float | None = None
    peak_to_average: float = 2.0
    mbu: float = DEFAULT_MBU
    serving_mfu: float = DEFAULT_SERVING_MFU
    architecture: Architecture | None = None
    pricing: str = "on_demand"

    def __post_init__(self) -> None:
        check = object.__setattr__
        if self.architecture is not None:
            if not isinstance(self.architecture, Architecture):
                raise EstimateInputError("architecture: pick a preset or enter a shape")
            check(self, "params", float(self.architecture.params()))
            if self.architecture.is_moe:
                check(self, "active_params", float(self.architecture.active_params()))
        elif self.params is None:
            raise EstimateInputError("params: give a parameter count, a preset or a shape")
        check_gpu_and_sizes(self)
        for field in ("layers", "hidden", "kv_heads", "gpus_per_replica"):
            if getattr(self, field) is not None:
                check(self, field, number(field, getattr(self, field), integer=True, maximum=1e7))
        for field in ("head_dim", "context", "batch", "output_tokens"):
            check(self, field, number(field, getattr(self, field), integer=True, maximum=1e8))
        check(self, "prompt_tokens", number("prompt_tokens", self.prompt_tokens, integer=True, allow_zero=True,
                                            maximum=1e8))  # fmt: skip
        if self.prompt_tokens + self.output_tokens > self.context:
            raise EstimateInputError(
                f"context: {self.context} tokens cannot hold {self.prompt_tokens} prompt + {self.output_tokens} "
                "output tokens; raise the context or shorten the request"
            )
        check(self, "requests_per_day", number("requests_per_day", self.requests_per_day, allow_zero=True,
                                               maximum=1e12))  # fmt: skip
        half = self.gpu.half_precision()
        for field in ("weight_precision", "kv_precision"):
            value = str(getattr(self, field) or half).lower()
            check(self, field, value)
            if value not in SERVING_PRECISIONS:
                raise EstimateInputError(f"{field}: one of {', '.join(SERVING_PRECISIONS)}, got {value!r}")
            if value not in WEIGHT_ONLY and not self.gpu.supports(value):
                raise EstimateInputError(f"{field}: the {self.gpu.name} has no {value.upper()}; use {half}")
        if self.kv_precision in WEIGHT_ONLY and self.kv_precision != "int8":
            raise EstimateInputError("kv_precision: the KV cache is kept in 16 or 8 bits (bf16, fp16, fp8, int8)")
        if self.price_per_hour is not None:
            check(self, "price_per_hour", number("price_per_hour", self.price_per_hour, allow_zero=True))
        if self.pricing not in PRICE_TIERS:
            raise EstimateInputError(f"pricing: one of {', '.join(PRICE_TIERS)}, got {self.pricing!r}")
        check(self, "peak_to_average", number("peak_to_average", self.peak_to_average, maximum=1000))
        if self.peak_to_average < 1:
            raise EstimateInputError("peak_to_average: the busiest hour is at least the average, so at least 1")
        for field in ("mbu", "serving_mfu"):
            check(self, field, number(field, getattr(self, field)))
            if getattr(self, field) > 1:
                raise EstimateInputError(f"{field}: a fraction between 0 and 1, got {getattr(self, field):g}")
        if not self.gpu.bandwidth_tbs:
            raise EstimateInputError(f"gpu: the catalog has no memory bandwidth for the {self.gpu.name}")

    @property
    def shape(self) -> Architecture:
        if self.architecture is not None:
            return self.architecture
        shape = infer_architecture(self.params, self.active_params)
        hidden = self.hidden or shape.hidden
        heads = max(1, hidden // self.head_dim)
        kv_heads = self.kv_heads or heads
        if kv_heads > heads or heads % kv_heads:
            raise EstimateInputError(f"kv_heads: {kv_heads} must divide the {heads} query heads")
        return Architecture(
            layers=self.layers or shape.layers, hidden=hidden, heads=heads, kv_heads=kv_heads, head_dim=self.head_dim,
            vocab=shape.vocab, ffn=4 * hidden, mlp="gelu", name="inferred" if shape.inferred else "custom",
            label=shape.label, source=shape.source, inferred=not (self.layers and self.hidden and self.kv_heads),
        )  # fmt: skip

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gpu"] = self.gpu.name
        data["architecture"] = self.architecture.name if self.architecture else None
        return data


@dataclass(frozen=True)
class Replica:
    tensor: int
    pipeline: int

    @property
    def gpus(self) -> int:
        return self.tensor * self.pipeline


def plan_replica(weights_gb: float, kv_gb: float, gpu: GpuSpec, gpus: int | None = None) -> Replica:
    usable = gpu.memory_gb * USABLE_MEMORY_FRACTION
    if gpus is not None:
        tensor = max(degree for degree in TENSOR_DEGREES if degree <= min(gpus, GPUS_PER_NODE) and gpus % degree == 0)
        if weights_gb + kv_gb > gpus * usable:
            minimum = plan_replica(weights_gb, kv_gb, gpu).gpus
            raise EstimateInputError(
                f"gpus_per_replica: weights and KV cache need {weights_gb + kv_gb:,.0f} GB, at least {minimum} "
                f"{gpu.name}; lower the batch or context, or add GPUs"
            )
        return Replica(tensor, gpus // tensor)
    tensor = next(
        (degree for degree in TENSOR_DEGREES if weights_gb / degree <= WEIGHT_SHARE_LIMIT * usable), GPUS_PER_NODE
    )
    by_weights = math.ceil(weights_gb / (tensor * WEIGHT_SHARE_LIMIT * usable))
    by_total = math.ceil((weights_gb + kv_gb) / (tensor * usable))
    return Replica(tensor, max(1, by_weights, by_total))


def _weights_read(inputs: ServingInputs, shape: Architecture, batch: int) -> float:
    """Parameters one decode step reads: all of a dense model; for a mixture of experts the active set plus the
    other experts the batch's tokens route to (each token picks k of E: E·(1 − (1 − k/E)^b) distinct ones)."""
    active = inputs.active_params or inputs.params
    if active >= inputs.params:
        return inputs.params
    if shape.is_moe:
        experts, picked = shape.experts, shape.active_experts
        touched = experts * (1 - (1 - picked / experts) ** batch)
        extra = (touched - picked) / max(1, experts - picked)
        return active + (inputs.params - active) * min(1.0, max(0.0, extra))
    return min(inputs.params, active * batch)


def _step_seconds(inputs, shape, replica, batch, mean_context, mbu, mfu) -> tuple[float, float, float]:
    """(step, bandwidth-bound, compute-bound) seconds of one decode step at this batch."""
    gpu = inputs.gpu
    weight_bytes = SERVING_PRECISIONS[inputs.weight_precision]
    kv_bytes = shape.kv_bytes_per_token(SERVING_PRECISIONS[inputs.kv_precision])
    read = _weights_read(inputs, shape, batch) * weight_bytes + batch * mean_context * kv_bytes
    memory_bound = read / (replica.tensor * gpu.bandwidth_tbs * 1e12 * mbu)
    active = inputs.active_params or inputs.params
    # each new token attends to the whole context: the causal average over 2× the context is that
    flops = batch * (2 * active + shape.attention_flops_per_token(2 * mean_context))
    compute_bound = flops / (replica.tensor * gpu.bf16_dense_tflops * 1e12 * mfu)
    latency = 2 * shape.layers * TP_ALLREDUCE_LATENCY_S if replica.tensor > 1 else 0.0
    return max(memory_bound, compute_bound) + latency, memory_bound, compute_bound


def _prefill_seconds(inputs, shape, replica, mbu, mfu) -> float:
    active = inputs.active_params or inputs.params
    prompt = inputs.prompt_tokens
    flops = prompt * (2 * active + shape.attention_flops_per_token(prompt))
    compute = flops / (replica.tensor * inputs.gpu.bf16_dense_tflops * 1e12 * mfu)
    one_read = (
        inputs.params * SERVING_PRECISIONS[inputs.weight_precision]
        / (replica.tensor * inputs.gpu.bandwidth_tbs * 1e12 * mbu)
    )  # fmt: skip
    return max(compute, one_read) if prompt else 0.0


def estimate_serving(inputs: ServingInputs) -> dict:
    """Memory, replica layout, time to first token, time per output token, throughput, utilization at the stated
    traffic, $ per million input and output tokens and the monthly bill, each with a low–high band."""
    shape = inputs.shape
    weight_bytes = SERVING_PRECISIONS[inputs.weight_precision]
    kv_bytes_per_token = shape.kv_bytes_per_token(SERVING_PRECISIONS[inputs.kv_precision])
    weights_gb = inputs.params * weight_bytes / 1e9
    kv_cache_bytes = kv_bytes_per_token * inputs.context * inputs.batch
    kv_cache_gb = kv_cache_bytes / 1e9
    fewest = plan_replica(weights_gb, kv_cache_gb, inputs.gpu)
    replica = plan_replica(weights_gb, kv_cache_gb, inputs.gpu, inputs.gpus_per_replica)
    if inputs.price_per_hour is not None:
        price, price_source = inputs.price_per_hour, "given"
    else:
        price, price_source = inputs.gpu.price(inputs.pricing)
    mean_context = min(inputs.context, inputs.prompt_tokens + inputs.output_tokens / 2)
    peak_rate = inputs.requests_per_day * inputs.peak_to_average / 86400
    average_rate = inputs.requests_per_day / 86400
    input_tokens_month = inputs.requests_per_day * inputs.prompt_tokens * DAYS_PER_MONTH
    output_tokens_month = inputs.requests_per_day * inputs.output_tokens * DAYS_PER_MONTH
    result = {
        "gpu": inputs.gpu.name,
        "architecture": shape.name,
        "architecture_summary": shape.describe(),
        "architecture_inferred": shape.inferred,
        "weight_precision": inputs.weight_precision,
        "kv_precision": inputs.kv_precision,
        "weights_gb": weights_gb,
        "kv_cache_bytes": kv_cache_bytes,
        "kv_cache_gb": kv_cache_gb,
        "kv_cache_mb_per_token": kv_bytes_per_token / 1e6,
        "serving_memory_gb": weights_gb + kv_cache_gb,
        "tensor_parallel": replica.tensor,
        "pipeline_parallel": replica.pipeline,
        "gpus_per_replica": replica.gpus,
        "min_gpus_per_replica": fewest.gpus,
        "layers": shape.layers,
        "hidden": shape.hidden,
        "kv_heads": shape.kv_heads,
        "batch": inputs.batch,
        "context": inputs.context,
        "pricing": inputs.pricing,
        "price_per_hour_usd": price,
        "price_source": price_source,
        "requests_per_day": inputs.requests_per_day,
        "input_tokens_per_month": input_tokens_month,
        "tokens_per_month": output_tokens_month,
    }
    ratios = {
        "": (inputs.mbu, inputs.serving_mfu),
        "_low": (
            inputs.mbu * MBU_BAND[0] / DEFAULT_MBU,
            inputs.serving_mfu * SERVING_MFU_BAND[0] / DEFAULT_SERVING_MFU,
        ),
        "_high": (
            min(1.0, inputs.mbu * MBU_BAND[1] / DEFAULT_MBU),
            min(1.0, inputs.serving_mfu * SERVING_MFU_BAND[1] / DEFAULT_SERVING_MFU),
        ),
    }
    # '_low' efficiency is the slow case: its times and costs are the band's high end, and the other way round.
    for suffix, (mbu, mfu) in ratios.items():
        slow = {"": "", "_low": "_high", "_high": "_low"}[suffix]
        step, memory_bound, compute_bound = _step_seconds(inputs, shape, replica, inputs.batch, mean_context, mbu, mfu)
        prefill = _prefill_seconds(inputs, shape, replica, mbu, mfu)
        decode_share = inputs.output_tokens * step / inputs.batch
        capacity = 1 / (prefill + decode_share)  # requests per second one replica serves at full batch
        replicas = max(1, math.ceil(peak_rate / capacity - 1e-9))
        utilization = average_rate / (replicas * capacity)
        hourly = replica.gpus * price if price is not None else None
        monthly = replicas * hourly * HOURS_PER_MONTH if hourly is not None else None
        input_share = prefill / (prefill + decode_share)
        result[f"ttft_ms{slow}"] = (prefill + step) * 1000
        result[f"tpot_ms{slow}"] = step * 1000
        result[f"tokens_per_second{suffix}"] = inputs.batch / step
        result[f"decode_tokens_per_s{suffix}"] = inputs.batch / step
        result[f"memory_bound_tokens_per_s{suffix}"] = inputs.batch / memory_bound
        result[f"compute_bound_tokens_per_s{suffix}"] = inputs.batch / compute_bound
        result[f"tokens_per_s_per_request{suffix}"] = 1 / step
        result[f"requests_per_second_per_replica{suffix}"] = capacity
        result[f"replicas{slow}"] = replicas
        result[f"gpus_needed{slow}"] = replicas * replica.gpus
        result[f"utilization{slow}"] = utilization
        result[f"monthly_cost_usd{slow}"] = monthly
        if monthly is None:
            per_input = per_output = None
        elif inputs.requests_per_day > 0:
            per_input = monthly * input_share / (input_tokens_month / 1e6) if input_tokens_month else None
            per_output = monthly * (1 - input_share) / (output_tokens_month / 1e6)
        else:  # no traffic stated: the price of a fully busy replica
            per_input = hourly * prefill / 3600 / inputs.prompt_tokens * 1e6 if inputs.prompt_tokens else None
            per_output = hourly * decode_share / 3600 / inputs.output_tokens * 1e6
        result[f"usd_per_million_input_tokens{slow}"] = per_input
        result[f"usd_per_million_output_tokens{slow}"] = per_output
        result[f"cost_per_million_output_tokens{slow}"] = per_output
    result["monthly_cost_low"] = result["monthly_cost_usd_low"]
    result["monthly_cost_high"] = result["monthly_cost_usd_high"]
    result["bound"] = (
        "memory bandwidth" if result["memory_bound_tokens_per_s"] <= result["compute_bound_tokens_per_s"] else "compute"
    )
    result["traffic_output_tokens_per_s"] = average_rate * inputs.output_tokens
    return result


def serving_inputs_for(
    params: float, gpu: GpuSpec, active_params: float | None = None, architecture: Architecture | None = None, **kw
) -> ServingInputs:
    """The GPU Budget page's serving defaults for a model: what the Applications catalog and the funding import
    show, so that the three agree."""
    if architecture is not None:
        return ServingInputs(architecture=architecture, gpu=gpu, **kw)
    return ServingInputs(params=params, active_params=active_params, gpu=gpu, **kw)
