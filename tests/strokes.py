"""Pen-stroke digits and non-digits drawn the way a person draws on the Live Demo canvas with a mouse, made from
hand-written polylines: nothing here comes from MNIST or from the model's data.

A digit is one of a few shapes people draw for it (a "1" with or without a flag, an open or closed "4", a "7" with or
without a bar), then slanted, rotated, stretched, wobbled point by point, sized and placed on the 280×280 canvas and
drawn with a round pen of the chosen width: black ink on white, RGBA, as the canvas returns it. Non-digits are
scribbles, dots, letters and grids. Everything is decided by the numpy Generator passed in, so a seed gives the same
drawings on every machine.

    canvas = draw_digit(7, np.random.default_rng(0))               # (280, 280, 4) uint8
    strokes, width = digit_strokes(7, np.random.default_rng(0))    # canvas pixels, for a browser's mouse
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

CANVAS_PX = 280
NON_DIGIT_KINDS = ("scribble", "dots", "letter", "grid")
STROKE_WIDTHS = (10, 28)  # the Live Demo's slider runs 4-40 px, default 18
DIGIT_HEIGHTS = (90, 230)  # px on the 280 px canvas
STEP = 0.02  # distance between the points of a resampled stroke, in digit heights

Stroke = list[tuple[float, float]]


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Stroke:
    """Points along an ellipse from angle ``start`` to ``end`` in degrees; 0° points right, 90° down (y grows down)."""
    count = max(2, int(abs(end - start) / 10) + 1)
    angles = np.radians(np.linspace(start, end, count))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


# Each digit: the ways people draw it, each a list of strokes in a box 1 high and about 0.7 wide (x right, y down).
DIGIT_SHAPES: dict[int, list[list[Stroke]]] = {
    0: [
        [_arc(0.5, 0.5, 0.32, 0.5, -90, 275)],
        [_arc(0.5, 0.5, 0.28, 0.5, -80, -445)],
    ],
    1: [
        [[(0.5, 0.0), (0.5, 1.0)]],
        [[(0.28, 0.2), (0.52, 0.0), (0.52, 1.0)]],
        [[(0.3, 0.18), (0.52, 0.0), (0.52, 1.0)], [(0.3, 1.0), (0.74, 1.0)]],
    ],
    2: [
        [_arc(0.5, 0.3, 0.3, 0.3, 195, 390) + [(0.18, 1.0), (0.86, 1.0)]],
        [_arc(0.48, 0.28, 0.3, 0.28, 200, 370) + [(0.6, 0.6), (0.2, 1.0), (0.82, 0.97)]],
    ],
    3: [
        [_arc(0.48, 0.26, 0.3, 0.26, 205, 450) + _arc(0.48, 0.75, 0.33, 0.25, 270, 505)],
        [[(0.2, 0.02), (0.8, 0.02), (0.45, 0.42)] + _arc(0.5, 0.7, 0.32, 0.29, 260, 505)],
    ],
    4: [
        [[(0.62, 0.0), (0.1, 0.66), (0.88, 0.66)], [(0.66, 0.32), (0.66, 1.0)]],
        [[(0.18, 0.0), (0.14, 0.58), (0.86, 0.58)], [(0.7, 0.0), (0.7, 1.0)]],
    ],
    5: [
        [[(0.8, 0.0), (0.26, 0.0), (0.22, 0.44)] + _arc(0.48, 0.7, 0.32, 0.29, 225, 515)],
        [[(0.26, 0.0), (0.22, 0.44)] + _arc(0.48, 0.7, 0.32, 0.29, 225, 515), [(0.26, 0.0), (0.82, 0.0)]],
    ],
    6: [
        [[(0.72, 0.0), (0.48, 0.18), (0.3, 0.45), (0.24, 0.72)] + _arc(0.5, 0.75, 0.26, 0.25, 180, -165)],
        [_arc(0.9, 0.7, 0.66, 0.7, 245, 180) + _arc(0.48, 0.74, 0.24, 0.26, 180, -170)],
    ],
    7: [
        [[(0.12, 0.0), (0.86, 0.0), (0.38, 1.0)]],
        [[(0.12, 0.08), (0.15, 0.0), (0.86, 0.0), (0.42, 1.0)], [(0.36, 0.5), (0.8, 0.5)]],
    ],
    8: [
        [_arc(0.5, 0.25, 0.23, 0.25, 0, 360), _arc(0.5, 0.74, 0.29, 0.26, -90, 270)],
        [
            _arc(0.5, 0.25, 0.24, 0.25, -20, -270)
            + _arc(0.5, 0.75, 0.28, 0.25, -90, 270)
            + _arc(0.5, 0.25, 0.24, 0.25, 90, -20)
        ],
    ],
    9: [
        [_arc(0.48, 0.28, 0.28, 0.28, 0, -360) + [(0.74, 1.0)]],
        [_arc(0.46, 0.27, 0.27, 0.27, -10, -370) + [(0.73, 0.6), (0.62, 1.0)]],
    ],
}

# Capital letters that are no digit, as strokes in the same box.
LETTER_SHAPES: dict[str, list[Stroke]] = {
    "A": [[(0.05, 1.0), (0.5, 0.0), (0.95, 1.0)], [(0.25, 0.6), (0.75, 0.6)]],
    "E": [[(0.85, 0.0), (0.15, 0.0), (0.15, 1.0), (0.85, 1.0)], [(0.15, 0.5), (0.7, 0.5)]],
    "F": [[(0.85, 0.0), (0.15, 0.0), (0.15, 1.0)], [(0.15, 0.48), (0.7, 0.48)]],
    "H": [[(0.12, 0.0), (0.12, 1.0)], [(0.88, 0.0), (0.88, 1.0)], [(0.12, 0.5), (0.88, 0.5)]],
    "K": [[(0.15, 0.0), (0.15, 1.0)], [(0.85, 0.0), (0.15, 0.55), (0.85, 1.0)]],
    "M": [[(0.05, 1.0), (0.12, 0.0), (0.5, 0.6), (0.88, 0.0), (0.95, 1.0)]],
    "N": [[(0.12, 1.0), (0.12, 0.0), (0.88, 1.0), (0.88, 0.0)]],
    "R": [[(0.15, 1.0), (0.15, 0.0)] + _arc(0.4, 0.27, 0.35, 0.27, -90, 90) + [(0.15, 0.54), (0.85, 1.0)]],
    "W": [[(0.0, 0.0), (0.22, 1.0), (0.5, 0.35), (0.78, 1.0), (1.0, 0.0)]],
    "X": [[(0.1, 0.0), (0.9, 1.0)], [(0.9, 0.0), (0.1, 1.0)]],
}


def _resample(points: Stroke) -> np.ndarray:
    """The polyline with a point every STEP along it, as a pen's samples come in."""
    points = np.asarray(points, dtype=float)
    if len(points) == 1:
        return points
    lengths = np.hypot(*np.diff(points, axis=0).T)
    distance = np.concatenate([[0.0], np.cumsum(lengths)])
    samples = np.linspace(0.0, distance[-1], max(2, int(distance[-1] / STEP) + 1))
    return np.stack([np.interp(samples, distance, points[:, 0]), np.interp(samples, distance, points[:, 1])], axis=1)


def _wobble(points: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    """A hand's unsteadiness: smooth drift along the stroke plus a little per-sample tremor."""
    drift = np.cumsum(rng.normal(0.0, amount, points.shape), axis=0)
    drift -= np.linspace(0, 1, len(points))[:, None] * drift[-1]  # the stroke still ends where it was aimed
    kernel = np.ones(5) / 5
    smooth = np.stack([np.convolve(drift[:, axis], kernel, mode="same") for axis in (0, 1)], axis=1)
    return points + smooth + rng.normal(0.0, amount / 3, points.shape)


def _hand_drawn(shape: list[Stroke], rng: np.random.Generator, wobble: float = 0.006) -> list[np.ndarray]:
    """The shape as one person would draw it: slanted, turned, stretched and wobbly, in the unit box."""
    slant = rng.uniform(-0.1, 0.35)  # most hands lean right
    turn = math.radians(rng.uniform(-10, 10))
    stretch = rng.uniform(0.75, 1.3)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    drawn = []
    for stroke in shape:
        points = _resample(stroke)
        points = np.stack([0.5 + (points[:, 0] - 0.5) * stretch + slant * (0.5 - points[:, 1]), points[:, 1]], axis=1)
        points = (points - 0.5) @ rotation.T + 0.5
        drawn.append(_wobble(points, rng, wobble))
    return drawn


def _on_canvas(strokes: list[np.ndarray], rng: np.random.Generator, width: int, height_px: float) -> list[Stroke]:
    """Scale the drawing to ``height_px`` (its width follows) and put it somewhere it fits on the canvas."""
    everything = np.concatenate(strokes)
    low, high = everything.min(axis=0), everything.max(axis=0)
    scale = height_px / max(high[1] - low[1], 1e-6)
    size = (high - low) * scale
    room = CANVAS_PX - width
    if size.max() > room:
        scale *= room / size.max()
        size = (high - low) * scale
    offset = np.array([rng.uniform(width / 2, max(width / 2, CANVAS_PX - width / 2 - extent)) for extent in size])
    return [[(float(x), float(y)) for x, y in (stroke - low) * scale + offset] for stroke in strokes]


def render(strokes: list[Stroke], width: int) -> np.ndarray:
    """Draw the strokes with a round pen: black ink on a white, opaque 280×280 RGBA canvas."""
    image = Image.new("RGBA", (CANVAS_PX, CANVAS_PX), (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    radius = width / 2
    for stroke in strokes:
        if len(stroke) > 1:
            pen.line(stroke, fill=(0, 0, 0, 255), width=width, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(0, 0, 0, 255))
    return np.asarray(image)


def _pen(rng: np.random.Generator) -> int:
    return int(rng.integers(STROKE_WIDTHS[0], STROKE_WIDTHS[1] + 1))


def digit_strokes(digit: int, rng: np.random.Generator) -> tuple[list[Stroke], int]:
    """One hand-drawn ``digit`` as strokes in canvas pixels, and the pen width."""
    shapes = DIGIT_SHAPES[digit]
    shape = shapes[int(rng.integers(len(shapes)))]
    width = _pen(rng)
    return _on_canvas(_hand_drawn(shape, rng), rng, width, rng.uniform(*DIGIT_HEIGHTS)), width


def draw_digit(digit: int, rng: np.random.Generator) -> np.ndarray:
    return render(*digit_strokes(digit, rng))


def _scribble(rng: np.random.Generator) -> list[np.ndarray]:
    """A tangle: a pen that keeps turning, crossing itself, over most of the box."""
    heading, turning = rng.uniform(0, 2 * math.pi), rng.uniform(0.1, 0.4) * rng.choice([-1, 1])
    points, position = [], np.array([0.5, 0.5])
    for _ in range(int(rng.integers(80, 140))):
        turning = float(np.clip(turning + rng.normal(0, 0.3), -0.7, 0.7))
        heading += turning
        position = np.clip(position + 0.07 * np.array([math.cos(heading), math.sin(heading)]), 0.0, 1.0)
        points.append(position.copy())
    return [_resample(points)]


def _dots(rng: np.random.Generator) -> list[np.ndarray]:
    """A few dabs of the pen, scattered."""
    centres = rng.uniform(0.0, 1.0, (int(rng.integers(2, 7)), 2))
    return [np.array([centre, centre + rng.normal(0, 0.01, 2)]) for centre in centres]


def _grid(rng: np.random.Generator) -> list[Stroke]:
    """Two to four lines each way, crossing: a # or a noughts-and-crosses board."""
    rows = np.sort(rng.uniform(0.1, 0.9, int(rng.integers(2, 5))))
    columns = np.sort(rng.uniform(0.1, 0.9, int(rng.integers(2, 5))))
    return [[(0.0, y), (1.0, y)] for y in rows] + [[(x, 0.0), (x, 1.0)] for x in columns]


def non_digit_strokes(kind: str, rng: np.random.Generator) -> tuple[list[Stroke], int]:
    """One drawing of ``kind`` (scribble, dots, letter, grid) as strokes in canvas pixels, and the pen width."""
    width = _pen(rng)
    if kind == "scribble":
        strokes = _hand_drawn([[tuple(p) for p in _scribble(rng)[0]]], rng, wobble=0.003)
    elif kind == "dots":
        strokes = _dots(rng)
    elif kind == "letter":
        letters = sorted(LETTER_SHAPES)
        strokes = _hand_drawn(LETTER_SHAPES[letters[int(rng.integers(len(letters)))]], rng)
    elif kind == "grid":
        strokes = _hand_drawn(_grid(rng), rng, wobble=0.003)
    else:
        raise ValueError(f"kind: one of {', '.join(NON_DIGIT_KINDS)}, got {kind!r}")
    height = rng.uniform(120, 250) if kind in ("dots", "scribble") else rng.uniform(*DIGIT_HEIGHTS)
    return _on_canvas(strokes, rng, width, height), width


def draw_non_digit(kind: str, rng: np.random.Generator) -> np.ndarray:
    return render(*non_digit_strokes(kind, rng))


def digit_set(per_digit: int, seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """``per_digit`` drawings of each digit 0-9, in order, and their labels."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_digit)
    return [draw_digit(int(digit), rng) for digit in labels], labels


def non_digit_set(per_kind: int, seed: int) -> tuple[list[np.ndarray], list[str]]:
    """``per_kind`` drawings of each non-digit kind, in order, and their kinds."""
    rng = np.random.default_rng(seed)
    kinds = [kind for kind in NON_DIGIT_KINDS for _ in range(per_kind)]
    return [draw_non_digit(kind, rng) for kind in kinds], kinds
