"""Pen-stroke drawings made from templates, independent of MNIST: digits, and things that are not digits (letters,
scribbles, dots, grids, shapes), drawn on a 280×280 canvas the way a mouse draws them in the Live Demo.

They train the demo model to give a flat answer to what is not a digit, calibrate its "not sure" thresholds, and
measure both. Each call takes its own numpy Generator, so one seed gives the same drawings on every machine.
Pure numpy and Pillow: no Keras here."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

CANVAS_PX = 280
Stroke = list[tuple[float, float]]
NON_DIGIT_KINDS = ("letter", "scribble", "dots", "grid", "shape")


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, points: int = 28) -> Stroke:
    """Points along an ellipse in the unit box (y down); angles in degrees, 0 at the right, 90 at the bottom."""
    angles = np.radians(np.linspace(start, end, points))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def _joined(*parts: Stroke) -> Stroke:
    return [point for part in parts for point in part]


# Each digit has the styles people draw with a mouse; a style is a list of strokes in the unit box.
DIGIT_STYLES: dict[int, list[list[Stroke]]] = {
    0: [
        [arc(0.5, 0.5, 0.32, 0.48, -90, 270)],
        [arc(0.5, 0.5, 0.28, 0.47, -80, 285)],
        [arc(0.5, 0.5, 0.38, 0.46, 250, -100)],
    ],
    1: [
        [[(0.5, 0.0), (0.5, 1.0)]],
        [[(0.3, 0.2), (0.55, 0.0), (0.55, 1.0)]],
        [[(0.3, 0.18), (0.52, 0.0), (0.52, 1.0)], [(0.3, 1.0), (0.75, 1.0)]],
    ],
    2: [
        [_joined(arc(0.5, 0.3, 0.3, 0.28, 200, 390), [(0.18, 1.0), (0.85, 1.0)])],
        [_joined(arc(0.48, 0.28, 0.3, 0.26, 190, 360), [(0.7, 0.55), (0.2, 1.0), (0.85, 0.98)])],
        [
            _joined(
                arc(0.5, 0.3, 0.32, 0.3, 210, 380), [(0.2, 0.95)], arc(0.35, 0.82, 0.15, 0.15, 180, 90), [(0.9, 1.0)]
            )
        ],
    ],
    3: [
        [_joined(arc(0.45, 0.26, 0.3, 0.25, 200, 450), arc(0.45, 0.75, 0.33, 0.25, 270, 520))],
        [_joined([(0.2, 0.02), (0.8, 0.02), (0.45, 0.42)], arc(0.45, 0.7, 0.32, 0.28, 270, 515))],
        [_joined(arc(0.48, 0.25, 0.28, 0.24, 210, 440), [(0.38, 0.5)], arc(0.48, 0.74, 0.32, 0.26, 260, 510))],
    ],
    4: [
        [[(0.62, 0.0), (0.12, 0.66), (0.88, 0.66)], [(0.66, 0.3), (0.66, 1.0)]],
        [[(0.28, 0.0), (0.22, 0.58), (0.86, 0.58)], [(0.7, 0.05), (0.7, 1.0)]],
        [[(0.3, 0.0), (0.2, 0.55), (0.75, 0.55)], [(0.75, 0.0), (0.75, 1.0)]],
    ],
    5: [
        [[(0.8, 0.02), (0.3, 0.02), (0.27, 0.45)], arc(0.48, 0.68, 0.3, 0.3, 225, 520)],
        [_joined([(0.3, 0.02), (0.26, 0.46)], arc(0.5, 0.68, 0.3, 0.3, 230, 515)), [(0.3, 0.02), (0.82, 0.0)]],
        [_joined([(0.78, 0.0), (0.28, 0.0), (0.25, 0.42)], arc(0.46, 0.7, 0.33, 0.28, 215, 500))],
    ],
    6: [
        [_joined(arc(0.8, 0.62, 0.56, 0.6, 250, 180), arc(0.5, 0.72, 0.27, 0.27, 180, -180))],
        [_joined([(0.7, 0.0), (0.3, 0.5)], arc(0.5, 0.72, 0.28, 0.27, 200, -160))],
        [_joined(arc(0.75, 0.65, 0.5, 0.65, 260, 175), arc(0.48, 0.74, 0.25, 0.25, 180, -170))],
    ],
    7: [
        [[(0.15, 0.0), (0.85, 0.0), (0.4, 1.0)]],
        [[(0.15, 0.0), (0.85, 0.0), (0.45, 1.0)], [(0.35, 0.5), (0.8, 0.5)]],
        [[(0.18, 0.12), (0.2, 0.0), (0.82, 0.0), (0.55, 0.45), (0.45, 1.0)]],
    ],
    8: [
        [arc(0.5, 0.26, 0.25, 0.25, 90, 450), arc(0.5, 0.74, 0.3, 0.26, -90, 270)],
        [
            _joined(
                arc(0.5, 0.25, 0.26, 0.24, 0, -270), [(0.7, 0.62)], arc(0.5, 0.75, 0.28, 0.25, -40, 220), [(0.7, 0.3)]
            )
        ],
        [arc(0.5, 0.27, 0.22, 0.26, 90, 450), arc(0.5, 0.75, 0.32, 0.24, -90, 270)],
    ],
    9: [
        [_joined(arc(0.5, 0.3, 0.28, 0.28, 0, -360), [(0.75, 1.0)])],
        [_joined(arc(0.5, 0.28, 0.27, 0.27, 10, -350), arc(0.3, 0.3, 0.48, 0.7, 0, 90))],
        [arc(0.45, 0.28, 0.27, 0.27, 0, 360), [(0.72, 0.1), (0.72, 1.0)]],
    ],
}

# Letters a person might try on the demo, upper and lower case, including a few that look like digits (O, I, S,
# Z, b, g): a fair test needs them; training leaves those out, so the model is never taught that a 0 is not a digit.
LETTER_STROKES: dict[str, list[Stroke]] = {
    "A": [[(0.1, 1.0), (0.5, 0.0), (0.9, 1.0)], [(0.28, 0.6), (0.72, 0.6)]],
    "B": [
        [(0.2, 0.0), (0.2, 1.0)],
        _joined([(0.2, 0.0)], arc(0.5, 0.25, 0.3, 0.25, -90, 90), arc(0.5, 0.75, 0.35, 0.25, -90, 90), [(0.2, 1.0)]),
    ],
    "C": [arc(0.55, 0.5, 0.42, 0.5, -40, -320)],
    "E": [[(0.8, 0.0), (0.2, 0.0), (0.2, 1.0), (0.8, 1.0)], [(0.2, 0.5), (0.65, 0.5)]],
    "F": [[(0.8, 0.0), (0.2, 0.0), (0.2, 1.0)], [(0.2, 0.5), (0.65, 0.5)]],
    "G": [_joined(arc(0.52, 0.5, 0.42, 0.5, -40, -360), [(0.94, 0.55), (0.6, 0.55)])],
    "H": [[(0.15, 0.0), (0.15, 1.0)], [(0.85, 0.0), (0.85, 1.0)], [(0.15, 0.5), (0.85, 0.5)]],
    "I": [[(0.5, 0.0), (0.5, 1.0)], [(0.3, 0.0), (0.7, 0.0)], [(0.3, 1.0), (0.7, 1.0)]],
    "K": [[(0.2, 0.0), (0.2, 1.0)], [(0.8, 0.0), (0.2, 0.55), (0.85, 1.0)]],
    "L": [[(0.25, 0.0), (0.25, 1.0), (0.8, 1.0)]],
    "M": [[(0.1, 1.0), (0.15, 0.0), (0.5, 0.65), (0.85, 0.0), (0.9, 1.0)]],
    "N": [[(0.15, 1.0), (0.15, 0.0), (0.85, 1.0), (0.85, 0.0)]],
    "O": [arc(0.5, 0.5, 0.42, 0.5, -90, 270)],
    "P": [_joined([(0.2, 1.0), (0.2, 0.0)], arc(0.5, 0.27, 0.32, 0.27, -90, 90), [(0.2, 0.54)])],
    "R": [_joined([(0.2, 1.0), (0.2, 0.0)], arc(0.5, 0.27, 0.32, 0.27, -90, 90), [(0.2, 0.54), (0.85, 1.0)])],
    "S": [_joined(arc(0.5, 0.27, 0.3, 0.26, -20, -270), arc(0.5, 0.75, 0.32, 0.25, -90, 160))],
    "T": [[(0.1, 0.0), (0.9, 0.0)], [(0.5, 0.0), (0.5, 1.0)]],
    "U": [_joined([(0.15, 0.0)], arc(0.5, 0.65, 0.35, 0.35, 180, 0), [(0.85, 0.0)])],
    "V": [[(0.1, 0.0), (0.5, 1.0), (0.9, 0.0)]],
    "W": [[(0.05, 0.0), (0.27, 1.0), (0.5, 0.35), (0.73, 1.0), (0.95, 0.0)]],
    "X": [[(0.1, 0.0), (0.9, 1.0)], [(0.9, 0.0), (0.1, 1.0)]],
    "Y": [[(0.1, 0.0), (0.5, 0.5), (0.9, 0.0)], [(0.5, 0.5), (0.5, 1.0)]],
    "Z": [[(0.1, 0.0), (0.9, 0.0), (0.1, 1.0), (0.9, 1.0)]],
    "a": [arc(0.45, 0.7, 0.32, 0.3, -20, 340), [(0.78, 0.4), (0.8, 1.0)]],
    "b": [[(0.2, 0.0), (0.2, 1.0)], arc(0.5, 0.7, 0.3, 0.3, 180, 540)],
    "e": [_joined([(0.15, 0.65), (0.85, 0.65)], arc(0.5, 0.68, 0.35, 0.32, 0, -300))],
    "g": [arc(0.5, 0.3, 0.3, 0.28, 0, 360), _joined([(0.8, 0.2), (0.8, 0.8)], arc(0.5, 0.8, 0.3, 0.2, 0, 160))],
    "h": [[(0.2, 0.0), (0.2, 1.0)], _joined(arc(0.5, 0.65, 0.3, 0.25, 180, 360), [(0.8, 1.0)])],
    "k": [[(0.2, 0.0), (0.2, 1.0)], [(0.75, 0.35), (0.2, 0.7), (0.8, 1.0)]],
    "m": [
        _joined([(0.05, 1.0), (0.05, 0.35)], arc(0.27, 0.55, 0.22, 0.2, 180, 360), [(0.5, 1.0)]),
        _joined(arc(0.72, 0.55, 0.22, 0.2, 180, 360), [(0.94, 1.0)]),
    ],
    "n": [_joined([(0.15, 1.0), (0.15, 0.3)], arc(0.5, 0.55, 0.35, 0.25, 180, 360), [(0.85, 1.0)])],
    "r": [_joined([(0.25, 1.0), (0.25, 0.3)], arc(0.55, 0.55, 0.3, 0.22, 180, 290))],
    "t": [[(0.45, 0.0), (0.45, 0.85), (0.7, 1.0)], [(0.15, 0.3), (0.8, 0.3)]],
    "u": [_joined([(0.15, 0.3)], arc(0.5, 0.7, 0.35, 0.3, 180, 0), [(0.85, 0.3), (0.85, 1.0)])],
    "v": [[(0.1, 0.3), (0.5, 1.0), (0.9, 0.3)]],
    "w": [[(0.05, 0.3), (0.27, 1.0), (0.5, 0.5), (0.73, 1.0), (0.95, 0.3)]],
    "x": [[(0.15, 0.3), (0.85, 1.0)], [(0.85, 0.3), (0.15, 1.0)]],
    "y": [[(0.15, 0.3), (0.5, 0.75)], [(0.85, 0.3), (0.3, 1.2)]],
}
DIGIT_LIKE_LETTERS = frozenset("BGIOSZbg")


def _unit_strokes_in_canvas(strokes: list[Stroke], rng: np.random.Generator, size_px: float) -> list[np.ndarray]:
    """Template strokes → canvas pixels: a random slant, rotation, aspect and place, each point a little off, as a
    hand on a mouse draws. `size_px` is the drawing's height."""
    angle = math.radians(rng.normal(0, 7))
    shear = rng.normal(0, 0.12)
    aspect = rng.uniform(0.7, 1.2)
    transform = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]]) @ np.array(
        [[aspect, shear], [0.0, 1.0]]
    )
    placed = []
    for stroke in strokes:
        points = _densified(np.asarray(stroke, dtype=np.float64))
        wobble = _smooth_noise(len(points), rng, scale=0.025)
        placed.append(((points - 0.5) + wobble) @ transform.T * size_px)
    every = np.concatenate(placed)
    low, high = every.min(axis=0), every.max(axis=0)
    margin = 12
    span = np.maximum(CANVAS_PX - 2 * margin - (high - low), 0)
    offset = margin - low + rng.uniform(0, 1, 2) * span
    return [stroke + offset for stroke in placed]


def _densified(points: np.ndarray, step: float = 0.04) -> np.ndarray:
    """Extra points along each straight segment, so that the hand's wobble bends long lines too."""
    deltas = np.diff(points, axis=0)
    pieces = np.maximum(1, (np.linalg.norm(deltas, axis=1) / step).astype(int))
    segment = np.repeat(np.arange(len(deltas)), pieces)
    within = np.arange(len(segment)) - np.repeat(np.cumsum(pieces) - pieces, pieces) + 1
    fractions = (within / pieces[segment])[:, None]
    return np.concatenate([points[:1], points[segment] + deltas[segment] * fractions])


def _smooth_noise(length: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """A slowly varying 2-D offset per point: the hand drifts, it does not shake."""
    knots = max(2, length // 8 + 2)
    coarse = rng.normal(0, scale, (knots, 2))
    positions = np.linspace(0, knots - 1, length)
    return np.stack([np.interp(positions, np.arange(knots), coarse[:, axis]) for axis in (0, 1)], axis=1)


def render(strokes: list[np.ndarray], width_px: float) -> np.ndarray:
    """Canvas-pixel strokes → the canvas's RGBA array: black ink on white, round pen, as streamlit-drawable-canvas."""
    image = Image.new("L", (CANVAS_PX, CANVAS_PX), 255)
    pen = ImageDraw.Draw(image)
    radius = width_px / 2
    for stroke in strokes:
        points = [tuple(p) for p in stroke]
        if len(points) > 1:
            pen.line(points, fill=0, width=max(1, round(width_px)))
        # A round pen: a disc at every vertex rounds the joints and the ends (Pillow's own round joints are slow).
        for x, y in points:
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)
    gray = np.asarray(image)
    return np.dstack([gray, gray, gray, np.full_like(gray, 255)])


def _pen_width(rng: np.random.Generator) -> float:
    return float(rng.uniform(8, 30))


def draw_digit(digit: int, rng: np.random.Generator) -> np.ndarray:
    if digit not in DIGIT_STYLES:
        raise ValueError(f"digit: must be 0..9, got {digit!r}")
    styles = DIGIT_STYLES[digit]
    strokes = styles[int(rng.integers(len(styles)))]
    return render(_unit_strokes_in_canvas(strokes, rng, rng.uniform(90, 235)), _pen_width(rng))


def draw_letter(letter: str, rng: np.random.Generator) -> np.ndarray:
    return render(_unit_strokes_in_canvas(LETTER_STROKES[letter], rng, rng.uniform(90, 230)), _pen_width(rng))


def _scribble(rng: np.random.Generator) -> list[np.ndarray]:
    """A tangle: a smooth curve through random points, sometimes a spiral or a zigzag."""
    style = rng.integers(3)
    if style == 0:
        knots = rng.uniform(0.05, 0.95, (int(rng.integers(6, 16)), 2))
        positions = np.linspace(0, len(knots) - 1, 30 * len(knots))
        curve = np.stack([np.interp(positions, np.arange(len(knots)), knots[:, a]) for a in (0, 1)], axis=1)
        curve = _moving_average(curve, 9)
    elif style == 1:
        turns = rng.uniform(2, 4.5)
        t = np.linspace(0, 1, 200)
        radius = 0.05 + 0.45 * t
        curve = 0.5 + np.stack([radius * np.cos(turns * 2 * np.pi * t), radius * np.sin(turns * 2 * np.pi * t)], 1)
    else:
        teeth = int(rng.integers(4, 9))
        xs = np.linspace(0.05, 0.95, teeth * 2 + 1)
        ys = np.where(np.arange(len(xs)) % 2 == 0, rng.uniform(0.1, 0.3), rng.uniform(0.7, 0.9))
        curve = np.stack([xs, ys], axis=1)
        if rng.random() < 0.5:
            curve = curve[:, ::-1]
    return _unit_strokes_in_canvas([curve.tolist()], rng, rng.uniform(120, 240))


def _moving_average(points: np.ndarray, window: int) -> np.ndarray:
    kernel = np.ones(window) / window
    padded = np.concatenate([np.repeat(points[:1], window // 2, 0), points, np.repeat(points[-1:], window // 2, 0)])
    return np.stack([np.convolve(padded[:, a], kernel, mode="valid") for a in (0, 1)], axis=1)


def _dots(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    count = int(rng.choice([1, 1, 2, 3, 4, 6, 9]))
    centres = rng.uniform(30, CANVAS_PX - 30, (count, 2))
    strokes = [np.array([c, c + rng.normal(0, 2, 2)]) for c in centres]
    return strokes, float(rng.uniform(10, 40))


def _grid(rng: np.random.Generator) -> list[np.ndarray]:
    """Lines across and down: a #, a tic-tac-toe board, a lattice, sometimes crossed or boxed."""
    across = int(rng.integers(2, 6))
    down = int(rng.integers(2, 6))
    strokes: list[Stroke] = []
    for y in np.linspace(0.1, 0.9, across):
        strokes.append([(0.0, float(y)), (1.0, float(y))])
    for x in np.linspace(0.1, 0.9, down):
        strokes.append([(float(x), 0.0), (float(x), 1.0)])
    if rng.random() < 0.3:
        strokes.append([(0.0, 0.0), (1.0, 1.0)])
    if rng.random() < 0.3:
        strokes.append([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)])
    return _unit_strokes_in_canvas(strokes, rng, rng.uniform(140, 240))


def _shape(rng: np.random.Generator) -> list[np.ndarray]:
    """Things people doodle: a star, a triangle, a square, an arrow, a heart, a smiley, a cross, a tick."""
    pick = int(rng.integers(8))
    if pick == 0:
        angles = np.radians(-90 + 144 * np.arange(6))
        strokes = [list(zip(0.5 + 0.5 * np.cos(angles), 0.5 + 0.5 * np.sin(angles)))]
    elif pick == 1:
        strokes = [[(0.5, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.0)]]
    elif pick == 2:
        strokes = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    elif pick == 3:
        strokes = [[(0.0, 0.5), (1.0, 0.5)], [(0.65, 0.2), (1.0, 0.5), (0.65, 0.8)]]
    elif pick == 4:
        strokes = [
            _joined(
                arc(0.27, 0.3, 0.23, 0.22, 150, 360),
                [(0.5, 0.35)],
                arc(0.73, 0.3, 0.23, 0.22, 180, 390),
                [(0.5, 1.0), (0.06, 0.4)],
            )
        ]
    elif pick == 5:
        strokes = [
            arc(0.5, 0.5, 0.5, 0.5, 0, 360),
            arc(0.5, 0.55, 0.28, 0.22, 20, 160),
            [(0.33, 0.3), (0.34, 0.34)],
            [(0.67, 0.3), (0.66, 0.34)],
        ]
    elif pick == 6:
        strokes = [[(0.5, 0.0), (0.5, 1.0)], [(0.0, 0.5), (1.0, 0.5)]]
    else:
        strokes = [[(0.0, 0.55), (0.35, 1.0), (1.0, 0.0)]]
    return _unit_strokes_in_canvas(strokes, rng, rng.uniform(90, 230))


def draw_non_digit(kind: str, rng: np.random.Generator, letters: str | None = None) -> np.ndarray:
    """One drawing of `kind` (one of NON_DIGIT_KINDS); letters limits which letters a "letter" may be."""
    if kind == "letter":
        pool = letters if letters is not None else "".join(LETTER_STROKES)
        return draw_letter(pool[int(rng.integers(len(pool)))], rng)
    if kind == "scribble":
        return render(_scribble(rng), _pen_width(rng))
    if kind == "dots":
        strokes, width = _dots(rng)
        return render(strokes, width)
    if kind == "grid":
        return render(_grid(rng), _pen_width(rng))
    if kind == "shape":
        return render(_shape(rng), _pen_width(rng))
    raise ValueError(f"kind: one of {', '.join(NON_DIGIT_KINDS)}, got {kind!r}")


def digit_drawings(count: int, seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """`count` canvases of digits, the ten in turn, and their labels."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % 10
    return [draw_digit(int(d), rng) for d in labels], labels


def non_digit_drawings(
    count: int, seed: int, kinds: tuple[str, ...] = NON_DIGIT_KINDS, digit_like_letters: bool = True
) -> tuple[list[np.ndarray], list[str]]:
    """`count` canvases of non-digits, the kinds in turn, and each one's kind."""
    rng = np.random.default_rng(seed)
    letters = "".join(c for c in LETTER_STROKES if digit_like_letters or c not in DIGIT_LIKE_LETTERS)
    chosen = [kinds[i % len(kinds)] for i in range(count)]
    return [draw_non_digit(kind, rng, letters) for kind in chosen], chosen


def mnist_drawing(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 28×28 MNIST digit redrawn as the canvas would hold it: dark ink on white, 60–240 px on its longer side at
    a random place, smoothly scaled."""
    ink = (np.asarray(pixels, dtype=np.float32).reshape(28, 28) * 255).astype(np.uint8)
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    crop = Image.fromarray(ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    scale = float(rng.uniform(60, 240)) / max(crop.size)
    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
    stroke = np.asarray(crop.resize(size, Image.Resampling.BILINEAR))
    top = int(rng.integers(0, CANVAS_PX - size[1] + 1))
    left = int(rng.integers(0, CANVAS_PX - size[0] + 1))
    canvas = np.zeros((CANVAS_PX, CANVAS_PX), dtype=np.uint8)
    canvas[top : top + size[1], left : left + size[0]] = stroke
    gray = 255 - canvas
    return np.dstack([gray, gray, gray, np.full_like(gray, 255)])


def prepared(canvases: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Canvases → what the model sees, float32 (n, 784), through the Live Demo's own preprocessing, and each
    drawing's ink extent."""
    from core.demo.preprocess import preprocess_with_extent

    results = [preprocess_with_extent(canvas) for canvas in canvases]
    pixels = np.stack([result[0].reshape(-1) for result in results]).astype(np.float32)
    return pixels, np.array([result[1] for result in results])
