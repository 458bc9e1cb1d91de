"""The hardware catalog: seeded rows with sources, validation naming the field, edit/delete/restore, fuzzy lookup."""

from __future__ import annotations

import csv

import pytest

from core.compute.gpus import (
    CatalogError,
    GpuLookupError,
    GpuSpec,
    add_hardware,
    delete_hardware,
    find_gpu,
    get_hardware,
    list_hardware,
    restore_seeded,
    seeded_specs,
    update_hardware,
)
from db.seed import GPU_SEED_FILE

pytestmark = pytest.mark.usefixtures("database_url")  # each test runs on SQLite and on PostgreSQL

NEW_GPU = {"name": "Gaudi 3", "vendor": "Intel", "bf16_dense_tflops": 1835, "memory_gb": 128, "bandwidth_tbs": 3.7,
           "tdp_w": 900, "price_per_hour_usd": 3.5, "spec_source": "Intel Gaudi 3 white paper"}  # fmt: skip


def test_catalog_holds_every_shipped_gpu_with_its_sources():
    with GPU_SEED_FILE.open(newline="") as handle:
        shipped = {row["name"]: row for row in csv.DictReader(handle)}
    rows = {row["name"]: row for row in list_hardware()}
    assert set(shipped) <= set(rows)
    assert rows["H100 SXM"]["bf16_dense_tflops"] == 989  # the dense figure, not the 1,979 sparse one
    assert rows["A100 80GB SXM"]["memory_gb"] == 80
    assert all(rows[name]["spec_source"] and rows[name]["is_seed"] for name in shipped)


def test_add_update_delete_round_trip():
    add_hardware(NEW_GPU)
    assert get_hardware("Gaudi 3").bf16_dense_tflops == 1835
    update_hardware("Gaudi 3", price_per_hour_usd=2.9, name="Gaudi 3 OAM")
    assert get_hardware("Gaudi 3") is None
    assert get_hardware("Gaudi 3 OAM").price_per_hour_usd == 2.9
    delete_hardware("Gaudi 3 OAM")
    assert get_hardware("Gaudi 3 OAM") is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bf16_dense_tflops": 0}, "bf16_dense_tflops"),
        ({"bf16_dense_tflops": -5}, "bf16_dense_tflops"),
        ({"memory_gb": 0}, "memory_gb"),
        ({"price_per_hour_usd": -0.5}, "price_per_hour_usd"),
        ({"fp32_tflops": -1}, "fp32_tflops"),
        ({"bandwidth_tbs": "fast"}, "bandwidth_tbs"),
        ({"name": "  "}, "name"),
        ({"name": "H100 SXM"}, "name"),  # already in the catalog
    ],
)
def test_impossible_values_are_refused_naming_the_field_and_nothing_is_written(changes, field):
    before = list_hardware()
    with pytest.raises(CatalogError, match=rf"^{field}:"):
        add_hardware({**NEW_GPU, **changes})
    assert list_hardware() == before


def test_an_invalid_edit_changes_nothing():
    with pytest.raises(CatalogError, match="^memory_gb:"):
        update_hardware("H100 SXM", memory_gb=-80)
    with pytest.raises(CatalogError, match="^name:"):
        update_hardware("H100 SXM", name="H200 SXM")
    assert get_hardware("H100 SXM").memory_gb == 80


def test_zero_price_is_allowed_and_missing_price_stays_missing():
    assert GpuSpec(name="Own cluster", vendor="x", bf16_dense_tflops=100, memory_gb=10, price_per_hour_usd=0)
    assert get_hardware("TPU v5e").price_per_hour_usd is None


def test_restore_brings_back_deleted_and_edited_seed_rows_and_keeps_user_rows():
    add_hardware(NEW_GPU)
    delete_hardware("L4")
    update_hardware("H100 SXM", price_per_hour_usd=99)
    written = restore_seeded()
    assert written == len(seeded_specs())
    assert get_hardware("L4") is not None
    assert get_hardware("H100 SXM").price_per_hour_usd == 2.69
    assert get_hardware("Gaudi 3") is not None


def test_a_deleted_seed_row_stays_deleted_without_restore():
    from db.engine import reset_cache

    delete_hardware("T4")
    reset_cache()  # a new process: migrations and seeding run again
    assert get_hardware("T4") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("H100 SXM", "H100 SXM"), ("h100", "H100 SXM"), ("a100 40gb", "A100 40GB SXM"), ("rtx 4090", "RTX 4090"),
     ("4090", "RTX 4090"), ("nvidia a100 80gb", "A100 80GB SXM"), ("H200", "H200 SXM"), ("tpu", "TPU v5e")],
)  # fmt: skip
def test_find_gpu_resolves_unambiguous_parts(query, expected):
    assert find_gpu(query, seeded_specs()).name == expected


def test_find_gpu_refuses_ambiguous_and_unknown_listing_candidates():
    with pytest.raises(GpuLookupError) as ambiguous:
        find_gpu("A100", seeded_specs())
    assert ambiguous.value.candidates == ["A100 40GB SXM", "A100 80GB SXM"]
    assert "ambiguous" in str(ambiguous.value)
    with pytest.raises(GpuLookupError) as unknown:
        find_gpu("Z9000", seeded_specs())
    assert "H100 SXM" in unknown.value.candidates
