"""Parameter counts from real shapes: GQA, SwiGLU, untied embeddings, mixtures of experts, latent attention."""

from __future__ import annotations

import pytest

from core.compute.architectures import Architecture, ArchitectureError, infer_architecture, preset, presets

NAMED = ("llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b",
         "mixtral-8x7b", "qwen2.5-7b", "qwen2.5-72b", "deepseek-v3")  # fmt: skip


def test_every_named_preset_ships_with_a_source():
    assert set(NAMED) <= set(presets())
    for name in NAMED:
        assert "config.json" in preset(name).source, name


def test_llama_2_70b_counts_69b_by_hand():
    # per layer: q and o 8192², k and v 8192 × (8 KV heads × 128), SwiGLU 3 × 8192 × 28672, two RMSNorms
    attention = 2 * 8192 * 8192 + 2 * 8192 * 1024
    layer = attention + 3 * 8192 * 28672 + 2 * 8192
    total = 80 * layer + 8192 + 2 * 32000 * 8192  # final norm, untied input and output embeddings
    assert preset("llama-2-70b").params() == total == 68_976_648_192


@pytest.mark.parametrize("name", NAMED)
def test_preset_counts_match_the_published_size(name):
    arch = preset(name)
    assert arch.params() == pytest.approx(arch.published_params, rel=0.01)
    if arch.published_active_params:
        assert arch.active_params() == pytest.approx(arch.published_active_params, rel=0.02)
    else:
        assert arch.active_params() == arch.params()


def test_gqa_swiglu_and_untied_embeddings_each_change_the_count():
    base = dict(layers=2, hidden=64, heads=8, vocab=100, ffn=96)
    mha = Architecture(**base).params()
    gqa = Architecture(**base, kv_heads=2).params()
    # k and v shrink from 64 × 64 to 64 × (2 heads × 8) per layer
    assert mha - gqa == 2 * 2 * (64 * 64 - 64 * 16)
    gelu = Architecture(**base, mlp="gelu").params()
    assert mha - gelu == 2 * 64 * 96  # one fewer 64 × 96 matrix per layer
    tied = Architecture(**base, tied_embeddings=True).params()
    assert mha - tied == 100 * 64


def test_mixture_of_experts_counts_every_expert_in_total_and_the_routed_ones_in_active():
    mixtral = preset("mixtral-8x7b")
    expert = 3 * 4096 * 14336
    assert mixtral.params() - mixtral.active_params() == 32 * (8 - 2) * expert
    deepseek = preset("deepseek-v3")
    assert deepseek.params() == pytest.approx(671e9, rel=0.005)
    assert deepseek.active_params() == pytest.approx(37e9, rel=0.02)


def test_kv_cache_per_token_follows_the_kv_heads_and_latent_attention():
    assert preset("llama-2-7b").kv_bytes_per_token(2) == 2 * 32 * 32 * 128 * 2
    assert preset("llama-2-70b").kv_bytes_per_token(2) == 2 * 80 * 8 * 128 * 2
    assert preset("deepseek-v3").kv_bytes_per_token(2) == 61 * (512 + 64) * 2


def test_inferred_shapes_are_multi_head_and_splittable_by_eight():
    shape = infer_architecture(70e9)
    assert shape.inferred and shape.kv_heads == shape.heads and shape.heads % 8 == 0
    assert 60 <= shape.layers <= 90 and 8000 <= shape.hidden <= 9500


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"kv_heads": 3}, "kv_heads"), ({"layers": 0}, "layers"), ({"mlp": "relu"}, "mlp"),
     ({"experts": 4, "active_experts": 5}, "active_experts"), ({"heads": 7}, "heads"), ({"hidden": 2.5}, "hidden")],
)  # fmt: skip
def test_bad_shapes_name_the_field(changes, field):
    with pytest.raises(ArchitectureError, match=rf"^{field}:"):
        Architecture(**{"layers": 2, "hidden": 64, "heads": 8, "vocab": 100, **changes})
