"""The fast training path for the TensorFlow backend: the seed's model, loss and Adam, run as compiled chunks
of batches over a training set that stays resident as tensors.

Why not plain ``fit``: on a small MLP most of ``fit``'s time goes to per-step Python, metric updates and the
optimizer's many small element-wise ops. Here each chunk of batches is one graph call, and each Adam update is one
fused kernel (TensorFlow's ApplyAdam: the same update rule and hyper-parameters, applied to Keras's own optimizer
state, so the saved model is the same kind of object ``fit`` would save)."""

from __future__ import annotations

import numpy as np

from core.lab.model import import_keras

# Batches per compiled call: enough to hide Python's per-call cost, few enough that progress still moves
# several times per epoch.
CHUNK_STEPS = 32


def fit_fused(
    model, x_train: np.ndarray, y_train: np.ndarray, batch_size: int, epochs: int, seed: int, callbacks: list
) -> None:
    import tensorflow as tf

    keras = import_keras()
    n = len(y_train)
    steps = -(-n // batch_size)
    padded = steps * batch_size
    x_all = tf.constant(x_train, dtype=tf.float32)
    y_all = tf.constant(y_train, dtype=tf.int32)
    variables = model.trainable_variables
    optimizer = model.optimizer
    optimizer.build(variables)
    slots = [(optimizer._momentums[i], optimizer._velocities[i]) for i in range(len(variables))]
    config = optimizer.get_config()
    learning_rate = float(config["learning_rate"])
    beta_1, beta_2, epsilon = (float(config[k]) for k in ("beta_1", "beta_2", "epsilon"))

    def train_step(xb, yb, real):
        # ``real`` is 1 for a sample and 0 for padding, so the short last batch's gradient is its own mean.
        with tf.GradientTape() as tape:
            probabilities = model(xb, training=True)
            losses = keras.losses.sparse_categorical_crossentropy(yb, probabilities)
            loss = tf.reduce_sum(losses * real) / tf.reduce_sum(real)
        gradients = tape.gradient(loss, variables)
        optimizer.iterations.assign_add(1)
        step = tf.cast(optimizer.iterations, tf.float32)
        beta_1_power, beta_2_power = tf.pow(beta_1, step), tf.pow(beta_2, step)
        for variable, gradient, (momentum, velocity) in zip(variables, gradients, slots):
            tf.raw_ops.ResourceApplyAdam(
                var=_handle(variable),
                m=_handle(momentum),
                v=_handle(velocity),
                beta1_power=beta_1_power,
                beta2_power=beta_2_power,
                lr=learning_rate,
                beta1=beta_1,
                beta2=beta_2,
                epsilon=epsilon,
                grad=gradient,
            )
        hits = tf.cast(tf.equal(tf.argmax(probabilities, axis=1, output_type=tf.int32), yb), tf.float32)
        return tf.reduce_sum(losses * real), tf.reduce_sum(hits * real)

    @tf.function(autograph=False)
    def shuffled_batches(epoch):
        order = tf.concat([epoch_order(n, seed, epoch), tf.zeros((padded - n,), tf.int32)], axis=0)
        real = tf.concat([tf.ones((n,)), tf.zeros((padded - n,))], axis=0)
        return (
            tf.reshape(tf.gather(x_all, order), (steps, batch_size, -1)),
            tf.reshape(tf.gather(y_all, order), (steps, batch_size)),
            tf.reshape(real, (steps, batch_size)),
        )

    # Autograph off: converting Keras's own Python on every trace costs more than the loop it would write.
    @tf.function(autograph=False)
    def run_chunk(x_batches, y_batches, real_batches, first, stop):
        def body(i, loss_sum, correct):
            step_loss, step_correct = train_step(x_batches[i], y_batches[i], real_batches[i])
            return i + 1, loss_sum + step_loss, correct + step_correct

        _, loss_sum, correct = tf.while_loop(lambda i, *_: i < stop, body, (first, tf.constant(0.0), tf.constant(0.0)))
        return loss_sum, correct

    callback_list = keras.callbacks.CallbackList(callbacks, model=model)
    callback_list.on_train_begin()
    for epoch in range(epochs):
        callback_list.on_epoch_begin(epoch)
        batches = shuffled_batches(tf.constant(epoch))
        loss_sum, correct = 0.0, 0.0
        for first in range(0, steps, CHUNK_STEPS):
            stop = min(first + CHUNK_STEPS, steps)
            chunk_loss, chunk_correct = run_chunk(*batches, tf.constant(first), tf.constant(stop))
            loss_sum += float(chunk_loss)
            correct += float(chunk_correct)
            callback_list.on_train_batch_end(stop - 1, {"loss": loss_sum / min(stop * batch_size, n)})
        callback_list.on_epoch_end(epoch, {"loss": loss_sum / n, "accuracy": correct / n})
    callback_list.on_train_end()


def epoch_order(n: int, seed: int, epoch):
    """The order in which ``fit_fused`` visits its ``n`` samples in ``epoch``: a stateless shuffle, so a seed and an
    epoch always give the same order, in a graph or eagerly."""
    import tensorflow as tf

    return tf.argsort(tf.random.stateless_uniform((n,), seed=tf.stack([seed, epoch])))


def _handle(variable):
    """The resource handle of a Keras 3 variable (or of a plain tf.Variable)."""
    return getattr(variable, "value", variable).handle
