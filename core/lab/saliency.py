"""Why the model read what it read: integrated gradients (Sundararajan et al., 2017) over the 28×28 it saw.

Each pixel's attribution is its ink times the average gradient of the chosen digit's probability along the
straight path from a blank image to the drawing; the attributions add up to the probability gained over the blank.
Red marks ink that pushed towards the digit, blue ink that pushed away. Gradients come from the active Keras
backend (TensorFlow's tape, JAX's grad or PyTorch's autograd); the model itself is plain Keras."""

from __future__ import annotations

import numpy as np
from PIL import Image

PATH_STEPS = 32


def class_gradients(keras_model, x: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """d p[digit] / d pixel for each row of x (float32 (n, 784)) and its digit."""
    from core.lab.model import import_keras

    x = np.asarray(x, dtype=np.float32).reshape(-1, 784)
    digits = np.asarray(digits, dtype=np.int32).reshape(-1)
    backend = import_keras().backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        inputs = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            chosen = tf.gather(keras_model(inputs, training=False), digits, axis=1, batch_dims=1)
        return tape.gradient(chosen, inputs).numpy()
    if backend == "jax":
        import jax
        import jax.numpy as jnp

        def total(inputs):
            probabilities = keras_model(inputs, training=False)
            return jnp.sum(jnp.take_along_axis(probabilities, jnp.asarray(digits)[:, None], axis=1))

        return np.asarray(jax.grad(total)(jnp.asarray(x)))
    if backend == "torch":
        import torch

        inputs = torch.tensor(x, requires_grad=True)
        probabilities = keras_model(inputs, training=False)
        probabilities.gather(1, torch.tensor(digits, dtype=torch.int64)[:, None]).sum().backward()
        return inputs.grad.detach().cpu().numpy()
    raise ValueError(f"saliency: no gradients on the {backend} backend")


def integrated_gradients(keras_model, pixels: np.ndarray, digit: int, steps: int = PATH_STEPS) -> np.ndarray:
    """(28, 28) attributions of one image (28×28 or 784 pixels in [0, 1]) to `digit`, in one batched call."""
    image = np.asarray(pixels, dtype=np.float32).reshape(1, 784)
    fractions = (np.arange(steps, dtype=np.float32) + 0.5) / steps  # midpoints of the path's segments
    path = fractions[:, None] * image
    gradients = class_gradients(keras_model, path, np.full(steps, digit))
    return (image[0] * gradients.mean(axis=0)).reshape(28, 28)


def overlay(pixels: np.ndarray, attribution: np.ndarray, scale: int = 8) -> np.ndarray:
    """An RGB picture, `scale`× enlarged: the digit in grey, red where ink pushed towards the answer, blue where
    it pushed away; the strongest attribution is full colour."""
    grey = np.asarray(pixels, dtype=np.float32).reshape(28, 28) * 0.35
    peak = float(np.abs(attribution).max()) or 1.0
    towards = np.clip(attribution / peak, 0, 1)
    away = np.clip(-attribution / peak, 0, 1)
    rgb = np.stack([grey + towards, grey + 0.25 * (towards + away), grey + away], axis=-1)
    image = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8), mode="RGB")
    return np.asarray(image.resize((28 * scale, 28 * scale), Image.Resampling.NEAREST))
