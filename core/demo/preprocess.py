"""Turn a drawing, an upload or a photo of a digit into the 28×28 the reference model was trained on.

MNIST's own recipe, applied to whatever the user gives: grayscale, light ink on a dark background, ink cropped to
its bounding box, the longer side scaled to 20 px keeping the aspect ratio, the centre of mass placed at the centre
of a 28×28 field, pixels in [0, 1]. Pure numpy and Pillow, so it runs in milliseconds and tests without Keras."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SIDE_PX = 4096
# Pillow refuses to decode an image whose header claims more than twice this many pixels (a "decompression bomb":
# a small file that would unpack to gigabytes); its default allows about 179 million.
Image.MAX_IMAGE_PIXELS = MAX_SIDE_PX * MAX_SIDE_PX
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
    return preprocess_with_extent(source)[0]


def preprocess_with_extent(source: ImageSource) -> tuple[np.ndarray, float]:
    """preprocess(), and how much of the image the ink spans: the larger of its box's height and width as
    fractions of the image's (a dot on a canvas spans a few hundredths, a digit a third or more)."""
    ink, (height, width) = _ink_and_shape(to_grayscale(read_image(source, draft_side=WORKING_SIDE_PX)))
    crop = crop_to_ink(ink)
    extent = max(crop.shape[0] / height, crop.shape[1] / width)
    return centre_in_field(scale_to_box(crop)), float(extent)


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
    except Image.DecompressionBombError:
        raise ImageTooLargeError(
            f"image: image too large, its header claims far more than {MAX_SIDE_PX}×{MAX_SIDE_PX} px"
        ) from None
    except UnidentifiedImageError:
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
        raise ImageTooLargeError(
            f"image: image too large, {width}×{height} px is over the {MAX_SIDE_PX} px limit per side"
        )
    if width < 1 or height < 1:
        raise NotAnImageError(f"image: {width}×{height} px has no pixels")


def _image_from_array(array: np.ndarray) -> Image.Image:
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
        raise NotAnImageError(f"image: an array must be (height, width[, 1|3|4 channels]), got shape {array.shape}")
    _check_dimensions(array.shape[1], array.shape[0])
    if array.dtype == np.uint8 and array.max(initial=0) > 1:
        pixels = array  # a canvas's own bytes: converting them through float64 would cost more than the rest
    else:
        pixels = _bytes_from_numbers(array)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[:, :, 0]
    mode = "L" if pixels.ndim == 2 else "RGB" if pixels.shape[2] == 3 else "RGBA"
    return Image.fromarray(np.ascontiguousarray(pixels), mode=mode)


def _bytes_from_numbers(array: np.ndarray) -> np.ndarray:
    """Any numeric array → uint8, values in [0, 1] read as fractions of full scale."""
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
        raise NotAnImageError("image: the array must hold finite numbers")
    pixels = array.astype(np.float64)
    if pixels.max(initial=0) <= 1.0:
        pixels = pixels * 255
    return np.clip(pixels, 0, 255).astype(np.uint8)


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
    """Luminance averaged with opacity as the weight, from histograms: Pillow counts faster than numpy multiplies."""
    levels = np.arange(256)
    weighted = levels @ ImageChops.multiply(luminance, alpha).histogram()  # luminance × alpha / 255 per pixel
    return 255 * float(weighted) / float(levels @ alpha.histogram())


def ink_map(gray: Image.Image) -> np.ndarray:
    """Grayscale → ink strength in [0, 1] on a zero background, specks and paper shading removed, cropped to the
    region that holds ink (all that follows would otherwise spend most of its time on empty paper).

    Raises BlankImageError when no ink stands out from the background."""
    return _ink_and_shape(gray)[0]


def _ink_and_shape(gray: Image.Image) -> tuple[np.ndarray, tuple[int, int]]:
    """ink_map(), and the (height, width) of the whole image at the working resolution."""
    region, working_shape = _ink_region(gray)
    ink = np.asarray(region)
    # A lone bright pixel is noise, not ink: the peak is taken over 3×3 averages, which a speck cannot fill.
    peak = int(_box_sum3(ink).max(initial=0)) / 9
    if peak < MIN_INK_CONTRAST * 255:
        raise _no_contrast(peak / 255)
    strength = np.minimum(ink * np.float32(1 / peak), np.float32(1))
    image_pixels = working_shape[0] * working_shape[1]
    mask = strength > max(_otsu_threshold(region.histogram(), peak, image_pixels - ink.size), 0.25)
    if min(working_shape) >= 48:
        mask = _box_sum3(mask) >= 5  # the 3×3 median of a binary mask
    ink_pixels = int(np.count_nonzero(mask))
    if ink_pixels < MIN_INK_PIXELS:
        raise BlankImageError("image: blank, no digit found (only a few specks of ink)")
    if ink_pixels > MAX_INK_FRACTION * image_pixels:
        raise BlankImageError(f"image: no digit found, ink covers {ink_pixels / image_pixels:.0%} of the image")
    # Keep the soft edge next to each stroke (MNIST's anti-aliasing); drop everything away from the ink.
    return np.where(_box_sum3(mask) > 0, strength, np.float32(0)), working_shape


def _no_contrast(contrast: float) -> BlankImageError:
    return BlankImageError(f"image: blank, no digit stands out from the background (contrast {contrast:.0%})")


def _ink_region(gray: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """Ink level ("L") on zero paper at the working resolution, cropped to the box around the ink (zero beyond it),
    and the (height, width) of the whole image at that resolution."""
    working_size = _fitted_size(gray.size, WORKING_SIDE_PX)
    histogram = gray.histogram()
    total = gray.width * gray.height
    # The background is what most pixels are: a digit covers far less than half of a drawing or a photo.
    light_paper = 2 * sum(histogram[128:]) > total
    paper_value = max(range(256), key=histogram.__getitem__)
    if 2 * histogram[paper_value] >= total:
        # Most pixels share one exact value, as on a canvas: no shading to estimate, and the ink's box is exact.
        region = _flat_paper_region(gray, paper_value, light_paper, working_size)
    else:
        region = _shaded_paper_region(gray, light_paper, working_size)
    return region, (working_size[1], working_size[0])


def _flat_paper_region(gray: Image.Image, paper_value: int, light_paper: bool, working_size) -> Image.Image:
    """Only the box around the ink is reduced to the working resolution: the rest is zero."""
    paper = Image.new("L", gray.size, paper_value)
    ink = ImageChops.subtract(paper, gray) if light_paper else ImageChops.subtract(gray, paper)
    box = ink.getbbox()
    if box is None:
        raise _no_contrast(0.0)
    region = _working_box(box, gray.size, working_size)
    scale_x, scale_y = gray.width / working_size[0], gray.height / working_size[1]
    left, top, right, bottom = region
    source_box = (left * scale_x, top * scale_y, right * scale_x, bottom * scale_y)
    return ink.resize((right - left, bottom - top), Image.Resampling.BOX, box=source_box)


def _shaded_paper_region(gray: Image.Image, light_paper: bool, working_size) -> Image.Image:
    reduced = np.asarray(gray if gray.size == working_size else gray.resize(working_size, Image.Resampling.BOX))
    ink = Image.fromarray(_remove_shading(255 - reduced if light_paper else reduced))
    box = ink.getbbox()
    if box is None:
        raise _no_contrast(0.0)
    return ink.crop(box)


def _working_box(box: tuple[int, int, int, int], size: tuple[int, int], working_size: tuple[int, int]):
    """A full-resolution box → the smallest box of whole working-resolution pixels that covers it."""
    scale_x, scale_y = working_size[0] / size[0], working_size[1] / size[1]
    left, top, right, bottom = box
    return (
        math.floor(left * scale_x),
        math.floor(top * scale_y),
        min(working_size[0], math.ceil(right * scale_x)),
        min(working_size[1], math.ceil(bottom * scale_y)),
    )


def _remove_shading(ink: np.ndarray) -> np.ndarray:
    """Subtract the local background level, so a photo's uneven light does not read as ink.

    The local minimum over a window a quarter of the image wide is the paper between strokes."""
    height, width = ink.shape
    small_size = _fitted_size((width, height), 64)
    small = np.asarray(Image.fromarray(ink).resize(small_size, Image.Resampling.BOX), dtype=np.float32)
    window = max(3, (min(small_size) // 4) | 1)
    background = _sliding_mean(_sliding_min(small, window), window)
    if float(background.max() - background.min()) < 0.05 * 255:
        level = np.float32(np.median(background))
    else:
        level = np.asarray(Image.fromarray(background, mode="F").resize((width, height), Image.Resampling.BILINEAR))
    return np.clip(np.round(ink - level), 0, 255).astype(np.uint8)


def _sliding_min(values: np.ndarray, window: int) -> np.ndarray:
    """Minimum over each window×window neighbourhood (edge pixels repeated), one axis at a time."""
    for axis in (0, 1):
        values = _edge_padded(values, window // 2, axis)
        # Minima over spans that double each step: log2(window) passes instead of window - 1.
        span = 1
        while 2 * span <= window:
            values = _shifted_pair(values, span, axis, np.minimum)
            span *= 2
        if span < window:
            values = _shifted_pair(values, window - span, axis, np.minimum)
    return values


def _sliding_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean over each window×window neighbourhood (edge pixels repeated), from running sums."""
    for axis in (0, 1):
        padded = _edge_padded(values.astype(np.float64), window // 2, axis)
        sums = np.cumsum(padded, axis=axis)
        # Each window's sum is a difference of two running sums; the first window has nothing to subtract.
        windows = _shifted_pair(sums, window, axis, np.subtract)
        first = sums[window - 1 : window] if axis == 0 else sums[:, window - 1 : window]
        values = np.concatenate([first, windows], axis=axis) / window
    return values.astype(np.float32)


def _edge_padded(values: np.ndarray, margin: int, axis: int) -> np.ndarray:
    widths = [(0, 0), (0, 0)]
    widths[axis] = (margin, margin)
    return np.pad(values, widths, mode="edge")


def _shifted_pair(values: np.ndarray, shift: int, axis: int, combine) -> np.ndarray:
    """combine(values[i + shift], values[i]) along the axis; the result is `shift` shorter."""
    length = values.shape[axis] - shift
    head = values[:length] if axis == 0 else values[:, :length]
    tail = values[shift:] if axis == 0 else values[:, shift:]
    return combine(tail, head)


def _box_sum3(values: np.ndarray) -> np.ndarray:
    """Sum over each pixel's 3×3 neighbourhood (zeros beyond the edge), rows then columns, of uint8 or bool."""
    height, width = values.shape
    padded = np.zeros((height + 2, width + 2), dtype=np.uint16)  # np.pad costs more than all the sums
    padded[1:-1, 1:-1] = values
    rows = padded[:-2] + padded[1:-1]
    rows += padded[2:]
    sums = rows[:, :-2] + rows[:, 1:-1]
    sums += rows[:, 2:]
    return sums


def _otsu_threshold(ink_histogram: list[int], peak: float, paper_pixels: int, bins: int = 64) -> float:
    """Otsu's threshold on strength (ink / peak, at most 1), from the ink's 256-level histogram: every level falls
    into one strength bin, so binning the levels bins the pixels. paper_pixels zeros lie outside the ink's box."""
    levels = np.array(ink_histogram, dtype=np.float64)
    levels[0] += paper_pixels
    strengths = np.minimum(np.arange(256, dtype=np.float32) * np.float32(1 / peak), np.float32(1))
    level_bins = np.minimum((strengths * bins).astype(np.int64), bins - 1)
    histogram = np.bincount(level_bins, weights=levels, minlength=bins)
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
    row_mass = digit.sum(axis=1, dtype=np.float64)
    col_mass = digit.sum(axis=0, dtype=np.float64)
    mass = float(row_mass.sum())
    centre_row = float(row_mass @ np.arange(height)) / mass if mass else (height - 1) / 2
    centre_col = float(col_mass @ np.arange(width)) / mass if mass else (width - 1) / 2
    top = int(np.clip(round(CENTRE_OF_MASS - centre_row), 0, field - height))
    left = int(np.clip(round(CENTRE_OF_MASS - centre_col), 0, field - width))
    out = np.zeros((field, field), dtype=np.float32)
    out[top : top + height, left : left + width] = digit
    return out
