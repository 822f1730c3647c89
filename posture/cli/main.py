"""The ``posture`` command.

    posture analyze IMG [IMG ...] [--json] [--overlay DIR] [--model full|lite]
                    [--client NAME --save] [--db PATH]
    posture history NAME [--json | --csv] [--db PATH]
    posture clients [--json] [--db PATH]
    posture forget NAME [--yes] [--db PATH]
    posture routine {anterior|neutral|posterior} [...]     (see ``posture routine --help``)

``analyze`` prints one line per image (one JSON object per line with ``--json``). It exits 0
when every image was processed, rejections included; one bad image never stops a batch.
With ``--client NAME --save`` each measured photo is stored as a session of that client
(dated from the photo's EXIF date when present, else now); ``history``, ``clients`` and
``forget`` read and delete those records (``posture.cli.records``). Usage errors exit 2; a
missing model exits 3 with the command that provides it; an unknown client exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from posture.cli import records

EXIT_MODEL_MISSING = 3
"""The pose model or the error figures are missing or damaged."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posture",
        description=(
            "Estimate pelvic tilt and lumbar lordosis from side-view photos. Estimates for "
            "screening and coaching, not a diagnosis."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser("analyze", help="analyse side-view photos")
    analyze.add_argument("images", nargs="+", type=Path, metavar="IMG")
    analyze.add_argument("--json", action="store_true", help="one JSON object per image per line")
    analyze.add_argument(
        "--overlay", type=Path, metavar="DIR", help="write an annotated copy of each image to DIR"
    )
    analyze.add_argument(
        "--model",
        choices=("full", "lite"),
        default="full",
        help="pose model (default full, more accurate; lite is faster)",
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
    args = parser.parse_args(argv)
    if args.command != "analyze":
        return records.run(args)
    records.check_save_options(args, parser)
    return run_analyze(args)


def run_analyze(args: argparse.Namespace) -> int:
    from posture.analyze import analyze
    from posture.assess.errors import ErrorFigures, ErrorFiguresError
    from posture.pose import ModelUnavailable, PoseEstimator
    from posture.render.wording import text_line

    if args.overlay:
        args.overlay.mkdir(parents=True, exist_ok=True)
    try:
        figures = ErrorFigures.load()
    except ErrorFiguresError as error:
        print(f"posture: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING
    try:
        estimator = PoseEstimator(args.model)
    except ModelUnavailable as error:
        print(f"posture: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING
    store = records.store_of(args) if args.save else None
    with estimator:
        for path in args.images:
            result = analyze(path, estimator, figures=figures)
            record = {"file": str(path), **result.to_dict()}
            if args.overlay:
                record["overlay"] = _write_overlay(path, result, args.overlay)
            line = text_line(record)
            if store is not None:
                record["saved"] = records.save_photo(store, args.client, path, result)
                line += records.saved_text(record["saved"])
            print(json.dumps(record) if args.json else line, flush=True)
    return 0


def _write_overlay(path: Path, result, folder: Path) -> str | None:
    """Annotate the image the analysis saw; None when the file was unreadable."""
    from posture.image.encode import jpeg_bytes
    from posture.render.overlay import annotate

    if result.image is None:
        return None
    target = folder / f"{path.stem}_posture.jpg"
    target.write_bytes(jpeg_bytes(annotate(result.image, result), quality=90))
    return str(target)


if __name__ == "__main__":
    sys.exit(main())
