"""Pen-stroke drawings (core.lab.synthetic) and digit distortions (core.lab.augment): shapes, ranges, seeds, and
what each distortion does."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from core.lab import synthetic
from core.lab.augment import Augmentation, augment
from core.lab.data import load_mnist


def test_drawings_are_canvases_of_black_ink_on_white_and_seeded():
    canvases, labels = synthetic.digit_drawings(20, seed=5)
    again, _ = synthetic.digit_drawings(20, seed=5)
    other, _ = synthetic.digit_drawings(20, seed=6)
    assert list(labels) == [i % 10 for i in range(20)]
    for canvas in canvases:
        assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
        assert set(np.unique(canvas[:, :, 3])) == {255}
        ink = canvas[:, :, 0] < 128
        assert 0.005 < ink.mean() < 0.5
    assert all(np.array_equal(a, b) for a, b in zip(canvases, again))
    assert not all(np.array_equal(a, b) for a, b in zip(canvases, other))


def test_every_kind_of_non_digit_renders_and_prepares():
    canvases, kinds = synthetic.non_digit_drawings(15, seed=2)
    assert kinds == list(synthetic.NON_DIGIT_KINDS) * 3
    pixels, extents = synthetic.prepared(canvases)
    assert pixels.shape == (15, 784) and pixels.dtype == np.float32
    assert 0 <= pixels.min() and pixels.max() == pytest.approx(1.0)
    assert np.all((0 < extents) & (extents <= 1))
    with pytest.raises(ValueError, match="^kind:"):
        synthetic.draw_non_digit("doodle", np.random.default_rng(0))


def test_letters_that_look_like_digits_can_be_left_out():
    rng = np.random.default_rng(0)
    pool = "".join(c for c in synthetic.LETTER_STROKES if c not in synthetic.DIGIT_LIKE_LETTERS)
    assert "O" not in pool and "S" not in pool and "A" in pool
    assert synthetic.draw_non_digit("letter", rng, letters="A").shape == (280, 280, 4)


def test_a_dot_spans_a_small_part_of_the_canvas_and_a_digit_a_large_one():
    dot = synthetic.render([np.array([[140.0, 140.0], [141.0, 140.0]])], width_px=20)
    digit = synthetic.render([np.array([[140.0, 40.0], [140.0, 240.0]])], width_px=20)
    _, extents = synthetic.prepared([dot, digit])
    # The dot: a 20 px disc (plus a pixel) of 280; the stroke: 200 px plus its round caps.
    assert extents[0] == pytest.approx(21 / 280, abs=0.02)
    assert extents[1] == pytest.approx(220 / 280, abs=0.02)


def test_mnist_digits_redrawn_on_a_canvas_keep_their_shape():
    data = load_mnist()
    canvas = synthetic.mnist_drawing(data.x_test[0], np.random.default_rng(0))
    pixels, _ = synthetic.prepared([canvas])
    original = data.x_test[0]
    correlation = np.corrcoef(pixels[0], original)[0, 1]
    assert correlation > 0.8


def test_augment_without_distortion_is_the_identity():
    data = load_mnist(limit=50)
    still = Augmentation(
        max_shift_px=0, max_rotation_deg=0, scale_range=(1, 1), max_shear=0, thicken_fraction=0, thin_fraction=0,
        elastic_fraction=0,
    )  # fmt: skip
    out = augment(data.x_train, np.random.default_rng(0), still)
    assert out.shape == (50, 784) and out.dtype == np.float32
    assert np.abs(out - data.x_train).max() < 1e-5


def test_thickening_is_a_two_pixel_dilation():
    data = load_mnist(limit=20)
    thick = Augmentation(
        max_shift_px=0, max_rotation_deg=0, scale_range=(1, 1), max_shear=0, thicken_fraction=1, thin_fraction=0,
        elastic_fraction=0,
    )  # fmt: skip
    out = augment(data.x_train, np.random.default_rng(0), thick)
    expected = ndimage.grey_dilation(data.x_train.reshape(-1, 28, 28), size=(1, 2, 2)).reshape(-1, 784)
    assert np.abs(out - expected).max() < 1e-5
    assert out.sum() > data.x_train.sum()


def test_default_augmentation_moves_ink_but_keeps_the_digit_and_range():
    data = load_mnist(limit=200)
    first = augment(data.x_train, np.random.default_rng(3))
    second = augment(data.x_train, np.random.default_rng(3))
    assert np.array_equal(first, second)
    assert 0 <= first.min() and first.max() <= 1
    changed = np.abs(first - data.x_train).mean(axis=1)
    assert (changed > 0.01).mean() > 0.9
    # Distorted, not destroyed: the ink mass stays within a factor of two of the original for nearly every digit.
    ratio = first.sum(axis=1) / data.x_train.sum(axis=1)
    assert ((ratio > 0.5) & (ratio < 2.0)).mean() > 0.97


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scale_range": (1.2, 1.0)}, "scale_range"),
        ({"thicken_fraction": 1.5}, "thicken_fraction"),
        ({"thicken_fraction": 0.8, "thin_fraction": 0.5}, "thicken_fraction"),
        ({"elastic_sigma": -1}, "elastic_sigma"),
    ],
)
def test_bad_augmentation_settings_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        Augmentation(**kwargs)
