"""tracker: statuses (seeded), tracked applications, events, notes, job sites, opportunities, prefs

Revision ID: 0014
Revises: 0001
Depends on: 0010 (tracked applications may link a board job and a board application)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0001'
branch_labels = None
depends_on = '0010'

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    statuses = op.create_table('tracker_statuses',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('rejectable', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracker_statuses')),
    sa.UniqueConstraint('name', name=op.f('uq_tracker_statuses_name'))
    )
    op.bulk_insert(statuses, [
        {'id': 2, 'name': 'TO APPLY', 'pos': 1, 'rejectable': False, 'is_default': False},
        {'id': 1, 'name': 'APPLIED', 'pos': 2, 'rejectable': True, 'is_default': True},
        {'id': 3, 'name': 'PHONE SCREEN', 'pos': 3, 'rejectable': True, 'is_default': False},
        {'id': 4, 'name': 'ONSITE INTERVIEW', 'pos': 4, 'rejectable': True, 'is_default': False},
        {'id': 5, 'name': 'OFFER', 'pos': 5, 'rejectable': True, 'is_default': False},
    ])
    op.create_table('tracker_sites',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('owner_id', _ID, nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('resume_format', sa.String(length=32), nullable=False),
    sa.Column('requires_github', sa.Boolean(), nullable=False),
    sa.Column('requires_portfolio', sa.Boolean(), nullable=False),
    sa.Column('last_visited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resume_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('headline', sa.String(length=512), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tracker_sites_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracker_sites'))
    )
    op.create_index('ix_tracker_sites_owner_id', 'tracker_sites', ['owner_id', 'id'])
    op.create_table('tracked_applications',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('owner_id', _ID, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('company_key', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('is_rejected', sa.Boolean(), nullable=False),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_stage', sa.String(length=32), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('interviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('job_id', _ID, nullable=True),
    sa.Column('application_id', _ID, nullable=True),
    sa.Column('site_id', _ID, nullable=True),
    sa.Column('msg_id', sa.String(length=200), nullable=True),
    sa.Column('external_url', sa.String(length=2048), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('work_type', sa.String(length=16), nullable=False),
    sa.Column('pay_min', _ID, nullable=True),
    sa.Column('pay_max', _ID, nullable=True),
    sa.Column('pay_currency', sa.String(length=3), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tech_stack', _JSON, nullable=False),
    sa.Column('questions', _JSON, nullable=False),
    sa.Column('time_spent_min', sa.Integer(), nullable=True),
    sa.Column('extra', _JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('pay_min IS NULL OR pay_max IS NULL OR pay_min <= pay_max', name=op.f('ck_tracked_applications_pay_range')),
    sa.ForeignKeyConstraint(['application_id'], ['job_applications.id'], name=op.f('fk_tracked_applications_application_id_job_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_tracked_applications_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tracked_applications_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['tracker_sites.id'], name=op.f('fk_tracked_applications_site_id_tracker_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['tracker_statuses.id'], name=op.f('fk_tracked_applications_status_id_tracker_statuses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracked_applications')),
    sa.UniqueConstraint('owner_id', 'application_id', name=op.f('uq_tracked_applications_owner_id_application_id')),
    sa.UniqueConstraint('owner_id', 'msg_id', name=op.f('uq_tracked_applications_owner_id_msg_id'))
    )
    for name, columns in (
        ('ix_tracked_applications_owner_on', ['owner_id', 'is_deleted', 'applied_on', 'id']),
        ('ix_tracked_applications_owner_status', ['owner_id', 'is_deleted', 'status_id', 'applied_on']),
        ('ix_tracked_applications_owner_source', ['owner_id', 'is_deleted', 'source', 'applied_on']),
        ('ix_tracked_applications_owner_rejected', ['owner_id', 'is_deleted', 'is_rejected', 'applied_on']),
        ('ix_tracked_applications_owner_company', ['owner_id', 'is_deleted', 'company_key']),
        ('ix_tracked_applications_owner_title', ['owner_id', 'is_deleted', 'title', 'status_id']),
        ('ix_tracked_applications_owner_job', ['owner_id', 'job_id']),
        ('ix_tracked_applications_site', ['site_id', 'is_deleted', 'applied_on']),
        ('ix_tracked_applications_job', ['job_id']),
        ('ix_tracked_applications_application', ['application_id']),
    ):
        op.create_index(name, 'tracked_applications', columns, unique=False)
    op.create_table('tracker_events',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('application_id', _ID, nullable=False),
    sa.Column('owner_id', _ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('from_status_id', sa.Integer(), nullable=True),
    sa.Column('to_status_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['tracked_applications.id'], name=op.f('fk_tracker_events_application_id_tracked_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tracker_events_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracker_events'))
    )
    op.create_index('ix_tracker_events_application_at', 'tracker_events', ['application_id', 'at', 'id'])
    op.create_index(op.f('ix_tracker_events_owner_id'), 'tracker_events', ['owner_id'])
    op.create_table('tracker_notes',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('application_id', _ID, nullable=False),
    sa.Column('owner_id', _ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['tracked_applications.id'], name=op.f('fk_tracker_notes_application_id_tracked_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tracker_notes_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracker_notes'))
    )
    op.create_index('ix_tracker_notes_application_at', 'tracker_notes', ['application_id', 'at', 'id'])
    op.create_index(op.f('ix_tracker_notes_owner_id'), 'tracker_notes', ['owner_id'])
    op.create_table('tracker_opportunities',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('owner_id', _ID, nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('recruiter_name', sa.String(length=64), nullable=False),
    sa.Column('recruiter_company', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('duration', sa.String(length=64), nullable=False),
    sa.Column('work_type', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('comments', _JSON, nullable=False),
    sa.Column('application_id', _ID, nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['tracked_applications.id'], name=op.f('fk_tracker_opportunities_application_id_tracked_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tracker_opportunities_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracker_opportunities'))
    )
    op.create_index('ix_tracker_opportunities_owner_received', 'tracker_opportunities', ['owner_id', 'received_at', 'id'])
    op.create_index('ix_tracker_opportunities_owner_status', 'tracker_opportunities', ['owner_id', 'status', 'received_at'])
    op.create_index('ix_tracker_opportunities_application', 'tracker_opportunities', ['application_id'])
    op.create_table('tracker_prefs',
    sa.Column('user_id', _ID, nullable=False),
    sa.Column('greeting', sa.String(length=24), nullable=False),
    sa.Column('color_mode', sa.String(length=24), nullable=False),
    sa.Column('dashboard_first_date', sa.Date(), nullable=True),
    sa.Column('dashboard_second_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tracker_prefs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_tracker_prefs'))
    )


def downgrade() -> None:
    op.drop_table('tracker_prefs')
    op.drop_table('tracker_opportunities')
    op.drop_table('tracker_notes')
    op.drop_table('tracker_events')
    op.drop_table('tracked_applications')
    op.drop_table('tracker_sites')
    op.drop_table('tracker_statuses')
