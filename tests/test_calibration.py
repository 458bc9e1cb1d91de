"""The "not sure" rules and their calibration, on numbers worked out by hand; the sidecar file beside a model."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core.lab.calibration import (
    REASONS,
    Calibration,
    Scored,
    Subspace,
    fit_thresholds,
    normalised_entropy,
    rates,
    read_sidecar,
    sidecar_path,
    write_sidecar,
)


def test_normalised_entropy_of_worked_examples():
    certain = np.eye(10)[[3]]
    uniform = np.full((1, 10), 0.1)
    coin = np.zeros((1, 10))
    coin[0, [2, 7]] = 0.5
    values = normalised_entropy(np.concatenate([certain, uniform, coin]))
    # A fair choice between two of ten: log 2 / log 10.
    assert values == pytest.approx([0.0, 1.0, math.log(2) / math.log(10)], abs=1e-9)


def test_judge_names_every_reason_it_finds():
    calibration = Calibration(min_confidence=0.6, max_entropy=0.5, min_ink_extent=0.1, source="calibrated")
    sure = np.full(10, 0.01)
    sure[4] = 0.91
    assert calibration.judge(sure, ink_extent=0.4) == (False, ())
    flat = np.full(10, 0.1)
    unsure, reasons = calibration.judge(flat, ink_extent=0.05)
    assert unsure and reasons == (REASONS["confidence"], REASONS["entropy"], REASONS["ink"])
    # Without an ink extent (a bare 28×28), only the answer itself is judged.
    assert calibration.judge(sure) == (False, ())


def test_default_calibration_is_confidence_only():
    default = Calibration()
    two_way = np.zeros(10)
    two_way[[1, 7]] = [0.45, 0.55]
    assert default.judge(two_way, ink_extent=0.001) == (False, ())
    two_way[[1, 7]] = [0.55, 0.45]
    three_way = np.zeros(10)
    three_way[[1, 2, 7]] = [0.3, 0.3, 0.4]
    assert default.judge(three_way) == (True, (REASONS["confidence"],))


def test_subspace_distance_is_zero_inside_and_positive_outside():
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.normal(size=(784, 3)))[0].T  # three orthonormal rows
    x_train = rng.normal(size=(200, 3)) @ basis + 0.5
    subspace = Subspace.fit(x_train, components=3)
    inside = np.array([[1.0, -2.0, 0.5]]) @ basis + 0.5
    outside = inside.copy()
    outside[0, 0] += 2.8  # a unit step off the subspace along pixel 0, scaled
    distances = subspace.distances(np.concatenate([inside, outside]))
    assert distances[0] == pytest.approx(0.0, abs=1e-4)
    off_plane = 2.8 * math.sqrt(1 - float(np.sum(basis[:, 0] ** 2)))
    assert distances[1] == pytest.approx(off_plane / math.sqrt(784), rel=1e-3)


def scored(confidences: list[float], extents: list[float], label: int) -> Scored:
    probabilities = []
    for confidence in confidences:
        row = np.full(10, (1 - confidence) / 9)
        row[3] = confidence
        probabilities.append(row)
    count = len(confidences)
    return Scored(
        probabilities=np.array(probabilities),
        pixels=np.zeros((count, 784), dtype=np.float32),
        ink_extents=np.array(extents),
        labels=np.full(count, label),
        kinds=("digit",) * count if label >= 0 else ("scribble",) * count,
    )


def test_fit_keeps_digits_within_budget_and_catches_what_it_can():
    # 200 digits: 196 at 0.95, 4 at 0.55. Non-digits: half at 0.6, half at 0.97 (surer than any digit).
    digits = scored([0.95] * 196 + [0.55] * 4, [0.5] * 200, label=3)
    others = scored([0.6] * 100 + [0.97] * 100, [0.5] * 200, label=-1)
    calibration = fit_thresholds(digits, others, subspace=None, budget=0.02)
    measured = rates(calibration, digits, others)
    # The 2 % quantile of the digits (confidence or entropy) lies between the weak and the strong ones: the four
    # weak digits are turned away (exactly the budget), the non-digits at 0.6 are caught, those at 0.97 are not.
    assert measured["digits_unsure"] == pytest.approx(0.02)
    assert measured["non_digits_unsure"] == pytest.approx(0.5)
    assert measured["digits_read_right_and_sure"] == pytest.approx(1 - measured["digits_unsure"])


def test_fit_falls_back_to_the_confidence_floor_for_a_weak_model():
    digits = scored([0.3] * 50, [0.5] * 50, label=3)
    others = scored([0.3] * 50, [0.5] * 50, label=-1)
    calibration = fit_thresholds(digits, others, subspace=None, budget=0.02)
    assert calibration.min_confidence == 0.5 and calibration.max_entropy == 1.0


def test_sidecar_round_trip_is_atomic_and_a_bad_one_reads_as_default(tmp_path):
    model_path = tmp_path / "run-3.keras"
    rng = np.random.default_rng(1)
    subspace = Subspace.fit(rng.random((50, 784)), components=5)
    calibration = Calibration(0.7, 0.4, 0.05, 0.2, "calibrated", {"non_digits_unsure": 0.9}, subspace)
    path = write_sidecar(model_path, calibration)
    assert path == sidecar_path(model_path) == tmp_path / "run-3.calibration.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-3.calibration.json"]
    loaded = read_sidecar(model_path)
    assert (loaded.min_confidence, loaded.max_entropy, loaded.min_ink_extent, loaded.max_distance) == (
        0.7,
        0.4,
        0.05,
        0.2,
    )
    assert loaded.source == "calibrated" and loaded.measured == {"non_digits_unsure": 0.9}
    probe = rng.random((3, 784))
    assert loaded.distances(probe) == pytest.approx(calibration.distances(probe), abs=1e-4)
    infinite = Calibration(source="calibrated")
    write_sidecar(model_path, infinite)
    assert json.loads(path.read_text())["max_distance"] is None
    assert math.isinf(read_sidecar(model_path).max_distance)
    path.write_text("{not json")
    assert read_sidecar(model_path) == Calibration()
    assert read_sidecar(tmp_path / "run-9.keras").source == "default"
