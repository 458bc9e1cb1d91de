"""What the model runs on: device detection, an in-process matrix-multiply peak, and catalog matching."""

from __future__ import annotations

import platform
import re
import time
from dataclasses import dataclass

from core.lab.model import import_keras


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # "cpu" or "gpu"
    name: str
    count: int
    backend: str


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


def detect_device() -> DeviceInfo:
    keras = import_keras()
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            details = tf.config.experimental.get_device_details(gpus[0])
            return DeviceInfo("gpu", details.get("device_name", "GPU"), len(gpus), backend)
    elif backend == "jax":
        import jax

        gpus = [d for d in jax.devices() if d.platform == "gpu"]
        if gpus:
            return DeviceInfo("gpu", gpus[0].device_kind, len(gpus), backend)
    import os

    return DeviceInfo("cpu", f"{cpu_name()} ({os.cpu_count()} threads)", 1, backend)


def measure_matmul_peak(device_kind: str, dtype: str = "float32", seconds: float = 1.5) -> float:
    """Best FLOP/s of one square matrix multiply, repeated for ``seconds`` on one device in this process.

    The best, not the mean: a busy machine only ever slows a sample down, never speeds it up."""
    size = 8192 if device_kind == "gpu" else 2048
    backend = import_keras().backend.backend()
    if backend == "tensorflow":
        return _tf_matmul_peak(size, dtype, seconds)
    if backend == "jax":
        return _jax_matmul_peak(size, dtype, seconds)
    raise RuntimeError(f"no matrix-multiply benchmark for the {backend} backend")


def _best_rate(run_once, flops: float, seconds: float) -> float:
    run_once()  # warm-up: kernels chosen, memory allocated
    best = 0.0
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        run_once()
        best = max(best, flops / (time.perf_counter() - start))
        if time.perf_counter() > deadline:
            return best


def _tf_matmul_peak(size: int, dtype: str, seconds: float) -> float:
    import tensorflow as tf

    a = tf.random.uniform((size, size), dtype=dtype)
    b = tf.random.uniform((size, size), dtype=dtype)

    @tf.function
    def product():
        return tf.reduce_sum(tf.matmul(a, b))

    return _best_rate(lambda: float(product()), 2 * size**3, seconds)


def _jax_matmul_peak(size: int, dtype: str, seconds: float) -> float:
    import jax
    import jax.numpy as jnp

    key_a, key_b = jax.random.split(jax.random.PRNGKey(0))
    a = jax.random.uniform(key_a, (size, size), dtype=dtype)
    b = jax.random.uniform(key_b, (size, size), dtype=dtype)
    product = jax.jit(lambda a, b: jnp.sum(a @ b))
    return _best_rate(lambda: float(product(a, b)), 2 * size**3, seconds)


def _catalog_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _word_runs(name: str, longest: int = 3) -> set[str]:
    """Every run of up to ``longest`` consecutive words of a name, joined: "GeForce RTX 4090" gives "rtx4090"."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return {"".join(words[i : i + size]) for size in range(1, longest + 1) for i in range(len(words) - size + 1)}


def match_catalog(device_name: str, catalog_names: list[str]) -> str | None:
    """The catalog entry whose model (first word, e.g. "H100", "RTX 4090") is a whole word of a device's reported
    name, so "L40S" is not an "L4"; among several, the one whose other words (memory, form factor) appear too."""
    device_key = _catalog_key(device_name)
    device_runs = _word_runs(device_name)
    best, best_score = None, 0
    for name in catalog_names:
        words = name.split()
        model = words[0] if words[0].upper() != "RTX" or len(words) < 2 else words[0] + words[1]
        model_key = _catalog_key(model)
        if not model_key or model_key not in device_runs:
            continue
        score = len(model_key) * 10
        score += sum(1 for word in words[1:] if _catalog_key(word) and _catalog_key(word) in device_key)
        if score > best_score:
            best, best_score = name, score
    return best
