"""The batch behind ``posture analyze``: which photos a run covers, their overlay names, and
the work each process does (its own model, loaded once by ``start_worker``).

Run in the command's process, or in a pool of spawned processes (``--jobs``): every function
here takes and returns plain, picklable values.
"""

from __future__ import annotations

import os
from pathlib import Path

from posture.cli import records

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"})
"""What a folder given to ``analyze`` is searched for (any case)."""


def photos(arguments: list[Path]):
    """(path, None) for each photo, in the order given; a folder gives its photos, sorted, or
    (folder, "empty") when it has none."""
    for argument in arguments:
        if not argument.is_dir():
            yield argument, None
            continue
        found = []
        for folder, subfolders, files in os.walk(argument):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            found += [
                Path(folder, name)
                for name in files
                if not name.startswith(".")
                and Path(name).suffix.lower() in PHOTO_SUFFIXES
                and Path(folder, name).is_file()
            ]
        if not found:
            yield argument, "empty"
        yield from ((path, None) for path in sorted(found))


def overlay_targets(items, folder: Path) -> list[str | None]:
    """One overlay file name per photo, never the same twice in a run: ``name_posture.jpg``,
    then ``name_2_posture.jpg``... for a second photo of that name (another folder, another
    format). Compared without case, for case-insensitive disks."""
    used: set[str] = set()
    targets = []
    for path, empty in items:
        if empty:
            targets.append(None)
            continue
        stem, number = path.stem, 1
        name = f"{stem}_posture.jpg"
        while name.lower() in used:
            number += 1
            name = f"{stem}_{number}_posture.jpg"
        used.add(name.lower())
        targets.append(str(folder / name))
    return targets


WORKER: dict = {}
"""This process's model, error figures and records target (set by ``start_worker``)."""


def start_worker(model: str, save_to=None) -> None:
    """Load the model and error figures once per process (the pool's initializer).

    ``save_to`` is (records store, client name) for ``--save``, which runs in this process only.
    """
    from posture.assess.errors import ErrorFigures
    from posture.pose import PoseEstimator

    WORKER["figures"] = ErrorFigures.load()
    WORKER["estimator"] = PoseEstimator(model)
    WORKER["save_to"] = save_to


def stop_worker() -> None:
    estimator = WORKER.pop("estimator", None)
    if estimator is not None:
        estimator.close()


def analyse_one(item) -> dict:
    """One photo to its JSON record (its overlay written when a target is given)."""
    from posture.analyze import analyze

    path, empty, target, model = item
    if empty:
        return {"file": path, **_empty_folder(model)}
    result = analyze(Path(path), WORKER["estimator"], figures=WORKER["figures"])
    record = {"file": path, **result.to_dict()}
    if target is not None:
        record["overlay"] = _write_overlay(result, target)
    if WORKER.get("save_to") is not None:
        store, client = WORKER["save_to"]
        record["saved"] = records.save_photo(store, client, Path(path), result)
    return record


def _empty_folder(model: str) -> dict:
    import posture
    from posture.measure import measures
    from posture.pose import MODEL_FILES
    from posture.render import wording
    from posture.types import Analysis, Reason, Rejection, Status

    message = (
        "This folder has no photos (JPEG, PNG, WebP or HEIC files). Check the folder or "
        "give the photos themselves."
    )
    return Analysis(
        status=Status.REJECTED,
        image_size=(0, 0),
        model=MODEL_FILES[model],
        version=posture.__version__,
        rejection=Rejection(Reason.UNREADABLE_IMAGE, message),
        measures=measures.unmeasured(wording.not_measured_text(Reason.UNREADABLE_IMAGE)),
    ).to_dict()


def _write_overlay(result, target: str) -> str | None:
    """Annotate the image the analysis saw; None when the file was unreadable."""
    from posture.image.encode import jpeg_bytes
    from posture.render.overlay import annotate

    if result.image is None:
        return None
    Path(target).write_bytes(jpeg_bytes(annotate(result.image, result), quality=90))
    return target
