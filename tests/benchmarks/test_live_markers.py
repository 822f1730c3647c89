"""The live sticker benchmark's arithmetic (benchmarks.live_figures.marker_change), on readings
made by hand: 30 frames/s, the line changes from 4° to 14° at frame 10."""

from __future__ import annotations

import pytest

from benchmarks.live_figures import marker_change


def readings(shown_lag_frames: int, missing: tuple[int, ...] = ()) -> list[dict]:
    out = []
    for i in range(30):
        tilt = 4.2 if i < 10 else 13.9
        shown = 4.0 if i < 10 + shown_lag_frames else 14.0
        out.append({"at": i * 1000 / 30, "tilt": None if i in missing else tilt, "shown": shown})
    return out


def test_the_time_to_half_way_counts_from_the_first_frame_of_the_new_line():
    result = marker_change(readings(shown_lag_frames=2))
    assert result["marker_changes"] == 1
    assert result["marker_change_to_half_s"] == pytest.approx(2 / 30, abs=1e-3)
    assert result["frames_read_share"] == 1.0
    # 10 frames 0.2° off (4.2 against 4), 20 frames 0.1° off (13.9 against 14)
    assert result["marker_frame_error_deg"] == pytest.approx((10 * 0.2 + 20 * 0.1) / 30, abs=0.005)


def test_frames_without_stickers_lower_the_share_and_are_skipped():
    result = marker_change(readings(shown_lag_frames=1, missing=(10, 11)))
    assert result["frames_read_share"] == pytest.approx(28 / 30, abs=1e-3)
    # the first frame read on the new line is frame 12, already shown past half way
    assert result["marker_change_to_half_s"] == 0.0


def test_no_readings_give_no_figures():
    assert marker_change([]) == {}
