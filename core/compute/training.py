"""Training cost: FLOPs from the shape (core.compute.flops), the fitted MFU (core.compute.mfu), a parallel layout that
fits in memory (core.compute.parallelism), overhead knobs and the price tier, each figure with a low–high band.

Overheads. The default MFU is fitted to reported GPU-hours, which already hold a typical run's checkpointing,
failures and restarts, and evaluation; the defaults below are that typical share (together about 10%, the Llama 3
report's "higher than 90% effective training time" on 16K H100s), so changing a knob moves the estimate by the
difference. Experiments before the final run are not in any reported figure: they are added on top, as a multiple
of the final run (Epoch AI, Cottier et al. 2024: total development compute about 1.2x–4x the final run).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from core.compute import parallelism
from core.compute.architectures import Architecture, ArchitectureError, infer_architecture
from core.compute.flops import MATMUL_FLOPS_PER_PARAM, training_flops_per_token
from core.compute.gpus import PRICE_TIERS, GpuSpec
from core.compute.mfu import band_ratios, default_mfu, generation_of
from core.compute.validation import EstimateInputError, check_gpu_and_sizes, number

TOKENS_PER_PARAM_OPTIMAL = 20  # Hoffmann et al. 2022 (Chinchilla)
DEFAULT_FINETUNE_TOKENS = 100e6  # our assumption: about 100k examples of 1k tokens
DEFAULT_PUE = 1.1  # the LLaMA paper's assumption for a modern data centre
DEFAULT_CARBON_KG_PER_KWH = 0.385  # US average used by the LLaMA paper
DEFAULT_CONTEXT = 4096
DEFAULT_TARGET_DAYS = 90  # GPU count suggested when none is given: finish in about a quarter
PRECISIONS = ("bf16", "fp16", "fp8", "fp32")
MODES = ("full", "lora", "qlora")
RECOMPUTE_CHOICES = ("selective", "full", "none")
DEFAULT_LORA_RANK = 16
QLORA_SPEED = 0.75  # our assumption: dequantising the 4-bit weights before each matmul costs about a quarter
DEFAULT_OVERHEADS = {"checkpoint_overhead": 0.03, "failure_overhead": 0.05, "eval_overhead": 0.02}
DEFAULT_ABLATION_MULTIPLE = 1.2
FINETUNE_BATCH_SEQUENCES = 64
# Global batch by size: GPT-3 (Brown et al. 2020, Table 2.1) 0.5M tokens below 1B, 1M to 5B, 2M to 20B; Llama 2
# 4M; Llama 3 405B 16M.
GLOBAL_BATCH_BY_SIZE = ((1e9, 0.5e6), (5e9, 1e6), (20e9, 2e6), (100e9, 4e6), (math.inf, 16e6))


def default_global_batch_tokens(params: float) -> float:
    return next(tokens for limit, tokens in GLOBAL_BATCH_BY_SIZE if params < limit)


@dataclass(frozen=True)
class TrainingInputs:
    params: float | None = None
    gpu: GpuSpec | None = None
    active_params: float | None = None
    tokens: float | None = None
    gpus: int | None = None
    precision: str | None = None  # None: BF16 where the GPU has it, else FP16
    mfu: float | None = None
    price_per_hour: float | None = None
    pue: float = DEFAULT_PUE
    carbon_kg_per_kwh: float = DEFAULT_CARBON_KG_PER_KWH
    context: int | None = None  # None: the preset's pre-training context, else 4096
    layers: int | None = None
    hidden: int | None = None
    target_days: float = DEFAULT_TARGET_DAYS
    architecture: Architecture | None = None
    mode: str = "full"
    lora_rank: int = DEFAULT_LORA_RANK
    zero_stage: int | None = None
    tensor_parallel: int | None = None
    pipeline_parallel: int | None = None
    recompute: str = "selective"
    micro_batch: int = 1
    global_batch_tokens: float | None = None
    pricing: str = "on_demand"
    checkpoint_overhead: float = DEFAULT_OVERHEADS["checkpoint_overhead"]
    failure_overhead: float = DEFAULT_OVERHEADS["failure_overhead"]
    eval_overhead: float = DEFAULT_OVERHEADS["eval_overhead"]
    ablation_multiple: float = DEFAULT_ABLATION_MULTIPLE

    def __post_init__(self) -> None:
        check = object.__setattr__
        if self.architecture is not None:
            if not isinstance(self.architecture, Architecture):
                raise EstimateInputError("architecture: pick a preset or enter a shape")
            counted = self.architecture.params()
            if self.params is not None and abs(float(self.params) / counted - 1) > 0.02:
                raise EstimateInputError(
                    f"params: the shape counts {counted:.4g} parameters, not {float(self.params):.4g}; "
                    "give the shape or the count, not both"
                )
            check(self, "params", float(counted))
            if self.architecture.is_moe:
                check(self, "active_params", float(self.architecture.active_params()))
        elif self.params is None:
            raise EstimateInputError("params: give a parameter count, a preset or a shape")
        check_gpu_and_sizes(self)
        if self.tokens is not None:
            check(self, "tokens", number("tokens", self.tokens))
        if self.gpus is not None:
            check(self, "gpus", number("gpus", self.gpus, integer=True))
        precision = self.precision or self.gpu.half_precision()
        check(self, "precision", str(precision).lower())
        if self.precision not in PRECISIONS:
            raise EstimateInputError(f"precision: one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.precision == "fp32":
            if not self.gpu.fp32_tflops:
                raise EstimateInputError(f"precision: the catalog has no FP32 figure for the {self.gpu.name}")
        elif not self.gpu.supports(self.precision):
            formats = ", ".join(f for f in PRECISIONS if self.gpu.supports(f))
            raise EstimateInputError(
                f"precision: the {self.gpu.name} has no {self.precision.upper()} tensor cores; use one of {formats}"
            )
        if self.mfu is not None:
            check(self, "mfu", number("mfu", self.mfu))
            if self.mfu > 1:
                raise EstimateInputError(f"mfu: a fraction of peak between 0 and 1, got {self.mfu:g}")
        if self.price_per_hour is not None:
            check(self, "price_per_hour", number("price_per_hour", self.price_per_hour, allow_zero=True))
        check(self, "pue", number("pue", self.pue))
        if self.pue < 1:
            raise EstimateInputError(f"pue: power usage effectiveness is at least 1, got {self.pue:g}")
        check(self, "carbon_kg_per_kwh", number("carbon_kg_per_kwh", self.carbon_kg_per_kwh, allow_zero=True))
        if self.context is None:
            check(self, "context", self.architecture.context if self.architecture else DEFAULT_CONTEXT)
        check(self, "context", number("context", self.context, integer=True, maximum=10_000_000))
        for field in ("layers", "hidden"):
            if getattr(self, field) is not None:
                check(self, field, number(field, getattr(self, field), integer=True))
        check(self, "target_days", number("target_days", self.target_days))
        if self.mode not in MODES:
            raise EstimateInputError(f"mode: one of {', '.join(MODES)}, got {self.mode!r}")
        check(self, "lora_rank", number("lora_rank", self.lora_rank, integer=True, maximum=65536))
        if self.zero_stage is not None:
            check(self, "zero_stage", number("zero_stage", self.zero_stage, integer=True, allow_zero=True))
            if self.zero_stage not in parallelism.ZERO_STAGES:
                raise EstimateInputError(f"zero_stage: 0, 1, 2 or 3, got {self.zero_stage}")
        if self.recompute not in RECOMPUTE_CHOICES:
            raise EstimateInputError(f"recompute: one of {', '.join(RECOMPUTE_CHOICES)}, got {self.recompute!r}")
        check(self, "micro_batch", number("micro_batch", self.micro_batch, integer=True, maximum=65536))
        if self.global_batch_tokens is not None:
            check(self, "global_batch_tokens", number("global_batch_tokens", self.global_batch_tokens))
        if self.pricing not in PRICE_TIERS:
            raise EstimateInputError(f"pricing: one of {', '.join(PRICE_TIERS)}, got {self.pricing!r}")
        for field in DEFAULT_OVERHEADS:
            check(self, field, number(field, getattr(self, field), allow_zero=True, maximum=1))
        check(self, "ablation_multiple", number("ablation_multiple", self.ablation_multiple, allow_zero=True,
                                                maximum=100))  # fmt: skip
        for field, degrees in (("tensor_parallel", parallelism.TENSOR_DEGREES), ("pipeline_parallel", None)):
            if getattr(self, field) is not None:
                check(self, field, number(field, getattr(self, field), integer=True))
                if degrees and getattr(self, field) not in degrees:
                    value = getattr(self, field)
                    raise EstimateInputError(f"{field}: a power of two within one 8-GPU server, got {value}")
        if self.gpus is not None:
            self._check_gpu_count()

    # ---- derived ---------------------------------------------------------------------------------------------------

    @property
    def flops_params(self) -> float:
        return self.active_params or self.params

    @property
    def shape(self) -> Architecture:
        if self.architecture is not None:
            return self.architecture
        shape = infer_architecture(self.params, self.active_params)
        if self.layers or self.hidden:
            hidden = self.hidden or shape.hidden
            try:
                shape = replace(
                    shape, layers=self.layers or shape.layers, hidden=hidden, heads=max(1, hidden // 128), ffn=None
                )
            except ArchitectureError as exc:
                raise EstimateInputError(str(exc)) from None
        return shape

    @property
    def total_tokens(self) -> float:
        if self.tokens is not None:
            return self.tokens
        return TOKENS_PER_PARAM_OPTIMAL * self.params if self.mode == "full" else DEFAULT_FINETUNE_TOKENS

    def lora_params(self) -> float:
        """Adapters of rank r on every attention and MLP matrix: r·(inputs + outputs) each (Hu et al. 2021)."""
        arch = self.shape
        query, kv = arch.query_width, arch.kv_heads * arch.head_dim
        attention = (arch.hidden + query) + 2 * (arch.hidden + kv) + (arch.value_width + arch.hidden)
        mlp = (3 if arch.mlp == "swiglu" else 2) * (arch.hidden + arch.ffn)
        return float(self.lora_rank * arch.layers * (attention + mlp))

    def flops_per_token(self) -> float:
        active = self.active_params if self.active_params and self.active_params < self.params else None
        base = training_flops_per_token(self.params, active, self.context, self.shape, self.mode)
        return base + (6 * self.lora_params() if self.mode != "full" else 0.0)

    def peak_tflops(self) -> float:
        return peak_tflops(self.gpu, self.precision)

    def mfu_band(self) -> tuple[float, float, float, str]:
        """(point, low, high, source); a user's MFU keeps the generation's relative band around it."""
        default = default_mfu(self.gpu.name, self.flops_params, self.precision, self.params)
        if self.mfu is not None:
            low_ratio, high_ratio = band_ratios(self.gpu.name, self.precision)
            return self.mfu, self.mfu * low_ratio, min(1.0, self.mfu * high_ratio), "given"
        if self.mode == "qlora":
            scale = QLORA_SPEED
            return (default.mfu * scale, default.low * scale, default.high * scale,
                    default.source + f"; QLoRA at {QLORA_SPEED:.0%} of that (our assumption)")  # fmt: skip
        return default.mfu, default.low, default.high, default.source

    def job(self, mfu: float | None = None, recompute: str | None = None) -> parallelism.Job:
        batch = self.global_batch_tokens
        if batch is None:
            batch = (
                default_global_batch_tokens(self.params)
                if self.mode == "full"
                else FINETUNE_BATCH_SEQUENCES * self.context
            )
        return parallelism.Job(
            params=self.params,
            trainable_params=self.params if self.mode == "full" else self.lora_params(),
            architecture=self.shape,
            context=self.context,
            precision=self.precision,
            mode=self.mode,
            recompute=recompute or self.recompute,
            micro_batch=self.micro_batch,
            global_batch_tokens=max(batch, self.context * self.micro_batch),
            flops_per_token=self.flops_per_token(),
            mfu=mfu if mfu is not None else self.mfu_band()[0],
            gpu=self.gpu,
        )

    def layout_for(self, gpus: int, job: parallelism.Job | None = None) -> parallelism.Layout | None:
        job = job or self.job()
        layouts = parallelism.candidate_layouts(job, gpus, exact=False, zero_stage=self.zero_stage)
        if self.tensor_parallel:
            layouts = [layout for layout in layouts if layout.tensor == self.tensor_parallel]
        if self.pipeline_parallel:
            layouts = [layout for layout in layouts if layout.pipeline == self.pipeline_parallel]
        return min(layouts, key=parallelism._throughput_key) if layouts else None

    def _check_gpu_count(self) -> None:
        if self.layout_for(self.gpus) is not None:
            return
        minimum = parallelism.minimum_layout(self.job(), self.zero_stage)
        with_recompute = ""
        if minimum is None and self.recompute != "full":
            minimum = parallelism.minimum_layout(replace(self.job(), recompute="full"), self.zero_stage)
            with_recompute = " with full activation recomputation"
        need = (
            f"at least {minimum.gpus} (TP {minimum.tensor} × PP {minimum.pipeline} × DP {minimum.data}, "
            f"ZeRO-{minimum.zero_stage}, {minimum.memory['total_gb']:,.0f} GB per GPU)" + with_recompute
            if minimum
            else "more GPUs than the global batch can use"
        )
        fixed = " with the tensor/pipeline degrees given" if self.tensor_parallel or self.pipeline_parallel else ""
        raise EstimateInputError(
            f"gpus: {self.gpus} × {self.gpu.name} cannot hold this {self.params / 1e9:,.3g}B-parameter "
            f"{self.mode} training job{fixed}; it needs {need}"
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gpu"] = self.gpu.name
        data["architecture"] = self.architecture.name if self.architecture else None
        return data


def peak_tflops(gpu: GpuSpec, precision: str) -> float:
    if precision == "fp32":
        return gpu.fp32_tflops
    return gpu.bf16_dense_tflops * (2 if precision == "fp8" else 1)


def mfu_band(inputs: TrainingInputs) -> tuple[float, float, float, str]:
    return inputs.mfu_band()


def training_memory(inputs: TrainingInputs) -> dict:
    """GB to train on one replica without any sharding: weights, gradients, Adam states and one sequence's
    activations; low = full recomputation, high = none."""
    by_recompute = {
        suffix: parallelism.memory_per_gpu(inputs.job(recompute=recompute), 1, 1, 1, 0)
        for suffix, recompute in (("", inputs.recompute), ("_low", "full"), ("_high", "none"))
    }
    base = by_recompute[""]
    shape = inputs.shape
    memory = {
        "weights_gb": base["weights_gb"],
        "gradients_gb": base["gradients_gb"],
        "optimizer_gb": base["optimizer_gb"],
        "activations_gb": base["activations_gb"],
        "activations_gb_low": by_recompute["_low"]["activations_gb"],
        "activations_gb_high": by_recompute["_high"]["activations_gb"],
        "layers": shape.layers,
        "hidden": shape.hidden,
        "architecture_inferred": shape.inferred,
    }
    for suffix, parts in by_recompute.items():
        memory[f"train_memory_gb{suffix}"] = parts["total_gb"]
    return memory


def overhead_factor(inputs: TrainingInputs) -> float:
    given = sum(getattr(inputs, field) for field in DEFAULT_OVERHEADS)
    return (1 + given) / (1 + sum(DEFAULT_OVERHEADS.values()))


def estimate_training(inputs: TrainingInputs, memory_bands: bool = True) -> dict:
    """Every training figure with its low–high band. 'low' is always the smaller number."""
    tokens = inputs.total_tokens
    flops_per_token = inputs.flops_per_token()
    flops = flops_per_token * tokens
    peak = inputs.peak_tflops()
    mfu, mfu_low, mfu_high, mfu_source = inputs.mfu_band()
    if inputs.price_per_hour is not None:
        price, price_source = inputs.price_per_hour, "given"
    else:
        price, price_source = inputs.gpu.price(inputs.pricing)
    overheads = overhead_factor(inputs)
    job = inputs.job(mfu)
    compute_hours = flops / (peak * 1e12 * mfu * 3600) * overheads
    if inputs.gpus:
        layout, gpus, gpus_source = inputs.layout_for(inputs.gpus, job), inputs.gpus, "given"
    else:
        wanted = math.ceil(compute_hours / (24 * inputs.target_days))
        try:
            layout, why = parallelism.suggested_layout(job, wanted, inputs.zero_stage)
        except ValueError:
            hint = (
                "; with full activation recomputation (recompute='full') it would fit"
                if inputs.recompute != "full" and parallelism.minimum_layout(replace(job, recompute="full"))
                else ""
            )
            raise EstimateInputError(
                f"gpus: no count of {inputs.gpu.name} holds this job: each GPU's own activations, or the batch's "
                f"limit on data parallelism, leave no layout that fits{hint}"
            ) from None
        if inputs.tensor_parallel or inputs.pipeline_parallel:
            layout = inputs.layout_for(layout.gpus, job) or layout
        gpus, gpus_source = layout.gpus, f"suggested: {why} (about {inputs.target_days:g} days)"
    minimum = parallelism.minimum_layout(job, inputs.zero_stage)
    shape = inputs.shape
    result = {
        "gpu": inputs.gpu.name,
        "gpu_generation": generation_of(inputs.gpu.name),
        "precision": inputs.precision,
        "mode": inputs.mode,
        "params": inputs.params,
        "active_params": inputs.flops_params,
        "trainable_params": inputs.params if inputs.mode == "full" else inputs.lora_params(),
        "architecture": shape.name,
        "architecture_label": shape.label,
        "architecture_summary": shape.describe(),
        "context": inputs.context,
        "tokens": tokens,
        "tokens_compute_optimal": TOKENS_PER_PARAM_OPTIMAL * inputs.params,
        "tokens_per_param": tokens / inputs.params,
        "flops_per_token": flops_per_token,
        "attention_flops_share": 1 - MATMUL_FLOPS_PER_PARAM[inputs.mode] * inputs.flops_params / flops_per_token,
        "peak_tflops": peak,
        "mfu": mfu,
        "mfu_low": mfu_low,
        "mfu_high": mfu_high,
        "mfu_source": mfu_source,
        "pricing": inputs.pricing,
        "price_per_hour_usd": price,
        "price_source": price_source,
        "gpus": gpus,
        "gpus_source": gpus_source,
        "training_flops": flops,
        "pue": inputs.pue,
        "carbon_kg_per_kwh": inputs.carbon_kg_per_kwh,
        "overhead_factor": overheads,
        "overheads": {field: getattr(inputs, field) for field in DEFAULT_OVERHEADS},
        "ablation_multiple": inputs.ablation_multiple,
        "layout": layout.as_dict(),
        "idle_gpus": gpus - layout.gpus,
        "global_batch_tokens": job.global_batch_tokens,
        "max_useful_gpus": job.max_data_parallel
        * max(parallelism._tensor_degrees(shape, parallelism.GPUS_PER_NODE))
        * shape.layers,
        "min_gpus": minimum.gpus if minimum else None,
        "min_layout": minimum.as_dict() if minimum else None,
    }
    # the low GPU-hours come from the high MFU
    for suffix, value in (("", mfu), ("_low", mfu_high), ("_high", mfu_low)):
        useful_hours = flops / (peak * 1e12 * value * 3600) * overheads
        wall_hours = useful_hours * layout.slowdown / layout.gpus
        hours = wall_hours * gpus
        result[f"gpu_hours{suffix}"] = hours
        result[f"wall_hours{suffix}"] = wall_hours
        result[f"wall_days{suffix}"] = wall_hours / 24
        result[f"cost_usd{suffix}"] = hours * price if price is not None else None
        result[f"project_gpu_hours{suffix}"] = hours * (1 + inputs.ablation_multiple)
        result[f"project_cost_usd{suffix}"] = (
            hours * (1 + inputs.ablation_multiple) * price if price is not None else None
        )
        energy = hours * inputs.gpu.tdp_w / 1000 * inputs.pue if inputs.gpu.tdp_w else None
        result[f"energy_kwh{suffix}"] = energy
        result[f"co2_kg{suffix}"] = energy * inputs.carbon_kg_per_kwh if energy is not None else None
    memory = training_memory(inputs) if memory_bands else None
    if memory is not None:
        for suffix in ("", "_low", "_high"):
            result[f"train_memory_gb{suffix}"] = memory[f"train_memory_gb{suffix}"]
        result["min_gpus_low"] = _minimum_gpus(inputs, job, "full")
        result["min_gpus_high"] = _minimum_gpus(inputs, job, "none")
        result["memory"] = {key: value for key, value in memory.items() if not key.startswith("train_memory")}
    return result


def _minimum_gpus(inputs: TrainingInputs, job: parallelism.Job, recompute: str) -> int | None:
    if recompute == inputs.recompute:
        found = parallelism.minimum_layout(job, inputs.zero_stage)
    else:
        found = parallelism.minimum_layout(replace(job, recompute=recompute), inputs.zero_stage)
    return found.gpus if found else None


def cost_by_gpu(inputs: TrainingInputs, catalog: list[GpuSpec]) -> list[dict]:
    """The same job on every priced catalog GPU, each at its own default MFU, in a format it has."""
    rows = []
    for spec in catalog:
        if spec.price(inputs.pricing)[0] is None:
            continue
        precision = inputs.precision
        if precision == "fp32" and not spec.fp32_tflops or precision != "fp32" and not spec.supports(precision):
            precision = spec.half_precision()
        try:
            job = replace(inputs, gpu=spec, gpus=None, mfu=None, price_per_hour=None, precision=precision)
            result = estimate_training(job, memory_bands=False)
        except EstimateInputError:
            continue
        rows.append(
            {key: result[key] for key in ("gpu", "precision", "mfu", "gpu_hours", "cost_usd", "cost_usd_low",
                                          "cost_usd_high", "wall_days", "gpus", "price_per_hour_usd")}
        )  # fmt: skip
    return sorted(rows, key=lambda row: row["cost_usd"])


def mfu_sweep(inputs: TrainingInputs, points: int = 40) -> list[dict]:
    """Cost and wall-clock days for MFU from 5% to 70% on the chosen GPU and count."""
    base = estimate_training(inputs, memory_bands=False)
    rows = []
    for step in range(points):
        mfu = 0.05 + step * (0.65 / (points - 1))
        scale = base["mfu"] / mfu
        cost = base["cost_usd"] * scale if base["cost_usd"] is not None else None
        rows.append({"mfu": mfu, "cost_usd": cost, "wall_days": base["wall_days"] * scale})
    return rows


def gpus_vs_days(inputs: TrainingInputs, max_gpus: int = 32768) -> list[dict]:
    """Wall-clock days (with band) from the fewest GPUs that hold the model, doubling each step; past what the
    global batch can use, days stop falling."""
    base = estimate_training(inputs, memory_bands=False)
    job = inputs.job(base["mfu"])
    rows, count = [], base["min_gpus"] or 1
    while count <= max_gpus:
        layout = parallelism.best_layout(job, count, inputs.zero_stage)
        if layout is not None:
            factor = layout.slowdown / layout.gpus / 24
            rows.append(
                {
                    "gpus": count,
                    "gpus_used": layout.gpus,
                    "wall_days": base["gpu_hours"] / base["gpus"] * base["layout"]["gpus_used"]
                    / base["layout"]["slowdown"] * factor,
                    "wall_days_low": base["gpu_hours_low"] / base["gpus"] * base["layout"]["gpus_used"]
                    / base["layout"]["slowdown"] * factor,
                    "wall_days_high": base["gpu_hours_high"] / base["gpus"] * base["layout"]["gpus_used"]
                    / base["layout"]["slowdown"] * factor,
                }
            )  # fmt: skip
        count *= 2
    return rows
