"""Random distortions of MNIST digits, so a model trained on 4,500 scanned digits also reads digits drawn with a
mouse: shifts, rotations, scale and shear, stroke width, and elastic distortion (Simard et al., 2003).

All images of a batch are warped in one call: one displacement field per image, sampled with bilinear
interpolation by scipy.ndimage.map_coordinates over the stacked (n, 28, 28) array. Pure numpy and scipy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

SIDE = 28


@dataclass(frozen=True)
class Augmentation:
    """How strong each distortion may be; every image draws its own amounts uniformly within these bounds."""

    max_shift_px: float = 2.0
    max_rotation_deg: float = 15.0
    scale_range: tuple[float, float] = (0.85, 1.1)
    max_shear: float = 0.2
    thicken_fraction: float = 0.3  # of images whose strokes grow by one pixel (a thick pen)
    thin_fraction: float = 0.1  # of images whose strokes shrink (a fine pen)
    elastic_fraction: float = 0.6
    elastic_alpha: float = 30.0  # displacement scale, pixels before smoothing
    elastic_sigma: float = 4.0  # smoothing of the displacement field, pixels

    def __post_init__(self) -> None:
        low, high = self.scale_range
        if not 0 < low <= high:
            raise ValueError(f"scale_range: need 0 < low <= high, got {self.scale_range}")
        for name in ("thicken_fraction", "thin_fraction", "elastic_fraction"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name}: a fraction in [0, 1], got {getattr(self, name)}")
        if self.thicken_fraction + self.thin_fraction > 1:
            raise ValueError("thicken_fraction + thin_fraction: at most 1")
        for name in ("max_shift_px", "max_rotation_deg", "max_shear", "elastic_alpha", "elastic_sigma"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must not be negative, got {getattr(self, name)}")


def augment(images: np.ndarray, rng: np.random.Generator, settings: Augmentation = Augmentation()) -> np.ndarray:
    """float32 (n, 784) in [0, 1] → the same digits, each distorted at random; same shape and range."""
    n = len(images)
    stack = np.asarray(images, dtype=np.float32).reshape(n, SIDE, SIDE)
    stack = _stroke_width(stack, rng, settings)
    rows, cols = _source_coordinates(n, rng, settings)
    index = np.broadcast_to(np.arange(n, dtype=np.float32)[:, None, None], rows.shape)
    warped = ndimage.map_coordinates(stack, [index, rows, cols], order=1, mode="constant", cval=0.0)
    return np.clip(warped, 0.0, 1.0).reshape(n, SIDE * SIDE).astype(np.float32)


def _stroke_width(stack: np.ndarray, rng: np.random.Generator, settings: Augmentation) -> np.ndarray:
    pick = rng.random(len(stack))
    thicken = pick < settings.thicken_fraction
    thin = (pick >= settings.thicken_fraction) & (pick < settings.thicken_fraction + settings.thin_fraction)
    out = stack.copy()
    if thicken.any():
        out[thicken] = ndimage.grey_dilation(stack[thicken], size=(1, 2, 2))
    if thin.any():
        # Erosion by a 2×2 box would erase MNIST's thinnest strokes; pulling the soft edge down keeps them.
        out[thin] = np.clip((stack[thin] - 0.35) / 0.65, 0.0, 1.0)
    return out


def _source_coordinates(n: int, rng: np.random.Generator, settings: Augmentation) -> tuple[np.ndarray, np.ndarray]:
    """For each output pixel of each image, where to read it in the source: an inverse affine map about the centre
    plus a smooth random displacement."""
    angle = np.radians(rng.uniform(-settings.max_rotation_deg, settings.max_rotation_deg, n))
    scale = rng.uniform(*settings.scale_range, n)
    shear = rng.uniform(-settings.max_shear, settings.max_shear, n)
    shift = rng.uniform(-settings.max_shift_px, settings.max_shift_px, (n, 2))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    centre = (SIDE - 1) / 2
    grid_rows, grid_cols = np.meshgrid(np.arange(SIDE) - centre, np.arange(SIDE) - centre, indexing="ij")
    out_rows = grid_rows[None] - shift[:, 0, None, None]
    out_cols = grid_cols[None] - shift[:, 1, None, None]
    rows = cos[:, None, None] * out_rows - sin[:, None, None] * out_cols
    cols = sin[:, None, None] * out_rows + cos[:, None, None] * out_cols + shear[:, None, None] * out_rows
    elastic = rng.random(n) < settings.elastic_fraction
    if elastic.any() and settings.elastic_alpha > 0:
        field = rng.uniform(-1, 1, (2, int(elastic.sum()), SIDE, SIDE)).astype(np.float32)
        sigma = (0, 0, settings.elastic_sigma, settings.elastic_sigma)
        field = ndimage.gaussian_filter(field, sigma=sigma, mode="constant") * settings.elastic_alpha
        rows[elastic] += field[0]
        cols[elastic] += field[1]
    return (rows + centre).astype(np.float32), (cols + centre).astype(np.float32)
