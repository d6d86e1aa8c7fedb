"""content pages (tos and privacy seeded), library, newsletters with subscribers and deliveries, disputes, leads

Revision ID: 0011
Revises: 0001
Create Date: 2026-11-30 12:51:04.219610
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from adapters.db.seed import load_seed

revision = '0011'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pages = op.create_table('content_pages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('updated', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_pages')),
    sa.UniqueConstraint('title', name=op.f('uq_content_pages_title')),
    info={'seeded': True}
    )
    op.create_table('leads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email_address', sa.String(length=254), nullable=False),
    sa.Column('phone_number', sa.String(length=32), nullable=False),
    sa.Column('interested_services', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('package', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('email_address', name=op.f('uq_leads_email_address'))
    )
    op.create_table('library_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('title_key', sa.String(length=250), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('file', sa.String(length=1000), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_items')),
    sa.UniqueConstraint('title_key', name=op.f('uq_library_items_title_key'))
    )
    op.create_table('disputes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('admin_response', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_disputes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_category_id', ['category', 'id'], unique=False)
        batch_op.create_index('ix_disputes_priority_id', ['priority', 'id'], unique=False)
        batch_op.create_index('ix_disputes_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_disputes_user_id_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_disputes_user_id_status_id', ['user_id', 'status', 'id'], unique=False)

    op.create_table('library_tags',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_tags_item_id_library_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'tag', name=op.f('pk_library_tags'))
    )
    with op.batch_alter_table('library_tags', schema=None) as batch_op:
        batch_op.create_index('ix_library_tags_tag_item', ['tag', 'item_id'], unique=False)

    op.create_table('newsletter_subscribers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('subscribed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_newsletter_subscribers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_subscribers')),
    sa.UniqueConstraint('email', name=op.f('uq_newsletter_subscribers_email')),
    sa.UniqueConstraint('user_id', name=op.f('uq_newsletter_subscribers_user_id'))
    )
    op.create_table('newsletters',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('image', sa.String(length=1000), nullable=False),
    sa.Column('author_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_newsletters_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletters'))
    )
    with op.batch_alter_table('newsletters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newsletters_author_id'), ['author_id'], unique=False)

    op.create_table('newsletter_deliveries',
    sa.Column('newsletter_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('subscriber_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['newsletter_id'], ['newsletters.id'], name=op.f('fk_newsletter_deliveries_newsletter_id_newsletters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('newsletter_id', 'subscriber_id', name=op.f('pk_newsletter_deliveries'))
    )
    op.bulk_insert(
        pages,
        [{"title": p["title"], "content": p["content"], "items": p["items"],
          "updated": date.fromisoformat(p["updated"])} for p in load_seed("pages")],
    )


def downgrade() -> None:
    op.drop_table('newsletter_deliveries')
    with op.batch_alter_table('newsletters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newsletters_author_id'))

    op.drop_table('newsletters')
    op.drop_table('newsletter_subscribers')
    with op.batch_alter_table('library_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_library_tags_tag_item')

    op.drop_table('library_tags')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_user_id_status_id')
        batch_op.drop_index('ix_disputes_user_id_id')
        batch_op.drop_index('ix_disputes_status_id')
        batch_op.drop_index('ix_disputes_priority_id')
        batch_op.drop_index('ix_disputes_category_id')

    op.drop_table('disputes')
    op.drop_table('library_items')
    op.drop_table('leads')
    op.drop_table('content_pages')
