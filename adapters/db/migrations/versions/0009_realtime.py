"""real time: notifications (with a read flag), chat rooms per unordered pair of users, chat messages

Revision ID: 0009
Revises: 0001
Create Date: 2026-12-08 10:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0001'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=1500), nullable=False),
    sa.Column('page', sa.String(length=64), nullable=True),
    sa.Column('route', sa.String(length=500), nullable=True),
    sa.Column('obj_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_read', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'is_read'], unique=False)

    op.create_table('chat_rooms',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('user_low', ID, nullable=False),
    sa.Column('user_high', ID, nullable=False),
    sa.Column('initiator_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('low_read_id', ID, nullable=False),
    sa.Column('high_read_id', ID, nullable=False),
    sa.CheckConstraint('user_low < user_high', name=op.f('ck_chat_rooms_ordered_pair')),
    sa.ForeignKeyConstraint(['user_high'], ['users.id'], name=op.f('fk_chat_rooms_user_high_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_low'], ['users.id'], name=op.f('fk_chat_rooms_user_low_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_rooms')),
    sa.UniqueConstraint('user_low', 'user_high', name=op.f('uq_chat_rooms_user_low_user_high'))
    )
    with op.batch_alter_table('chat_rooms', schema=None) as batch_op:
        batch_op.create_index('ix_chat_rooms_high_updated', ['user_high', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_chat_rooms_low_updated', ['user_low', 'updated_at', 'id'], unique=False)

    op.create_table('chat_messages',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('room_id', ID, nullable=False),
    sa.Column('sender_id', ID, nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['chat_rooms.id'], name=op.f('fk_chat_messages_room_id_chat_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_chat_messages_sender_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_messages'))
    )
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.create_index('ix_chat_messages_room_id_id', ['room_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_messages_sender_id'), ['sender_id'], unique=False)


def downgrade() -> None:
    op.drop_table('chat_messages')
    op.drop_table('chat_rooms')
    op.drop_table('notifications')
