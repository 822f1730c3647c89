"""2: hand correction. A corrected measure keeps the value the analyzer found in ``original``."""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    real = "REAL" if op.get_bind().dialect.name == "sqlite" else "DOUBLE PRECISION"
    op.execute(
        "ALTER TABLE measures ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0 CHECK (corrected IN (0, 1))"
    )
    op.execute(f"ALTER TABLE measures ADD COLUMN original {real}")
