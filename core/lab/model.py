"""The reference model: the classic 784-512-256-128-10 MNIST MLP, Adam, sparse categorical cross-entropy.

Keras is imported inside functions so that modules and pages that only need the arithmetic open fast."""

from __future__ import annotations

import os

LAYER_SIZES = (784, 512, 256, 128, 10)
SEED_OPTIMIZER = "adam"
SEED_LOSS = "sparse_categorical_crossentropy"


def dense_shapes() -> list[tuple[int, int]]:
    return list(zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]))


def parameter_count() -> int:
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in dense_shapes())


def flops_per_training_sample() -> int:
    """Forward 2·in·out per Dense layer, backward twice that: 3 × 2 × Σ in·out (biases and activations ignored)."""
    return 3 * 2 * sum(fan_in * fan_out for fan_in, fan_out in dense_shapes())


def flops_per_inference_sample() -> int:
    return 2 * sum(fan_in * fan_out for fan_in, fan_out in dense_shapes())


def import_keras():
    # TensorFlow is the product's backend; a GPU check on a machine without it sets KERAS_BACKEND=jax itself.
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras


def build_model(
    learning_rate: float = 0.001, steps_per_execution: int = 1, jit_compile: bool = False, mixed_precision: bool = False
):
    """The seed's model exactly, compiled with the seed's optimizer, loss and metric.

    The options change how it executes, not what it computes: ``steps_per_execution`` runs that many batches per
    compiled call, ``mixed_precision`` computes in bfloat16 with float32 weights and a float32 softmax."""
    keras = import_keras()
    hidden_dtype = "mixed_bfloat16" if mixed_precision else None
    model = keras.Sequential(
        [
            keras.Input(shape=(LAYER_SIZES[0],)),
            keras.layers.Dense(512, activation="relu", dtype=hidden_dtype),
            keras.layers.Dense(256, activation="relu", dtype=hidden_dtype),
            keras.layers.Dense(128, activation="relu", dtype=hidden_dtype),
            keras.layers.Dense(10, activation="softmax", dtype="float32"),
        ],
        name="mnist_mlp",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=SEED_LOSS,
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
        jit_compile=jit_compile,
    )
    return model
