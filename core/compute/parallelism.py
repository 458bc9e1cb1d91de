"""Parallel layout for a training job: tensor × pipeline × data degrees, memory per GPU, communication, bubble.

- Tensor parallelism (TP) is a power of two within one 8-GPU server and splits every layer's matmuls; its
  all-reduces (four per layer per micro-batch, Megatron-LM) run over NVLink, or PCIe where the catalog gives none.
- Pipeline parallelism (PP) splits the layers into equal stages; with the interleaved 1F1B schedule the bubble
  is (PP − 1) / (micro-batches × chunks per stage) (Narayanan et al. 2021).
- Data parallelism (DP) replicates the rest; ZeRO stage 1/2/3 shards optimizer states, then gradients, then weights
  across it (Rajbhandari et al. 2020). Its gradient all-reduce (1.5× that volume at stage 3, for the weight
  all-gathers) crosses servers at the catalog's InfiniBand bandwidth per GPU and overlaps the backward pass.
  DP can be no larger than the global batch in sequences, which puts a floor under wall-clock time.
- Memory per GPU: its share of weights, gradients and Adam states, plus its own activations: 34 bytes per token per
  hidden unit per layer with selective recomputation and sequence parallelism, divided by TP (Korthikanti et al.
  2022); the first pipeline stage holds PP micro-batches of L/PP layers, the same L layers' worth as no pipeline.

The default MFU is fitted to published runs, which already lose some time to communication and bubbles; we take
that share as ABSORBED_OVERHEAD (our assumption) and slow a layout down only by what it loses beyond it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.compute.architectures import Architecture
from core.compute.gpus import GpuSpec

GPUS_PER_NODE = 8
TENSOR_DEGREES = (1, 2, 4, 8)
USABLE_MEMORY_FRACTION = 0.9  # CUDA context, allocator fragmentation and communication buffers take the rest
ABSORBED_OVERHEAD = 0.15
ZERO_STAGES = (0, 1, 2, 3)
RECOMPUTE = {"selective": 34, "full": 2}  # activation bytes per token per hidden unit per layer (before ÷ TP)
ATTENTION_SCORE_BYTES = 5  # without any recomputation the a·s² softmax inputs stay: 5·heads·seq/hidden more
BACKWARD_SHARE = 2 / 3  # the backward pass is two thirds of the compute; gradient all-reduce overlaps it
MAX_INTERLEAVE = 4
QLORA_BYTES_PER_PARAM = 0.516  # NF4 weights with double-quantised constants: 4.127 bits (Dettmers et al. 2023)


@dataclass(frozen=True)
class Job:
    """What the planner needs to know about one training run."""

    params: float
    trainable_params: float  # all parameters, or the LoRA adapters
    architecture: Architecture
    context: int
    precision: str
    mode: str  # full | lora | qlora
    recompute: str  # selective | full | none
    micro_batch: int
    global_batch_tokens: float
    flops_per_token: float
    mfu: float
    gpu: GpuSpec

    @property
    def sequences_per_step(self) -> int:
        return max(1, int(self.global_batch_tokens // self.context))

    @property
    def max_data_parallel(self) -> int:
        return max(1, self.sequences_per_step // self.micro_batch)


@dataclass(frozen=True)
class Layout:
    tensor: int
    pipeline: int
    data: int
    zero_stage: int
    memory: dict
    timing: dict

    @property
    def gpus(self) -> int:
        return self.tensor * self.pipeline * self.data

    @property
    def slowdown(self) -> float:
        return self.timing["slowdown"]

    def as_dict(self) -> dict:
        return {
            "tensor_parallel": self.tensor,
            "pipeline_parallel": self.pipeline,
            "data_parallel": self.data,
            "zero_stage": self.zero_stage,
            "gpus_used": self.gpus,
            "memory_per_gpu_gb": self.memory["total_gb"],
            "memory": dict(self.memory),
            **self.timing,
        }


def usable_gb(gpu: GpuSpec) -> float:
    return gpu.memory_gb * USABLE_MEMORY_FRACTION


def memory_per_gpu(job: Job, tensor: int, pipeline: int, data: int, zero_stage: int) -> dict:
    """GB on the busiest GPU (the first pipeline stage) for this layout."""
    shard = job.params / (tensor * pipeline)
    trainable = job.trainable_params / (tensor * pipeline)
    fp32 = job.precision == "fp32"
    weight_bytes = 4 if fp32 else 2
    if job.mode == "qlora":
        weight_bytes = QLORA_BYTES_PER_PARAM
    if job.mode == "full":
        grad_bytes, optimizer_bytes = (4, 8) if fp32 else (2, 12)
        weights = shard * weight_bytes
    else:  # frozen base weights plus the adapters' own 16-bit weights
        grad_bytes, optimizer_bytes = 2, 12
        weights = shard * weight_bytes + trainable * 2
    weights /= data if zero_stage >= 3 else 1
    gradients = trainable * grad_bytes / (data if zero_stage >= 2 else 1)
    optimizer = trainable * optimizer_bytes / (data if zero_stage >= 1 else 1)
    arch = job.architecture
    per_token_layer = RECOMPUTE.get(job.recompute, RECOMPUTE["selective"]) * arch.hidden
    if job.recompute == "none":
        per_token_layer = (RECOMPUTE["selective"] + ATTENTION_SCORE_BYTES * arch.heads * job.context / arch.hidden) * (
            arch.hidden
        )
    tokens = job.context * job.micro_batch
    activations = per_token_layer * tokens * arch.layers / tensor * (2 if fp32 else 1)
    logits = tokens * arch.vocab * 4 / tensor  # FP32 logits for the loss, on the last stage
    parts = {
        "weights_gb": weights / 1e9,
        "gradients_gb": gradients / 1e9,
        "optimizer_gb": optimizer / 1e9,
        "activations_gb": (activations + logits) / 1e9,
    }
    parts["total_gb"] = sum(parts.values())
    return parts


def timing(job: Job, tensor: int, pipeline: int, data: int, zero_stage: int) -> dict:
    """Seconds per optimizer step on one GPU: compute at the fitted MFU, exposed communication, pipeline bubble."""
    gpu, arch = job.gpu, job.architecture
    used = tensor * pipeline * data
    compute = job.global_batch_tokens * job.flops_per_token / (used * gpu.bf16_dense_tflops * 1e12 * job.mfu)
    micro_batches = max(1, math.ceil(job.sequences_per_step / (data * job.micro_batch)))
    activation_bytes = job.micro_batch * job.context * arch.hidden * 2
    layers_per_stage = arch.layers / pipeline
    tensor_seconds = 0.0
    if tensor > 1:
        ring = 2 * (tensor - 1) / tensor * activation_bytes / (gpu.scale_up_gbs * 1e9)
        tensor_seconds = micro_batches * layers_per_stage * 4 * ring
    pipeline_seconds, bubble = 0.0, 0.0
    if pipeline > 1:
        crosses_servers = tensor * pipeline > GPUS_PER_NODE
        link = gpu.network_gbs if crosses_servers else gpu.scale_up_gbs
        pipeline_seconds = 2 * micro_batches * activation_bytes / tensor / (link * 1e9)
        chunks = max(1, min(MAX_INTERLEAVE, int(layers_per_stage)))
        bubble = (pipeline - 1) / (micro_batches * chunks)
    data_seconds, exposed_data = 0.0, 0.0
    if data > 1:
        gradient_bytes = job.trainable_params * 2 / (tensor * pipeline)
        volume = (3 if zero_stage >= 3 else 2) * (data - 1) / data * gradient_bytes
        link = gpu.network_gbs if used > GPUS_PER_NODE else gpu.scale_up_gbs
        data_seconds = volume / (link * 1e9)
        exposed_data = max(0.0, data_seconds - BACKWARD_SHARE * compute)
    overhead = bubble + (tensor_seconds + pipeline_seconds + exposed_data) / compute
    slowdown = 1 + max(0.0, overhead - ABSORBED_OVERHEAD)
    return {
        "step_compute_s": compute,
        "micro_batches": micro_batches,
        "tensor_comm_s": tensor_seconds,
        "pipeline_comm_s": pipeline_seconds,
        "data_comm_s": data_seconds,
        "data_comm_exposed_s": exposed_data,
        "bubble_fraction": bubble,
        "overhead_fraction": overhead,
        "slowdown": slowdown,
        "step_s": compute * slowdown,
    }


def _pipeline_degrees(arch: Architecture) -> list[int]:
    return [degree for degree in range(1, arch.layers + 1) if arch.layers % degree == 0]


def _tensor_degrees(arch: Architecture, limit: int) -> list[int]:
    return [degree for degree in TENSOR_DEGREES if degree <= limit and arch.heads % degree == 0]


def candidate_layouts(job: Job, gpus: int, exact: bool, zero_stage: int | None) -> list[Layout]:
    """Layouts that fit in memory on at most `gpus` GPUs (exactly `gpus` when exact), DP within the global batch."""
    capacity = usable_gb(job.gpu)
    stages = (zero_stage,) if zero_stage is not None else (1, 2, 3)
    found = []
    for tensor in _tensor_degrees(job.architecture, min(gpus, GPUS_PER_NODE)):
        for pipeline in _pipeline_degrees(job.architecture):
            model_parallel = tensor * pipeline
            if model_parallel > gpus:
                break
            if exact and gpus % model_parallel:
                continue
            data = gpus // model_parallel
            if data > job.max_data_parallel:
                if exact:
                    continue
                data = job.max_data_parallel
            for stage in stages:
                memory = memory_per_gpu(job, tensor, pipeline, data, stage)
                if memory["total_gb"] <= capacity:
                    steps = timing(job, tensor, pipeline, data, stage)
                    found.append(Layout(tensor, pipeline, data, stage, memory, steps))
                    break
    return found


def _throughput_key(layout: Layout):
    return (-layout.gpus / layout.slowdown, layout.tensor * layout.pipeline, layout.zero_stage)


def best_layout(job: Job, gpus: int, zero_stage: int | None = None) -> Layout | None:
    """The fastest layout on `gpus` GPUs; GPUs beyond what the global batch can use stay idle."""
    layouts = candidate_layouts(job, gpus, exact=False, zero_stage=zero_stage)
    return min(layouts, key=_throughput_key) if layouts else None


def minimum_layout(job: Job, zero_stage: int | None = None) -> Layout | None:
    """The fewest GPUs that hold the job in a valid layout (ZeRO-3 unless a stage is given). Memory per GPU is
    a + b / DP for each tensor and pipeline degree, so the smallest DP that fits is solved, not searched."""
    stage = 3 if zero_stage is None else zero_stage
    capacity = usable_gb(job.gpu)
    best = None
    for tensor in _tensor_degrees(job.architecture, GPUS_PER_NODE):
        for pipeline in _pipeline_degrees(job.architecture):
            one = memory_per_gpu(job, tensor, pipeline, 1, stage)["total_gb"]
            two = memory_per_gpu(job, tensor, pipeline, 2, stage)["total_gb"]
            sharded = 2 * (one - two)
            fixed = one - sharded
            if one <= capacity:
                data = 1
            elif fixed >= capacity or sharded <= 0:
                continue
            else:
                data = max(1, math.ceil(sharded / (capacity - fixed) - 1e-9))
            while memory_per_gpu(job, tensor, pipeline, data, stage)["total_gb"] > capacity:
                data += 1
            if data > job.max_data_parallel:
                continue
            gpus = tensor * pipeline * data
            if best is None or gpus < best[0] or (gpus == best[0] and tensor * pipeline < best[1]):
                best = (gpus, tensor * pipeline, tensor, pipeline, data)
    if best is None:
        return None
    _, _, tensor, pipeline, data = best
    memory = memory_per_gpu(job, tensor, pipeline, data, stage)
    return Layout(tensor, pipeline, data, stage, memory, timing(job, tensor, pipeline, data, stage))


def _round_to_nodes(gpus: int) -> int:
    return gpus if gpus <= GPUS_PER_NODE else math.ceil(gpus / GPUS_PER_NODE) * GPUS_PER_NODE


def suggested_layout(job: Job, wanted_gpus: int, zero_stage: int | None = None) -> tuple[Layout, str]:
    """Enough GPUs to finish in time, in whole servers above one, but no more than run without extra slowdown:
    past that point a larger count only adds communication or idles for want of sequences in the batch."""
    minimum = minimum_layout(job, zero_stage)
    if minimum is None:
        raise ValueError("gpus: no layout holds this job")
    wanted = _round_to_nodes(max(wanted_gpus, minimum.gpus))
    layout = best_layout(job, wanted, zero_stage)
    if layout is not None and layout.gpus == wanted and layout.slowdown <= 1.0 + 1e-9:
        return layout, "finishes in the target time"
    low, high, best = minimum.gpus, wanted, minimum
    while low <= high:
        middle = _round_to_nodes((low + high) // 2) if (low + high) // 2 > GPUS_PER_NODE else (low + high) // 2
        middle = min(max(middle, low), high)
        candidate = best_layout(job, middle, zero_stage)
        if candidate is not None and candidate.gpus == middle and candidate.slowdown <= 1.0 + 1e-9:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best, "capped: more GPUs would idle or wait on communication, so wall-clock time has a floor"
