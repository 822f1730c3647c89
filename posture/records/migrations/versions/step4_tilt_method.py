"""4: where the pelvic tilt came from.

``tilt_method`` is 'markers' (two skin stickers) or 'estimate' (markerless), NULL for sessions
saved before this step (shown as 'estimate'); ``tilt_estimate`` is the markerless estimate and
``tilt_markers`` the marker tilt, degrees, anterior positive, NULL when not made.
``tilt_degrees`` stays the reported one.
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    real = "REAL" if op.get_bind().dialect.name == "sqlite" else "DOUBLE PRECISION"
    op.execute(
        "ALTER TABLE sessions ADD COLUMN tilt_method TEXT "
        "CHECK (tilt_method IS NULL OR tilt_method IN ('markers', 'estimate'))"
    )
    op.execute(f"ALTER TABLE sessions ADD COLUMN tilt_estimate {real}")
    op.execute(f"ALTER TABLE sessions ADD COLUMN tilt_markers {real}")
