"""Each failure the lab and the demo catch is one they mean: a user's bad file or a failed download becomes a clear
error, while a bug elsewhere keeps its traceback instead of being reported as bad input."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from core.demo.predict import ModelError, load_model
from core.lab.data import DataError, load_mnist
from core.lab.model import build_model, import_keras


@pytest.mark.parametrize(
    "failure",
    [
        Exception("URL fetch failure on https://storage.googleapis.com/mnist.npz: None -- [Errno -3] no address"),
        OSError("[Errno 101] Network is unreachable"),
        ValueError("Incomplete or corrupted file detected."),
    ],
)
def test_a_failed_download_is_a_data_error(monkeypatch, failure):
    def fail():
        raise failure

    monkeypatch.setattr(import_keras().datasets.mnist, "load_data", fail)
    with pytest.raises(DataError, match=r"^data: download failed \("):
        load_mnist(allow_download=True)


def test_a_bug_during_download_is_not_called_a_download_failure(monkeypatch):
    def broken():
        raise AttributeError("'NoneType' object has no attribute 'read'")

    monkeypatch.setattr(import_keras().datasets.mnist, "load_data", broken)
    with pytest.raises(AttributeError):
        load_mnist(allow_download=True)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "good.keras"
    build_model().save(path)
    return path


def _damaged(source, target, edit):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as damaged:
        for name in original.namelist():
            content = edit(name, original.read(name))
            if content is not None:
                damaged.writestr(name, content)
    return target


DAMAGE = {
    "only a readme": lambda name, content: b"hello" if name == "metadata.json" else None,
    "config not JSON": lambda name, content: b"{not json" if name == "config.json" else content,
    "config a list": lambda name, content: b"[1, 2]" if name == "config.json" else content,
    "unknown model class": lambda name, content: (
        json.dumps({**json.loads(content), "class_name": "Nope"}).encode() if name == "config.json" else content
    ),
    "no weights": lambda name, content: None if name.endswith(".h5") else content,
    "truncated weights": lambda name, content: content[:1000] if name.endswith(".h5") else content,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_model_file_is_named(saved_model, tmp_path, damage):
    path = _damaged(saved_model, tmp_path / "damaged.keras", DAMAGE[damage])
    with pytest.raises(ModelError, match="is not a readable .keras model"):
        load_model(path)


def test_a_bug_while_loading_a_model_is_not_called_a_bad_file(saved_model, monkeypatch):
    def broken(*args, **kwargs):
        raise NameError("name 'layer' is not defined")

    monkeypatch.setattr(import_keras().saving, "load_model", broken)
    with pytest.raises(NameError):
        load_model(saved_model)


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory):
    """A small MNIST-shaped file, so the CLI gets past loading data in milliseconds."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
        y_train=np.arange(40, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=np.arange(10, dtype=np.uint8),
    )
    return str(path)


@pytest.mark.parametrize(
    "failure", [OSError(28, "No space left on device"), MemoryError(), RuntimeError("CUDA error: out of memory")]
)
def test_the_train_cli_reports_a_failed_training_in_one_line(monkeypatch, capsys, tiny_mnist, failure):
    import core.lab.train as train_module

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(train_module, "train", fail)
    assert train_module.main(["--data", tiny_mnist, "--epochs", "1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: training failed and is stored as failed: ") and error.count("\n") == 1


def test_the_train_cli_reports_a_framework_failure_in_one_line(monkeypatch, capsys, tiny_mnist):
    import tensorflow as tf

    import core.lab.train as train_module

    def fail(*args, **kwargs):
        raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    monkeypatch.setattr(train_module, "train", fail)
    assert train_module.main(["--data", tiny_mnist, "--epochs", "1"]) == 1
    assert "ResourceExhaustedError" in capsys.readouterr().err


def test_a_bug_in_training_keeps_its_traceback(monkeypatch, tiny_mnist):
    import core.lab.train as train_module

    def broken(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for *: 'NoneType' and 'int'")

    monkeypatch.setattr(train_module, "train", broken)
    with pytest.raises(TypeError):
        train_module.main(["--data", tiny_mnist, "--epochs", "1"])
