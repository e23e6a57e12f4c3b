"""Files attached to a queued reply.

Revision ID: 0003_outbox_attachments
Revises: 0002_search_and_orders

`outbox.attachments_json` holds a JSON list of {"path", "file_name", "mime_type", "size", "remote_id"}; `path` is
the copy in the data folder's attachments/outgoing/, `remote_id` is set once Allegro has the file, so a retried
send never uploads it twice. NULL means a reply without attachments (every row written before this revision).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_outbox_attachments"
down_revision = "0002_search_and_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a nullable column needs no table copy; batch mode keeps the script the same shape as the downgrade.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("attachments_json", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite before 3.35 cannot drop a column in place: batch mode copies the table without it.
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attachments_json")
