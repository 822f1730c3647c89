"""Session dates: local date-times with their UTC offset, from the clock or a photo's EXIF.

A session is dated with the wall-clock time where it happened plus that place's offset from
UTC ("2026-11-12T09:30:00+01:00"), so a report shows the trainer's time and sessions still sort
correctly across a change of time zone or daylight saving time.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now_local() -> datetime:
    """The current time in this machine's zone, aware, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, to the second; a naive time is taken as this machine's local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def parse(text: str) -> datetime:
    """An ISO 8601 date-time with offset back to an aware datetime (ValueError when bad)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a session time needs its UTC offset: {text!r}")
    return moment


def utc(text: str) -> str:
    """The same instant in UTC, for ordering ("2026-11-12T08:30:00+00:00")."""
    return parse(text).astimezone(UTC).isoformat(timespec="seconds")


def exif_datetime(original: str | None, offset: str | None = None) -> datetime | None:
    """The time a photo was taken from EXIF ``DateTimeOriginal`` ("2026:11:12 09:30:00") and,
    when the camera wrote it, ``OffsetTimeOriginal`` ("+01:00"). Without an offset the time is
    taken as this machine's local time. None when missing or malformed (cameras write
    "0000:00:00 00:00:00" and blanks)."""
    if not original:
        return None
    try:
        moment = datetime.strptime(original.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            zone = datetime.strptime(offset.strip().rstrip("\x00"), "%z").tzinfo
        except ValueError:
            zone = None
        if zone is not None:
            return moment.replace(tzinfo=zone)
    return moment.astimezone()


def local_text(text: str) -> str:
    """A stored time as people read it, in the zone it was recorded in: "12 Nov 2026, 09:30"."""
    moment = parse(text)
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def local_day(text: str) -> str:
    """Just the date: "12 Nov 2026"."""
    moment = parse(text)
    return f"{moment.day} {moment:%b %Y}"
