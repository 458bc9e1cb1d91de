"""The fast training path for the TensorFlow backend: the seed's model, loss and Adam, run as compiled chunks
of batches over a training set that stays resident as tensors.

Why not plain ``fit``: on a small MLP most of ``fit``'s time goes to per-step Python, metric updates and the
optimizer's many small element-wise ops. Here each chunk of batches is one graph call, and each Adam update is one
fused kernel (TensorFlow's ApplyAdam: the same update rule and hyper-parameters, applied to Keras's own optimizer
state, so the saved model is the same kind of object ``fit`` would save)."""

from __future__ import annotations

import numpy as np

from core.model import import_keras

CHUNK_STEPS = 32


def fit_fused(model, x_train: np.ndarray, y_train: np.ndarray, batch_size: int, epochs: int, seed: int,
              callbacks: list) -> None:  # fmt: skip
    import tensorflow as tf

    keras = import_keras()
    n = len(y_train)
    full_batches, remainder = divmod(n, batch_size)
    steps = full_batches + (1 if remainder else 0)
    x_all = tf.constant(x_train, dtype=tf.float32)
    y_all = tf.constant(y_train, dtype=tf.int32)
    variables = model.trainable_variables
    optimizer = model.optimizer
    optimizer.build(variables)
    slots = [(optimizer._momentums[i], optimizer._velocities[i]) for i in range(len(variables))]
    config = optimizer.get_config()
    learning_rate = float(config["learning_rate"])
    beta_1, beta_2, epsilon = (float(config[k]) for k in ("beta_1", "beta_2", "epsilon"))

    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            probabilities = model(xb, training=True)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(yb, probabilities))
        gradients = tape.gradient(loss, variables)
        optimizer.iterations.assign_add(1)
        step = tf.cast(optimizer.iterations, tf.float32)
        beta_1_power, beta_2_power = tf.pow(beta_1, step), tf.pow(beta_2, step)
        for variable, gradient, (momentum, velocity) in zip(variables, gradients, slots):
            tf.raw_ops.ResourceApplyAdam(
                var=_handle(variable), m=_handle(momentum), v=_handle(velocity), beta1_power=beta_1_power,
                beta2_power=beta_2_power, lr=learning_rate, beta1=beta_1, beta2=beta_2, epsilon=epsilon,
                grad=gradient,
            )  # fmt: skip
        batch = tf.cast(tf.shape(yb)[0], tf.float32)
        correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(probabilities, axis=1, output_type=tf.int32), yb), tf.float32))
        return loss * batch, correct

    @tf.function(autograph=False)
    def shuffled_batches(epoch):
        order = tf.argsort(tf.random.stateless_uniform((n,), seed=tf.stack([seed, epoch])))
        x, y = tf.gather(x_all, order), tf.gather(y_all, order)
        cut = full_batches * batch_size
        return (tf.reshape(x[:cut], (full_batches, batch_size, -1)), tf.reshape(y[:cut], (full_batches, batch_size)),
                x[cut:], y[cut:])  # fmt: skip

    # Autograph off: converting Keras's own Python on every trace costs more than the loop it would write.
    @tf.function(autograph=False)
    def run_chunk(x_batches, y_batches, first, stop):
        def body(i, loss_sum, correct):
            step_loss, step_correct = train_step(x_batches[i], y_batches[i])
            return i + 1, loss_sum + step_loss, correct + step_correct

        _, loss_sum, correct = tf.while_loop(
            lambda i, *_: i < stop, body, (first, tf.constant(0.0), tf.constant(0.0))
        )
        return loss_sum, correct

    run_last = tf.function(train_step, autograph=False)
    callback_list = keras.callbacks.CallbackList(callbacks, model=model)
    callback_list.on_train_begin()
    for epoch in range(epochs):
        callback_list.on_epoch_begin(epoch)
        x_batches, y_batches, x_rest, y_rest = shuffled_batches(tf.constant(epoch))
        loss_sum, correct = 0.0, 0.0
        for first in range(0, full_batches, CHUNK_STEPS):
            stop = min(first + CHUNK_STEPS, full_batches)
            chunk_loss, chunk_correct = run_chunk(x_batches, y_batches, tf.constant(first), tf.constant(stop))
            loss_sum += float(chunk_loss)
            correct += float(chunk_correct)
            callback_list.on_train_batch_end(stop - 1, {"loss": loss_sum / (stop * batch_size)})
        if remainder:
            last_loss, last_correct = run_last(x_rest, y_rest)
            loss_sum += float(last_loss)
            correct += float(last_correct)
            callback_list.on_train_batch_end(steps - 1, {"loss": loss_sum / n})
        callback_list.on_epoch_end(epoch, {"loss": loss_sum / n, "accuracy": correct / n})
    callback_list.on_train_end()


def _handle(variable):
    """The resource handle of a Keras 3 variable (or of a plain tf.Variable)."""
    return getattr(variable, "value", variable).handle
