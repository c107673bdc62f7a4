"""inbound event leases

A processor leases a stored webhook event while it works on it, so a second worker process (or
one restarted after a crash) takes it over only once the lease has run out.

Revision ID: 7c3e1b9d2a41
Revises: 352a6f1a5bd1
Create Date: 2026-12-02 13:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopkeeper.kernel.db

revision: str = '7c3e1b9d2a41'
down_revision: str | None = '352a6f1a5bd1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('claimed_until', shopkeeper.kernel.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_inbound_events_pending', ['processed_at', 'received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_pending')
        batch_op.drop_column('attempts')
        batch_op.drop_column('claimed_until')
