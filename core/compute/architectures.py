"""Decoder-only transformer shapes: parameter counts, KV-cache bytes and attention FLOPs from the real shape.

Parameter count per layer: attention projections (grouped-query attention has fewer K and V heads; DeepSeek's
multi-head latent attention compresses them through low-rank projections), the MLP (SwiGLU has three matrices,
a GELU MLP two), mixture-of-experts layers (every expert counts toward the total, the routed experts a token uses
plus the shared ones toward the active count) and RMSNorm weights; then the input embedding and, when untied, the
output projection. Presets come from each model's config.json (db/seed_data/model_presets.json, with sources).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from functools import cache

from core.config import PROJECT_ROOT

PRESETS_FILE = PROJECT_ROOT / "db" / "seed_data" / "model_presets.json"
ATTENTION_KINDS = ("gqa", "mla")
MLP_KINDS = ("swiglu", "gelu")


class ArchitectureError(ValueError):
    """Bad shape input; the message starts with the field's name."""


def _whole(field: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool):
        raise ArchitectureError(f"{field}: must be a whole number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ArchitectureError(f"{field}: must be a whole number, got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise ArchitectureError(f"{field}: must be a whole number, got {value!r}")
    if number < minimum:
        raise ArchitectureError(f"{field}: must be at least {minimum}, got {int(number)}")
    if number > 10_000_000:
        raise ArchitectureError(f"{field}: at most 10,000,000, got {int(number)}")
    return int(number)


@dataclass(frozen=True)
class Architecture:
    """One model's shape. `experts` = 0 means a dense model; `dense_layers` are leading layers without experts."""

    layers: int
    hidden: int
    heads: int
    vocab: int
    kv_heads: int | None = None  # None: as many as query heads (multi-head attention)
    head_dim: int | None = None  # None: hidden ÷ heads
    ffn: int | None = None  # None: 8/3 × hidden for SwiGLU, 4 × hidden for GELU
    mlp: str = "swiglu"
    tied_embeddings: bool = False
    qkv_bias: bool = False
    experts: int = 0
    active_experts: int = 0
    shared_experts: int = 0
    moe_ffn: int | None = None
    dense_layers: int = 0
    attention: str = "gqa"
    q_lora_rank: int = 0
    kv_lora_rank: int = 0
    qk_nope_dim: int = 0
    qk_rope_dim: int = 0
    v_head_dim: int = 0
    context: int = 4096  # the context the model was pre-trained at (presets) or the default
    name: str = "custom"
    label: str = "Custom"
    source: str = "entered shape"
    published_params: float | None = None
    published_active_params: float | None = None
    inferred: bool = False

    def __post_init__(self) -> None:
        check = object.__setattr__
        for field in ("layers", "hidden", "heads", "vocab", "context"):
            check(self, field, _whole(field, getattr(self, field)))
        if self.kv_heads is None:
            check(self, "kv_heads", self.heads)
        check(self, "kv_heads", _whole("kv_heads", self.kv_heads))
        if self.kv_heads > self.heads or self.heads % self.kv_heads:
            raise ArchitectureError(
                f"kv_heads: {self.kv_heads} must divide the {self.heads} query heads (grouped-query attention)"
            )
        if self.mlp not in MLP_KINDS:
            raise ArchitectureError(f"mlp: one of {', '.join(MLP_KINDS)}, got {self.mlp!r}")
        if self.attention not in ATTENTION_KINDS:
            raise ArchitectureError(f"attention: one of {', '.join(ATTENTION_KINDS)}, got {self.attention!r}")
        if self.head_dim is None:
            if self.hidden % self.heads:
                raise ArchitectureError(f"heads: {self.heads} does not divide hidden {self.hidden}; give head_dim")
            check(self, "head_dim", self.hidden // self.heads)
        check(self, "head_dim", _whole("head_dim", self.head_dim))
        if self.ffn is None:
            default = 8 * self.hidden // 3 if self.mlp == "swiglu" else 4 * self.hidden
            check(self, "ffn", default)
        check(self, "ffn", _whole("ffn", self.ffn))
        for field in ("experts", "active_experts", "shared_experts", "dense_layers", "q_lora_rank", "kv_lora_rank",
                      "qk_nope_dim", "qk_rope_dim", "v_head_dim"):  # fmt: skip
            check(self, field, _whole(field, getattr(self, field), minimum=0))
        if self.experts:
            if not 1 <= self.active_experts <= self.experts:
                raise ArchitectureError(
                    f"active_experts: between 1 and the {self.experts} experts, got {self.active_experts}"
                )
            check(self, "moe_ffn", _whole("moe_ffn", self.moe_ffn if self.moe_ffn is not None else self.ffn))
            if self.dense_layers >= self.layers:
                raise ArchitectureError(f"dense_layers: fewer than the {self.layers} layers, got {self.dense_layers}")
        elif self.active_experts or self.shared_experts:
            raise ArchitectureError("experts: give the number of experts for a mixture-of-experts model")
        if self.attention == "mla" and not (self.kv_lora_rank and self.qk_nope_dim and self.v_head_dim):
            raise ArchitectureError("kv_lora_rank: latent attention needs kv_lora_rank, qk_nope_dim and v_head_dim")

    # ---- sizes ---------------------------------------------------------------------------------------------------

    @property
    def is_moe(self) -> bool:
        return self.experts > 0

    @property
    def query_width(self) -> int:
        """Width of the query·key product summed over heads (what the score matmul multiplies over)."""
        per_head = self.qk_nope_dim + self.qk_rope_dim if self.attention == "mla" else self.head_dim
        return self.heads * per_head

    @property
    def value_width(self) -> int:
        return self.heads * (self.v_head_dim if self.attention == "mla" else self.head_dim)

    def attention_params(self) -> int:
        d, heads = self.hidden, self.heads
        if self.attention == "mla":
            qk_head = self.qk_nope_dim + self.qk_rope_dim
            if self.q_lora_rank:
                query = d * self.q_lora_rank + self.q_lora_rank + self.q_lora_rank * heads * qk_head
            else:
                query = d * heads * qk_head
            key_value = (
                d * (self.kv_lora_rank + self.qk_rope_dim)
                + self.kv_lora_rank
                + self.kv_lora_rank * heads * (self.qk_nope_dim + self.v_head_dim)
            )
            return query + key_value + heads * self.v_head_dim * d
        query, kv = heads * self.head_dim, self.kv_heads * self.head_dim
        bias = query + 2 * kv if self.qkv_bias else 0
        return d * query + 2 * d * kv + query * d + bias

    def _mlp_params(self, width: int) -> int:
        return (3 if self.mlp == "swiglu" else 2) * self.hidden * width

    def layer_params(self) -> tuple[int, int, int, int]:
        """(dense layer, MoE layer total, MoE layer active, norms per layer)."""
        norms = 2 * self.hidden
        attention = self.attention_params()
        dense = attention + self._mlp_params(self.ffn) + norms
        if not self.is_moe:
            return dense, dense, dense, norms
        expert = self._mlp_params(self.moe_ffn)
        router = self.hidden * self.experts
        moe_total = attention + norms + router + (self.experts + self.shared_experts) * expert
        moe_active = attention + norms + router + (self.active_experts + self.shared_experts) * expert
        return dense, moe_total, moe_active, norms

    def embedding_params(self) -> int:
        return self.vocab * self.hidden * (1 if self.tied_embeddings else 2)

    def params(self) -> int:
        dense, moe_total, _, _ = self.layer_params()
        moe_layers = self.layers - self.dense_layers if self.is_moe else 0
        return (self.layers - moe_layers) * dense + moe_layers * moe_total + self.hidden + self.embedding_params()

    def active_params(self) -> int:
        dense, _, moe_active, _ = self.layer_params()
        moe_layers = self.layers - self.dense_layers if self.is_moe else 0
        return (self.layers - moe_layers) * dense + moe_layers * moe_active + self.hidden + self.embedding_params()

    def expert_params(self) -> int:
        """Parameters of the routed experts, all of them (what a batch may touch beyond the active set)."""
        if not self.is_moe:
            return 0
        return (self.layers - self.dense_layers) * self.experts * self._mlp_params(self.moe_ffn)

    # ---- inference and attention ---------------------------------------------------------------------------------

    def kv_bytes_per_token(self, bytes_per_value: float) -> float:
        """K and V for every layer (latent attention caches one compressed vector plus the rotary key instead)."""
        if self.attention == "mla":
            return self.layers * (self.kv_lora_rank + self.qk_rope_dim) * bytes_per_value
        return 2 * self.layers * self.kv_heads * self.head_dim * bytes_per_value

    def attention_flops_per_token(self, context: float) -> float:
        """Forward FLOPs of the score and value matmuls per token, averaged over a causal sequence of `context`."""
        return 2 * self.layers * (context / 2) * (self.query_width + self.value_width)

    def describe(self) -> str:
        attention = (
            "latent attention"
            if self.attention == "mla"
            else ("multi-head" if self.kv_heads == self.heads else f"{self.kv_heads} KV heads")
        )
        experts = f", {self.experts} experts ({self.active_experts} active)" if self.is_moe else ""
        return f"{self.layers} layers × {self.hidden} wide, {self.heads} heads, {attention}{experts}"

    def as_dict(self) -> dict:
        return asdict(self)


SHAPE_FIELDS = tuple(
    f.name
    for f in fields(Architecture)
    if f.name not in ("name", "label", "source", "published_params", "published_active_params", "inferred")
)


def architecture_from_mapping(values: dict) -> Architecture:
    known = {f.name for f in fields(Architecture)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ArchitectureError(f"{unknown[0]}: not a shape field")
    for required in ("layers", "hidden", "heads", "vocab"):
        if values.get(required) is None:
            raise ArchitectureError(f"{required}: required")
    return Architecture(**values)


@cache
def presets() -> dict[str, Architecture]:
    """Every shipped preset by name (db/seed_data/model_presets.json)."""
    rows = json.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    return {row["name"]: architecture_from_mapping(row) for row in rows}


def preset(name: str) -> Architecture:
    wanted = (name or "").strip().lower()
    found = presets().get(wanted)
    if found is None:
        raise ArchitectureError(f"model: no preset called {name!r}; presets: {', '.join(presets())}")
    return found


def infer_architecture(params: float, active_params: float | None = None, vocab: int = 32000) -> Architecture:
    """A plausible dense shape for N parameters, width about 128 × depth (Llama 7B: 32 × 4096; 70B: 80 × 8192),
    128-wide heads and multi-head attention (the conservative KV-cache guess). For a mixture of experts the shape
    is the active model's: that is what a token's attention and matmuls see."""
    size = active_params or params
    width = (size * 128 / 12) ** (1 / 3)
    # Above 2k wide, a multiple of 1,024 (8 heads of 128) so that tensor parallelism up to 8 splits the heads.
    step = 1024 if width > 2048 else 128
    hidden = max(128, round(width / step) * step)
    layers = max(1, round(size / (12 * hidden**2)))
    return Architecture(
        layers=layers,
        hidden=hidden,
        heads=max(1, hidden // 128),
        vocab=vocab,
        head_dim=128,
        ffn=4 * hidden,
        mlp="gelu",
        name="inferred",
        label="Inferred from the parameter count",
        source="inferred: width ≈ 128 × depth, 12·L·h² parameters per layer",
        published_params=params,
        published_active_params=active_params,
        inferred=True,
    )


def with_changes(arch: Architecture, **changes) -> Architecture:
    return replace(arch, **changes)
