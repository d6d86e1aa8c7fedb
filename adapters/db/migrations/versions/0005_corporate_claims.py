"""corporate claims: the company address of a corporate account waits for the code e-mailed to it

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-30 09:25:07.424216
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('corporate_claims',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('code_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_corporate_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corporate_claims')),
    sa.UniqueConstraint('user_id', name=op.f('uq_corporate_claims_user_id'))
    )
    with op.batch_alter_table('corporate_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corporate_claims_email'), ['email'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('corporate_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corporate_claims_email'))

    op.drop_table('corporate_claims')
