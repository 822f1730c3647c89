"""The ``posture`` command.

    posture analyze IMG|FOLDER [...] [--json] [--overlay DIR] [--model full|lite] [--jobs N]
                    [--client NAME --save] [--db PATH]
    posture history NAME [--json | --csv] [--db PATH]
    posture clients [--json] [--db PATH]
    posture forget NAME [--yes] [--db PATH]
    posture agreement [--json] [--svg PATH] [--db PATH]
    posture routine {anterior|neutral|posterior} [...]     (see ``posture routine --help``)

``analyze`` prints one line per image (one JSON object per line with ``--json``), in the order
given, a folder standing for the photos in it (JPEG, PNG, WebP, HEIC; sub-folders included,
hidden ones skipped; sorted by path). It exits 0 when every image was processed, rejections
included; one bad image never stops a batch. Usage errors exit 2; a missing model exits 3 with
the command that provides it. Photos are analysed by ``--jobs`` processes at once (default:
one per CPU core), each with its own model; a progress bar goes to stderr when it is a
terminal and the batch has at least ``PROGRESS_MIN`` photos. When the reader of the output
goes away (``| head``) the command stops quietly with exit 1.

With ``--client NAME --save`` each measured photo is stored as a session of that client (dated
from the photo's EXIF date when present, else now; photos are then analysed one at a time, so
the records are written by one process); ``history``, ``clients`` and ``forget`` read and
delete those records, ``agreement`` measures the estimate against the stickers over them
(``posture.cli.records``). An unknown client exits 1; a records database that cannot be read
or written exits 4 with one sentence on stderr.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from posture.cli import batch, records
from posture.records.errors import StoreError

EXIT_MODEL_MISSING = 3
"""The pose model or the error figures are missing or damaged."""
EXIT_OUTPUT_CLOSED = 1
"""The reader of the output went away (e.g. ``| head``): stopped without a traceback."""

PROGRESS_MIN = 5
"""Photos in a batch from which a progress bar is shown (on a terminal)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posture",
        description=(
            "Estimate pelvic tilt and lumbar lordosis from side-view photos. Estimates for "
            "screening and coaching, not a diagnosis."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser(
        "analyze",
        help="analyse side-view photos",
        epilog="A file whose name starts with '-' can be given as ./-name.jpg or after --.",
    )
    analyze.add_argument(
        "images",
        nargs="*",
        type=Path,
        metavar="IMG",
        help="photos, or folders to search for photos (sub-folders included)",
    )
    analyze.add_argument("--json", action="store_true", help="one JSON object per image per line")
    analyze.add_argument(
        "--overlay",
        type=Path,
        metavar="DIR",
        help="write an annotated copy of each image to DIR (names made unique)",
    )
    analyze.add_argument(
        "--model",
        choices=("full", "lite"),
        default="full",
        help="pose model (default full, more accurate; lite is faster)",
    )
    analyze.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        default=None,
        help="photos analysed at once, each process with its own model (default: one per CPU core)",
    )
    records.add_save_options(analyze)
    records.add_commands(commands)
    commands.add_parser("routine", help="the exercise routine for a tilt class", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["routine"]:
        from posture.cli.routine import routine_command

        return routine_command(argv[1:])
    parser = build_parser()
    args, unknown = parser.parse_known_args(_dashed_files(argv))
    if unknown:
        hint = next(
            (f" (a file? write ./{token} or put -- before it)" for token in unknown if token.startswith("-")),
            "",
        )
        parser.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    if args.command != "analyze":
        return records.run(args)
    records.check_save_options(args, parser)
    if not args.images:
        parser.error("analyze: give at least one photo or folder (IMG)")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.overlay is not None:
        if args.overlay.exists() and not args.overlay.is_dir():
            parser.error(f"--overlay {args.overlay} is a file; give a folder for the annotated copies")
        try:
            args.overlay.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            parser.error(f"--overlay: cannot create the folder {args.overlay} ({error.strerror})")
    try:
        return run_analyze(args)
    except StoreError as error:
        return records.store_failed(error)


def _dashed_files(argv: list[str]) -> list[str]:
    """``-x.jpg`` that names an existing file is that file, not an unknown option.

    Rewritten as ``./-x.jpg`` (``Path`` gives back ``-x.jpg``); anything after ``--`` is left
    to argparse, which takes it as files.
    """
    out = []
    for index, token in enumerate(argv):
        if token == "--":
            return out + argv[index:]
        known = token.split("=", 1)[0] in {
            "-h",
            "--help",
            "--json",
            "--overlay",
            "--model",
            "--jobs",
            "-j",
            "--client",
            "--save",
            "--db",
        }
        if token.startswith("-") and len(token) > 1 and not known and os.path.lexists(token):
            token = "./" + token
        out.append(token)
    return out


def run_analyze(args: argparse.Namespace) -> int:
    from posture.assess.errors import ErrorFigures, ErrorFiguresError
    from posture.pose import ModelUnavailable, model_path, switch_off_usage_reports

    _tolerant_output()
    try:
        ErrorFigures.load()
        model_path(args.model)
        switch_off_usage_reports()  # here too: a refusal in a pool's workers would be a traceback
    except (ErrorFiguresError, ModelUnavailable) as error:
        print(f"posture: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING
    items = list(batch.photos(args.images))
    targets = batch.overlay_targets(items, args.overlay) if args.overlay else [None] * len(items)
    work = [(str(path), empty, target, args.model) for (path, empty), target in zip(items, targets)]
    jobs = 1 if args.save else min(args.jobs or os.cpu_count() or 1, len(work))
    save_to = (records.store_of(args), args.client) if args.save else None
    if save_to is not None:
        save_to[0].schema_version()  # a damaged, foreign or newer file stops here, before the model
    progress = _progress(len(work))
    try:
        if jobs <= 1:
            try:
                batch.start_worker(args.model, save_to)
            except ModelUnavailable as error:
                print(f"posture: {error}", file=sys.stderr)
                return EXIT_MODEL_MISSING
            return _emit_all(map(batch.analyse_one, work), args.json, progress)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=batch.start_worker, initargs=(args.model,)
        ) as pool:
            try:
                return _emit_all(pool.map(batch.analyse_one, work), args.json, progress)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        progress.close()
        batch.stop_worker()


def _emit_all(results, as_json: bool, progress) -> int:
    from posture.render.wording import text_line

    for record in results:
        line = json.dumps(record) if as_json else text_line(record)
        if not as_json and "saved" in record:
            line += records.saved_text(record["saved"])
        try:
            with progress.external_write_mode(file=sys.stdout):
                print(line, flush=True)
        except BrokenPipeError:
            # The reader is gone: point stdout at /dev/null so the interpreter's last flush
            # cannot fail again, and stop the batch (nobody reads the rest).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OUTPUT_CLOSED
        progress.update(1)
    return 0


def _tolerant_output() -> None:
    """Any file name can be printed: characters the terminal's encoding lacks (or undecodable
    bytes in a name) come out as backslash escapes instead of stopping the batch."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _progress(total: int):
    from tqdm import tqdm

    shown = total >= PROGRESS_MIN and sys.stderr.isatty()
    return tqdm(total=total, file=sys.stderr, unit="photo", disable=not shown, leave=False)


if __name__ == "__main__":
    sys.exit(main())
