"""jobs board: postings, industry tags and words, applications, saves, preferences, alert ledger

Revision ID: 0010
Revises: 0001
Create Date: 2026-11-30 12:52:05.213598
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_preferences',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('work_type', sa.String(length=16), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('experience_level', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_job_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_job_preferences'))
    )
    with op.batch_alter_table('job_preferences', schema=None) as batch_op:
        batch_op.create_index('ix_job_preferences_industry_user', ['industry', 'user_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('poster_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('organization', sa.String(length=250), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('work_type', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=250), nullable=False),
    sa.Column('salary', sa.String(length=250), nullable=False),
    sa.Column('overview', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('industries', sa.String(length=500), nullable=False),
    sa.Column('experience_level', sa.String(length=16), nullable=False),
    sa.Column('application_deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("employment_type IN ('full_time', 'part_time', 'internship', 'freelance', 'contract')", name=op.f('ck_jobs_employment_type')),
    sa.CheckConstraint("experience_level IN ('entry', 'mid', 'senior', 'executive')", name=op.f('ck_jobs_experience_level')),
    sa.CheckConstraint("status IN ('draft', 'active', 'closed')", name=op.f('ck_jobs_status')),
    sa.CheckConstraint("work_type IN ('remote', 'onsite', 'hybrid')", name=op.f('ck_jobs_work_type')),
    sa.ForeignKeyConstraint(['poster_id'], ['users.id'], name=op.f('fk_jobs_poster_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_poster_created', ['poster_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_poster_status_created', ['poster_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_status_country_created', ['status', 'country', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_status_created', ['status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_status_deadline', ['status', 'application_deadline'], unique=False)
        batch_op.create_index('ix_jobs_status_employment_created', ['status', 'employment_type', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_status_level_created', ['status', 'experience_level', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_jobs_status_work_created', ['status', 'work_type', 'created_at', 'id'], unique=False)

    op.create_table('job_alert_deliveries',
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_alert_deliveries_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_job_alert_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'user_id', name=op.f('pk_job_alert_deliveries'))
    )
    with op.batch_alter_table('job_alert_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_alert_deliveries_user_id'), ['user_id'], unique=False)

    op.create_table('job_applications',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('applicant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('poster_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_job_applications_applicant_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_applications_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poster_id'], ['users.id'], name=op.f('fk_job_applications_poster_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_applications')),
    sa.UniqueConstraint('job_id', 'applicant_id', name=op.f('uq_job_applications_job_id_applicant_id'))
    )
    with op.batch_alter_table('job_applications', schema=None) as batch_op:
        batch_op.create_index('ix_job_applications_applicant_applied', ['applicant_id', 'applied_at', 'id'], unique=False)
        batch_op.create_index('ix_job_applications_job_applied', ['job_id', 'applied_at', 'id'], unique=False)
        batch_op.create_index('ix_job_applications_poster_applied', ['poster_id', 'applied_at', 'id'], unique=False)

    op.create_table('job_industries',
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_industries_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'industry', name=op.f('pk_job_industries'))
    )
    with op.batch_alter_table('job_industries', schema=None) as batch_op:
        batch_op.create_index('ix_job_industries_status_created', ['industry', 'status', 'created_at', 'job_id'], unique=False)

    op.create_table('job_preference_terms',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['job_preferences.user_id'], name=op.f('fk_job_preference_terms_user_id_job_preferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'term', name=op.f('pk_job_preference_terms'))
    )
    with op.batch_alter_table('job_preference_terms', schema=None) as batch_op:
        batch_op.create_index('ix_job_preference_terms_term_user', ['term', 'user_id'], unique=False)

    op.create_table('job_saves',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_saves_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_job_saves_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'job_id', name=op.f('pk_job_saves'))
    )
    with op.batch_alter_table('job_saves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_saves_job_id'), ['job_id'], unique=False)
        batch_op.create_index('ix_job_saves_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('job_terms',
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_terms_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'term', name=op.f('pk_job_terms'))
    )
    with op.batch_alter_table('job_terms', schema=None) as batch_op:
        batch_op.create_index('ix_job_terms_status_created', ['term', 'status', 'created_at', 'job_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('job_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_job_terms_status_created')

    op.drop_table('job_terms')
    with op.batch_alter_table('job_saves', schema=None) as batch_op:
        batch_op.drop_index('ix_job_saves_user_created')
        batch_op.drop_index(batch_op.f('ix_job_saves_job_id'))

    op.drop_table('job_saves')
    with op.batch_alter_table('job_preference_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_job_preference_terms_term_user')

    op.drop_table('job_preference_terms')
    with op.batch_alter_table('job_industries', schema=None) as batch_op:
        batch_op.drop_index('ix_job_industries_status_created')

    op.drop_table('job_industries')
    with op.batch_alter_table('job_applications', schema=None) as batch_op:
        batch_op.drop_index('ix_job_applications_poster_applied')
        batch_op.drop_index('ix_job_applications_job_applied')
        batch_op.drop_index('ix_job_applications_applicant_applied')

    op.drop_table('job_applications')
    with op.batch_alter_table('job_alert_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_alert_deliveries_user_id'))

    op.drop_table('job_alert_deliveries')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_status_work_created')
        batch_op.drop_index('ix_jobs_status_level_created')
        batch_op.drop_index('ix_jobs_status_employment_created')
        batch_op.drop_index('ix_jobs_status_deadline')
        batch_op.drop_index('ix_jobs_status_created')
        batch_op.drop_index('ix_jobs_status_country_created')
        batch_op.drop_index('ix_jobs_poster_status_created')
        batch_op.drop_index('ix_jobs_poster_created')

    op.drop_table('jobs')
    with op.batch_alter_table('job_preferences', schema=None) as batch_op:
        batch_op.drop_index('ix_job_preferences_industry_user')

    op.drop_table('job_preferences')
