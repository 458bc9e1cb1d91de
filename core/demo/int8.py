"""An int8 TensorFlow Lite copy of a stored model (made by core.lab.quantize), behind the same call as the .keras
model in core.demo.predict, so the Live Demo and `python -m core.predict --model run-7.int8.tflite` can use it."""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from pathlib import Path

import numpy as np

INT8_SUFFIX = ".int8.tflite"


@contextlib.contextmanager
def quiet_tflite():
    """TensorFlow Lite warns that its Python interpreter moves to LiteRT; a CLI keeps stderr for its own errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class Int8Model:
    """A TensorFlow Lite int8 model behind the same call as core.demo.predict.DigitModel: float32 (n, 784) →
    (n, 10) probabilities. One interpreter, one image at a time, under a lock (it is not thread-safe)."""

    kind = "int8"

    def __init__(self, path: str | os.PathLike, calibration=None):
        import tensorflow as tf

        from core.lab.calibration import Calibration

        self.path = Path(path)
        with quiet_tflite():
            self._interpreter = tf.lite.Interpreter(model_path=str(self.path), num_threads=1)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()
        self.calibration = calibration or Calibration()
        self.keras_model = None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        rows = np.asarray(x, dtype=np.float32).reshape(-1, 784)
        out = np.empty((len(rows), 10), dtype=np.float64)
        with self._lock:
            for i, row in enumerate(rows):
                self._interpreter.set_tensor(self._input, row[None])
                self._interpreter.invoke()
                out[i] = self._interpreter.get_tensor(self._output)[0]
        return out
