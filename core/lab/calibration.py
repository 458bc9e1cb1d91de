"""When a model should say "I'm not sure that's a digit": thresholds calibrated per model, stored beside it.

A prediction is unsure when any of these holds:
- low confidence: the top probability is under `min_confidence`;
- a flat answer: the entropy of the ten probabilities (as a fraction of the most a ten-way answer can have) is
  over `max_entropy`;
- too little ink: the ink spans less than `min_ink_extent` of the image (a dot, a speck), when the image is known;
- far from the training digits: the 28×28 the model sees lies further from the training digits' principal
  subspace than `max_distance` (reconstruction error from the training digits' principal components).

Thresholds come from held-out MNIST digits drawn on a canvas and pen-stroke digits (they must pass), and pen-stroke
non-digits (letters, scribbles, dots, grids, shapes; they should not), all from core.lab.synthetic: each threshold
is the quantile of the digits that lets through all but a small share of them, and the combination that catches
the most non-digits within the budget is kept. A second, separately seeded set measures the result.

Stored as JSON beside the model (run-7.keras → run-7.calibration.json), written atomically. Pure numpy."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SIDECAR_SUFFIX = ".calibration.json"
FORMAT_VERSION = 1
# Share of held-out digits the thresholds together may turn away: the demo must read at least 95 % of drawn digits.
DIGIT_BUDGET = 0.02
DEFAULT_MIN_CONFIDENCE = 0.5
MAX_INK_EXTENT_THRESHOLD = 0.12  # never call a drawing "too little ink" when it spans more than this of the image
PRINCIPAL_COMPONENTS = 40
CALIBRATION_SEED = 7_001
MEASUREMENT_SEED = 9_001
REASONS = {
    "confidence": "low confidence",
    "entropy": "a flat answer across digits",
    "ink": "too little ink",
    "distance": "unlike the training digits",
}


@dataclass(frozen=True)
class Calibration:
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    max_entropy: float = 1.0
    min_ink_extent: float = 0.0
    max_distance: float = math.inf
    source: str = "default"  # "calibrated": fitted to this model; "default": no sidecar, confidence only
    measured: dict = field(default_factory=dict)
    subspace: Subspace | None = field(default=None, repr=False, compare=False)

    def judge(self, probabilities: np.ndarray, pixels: np.ndarray | None = None, ink_extent: float | None = None):
        """(unsure, reasons) for one prediction's ten probabilities, the 28×28 it saw and its ink extent."""
        probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
        reasons = []
        if float(probabilities.max()) < self.min_confidence:
            reasons.append(REASONS["confidence"])
        if float(normalised_entropy(probabilities[None])[0]) > self.max_entropy:
            reasons.append(REASONS["entropy"])
        if ink_extent is not None and ink_extent < self.min_ink_extent:
            reasons.append(REASONS["ink"])
        if pixels is not None and float(self.distances(pixels)[0]) > self.max_distance:
            reasons.append(REASONS["distance"])
        return bool(reasons), tuple(reasons)

    def distances(self, pixels: np.ndarray) -> np.ndarray:
        """Root-mean-square reconstruction error of (n, 784) pixels from the training digits' principal subspace."""
        pixels = np.asarray(pixels, dtype=np.float32).reshape(-1, 784)
        if self.subspace is None:
            return np.zeros(len(pixels))
        return self.subspace.distances(pixels)

    def unsure_mask(self, probabilities: np.ndarray, pixels: np.ndarray, ink_extents: np.ndarray | None) -> np.ndarray:
        """judge() for many predictions at once."""
        unsure = probabilities.max(axis=1) < self.min_confidence
        unsure |= normalised_entropy(probabilities) > self.max_entropy
        if ink_extents is not None:
            unsure |= np.asarray(ink_extents) < self.min_ink_extent
        if self.subspace is not None:
            unsure |= self.distances(pixels) > self.max_distance
        return unsure

    def to_json(self) -> dict:
        return {
            "version": FORMAT_VERSION,
            "min_confidence": self.min_confidence,
            "max_entropy": self.max_entropy,
            "min_ink_extent": self.min_ink_extent,
            "max_distance": None if math.isinf(self.max_distance) else self.max_distance,
            "source": self.source,
            "measured": self.measured,
            "subspace": self.subspace.to_json() if self.subspace is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise ValueError("calibration: unknown format")
        values = {key: data[key] for key in ("min_confidence", "max_entropy", "min_ink_extent", "source")}
        distance = data.get("max_distance")
        return cls(
            **values,
            max_distance=math.inf if distance is None else float(distance),
            measured=data.get("measured") or {},
            subspace=Subspace.from_json(data["subspace"]) if data.get("subspace") else None,
        )


class Subspace:
    """The training digits' mean and leading principal components (rows): how far an input lies from the digits
    is the root-mean-square of what the components cannot reconstruct."""

    def __init__(self, mean: np.ndarray, components: np.ndarray):
        self.mean = np.asarray(mean, dtype=np.float32).reshape(-1)
        self.components = np.asarray(components, dtype=np.float32).reshape(-1, self.mean.size)

    @classmethod
    def fit(cls, x_train: np.ndarray, components: int = PRINCIPAL_COMPONENTS) -> Subspace:
        x = np.asarray(x_train, dtype=np.float64)
        mean = x.mean(axis=0)
        _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
        return cls(mean, vt[:components])

    def distances(self, pixels: np.ndarray) -> np.ndarray:
        centred = np.asarray(pixels, dtype=np.float32).reshape(len(pixels), -1) - self.mean
        residual = centred - (centred @ self.components.T) @ self.components
        return np.sqrt(np.mean(residual * residual, axis=1)).astype(np.float64)

    def to_json(self) -> dict:
        # Five decimals keep the reconstruction within 1e-4 and the file at a few hundred kB.
        return {"mean": np.round(self.mean, 5).tolist(), "components": np.round(self.components, 5).tolist()}

    @classmethod
    def from_json(cls, data: dict) -> Subspace:
        return cls(np.asarray(data["mean"]), np.asarray(data["components"]))


def normalised_entropy(probabilities: np.ndarray) -> np.ndarray:
    """Entropy of each row as a fraction of log(10): 0 for a certain answer, 1 for a uniform one."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-12, 1.0)
    return -(p * np.log(p)).sum(axis=1) / math.log(p.shape[1])


def sidecar_path(model_path: str | os.PathLike) -> Path:
    path = Path(model_path)
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def write_sidecar(model_path: str | os.PathLike, calibration: Calibration) -> Path:
    """Beside the model, atomically: a reader sees the old file or the new one, never half of one."""
    target = sidecar_path(model_path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(calibration.to_json(), allow_nan=False))
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def read_sidecar(model_path: str | os.PathLike) -> Calibration:
    """The model's calibration, or the default (confidence only) when it has none or it cannot be read."""
    path = sidecar_path(model_path)
    try:
        return Calibration.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return Calibration()


@dataclass(frozen=True)
class Scored:
    """Model outputs on one set of drawings: probabilities, the 28×28 inputs, ink extents, and what they are."""

    probabilities: np.ndarray
    pixels: np.ndarray
    ink_extents: np.ndarray
    labels: np.ndarray  # digits 0..9, or -1 for a non-digit
    kinds: tuple[str, ...]


def fit_thresholds(
    digits: Scored, non_digits: Scored, subspace: Subspace | None, budget: float = DIGIT_BUDGET
) -> Calibration:
    """The combination of per-feature quantiles (each of the digits) that turns away at most `budget` of the
    digits and flags the most non-digits."""
    probe = Calibration(subspace=subspace)
    digit_features = _features(probe, digits)
    other_features = _features(probe, non_digits)
    shares = [0.0, 0.0025, 0.005, 0.01, 0.015, 0.02]
    best = None
    for confidence_share in shares:
        for entropy_share in shares:
            for ink_share in (0.0, 0.0025, 0.005):
                for distance_share in shares:
                    if confidence_share + entropy_share + ink_share + distance_share > budget + 1e-9:
                        continue
                    candidate = _thresholds(
                        digit_features, (confidence_share, entropy_share, ink_share, distance_share), subspace
                    )
                    digits_unsure = float(_unsure(candidate, digit_features).mean())
                    if digits_unsure > budget:
                        continue
                    caught = float(_unsure(candidate, other_features).mean())
                    score = (caught, -digits_unsure)
                    if best is None or score > best[0]:
                        best = (score, candidate)
    if best is None:
        # Even the confidence floor turns away more than the budget (a weak model): keep the floor alone.
        return _thresholds(digit_features, (0.0, 0.0, 0.0, 0.0), subspace)
    return best[1]


def _features(calibration: Calibration, scored: Scored) -> dict[str, np.ndarray]:
    return {
        "confidence": scored.probabilities.max(axis=1),
        "entropy": normalised_entropy(scored.probabilities),
        "ink": np.asarray(scored.ink_extents, dtype=np.float64),
        "distance": calibration.distances(scored.pixels),
    }


def _thresholds(features: dict[str, np.ndarray], shares: tuple[float, ...], subspace: Subspace | None) -> Calibration:
    confidence_share, entropy_share, ink_share, distance_share = shares
    min_confidence = float(np.quantile(features["confidence"], confidence_share)) if confidence_share else 0.0
    max_entropy = float(np.quantile(features["entropy"], 1 - entropy_share)) if entropy_share else 1.0
    min_ink = float(np.quantile(features["ink"], ink_share)) if ink_share else 0.0
    max_distance = float(np.quantile(features["distance"], 1 - distance_share)) if distance_share else math.inf
    return Calibration(
        # A digit the model is less than even-odds about is not a confident digit, whatever the quantile says.
        min_confidence=round(max(min_confidence, DEFAULT_MIN_CONFIDENCE), 6),
        max_entropy=round(max_entropy, 6),
        min_ink_extent=round(min(min_ink, MAX_INK_EXTENT_THRESHOLD), 6),
        max_distance=math.inf if math.isinf(max_distance) else round(max_distance, 6),
        source="calibrated",
        subspace=subspace if distance_share else None,
    )


def _unsure(calibration: Calibration, features: dict[str, np.ndarray]) -> np.ndarray:
    unsure = features["confidence"] < calibration.min_confidence
    unsure |= features["entropy"] > calibration.max_entropy
    unsure |= features["ink"] < calibration.min_ink_extent
    unsure |= features["distance"] > calibration.max_distance
    return unsure


def rates(calibration: Calibration, digits: Scored, non_digits: Scored) -> dict:
    """What the calibration does on one set: digits read right and sure, non-digits flagged, per kind."""
    digit_unsure = calibration.unsure_mask(digits.probabilities, digits.pixels, digits.ink_extents)
    right = digits.probabilities.argmax(axis=1) == digits.labels
    other_unsure = calibration.unsure_mask(non_digits.probabilities, non_digits.pixels, non_digits.ink_extents)
    kinds = np.asarray(non_digits.kinds)
    by_kind = {kind: round(float(other_unsure[kinds == kind].mean()), 4) for kind in sorted(set(non_digits.kinds))}
    digit_kinds = np.asarray(digits.kinds)
    digits_by_kind = {
        kind: round(float((right & ~digit_unsure)[digit_kinds == kind].mean()), 4) for kind in sorted(set(digits.kinds))
    }
    return {
        "digits": len(digits.labels),
        "digits_read_right_and_sure": round(float((right & ~digit_unsure).mean()), 4),
        "digits_read_right_and_sure_by_source": digits_by_kind,
        "digits_unsure": round(float(digit_unsure.mean()), 4),
        "non_digits": len(non_digits.labels),
        "non_digits_unsure": round(float(other_unsure.mean()), 4),
        "non_digits_unsure_by_kind": by_kind,
    }


def drawn_sets(
    seed: int, count: int, mnist_x: np.ndarray, mnist_y: np.ndarray, digit_like_letters: bool
) -> tuple[dict, dict]:
    """Digits (MNIST digits redrawn on a canvas, and pen-stroke digits) and pen-stroke non-digits, each through
    the Live Demo's preprocessing: {"pixels", "extents", "labels", "kinds"} for each of the two."""
    from core.lab import synthetic

    rng = np.random.default_rng(seed)
    mnist_canvases = [synthetic.mnist_drawing(pixels, rng) for pixels in mnist_x]
    pen_canvases, pen_labels = synthetic.digit_drawings(count, seed)
    other_canvases, other_kinds = synthetic.non_digit_drawings(count, seed, digit_like_letters=digit_like_letters)
    digit_pixels, digit_extents = synthetic.prepared(mnist_canvases + pen_canvases)
    other_pixels, other_extents = synthetic.prepared(other_canvases)
    digits = {
        "pixels": digit_pixels,
        "extents": digit_extents,
        "labels": np.concatenate([np.asarray(mnist_y), pen_labels]).astype(np.int64),
        "kinds": ("mnist drawn",) * len(mnist_x) + ("pen strokes",) * count,
    }
    others = {
        "pixels": other_pixels,
        "extents": other_extents,
        "labels": np.full(count, -1),
        "kinds": tuple(other_kinds),
    }
    return digits, others


def scored(probabilities_of, drawn: dict) -> Scored:
    return Scored(
        probabilities=np.asarray(probabilities_of(drawn["pixels"]), dtype=np.float64),
        pixels=drawn["pixels"],
        ink_extents=drawn["extents"],
        labels=drawn["labels"],
        kinds=drawn["kinds"],
    )


def calibrate(
    probabilities_of,
    x_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    count: int = 400,
    extra: dict | None = None,
) -> Calibration:
    """Fit a model's thresholds on one half of the held-out digits plus seeded drawings, and measure them on the
    other half plus differently seeded drawings (with the letters that look like digits). `probabilities_of`
    maps float32 (n, 784) to (n, 10) probabilities."""
    half = len(y_test) // 2
    subspace = Subspace.fit(x_train)
    fit_digits, fit_others = drawn_sets(CALIBRATION_SEED, count, x_test[:half], y_test[:half], False)
    calibration = fit_thresholds(scored(probabilities_of, fit_digits), scored(probabilities_of, fit_others), subspace)
    check_digits, check_others = drawn_sets(MEASUREMENT_SEED, count, x_test[half:], y_test[half:], True)
    measured = rates(calibration, scored(probabilities_of, check_digits), scored(probabilities_of, check_others))
    return Calibration(
        min_confidence=calibration.min_confidence,
        max_entropy=calibration.max_entropy,
        min_ink_extent=calibration.min_ink_extent,
        max_distance=calibration.max_distance,
        source="calibrated",
        measured={
            **measured,
            "digit_budget": DIGIT_BUDGET,
            "calibration_seed": CALIBRATION_SEED,
            "measurement_seed": MEASUREMENT_SEED,
            **(extra or {}),
        },
        subspace=calibration.subspace,
    )
