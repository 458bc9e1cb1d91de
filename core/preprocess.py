"""Turn a drawing, an upload or a photo of a digit into the 28×28 the reference model was trained on.

MNIST's own recipe, applied to whatever the user gives: grayscale, light ink on a dark background, ink cropped to
its bounding box, the longer side scaled to 20 px keeping the aspect ratio, the centre of mass placed at the centre
of a 28×28 field, pixels in [0, 1]. Pure numpy and Pillow, so it runs in milliseconds and tests without Keras."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SIDE_PX = 4096
FIELD_PX = 28
DIGIT_BOX_PX = 20
# MNIST's training digits have their centre of mass at pixel index (14.0, 14.0), measured on the stored data.
CENTRE_OF_MASS = 14.0
# Large inputs are reduced before filtering: the digit ends up 20 px tall, so 200 px of working detail is ample.
WORKING_SIDE_PX = 200
# Ink must differ from the paper by at least this fraction of the full black-to-white range.
MIN_INK_CONTRAST = 0.2
MAX_INK_FRACTION = 0.6
MIN_INK_PIXELS = 4

ImageSource = bytes | bytearray | str | os.PathLike | Image.Image | np.ndarray


class ImageInputError(ValueError):
    """The input cannot become a digit for the model; the message says why, for the person who gave it."""


class NotAnImageError(ImageInputError):
    pass


class ImageTooLargeError(ImageInputError):
    pass


class BlankImageError(ImageInputError):
    pass


def preprocess(source: ImageSource) -> np.ndarray:
    """Any accepted input → float32 (28, 28) in [0, 1], light ink on black, as MNIST."""
    ink = ink_map(to_grayscale(read_image(source, draft_side=WORKING_SIDE_PX)))
    return centre_in_field(scale_to_box(crop_to_ink(ink)))


def read_image(source: ImageSource, draft_side: int | None = None) -> Image.Image:
    """Open and validate: a real image, at most 10 MB and 4096 px a side, upright as the camera held it.

    With draft_side, a JPEG is decoded straight to grayscale at the smallest of its DCT scales (1/2, 1/4, 1/8) that
    keeps at least draft_side px on the longer side: the decoder skips most of the work that reducing a full-size
    decode afterwards would throw away."""
    if isinstance(source, Image.Image):
        _check_dimensions(*source.size)
        return source
    if isinstance(source, np.ndarray):
        return _image_from_array(source)
    if isinstance(source, (bytes, bytearray)):
        raw = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        raw = _read_file(Path(source))
    else:
        raise NotAnImageError(f"image: expected image bytes, a file path or an array, got {type(source).__name__}")
    if len(raw) > MAX_FILE_BYTES:
        raise ImageTooLargeError(f"image: {len(raw) / 1024 / 1024:.1f} MB is over the 10 MB limit")
    if not raw:
        raise NotAnImageError("image: the file is empty, not an image")
    try:
        image = Image.open(io.BytesIO(raw))
        _check_dimensions(*image.size)
        if draft_side is not None:
            image.draft("L", _fitted_size(image.size, draft_side))
        image.load()
        return ImageOps.exif_transpose(image)
    except ImageTooLargeError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise NotAnImageError("image: not a PNG, JPEG or other image file Pillow can read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise NotAnImageError(f"image: the file is damaged or truncated ({exc})") from None


def _fitted_size(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """(width, height) scaled so the longer side is at most `longest`, the aspect ratio kept."""
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        raise NotAnImageError(f"image: {path} does not exist or is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImageTooLargeError(f"image: {size / 1024 / 1024:.1f} MB is over the 10 MB limit")
    return path.read_bytes()


def _check_dimensions(width: int, height: int) -> None:
    if width > MAX_SIDE_PX or height > MAX_SIDE_PX:
        raise ImageTooLargeError(f"image: {width}×{height} px is over the {MAX_SIDE_PX} px limit per side")
    if width < 1 or height < 1:
        raise NotAnImageError(f"image: {width}×{height} px has no pixels")


def _image_from_array(array: np.ndarray) -> Image.Image:
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
        raise NotAnImageError(f"image: an array must be (height, width[, 1|3|4 channels]), got shape {array.shape}")
    _check_dimensions(array.shape[1], array.shape[0])
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
        raise NotAnImageError("image: the array must hold finite numbers")
    pixels = array.astype(np.float64)
    if pixels.max(initial=0) <= 1.0:
        pixels = pixels * 255
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[:, :, 0]
    mode = "L" if pixels.ndim == 2 else "RGB" if pixels.shape[2] == 3 else "RGBA"
    return Image.fromarray(pixels, mode=mode)


def to_grayscale(image: Image.Image) -> Image.Image:
    """8-bit luminance ("L"). Transparent pixels take the colour that contrasts with the ink drawn on them."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if image.mode.startswith("I;16") else max(float(values.max(initial=0)), 1.0)
        return Image.fromarray(np.round(np.clip(values * (255 / top), 0, 255)).astype(np.uint8), mode="L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    if not has_alpha:
        return image if image.mode == "L" else image.convert("L")
    rgba = image.convert("RGBA")
    luminance = rgba.convert("L")
    alpha = rgba.getchannel("A")
    lowest_alpha, highest_alpha = alpha.getextrema()
    if lowest_alpha >= 250:  # opaque to within 2 %
        return luminance
    if highest_alpha <= 5:
        raise BlankImageError("image: blank, every pixel is transparent")
    backdrop = 255 if _mean_ink_luminance(luminance, alpha) < 127.5 else 0
    return Image.composite(luminance, Image.new("L", image.size, backdrop), alpha)


def _mean_ink_luminance(luminance: Image.Image, alpha: Image.Image) -> float:
    weights = np.asarray(alpha, dtype=np.uint32)
    return float((np.asarray(luminance, dtype=np.uint32) * weights).sum() / weights.sum())


def ink_map(gray: Image.Image) -> np.ndarray:
    """Grayscale → ink strength in [0, 1] on a zero background, specks and paper shading removed.

    Raises BlankImageError when no ink stands out from the background."""
    ink = _ink_on_zero_paper(_reduce(gray))
    # A lone bright pixel is noise, not ink: the peak is taken over 3×3 averages, which a speck cannot fill.
    peak = int(_box_sum3(ink).max(initial=0)) / 9
    if peak < MIN_INK_CONTRAST * 255:
        raise BlankImageError(f"image: blank, no digit stands out from the background (contrast {peak / 255:.0%})")
    strength = np.minimum(ink * np.float32(1 / peak), np.float32(1))
    mask = strength > max(_otsu_threshold(strength), 0.25)
    if min(mask.shape) >= 48:
        mask = _box_sum3(mask) >= 5  # the 3×3 median of a binary mask
    ink_pixels = int(np.count_nonzero(mask))
    if ink_pixels < MIN_INK_PIXELS:
        raise BlankImageError("image: blank, no digit found (only a few specks of ink)")
    if ink_pixels > MAX_INK_FRACTION * mask.size:
        raise BlankImageError(f"image: no digit found, ink covers {ink_pixels / mask.size:.0%} of the image")
    # Keep the soft edge next to each stroke (MNIST's anti-aliasing); drop everything away from the ink.
    return np.where(_box_sum3(mask) > 0, strength, np.float32(0))


def _reduce(gray: Image.Image) -> np.ndarray:
    size = _fitted_size(gray.size, WORKING_SIDE_PX)
    if size != gray.size:
        gray = gray.resize(size, Image.Resampling.BOX)
    return np.asarray(gray)


def _ink_on_zero_paper(gray: np.ndarray) -> np.ndarray:
    """uint8 ink level, 0 where the paper is: inverted when the paper is light, the paper's own level removed."""
    histogram = np.bincount(gray[::3, ::3].ravel(), minlength=256)
    # The background is what most pixels are: a digit covers far less than half of a drawing or a photo.
    light_paper = 2 * int(histogram[128:].sum()) > int(histogram.sum())
    ink = 255 - gray if light_paper else gray
    paper_value = int(histogram.argmax())
    if 2 * int(histogram[paper_value]) >= int(histogram.sum()):
        # Most pixels share one exact value: a canvas or a rendered image, with no shading to estimate.
        paper_level = 255 - paper_value if light_paper else paper_value
        return np.maximum(ink, paper_level) - np.uint8(paper_level)
    return _remove_shading(ink)


def _remove_shading(ink: np.ndarray) -> np.ndarray:
    """Subtract the local background level, so a photo's uneven light does not read as ink.

    The local minimum over a window a quarter of the image wide is the paper between strokes."""
    height, width = ink.shape
    small_size = _fitted_size((width, height), 64)
    small = np.asarray(Image.fromarray(ink).resize(small_size, Image.Resampling.BOX), dtype=np.float32)
    window = max(3, (min(small_size) // 4) | 1)
    background = _sliding(_sliding(small, window, np.min), window, np.mean).astype(np.float32)
    if float(background.max() - background.min()) < 0.05 * 255:
        level = np.float32(np.median(background))
    else:
        level = np.asarray(Image.fromarray(background, mode="F").resize((width, height), Image.Resampling.BILINEAR))
    return np.clip(np.round(ink - level), 0, 255).astype(np.uint8)


def _sliding(values: np.ndarray, window: int, reduce) -> np.ndarray:
    """`reduce` over a window×window neighbourhood (edge pixels repeated), one axis at a time."""
    half = window // 2
    padded = np.pad(values, half, mode="edge")
    rows = reduce(np.lib.stride_tricks.sliding_window_view(padded, window, axis=0), axis=-1)
    return reduce(np.lib.stride_tricks.sliding_window_view(rows, window, axis=1), axis=-1)


def _box_sum3(values: np.ndarray) -> np.ndarray:
    """Sum over each pixel's 3×3 neighbourhood (zeros beyond the edge), rows then columns, of uint8 or bool."""
    padded = np.pad(values.astype(np.uint16), 1)
    rows = padded[:-2] + padded[1:-1] + padded[2:]
    return rows[:, :-2] + rows[:, 1:-1] + rows[:, 2:]


def _otsu_threshold(values: np.ndarray, bins: int = 64) -> float:
    # Every other pixel in each direction estimates the histogram as well as all of them, four times faster.
    sample = values[::2, ::2].ravel() if min(values.shape) >= 48 else values.ravel()
    histogram = np.bincount(np.minimum((sample * bins).astype(np.int64), bins - 1), minlength=bins)
    centres = (np.arange(bins) + 0.5) / bins
    weight_low = np.cumsum(histogram)
    weight_high = weight_low[-1] - weight_low
    mass_low = np.cumsum(histogram * centres)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_low = mass_low / weight_low
        mean_high = (mass_low[-1] - mass_low) / weight_high
        between = weight_low * weight_high * (mean_low - mean_high) ** 2
    return float((np.nanargmax(np.nan_to_num(between, nan=-1.0)) + 1) / bins)


def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        raise BlankImageError("image: blank, no digit found")
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def scale_to_box(crop: np.ndarray, box: int = DIGIT_BOX_PX) -> np.ndarray:
    """The longer side becomes `box` pixels, the aspect ratio kept; the strongest pixel becomes 1."""
    height, width = crop.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    scaled = np.asarray(Image.fromarray(crop.astype(np.float32), mode="F").resize(size, Image.Resampling.BILINEAR))
    peak = float(scaled.max(initial=0))
    return np.clip(scaled / peak, 0, 1) if peak > 0 else scaled


def centre_in_field(digit: np.ndarray, field: int = FIELD_PX) -> np.ndarray:
    """Paste so the centre of mass lands at MNIST's (14, 14), keeping the whole digit inside the field."""
    height, width = digit.shape
    rows, cols = np.mgrid[0:height, 0:width]
    mass = float(digit.sum())
    centre_row = float((digit * rows).sum() / mass) if mass else (height - 1) / 2
    centre_col = float((digit * cols).sum() / mass) if mass else (width - 1) / 2
    top = int(np.clip(round(CENTRE_OF_MASS - centre_row), 0, field - height))
    left = int(np.clip(round(CENTRE_OF_MASS - centre_col), 0, field - width))
    out = np.zeros((field, field), dtype=np.float32)
    out[top : top + height, left : left + width] = digit
    return out
