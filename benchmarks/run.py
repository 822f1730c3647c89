"""Run every benchmark and write its report under benchmarks/results/: `make bench`.

Speed, batch speed-up, the older single-mesh accuracy run, marker mode on stickers pasted onto the
shared photos (``benchmarks.markers``, skipped without ../shared/samples), the live mirror in headless Chromium
(when Playwright is installed), then the estimator's report on held-out bodies, the single-mesh
set, the real photos and the real clip (``benchmarks.fit.bench``; ``make bench-estimator`` runs
that part alone).
"""

from __future__ import annotations

import sys


def main() -> int:
    from benchmarks import accuracy, batch_speed, markers, speed
    from benchmarks.fit import bench

    status = speed.main([])
    status |= batch_speed.main([])
    status |= accuracy.main([])
    status |= markers.main([])
    try:
        from benchmarks import live_browser
    except ImportError:
        pass
    else:
        status |= live_browser.main([])
    return status | bench.main([])


if __name__ == "__main__":
    sys.exit(main())
