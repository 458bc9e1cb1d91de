"""What a browser can reach: the server's own settings, and which paths the Model Lab's path box may read."""

import os
import tomllib

import pytest

from core.lab.data import PATH_REFUSED, DataError, allowed_user_path
from tests.conftest import PROJECT_ROOT


def test_streamlit_serves_this_machine_only_and_shows_no_tracebacks():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "localhost"
    assert config["server"]["maxUploadSize"] == 10
    assert config["client"]["showErrorDetails"] == "none"


def test_the_path_box_reads_inside_the_data_home(data_home):
    (data_home / "sets").mkdir(parents=True)
    (data_home / "sets" / "mnist.npz").write_bytes(b"npz")
    assert allowed_user_path(str(data_home / "sets" / "mnist.npz")) == data_home / "sets" / "mnist.npz"
    assert allowed_user_path("sets/mnist.npz") == data_home / "sets" / "mnist.npz"
    with pytest.raises(DataError, match="does not exist in the allowed folders"):
        allowed_user_path("sets/missing.npz")


def test_outside_paths_get_one_answer_whether_or_not_they_exist(data_home, tmp_path):
    data_home.mkdir(parents=True)
    secret = tmp_path / "secret.npz"
    secret.write_bytes(b"npz")
    (data_home / "escape").symlink_to(tmp_path)
    answers = set()
    for text in (str(secret), str(tmp_path / "missing.npz"), "/etc/passwd", "/no/such/dir", "../secret.npz",
                 "escape/secret.npz", "bad\x00name", "~/" + "x" * 5000):  # fmt: skip
        with pytest.raises(DataError) as refused:
            allowed_user_path(text)
        answers.add(str(refused.value))
    assert answers == {PATH_REFUSED}
    assert "/" not in PATH_REFUSED.removeprefix("data: ")


def test_the_operator_can_allow_more_folders(data_home, tmp_path, monkeypatch):
    shared, other = tmp_path / "shared", tmp_path / "other"
    shared.mkdir()
    other.mkdir()
    (shared / "mnist.npz").write_bytes(b"npz")
    monkeypatch.setenv("MODELRUNWAY_DATA_DIRS", os.pathsep.join([str(other), str(shared)]))
    assert allowed_user_path(str(shared / "mnist.npz")) == shared / "mnist.npz"
    monkeypatch.setenv("MODELRUNWAY_DATA_DIRS", str(other))
    with pytest.raises(DataError, match="MODELRUNWAY_DATA_DIRS"):
        allowed_user_path(str(shared / "mnist.npz"))
