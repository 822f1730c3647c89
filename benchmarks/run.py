"""Run every benchmark and write its report under benchmarks/results/: `make bench`."""

from __future__ import annotations

import sys


def main() -> int:
    from benchmarks import accuracy, batch_speed, speed

    status = speed.main([])
    status |= batch_speed.main([])
    status |= accuracy.main([])
    try:
        from benchmarks import live_browser
    except ImportError:
        return status
    return status | live_browser.main([])


if __name__ == "__main__":
    sys.exit(main())
