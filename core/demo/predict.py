"""Read handwritten digits with a stored model, or say that a drawing is not a digit it is sure of.

    python -m core.predict IMAGE [IMAGE ...] [--model PATH] [--json]

The default model is the best stored one (highest test accuracy, core.lab.runs.best_successful_run). Each answer
has `unsure` (the model's calibrated thresholds say it is not a confident digit, core.lab.calibration), `digit`
(null when unsure), `guess` (the most likely digit all the same), `confidence` and the reasons.

The model is called directly, `model(x, training=False)`, not `model.predict`, which builds a dataset and a step
function on every call. On TensorFlow that call is traced once into a graph: eagerly, Keras spends about 6 ms of
Python per call on this MLP, the graph under 1 ms. Calls share one lock, because a Streamlit server serves every
browser session from one cached model."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.cli import ArgumentParser, exit_with_error, native_stderr_silenced
from core.demo.int8 import INT8_SUFFIX
from core.demo.preprocess import FIELD_PX, ImageInputError, ImageSource, preprocess, preprocess_with_extent
from core.lab.calibration import Calibration, read_sidecar

_model_lock = threading.Lock()
INPUT_PIXELS = FIELD_PX * FIELD_PX


class ModelError(ValueError):
    """No usable model: none trained yet, or the file is missing or unreadable."""


@dataclass(frozen=True)
class Prediction:
    guess: int  # the most likely digit, even when unsure
    probabilities: tuple[float, ...]
    model_ms: float
    preprocess_ms: float = 0.0
    unsure: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def digit(self) -> int | None:
        """The digit read, or None when the model is not sure the drawing is a digit."""
        return None if self.unsure else self.guess

    @property
    def confidence(self) -> float:
        return self.probabilities[self.guess]

    @property
    def latency_ms(self) -> float:
        """From the image as given to the answer: preprocessing plus the model's forward pass."""
        return self.preprocess_ms + self.model_ms

    def top(self, k: int = 3) -> list[tuple[int, float]]:
        order = sorted(range(len(self.probabilities)), key=lambda d: -self.probabilities[d])
        return [(digit, self.probabilities[digit]) for digit in order[:k]]


def default_model_path() -> Path:
    """The model of the best stored run (highest test accuracy) whose file still exists."""
    from core.lab.runs import best_successful_run

    run = best_successful_run()
    if run is None:
        raise ModelError("model: no trained model yet; run `python -m core.train` or pass --model PATH")
    return Path(run["model_path"])


class DigitModel:
    """A loaded .keras model, its compiled forward pass and its "not sure" thresholds. Read-only once built: one
    is shared by every session."""

    kind = "float32"

    def __init__(self, keras_model, path: Path | None = None, calibration: Calibration | None = None):
        self.keras_model = keras_model
        self.path = path
        self.calibration = calibration or Calibration()
        self._forward = _compiled_forward(keras_model)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with _model_lock:
            return np.asarray(self._forward(x), dtype=np.float64)


def _compiled_forward(keras_model):
    from core.lab.model import import_keras

    if import_keras().backend.backend() != "tensorflow":
        return lambda x: keras_model(x, training=False)
    import tensorflow as tf

    spec = tf.TensorSpec([None, INPUT_PIXELS], tf.float32)
    return tf.function(lambda x: keras_model(x, training=False), input_signature=[spec])


def load_model(path: str | Path | None = None) -> DigitModel:
    """Load a saved .keras model (default: the latest successful run's) and run it once, so the first answer a
    user waits for does not pay for tracing the graph."""
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelError(f"model: {path} does not exist")
    if path.name.endswith(INT8_SUFFIX):
        return _load_int8(path)
    if not zipfile.is_zipfile(path):
        raise ModelError(f"model: {path} is not a .keras model file")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # a CLI's stderr is for its own one-line errors
    from core.lab.model import import_keras

    keras = import_keras()
    try:
        keras_model = keras.saving.load_model(path, compile=False)
    # What a damaged or foreign file raises depends on where the damage is: a missing archive member (KeyError),
    # unreadable or wrongly shaped JSON (ValueError, TypeError), truncated weights (OSError from HDF5).
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model: {path} is not a readable .keras model ({type(exc).__name__})") from None
    shapes = (tuple(keras_model.input_shape[1:]), tuple(keras_model.output_shape[1:]))
    if shapes != ((INPUT_PIXELS,), (10,)):
        raise ModelError(f"model: {path} maps {shapes[0]} to {shapes[1]}, not 784 pixels to 10 digits")
    model = DigitModel(keras_model, path, read_sidecar(path))
    model(np.zeros((1, INPUT_PIXELS), dtype=np.float32))
    return model


def _load_int8(path: Path):
    """An int8 TensorFlow Lite copy (core.lab.quantize), with the thresholds of the .keras model it was made from."""
    from core.demo.int8 import Int8Model

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    source = path.with_name(path.name[: -len(INT8_SUFFIX)] + ".keras")
    try:
        model = Int8Model(path, read_sidecar(source))
    except (ValueError, RuntimeError) as exc:
        raise ModelError(f"model: {path} is not a readable TensorFlow Lite model ({type(exc).__name__})") from None
    model(np.zeros((1, INPUT_PIXELS), dtype=np.float32))
    return model


def predict_probabilities(model, pixels: np.ndarray) -> np.ndarray:
    """(28, 28), (n, 28, 28) or (n, 784) pixels in [0, 1] → (n, 10) probabilities.

    `model` is a DigitModel from load_model, or a bare Keras model (called eagerly, under the same lock)."""
    x = np.asarray(pixels, dtype=np.float32).reshape(-1, INPUT_PIXELS)
    if isinstance(model, DigitModel) or getattr(model, "kind", None) == "int8":
        return model(x)
    with _model_lock:
        return np.asarray(model(x, training=False), dtype=np.float64)


def calibration_of(model) -> Calibration:
    """The model's stored thresholds; a bare Keras model gets the default (confidence only)."""
    return getattr(model, "calibration", None) or Calibration()


def predict_digit(model, pixels: np.ndarray, ink_extent: float | None = None, preprocess_ms: float = 0.0) -> Prediction:
    """One preprocessed 28×28 image → the digit (or "not sure"), all ten probabilities and the forward pass's time.

    ink_extent: how much of the original image the ink spans (from preprocess_with_extent), when known."""
    start = time.perf_counter()
    probabilities = predict_probabilities(model, pixels)[0]
    model_ms = (time.perf_counter() - start) * 1000
    unsure, reasons = calibration_of(model).judge(probabilities, pixels, ink_extent)
    return Prediction(
        int(np.argmax(probabilities)), tuple(float(p) for p in probabilities), model_ms, preprocess_ms, unsure, reasons
    )


def predict_image(model, source: ImageSource) -> tuple[Prediction, np.ndarray]:
    """A raw image (bytes, path, PIL image or array) → the prediction and the 28×28 the model saw.

    Raises ImageInputError (naming the problem) for anything that is not a readable image of a digit."""
    start = time.perf_counter()
    pixels, extent = preprocess_with_extent(source)
    preprocess_ms = (time.perf_counter() - start) * 1000
    return predict_digit(model, pixels, extent, preprocess_ms), pixels


def prediction_record(file: str, prediction: Prediction) -> dict:
    return {
        "file": file,
        "digit": prediction.digit,
        "probabilities": [round(p, 6) for p in prediction.probabilities],
        "latency_ms": round(prediction.latency_ms, 3),
        "model_ms": round(prediction.model_ms, 3),
        "preprocess_ms": round(prediction.preprocess_ms, 3),
        "unsure": prediction.unsure,
        "confidence": round(prediction.confidence, 6),
        "guess": prediction.guess,
        "reasons": list(prediction.reasons),
    }


def describe(prediction: Prediction) -> str:
    """One line for a person: the digit and how sure, or that it is not sure this is a digit."""
    if prediction.unsure:
        return (
            f"I'm not sure that's a digit (best guess {prediction.guess} at {prediction.confidence:.1%}; "
            f"{', '.join(prediction.reasons)})"
        )
    return f"{prediction.digit} ({prediction.confidence:.1%})"


def _warm_up_preprocessing() -> None:
    """The first image would otherwise be charged for Pillow's and numpy's one-time lazy imports."""
    stroke = np.zeros((64, 64), dtype=np.uint8)
    stroke[16:48, 28:36] = 255
    preprocess(stroke)


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.predict", description="Read handwritten digits from images.")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="PNG or JPEG files, one digit each")
    parser.add_argument(
        "--model", help="a saved .keras model or its .int8.tflite copy (default: the best stored run's .keras)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per image")
    args = parser.parse_args(argv)

    # Every image is checked before Keras loads, so a bad file fails in milliseconds rather than seconds.
    _warm_up_preprocessing()
    prepared = []
    for file in args.images:
        start = time.perf_counter()
        try:
            pixels, extent = preprocess_with_extent(file)
        except ImageInputError as exc:
            exit_with_error(f"{file}: {exc}")
        prepared.append((file, pixels, extent, (time.perf_counter() - start) * 1000))
    try:
        with native_stderr_silenced():
            model = load_model(args.model)
    except ModelError as exc:
        exit_with_error(str(exc))

    predictions = [(file, predict_digit(model, pixels, extent, ms)) for file, pixels, extent, ms in prepared]
    if args.json:
        print(json.dumps([prediction_record(file, prediction) for file, prediction in predictions], allow_nan=False))
    else:
        for file, prediction in predictions:
            print(f"{file}: {describe(prediction)} in {prediction.latency_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
