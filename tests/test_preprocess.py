"""MNIST-style preprocessing on synthetic strokes and on real held-out digits, and every kind of bad input."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.demo.preprocess import (
    BlankImageError,
    ImageTooLargeError,
    NotAnImageError,
    preprocess,
    read_image,
)
from tests.live_demo_model import render_drawing


def png(image: Image.Image, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def drawing(shape, offset=(0, 0), width=18, size=280, ink=0, paper=255) -> Image.Image:
    """A stroke drawn with Pillow on a square canvas; shape is a list of points (a polyline) or ('ellipse', box)."""
    image = Image.new("L", (size, size), paper)
    draw = ImageDraw.Draw(image)
    dx, dy = offset
    if shape[0] == "ellipse":
        left, top, right, bottom = shape[1]
        draw.ellipse((left + dx, top + dy, right + dx, bottom + dy), outline=ink, width=width)
    else:
        draw.line([(x + dx, y + dy) for x, y in shape], fill=ink, width=width, joint="curve")
    return image


SEVEN = [(60, 60), (200, 60), (110, 230)]
ZERO = ("ellipse", (70, 40, 190, 230))


def ink_box(field: np.ndarray, level: float = 0.05) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(field.max(axis=1) > level)
    cols = np.flatnonzero(field.max(axis=0) > level)
    return rows[0], rows[-1], cols[0], cols[-1]


def centre_of_mass(field: np.ndarray) -> tuple[float, float]:
    rows, cols = np.mgrid[0:28, 0:28]
    return float((field * rows).sum() / field.sum()), float((field * cols).sum() / field.sum())


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two 28×28 digits, allowing the 1 px shift that rounding the centre of mass can cause."""
    shifted = (np.roll(b, (dy, dx), axis=(0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return max(float(np.corrcoef(a.ravel(), other.ravel())[0, 1]) for other in shifted)


def test_output_is_mnist_shaped_light_ink_on_black_in_unit_range():
    field = preprocess(png(drawing(SEVEN)))
    assert field.shape == (28, 28) and field.dtype == np.float32
    assert field.min() == 0.0 and field.max() == pytest.approx(1.0)
    assert field[0].max() == 0 and field[:, 0].max() == 0  # background black, ink light
    top, bottom, left, right = ink_box(field)
    assert max(bottom - top + 1, right - left + 1) == 20  # the longer side fills MNIST's 20 px box


def test_centre_of_mass_lands_at_mnists_centre_wherever_the_digit_is_drawn():
    fields = [preprocess(png(drawing(SEVEN, offset=offset))) for offset in [(-55, -55), (0, 0), (70, 40)]]
    for field in fields:
        row, col = centre_of_mass(field)
        assert abs(row - 14.0) <= 0.5 and abs(col - 14.0) <= 0.5
    assert similarity(fields[0], fields[2]) > 0.9  # an off-centre digit reads as the centred one


def test_aspect_ratio_is_kept_for_a_tall_thin_one():
    field = preprocess(png(drawing([(140, 30), (140, 250)], width=20)))
    top, bottom, left, right = ink_box(field, level=0.2)
    assert bottom - top + 1 == 20
    assert right - left + 1 <= 3  # 20 px of stroke on 240 px of height is about 2 px, not stretched to 20


def test_thick_and_thin_strokes_both_become_a_digit_of_the_same_size():
    thin = preprocess(png(drawing(ZERO, width=8)))
    thick = preprocess(png(drawing(ZERO, width=40)))
    assert ink_box(thin) == pytest.approx(ink_box(thick), abs=1)
    assert (thick > 0.5).sum() > 1.5 * (thin > 0.5).sum()
    assert thick[14, 14] == 0  # the hole of the zero stays open


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
def test_dark_on_light_and_light_on_dark_give_the_same_digit(mode):
    dark_on_light = drawing(SEVEN, offset=(20, -10))
    light_on_dark = Image.eval(dark_on_light, lambda v: 255 - v)
    expected = preprocess(png(dark_on_light))
    assert np.abs(preprocess(png(dark_on_light.convert(mode))) - expected).max() < 1e-6
    assert np.abs(preprocess(png(light_on_dark.convert(mode))) - expected).max() < 0.02


def test_rgba_ink_on_a_transparent_canvas_reads_like_ink_on_paper():
    paper = drawing(SEVEN)
    ink_alpha = Image.eval(paper, lambda v: 255 - v)
    black_ink = Image.merge("RGBA", [Image.new("L", paper.size, 0)] * 3 + [ink_alpha])
    white_ink = Image.merge("RGBA", [Image.new("L", paper.size, 255)] * 3 + [ink_alpha])
    expected = preprocess(png(paper))
    assert np.abs(preprocess(png(black_ink)) - expected).max() < 0.02
    assert np.abs(preprocess(png(white_ink)) - expected).max() < 0.02
    assert np.abs(preprocess(np.asarray(black_ink)) - expected).max() < 0.02  # the canvas's RGBA array


def test_a_photo_with_uneven_light_and_noise_reads_like_the_clean_drawing():
    clean = drawing(ZERO, width=14, size=480)
    rng = np.random.default_rng(3)
    light = np.linspace(0.55, 1.0, 480)[None, :] * np.linspace(0.8, 1.0, 480)[:, None]  # a shadow across the page
    paper = np.asarray(clean, dtype=np.float64) / 255  # 1 on paper, 0 in the stroke
    photo = np.clip((0.15 + 0.75 * paper) * light * 255 + rng.normal(0, 6, paper.shape), 0, 255).astype(np.uint8)
    jpeg = png(Image.fromarray(np.stack([photo] * 3, axis=-1)), format="JPEG")
    expected = preprocess(png(clean))
    result = preprocess(jpeg)
    assert similarity(result, expected) > 0.9
    assert (result[:3] > 0).sum() == 0 and (result[-3:] > 0).sum() == 0  # the shadow did not become ink


def test_real_held_out_digits_redrawn_come_back_as_mnist_had_them():
    from core.lab.data import load_mnist

    data = load_mnist()
    rng = np.random.default_rng(7)
    for index in range(0, 500, 25):
        original = data.x_test[index].reshape(28, 28)
        mode = ["L", "RGB", "RGBA", "RGBA-clear"][index % 4]
        redrawn = preprocess(render_drawing(original, rng, mode=mode))
        assert similarity(redrawn, original) > 0.85, f"test digit {index} ({mode})"


def test_not_an_image_is_named():
    with pytest.raises(NotAnImageError, match="image: not a PNG, JPEG"):
        preprocess(b"digit: 7\nthis is a text file named seven.png\n")
    with pytest.raises(NotAnImageError, match="empty"):
        preprocess(b"")
    with pytest.raises(NotAnImageError, match="damaged or truncated"):
        preprocess(png(drawing(SEVEN))[:400])


def test_a_text_file_named_png_is_not_an_image(tmp_path):
    path = tmp_path / "seven.png"
    path.write_text("not really a picture of a seven\n")
    with pytest.raises(NotAnImageError, match="not a PNG"):
        preprocess(path)
    with pytest.raises(NotAnImageError, match="does not exist"):
        preprocess(tmp_path / "missing.png")


def test_over_ten_megabytes_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024))
    with pytest.raises(ImageTooLargeError, match="10.0 MB is over the 10 MB limit"):
        preprocess(path)
    with pytest.raises(ImageTooLargeError, match="over the 10 MB limit"):
        preprocess(path.read_bytes())


def test_over_4096_pixels_a_side_is_refused():
    with pytest.raises(ImageTooLargeError, match="4097×16 px is over the 4096 px limit"):
        preprocess(png(Image.new("L", (4097, 16), 255)))
    with pytest.raises(ImageTooLargeError, match="over the 4096 px limit"):
        read_image(np.zeros((16, 5000), dtype=np.uint8))


@pytest.mark.parametrize(
    "blank",
    [
        Image.new("L", (280, 280), 255),
        Image.new("RGB", (280, 280), (0, 0, 0)),
        Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
        Image.fromarray(np.random.default_rng(1).normal(180, 6, (480, 640)).clip(0, 255).astype(np.uint8)),
    ],
    ids=["white canvas", "black canvas", "transparent canvas", "photo of blank paper"],
)
def test_blank_images_say_so(blank):
    with pytest.raises(BlankImageError, match="image: blank"):
        preprocess(png(blank, format="JPEG" if blank.mode == "L" and blank.width == 640 else "PNG"))


def test_a_few_specks_are_not_a_digit():
    specks = Image.new("L", (280, 280), 255)
    for x, y in [(30, 40), (200, 90), (120, 250)]:
        specks.putpixel((x, y), 0)
    with pytest.raises(BlankImageError):
        preprocess(png(specks))


def test_a_large_jpeg_reads_like_the_drawing_and_read_image_still_gives_the_full_size():
    clean = drawing(ZERO, width=14)
    jpeg = png(clean.convert("RGB").resize((1600, 1600), Image.Resampling.BILINEAR), format="JPEG")
    assert read_image(jpeg).size == (1600, 1600)  # only preprocess decodes at a reduced scale
    assert similarity(preprocess(jpeg), preprocess(png(clean))) > 0.95


def test_grey_paper_and_a_digit_touching_the_edge_read_like_the_digit_on_white():
    centred = preprocess(png(drawing(SEVEN)))
    assert np.abs(preprocess(png(drawing(SEVEN, paper=170, ink=20))) - centred).max() < 0.05
    at_edge = preprocess(png(drawing(SEVEN, offset=(-60, 50))))  # the stroke runs off the left and bottom edges
    assert at_edge.shape == (28, 28) and at_edge.max() == pytest.approx(1.0)
    top, bottom, left, right = ink_box(at_edge)
    assert max(bottom - top + 1, right - left + 1) == 20


def test_a_canvas_array_of_bytes_and_one_of_fractions_give_the_same_digit():
    canvas = np.asarray(drawing(SEVEN).convert("RGBA"))
    assert np.abs(preprocess(canvas) - preprocess(canvas.astype(np.float32) / 255)).max() < 0.02
    assert np.abs(preprocess((canvas > 127).astype(np.uint8)) - preprocess(canvas)).max() < 0.3  # 0/1 is full scale
