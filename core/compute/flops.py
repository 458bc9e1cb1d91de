"""Training FLOPs: 6·N·D for the weight matmuls (Kaplan et al. 2020; N the active parameters of a mixture of
experts) plus the attention-score term, which grows with context: forward 2·L·(s/2)·(d_qk + d_v) per token under a
causal mask, three times that with the backward pass. LoRA and QLoRA skip the frozen weights' gradients, so their
matmuls cost 4·N per token instead of 6·N (the attention term has no weights and is unchanged)."""

from __future__ import annotations

from core.compute.architectures import Architecture, infer_architecture

MATMUL_FLOPS_PER_PARAM = {"full": 6, "lora": 4, "qlora": 4}


def shape_for(params: float, active_params: float | None, architecture: Architecture | None) -> Architecture:
    return architecture or infer_architecture(params, active_params)


def training_flops_per_token(
    params: float,
    active_params: float | None,
    context: float,
    architecture: Architecture | None = None,
    mode: str = "full",
) -> float:
    shape = shape_for(params, active_params, architecture)
    active = active_params or params
    return MATMUL_FLOPS_PER_PARAM[mode] * active + 3 * shape.attention_flops_per_token(context)


def attention_share(params: float, active_params: float | None, context: float, architecture=None) -> float:
    """The attention term's share of training FLOPs at this context."""
    total = training_flops_per_token(params, active_params, context, architecture)
    return 1 - 6 * (active_params or params) / total
