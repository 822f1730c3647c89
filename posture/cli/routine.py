"""``posture routine``: print the hip routine for a tilt class, with its safety screen.

The lead's ``posture/cli.py`` hands the arguments after ``routine`` to ``routine_command``.

Exit codes: 0 the routine was printed or written; 2 bad arguments; 3 the safety screen
stopped the routine (the safety message was printed instead).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from posture.routines import KENDALL_TYPES, TILT_CLASSES, CatalogueError, choose_routine
from posture.routines.safety import RED_FLAGS, ScreenResult, screen
from posture.types import KendallType, TiltClass

EXIT_OK, EXIT_USAGE, EXIT_BLOCKED = 0, 2, 3
FORMATS = ("text", "markdown", "html", "json", "pdf")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``posture routine``."""
    parser = argparse.ArgumentParser(
        prog="posture routine",
        description="Show the hip exercise routine for a pelvic tilt result, with its safety screen.",
        epilog="Safety question ids: "
        + ", ".join(f.id for f in RED_FLAGS)
        + ". Exit code 3 means a safety answer stopped the routine.",
    )
    parser.add_argument("tilt", choices=TILT_CLASSES, help="the pelvic tilt class")
    parser.add_argument(
        "--confidence",
        type=float,
        default=None,
        help="confidence of the result, 0 to 1 (below 0.5 gives the neutral routine); "
        "when left out the tilt class is taken as given",
    )
    parser.add_argument(
        "--kendall", choices=[k for k in KENDALL_TYPES if k], help="Kendall posture type, if known"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format; default text")
    parser.add_argument(
        "--output", type=Path, help="write to this file instead of the terminal (needed for pdf)"
    )
    parser.add_argument(
        "--answers",
        default=None,
        metavar="ID=yes|no,...",
        help="answers to the safety questions, for example saddle_numbness=no,fever=no",
    )
    return parser


def parse_answers(text: str) -> dict[str, bool]:
    """Parse ``"fever=no,saddle_numbness=yes"`` into ``{"fever": False, "saddle_numbness": True}``.

    Raises ``ValueError`` on a malformed pair or an answer that is not yes/no.
    """
    answers: dict[str, bool] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = pair.partition("=")
        value = value.strip().lower()
        if not sep or value not in _YES | _NO:
            raise ValueError(f"cannot read answer {pair!r}: write it as id=yes or id=no")
        answers[key.strip()] = value in _YES
    return answers


def routine_command(argv: list[str]) -> int:
    """Run ``posture routine`` with ``argv`` (the arguments after ``routine``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on errors; return its code instead
        return int(exc.code or 0)
    if args.format == "pdf" and args.output is None:
        parser.print_usage(sys.stderr)
        print("posture routine: error: --format pdf needs --output FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = screen(parse_answers(args.answers)) if args.answers is not None else None
        confidence = 1.0 if args.confidence is None else args.confidence
        kendall = KendallType(args.kendall) if args.kendall else None
        routine = choose_routine(TiltClass(args.tilt), confidence=confidence, kendall_type=kendall)
        if args.confidence is None:  # do not print a confidence nobody measured
            routine = dataclasses.replace(routine, confidence=None)
    except (ValueError, TypeError, CatalogueError) as exc:
        print(f"posture routine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    document = _render(routine, result, args.format)
    if args.output is not None:
        if isinstance(document, bytes):
            args.output.write_bytes(document)
        else:
            args.output.write_text(document, encoding="utf-8")
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(document)
    if result is not None and result.blocked:
        if args.output is not None:  # the document went to a file: say it on the terminal too
            print(result.message, file=sys.stderr)
        return EXIT_BLOCKED
    return EXIT_OK


def _render(routine, result: ScreenResult | None, fmt: str) -> str | bytes:
    from posture.render import routine_sheet as export

    if fmt == "json":
        return json.dumps(export.to_dict(routine, screen=result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return export.to_markdown(routine, screen=result)
    if fmt == "html":
        return export.to_html(routine, screen=result)
    if fmt == "pdf":
        return export.to_pdf(routine, screen=result)
    return export.to_text(routine, screen=result)


def main() -> None:  # pragma: no cover - a thin wrapper for ``python -m posture.cli.routine``
    sys.exit(routine_command(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
