"""vaults: mentors' earnings ledger

Revision ID: 0013
Revises: 0001
Create Date: 2026-11-30 15:48:42.369965
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0013'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vault_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('mentor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('session_id', sa.BigInteger(), nullable=True),
    sa.Column('session_type', sa.String(length=16), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settled_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint("kind IN ('EARN', 'WITHDRAW', 'FEE', 'REFUND')", name=op.f('ck_vault_entries_kind')),
    sa.CheckConstraint("status IN ('completed', 'pending', 'paid', 'failed')", name=op.f('ck_vault_entries_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_vault_entries_amount_positive')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_vault_entries_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['settled_by'], ['users.id'], name=op.f('fk_vault_entries_settled_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vault_entries')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_vault_entries_idempotency_key'))
    )
    with op.batch_alter_table('vault_entries', schema=None) as batch_op:
        batch_op.create_index('ix_vault_entries_kind_status_id', ['kind', 'status', 'id'], unique=False)
        batch_op.create_index('ix_vault_entries_mentor_id_id', ['mentor_id', 'id'], unique=False)

    op.create_table('vaults',
    sa.Column('mentor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_vaults_balance_not_negative')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_vaults_mentor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('mentor_id', name=op.f('pk_vaults'))
    )


def downgrade() -> None:
    op.drop_table('vaults')
    with op.batch_alter_table('vault_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_vault_entries_mentor_id_id')
        batch_op.drop_index('ix_vault_entries_kind_status_id')

    op.drop_table('vault_entries')
