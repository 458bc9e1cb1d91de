"""Matching the name a GPU reports to the catalog entry whose spec, power and price a run is charged with."""

from __future__ import annotations

import pytest

from core.compute.gpus import seeded_specs
from core.lab.device import match_catalog

CATALOG = [spec.name for spec in seeded_specs()]


@pytest.mark.parametrize(
    ("reported", "entry"),
    [
        # As nvidia-smi and tf.config.experimental.get_device_details report them.
        ("NVIDIA H100 80GB HBM3", "H100 SXM"),
        ("NVIDIA H100 PCIe", "H100 SXM"),
        ("NVIDIA A100-SXM4-80GB", "A100 80GB SXM"),
        ("NVIDIA A100-SXM4-40GB", "A100 40GB SXM"),
        ("NVIDIA A100 80GB PCIe", "A100 80GB SXM"),
        ("Tesla T4", "T4"),
        ("NVIDIA GeForce RTX 4090", "RTX 4090"),
        ("NVIDIA H200", "H200 SXM"),
        ("NVIDIA H800", "H800 SXM"),
        ("NVIDIA L4", "L4"),
        ("NVIDIA A10G", "A10G"),
        ("NVIDIA B200", "B200"),
        ("AMD Instinct MI300X", "MI300X"),
        # The only V100 the catalog lists: same chip, power and peak, twice the memory.
        ("Tesla V100-SXM2-16GB", "V100 SXM2 32GB"),
    ],
)
def test_reported_device_names_find_their_catalog_entry(reported, entry):
    assert entry in CATALOG
    assert match_catalog(reported, CATALOG) == entry


@pytest.mark.parametrize(
    "reported",
    ["NVIDIA L40S", "NVIDIA A40", "NVIDIA GeForce RTX 3090", "NVIDIA RTX A6000", "Tesla P100-PCIE-16GB", "GPU", ""],
)
def test_devices_the_catalog_does_not_list_match_nothing(reported):
    """No figures are better than another GPU's: "L40S" is not an "L4", an RTX 3090 not an RTX 4090."""
    assert match_catalog(reported, CATALOG) is None


def test_an_entry_added_to_the_catalog_is_matched():
    assert match_catalog("NVIDIA L40S", [*CATALOG, "L40S"]) == "L40S"


class FakeClock:
    """perf_counter for _best_rate: each run of the timed call takes the next of ``durations`` seconds."""

    def __init__(self, durations):
        self.now, self.durations = 100.0, list(durations)

    def perf_counter(self):
        return self.now

    def run_once(self):
        self.now += self.durations.pop(0)


def test_the_peak_is_the_best_rate_after_a_warm_up_until_the_window_closes(monkeypatch):
    import core.lab.device as device

    # The warm-up (0.5 s) is the fastest run and must not count; the runs after it take 2, 1 and 4 s, the window
    # closes during the third; a 5th run would have taken 0.1 s.
    clock = FakeClock([0.5, 2.0, 1.0, 4.0, 0.1])
    monkeypatch.setattr(device.time, "perf_counter", clock.perf_counter)
    assert device._best_rate(clock.run_once, flops=6e9, seconds=4.0) == pytest.approx(6e9 / 1.0)
    assert clock.durations == [0.1]


def test_the_matmul_peak_counts_two_flops_per_multiply_add_of_an_n_cubed_product(monkeypatch):
    import core.lab.device as device

    timed = {}

    def one_run(run_once, flops, seconds):
        run_once()
        timed.update(flops=flops, seconds=seconds)
        return flops / 0.25

    monkeypatch.setattr(device, "_best_rate", one_run)
    # 2 × 2048³ = 17,179,869,184 FLOP per CPU multiply, done in a pretend quarter second.
    assert device.measure_matmul_peak("cpu", seconds=0.1) == pytest.approx(17_179_869_184 * 4)
    assert timed == {"flops": 17_179_869_184, "seconds": 0.1}
