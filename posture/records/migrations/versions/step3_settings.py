"""3: the workspace's own settings (the trainer's name printed on reports)."""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
