"""The demo model: a small convolutional network that reads drawn digits, beside the seed's reference MLP.

It takes the reference model's input, float32 (n, 784) in [0, 1], and reshapes it inside, so every caller (the
predict CLI, the Live Demo, the bench) feeds both models the same array. Only the `keras` API: it trains and runs
under any Keras 3 backend (TensorFlow here, JAX on the GPU check image)."""

from __future__ import annotations

import numpy as np

from core.lab.model import import_keras

SIDE = 28
CONV_FILTERS = (16, 16, 32, 32)
DENSE_UNITS = 128
DROPOUT = 0.3
LEARNING_RATE = 0.002
POOL_LIMIT = 1500


def build_demo_model(
    learning_rate: float = LEARNING_RATE,
    decay_steps: int | None = None,
    sparse_labels: bool = False,
    steps_per_execution: int = 1,
):
    """Two 3×3 convolution pairs with max-pooling, a 128-unit dense layer, softmax over 10 digits.

    Compiled with Adam (the learning rate cosine-decays over `decay_steps` when given) and a categorical
    cross-entropy, so that a training target may be a distribution: a digit is one-hot, a drawing that is not a
    digit is uniform over the ten (outlier exposure, Hendrycks et al. 2019). `sparse_labels` compiles it as the
    reference model is (digit labels, plain accuracy), for the scaling ladder."""
    keras = import_keras()
    layers = keras.layers
    first, second, third, fourth = CONV_FILTERS
    model = keras.Sequential(
        [
            keras.Input(shape=(SIDE * SIDE,)),
            layers.Reshape((SIDE, SIDE, 1)),
            layers.Conv2D(first, 3, padding="same", activation="relu"),
            layers.Conv2D(second, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(third, 3, padding="same", activation="relu"),
            layers.Conv2D(fourth, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(DROPOUT),
            layers.Dense(DENSE_UNITS, activation="relu"),
            layers.Dropout(DROPOUT),
            layers.Dense(10, activation="softmax", dtype="float32"),
        ],
        name="mnist_demo_cnn",
    )
    rate = learning_rate
    if decay_steps:
        rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=decay_steps, alpha=0.05)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss="sparse_categorical_crossentropy" if sparse_labels else "categorical_crossentropy",
        metrics=["accuracy"] if sparse_labels else [digit_accuracy_metric()],
        steps_per_execution=steps_per_execution,
    )
    return model


def digit_accuracy_metric():
    """Accuracy over the digits of a batch only: a non-digit's uniform target has no right answer."""
    keras = import_keras()
    ops = keras.ops

    class DigitAccuracy(keras.metrics.Metric):
        def __init__(self, name="accuracy", **kwargs):
            super().__init__(name=name, **kwargs)
            self.hits = self.add_variable(shape=(), initializer="zeros", name="hits")
            self.digits = self.add_variable(shape=(), initializer="zeros", name="digits")

        def update_state(self, y_true, y_pred, sample_weight=None):
            is_digit = ops.cast(ops.max(y_true, axis=-1) > 0.5, "float32")
            hit = ops.cast(ops.equal(ops.argmax(y_true, axis=-1), ops.argmax(y_pred, axis=-1)), "float32")
            self.hits.assign_add(ops.sum(hit * is_digit))
            self.digits.assign_add(ops.sum(is_digit))

        def result(self):
            return ops.divide_no_nan(self.hits, self.digits)

        def reset_state(self):
            self.hits.assign(0.0)
            self.digits.assign(0.0)

    return DigitAccuracy()


def forward_flops(model) -> int:
    """Multiply-adds ×2 of the Conv2D and Dense layers for one sample (pooling, activations and biases ignored)."""
    total = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Conv2D":
            _, height, width, channels_out = layer.output.shape
            kernel_h, kernel_w, channels_in, _ = layer.kernel.shape
            total += 2 * height * width * kernel_h * kernel_w * channels_in * channels_out
        elif kind == "Dense":
            fan_in, fan_out = layer.kernel.shape
            total += 2 * fan_in * fan_out
    return int(total)


def training_flops_per_sample(model) -> int:
    """Forward once, backward twice the forward: 3× the forward FLOPs, as for the reference model."""
    return 3 * forward_flops(model)


def training_pools(seed: int, pen_digits: int, non_digits: int):
    """Drawings rendered once per training, distorted afresh each epoch: pen-stroke digits (one-hot targets) and
    non-digits without the letters that look like digits (uniform targets). Returns (pixels, targets)."""
    from core.lab import synthetic

    pen_canvases, pen_labels = synthetic.digit_drawings(pen_digits, seed + 1)
    other_canvases, _ = synthetic.non_digit_drawings(non_digits, seed + 2, digit_like_letters=False)
    pixels, _ = synthetic.prepared(pen_canvases + other_canvases)
    targets = np.concatenate(
        [np.eye(10, dtype=np.float32)[pen_labels], np.full((non_digits, 10), 0.1, dtype=np.float32)]
    )
    return pixels.reshape(-1, SIDE * SIDE), targets


def pool_sizes(n_train: int) -> tuple[int, int]:
    """Pen-stroke digits and non-digits to render for a training set of n_train digits: a third as many of each,
    at most POOL_LIMIT (rendering costs about 5 ms a drawing)."""
    share = min(POOL_LIMIT, max(10, n_train // 3))
    return share, share


def epoch_batches(x_train: np.ndarray, y_train: np.ndarray, pools, batch_size: int, seed: int):
    """A keras PyDataset: every epoch, freshly distorted copies of the digits and of the pooled drawings, shuffled
    together, in batches of (pixels, target distributions)."""
    from core.lab.augment import augment

    keras = import_keras()
    pool_pixels, pool_targets = pools
    targets = np.concatenate([np.eye(10, dtype=np.float32)[y_train], pool_targets])
    sources = np.concatenate([np.asarray(x_train, dtype=np.float32), pool_pixels])

    class EpochBatches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.x = self.y = None

        def __len__(self):
            return -(-len(sources) // batch_size)

        def __getitem__(self, index):
            if self.x is None:
                # Drawn lazily, so the call after the last epoch costs nothing.
                order = self.rng.permutation(len(sources))
                self.x, self.y = augment(sources[order], self.rng), targets[order]
            window = slice(index * batch_size, (index + 1) * batch_size)
            return self.x[window], self.y[window]

        def on_epoch_end(self):
            self.x = self.y = None

    return EpochBatches()
