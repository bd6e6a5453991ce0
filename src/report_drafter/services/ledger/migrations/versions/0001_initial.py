"""The first schema of the audit ledger: every table (see `schema`).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('printed_name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('tool_version', sa.String(length=40), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('benchmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('peers', sa.Integer(), nullable=False),
    sa.Column('p5', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('p25', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('p50', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('p75', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('p95', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'level', 'key')
    )
    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('share_min', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('share_max', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('passage', sa.Text(), nullable=True),
    sa.Column('members_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('members_key')
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('file', sa.Text(), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('agency_as_printed', sa.String(length=200), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=True),
    sa.Column('form', sa.String(length=10), nullable=True),
    sa.Column('tables', sa.String(length=10), nullable=True),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('last_year_share', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('other_share', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('markdown', sa.Text(), nullable=True),
    sa.Column('prose_html', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('file_hash')
    )
    op.create_index('ix_reports_agency_year', 'reports', ['agency_id', 'year', 'version'], unique=False)
    op.create_index('ix_reports_year_status', 'reports', ['year', 'status'], unique=False)
    op.create_table('cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=10), nullable=False),
    sa.Column('row_label', sa.String(length=200), nullable=False),
    sa.Column('column_label', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=120), nullable=False),
    sa.Column('printed', sa.String(length=60), nullable=True),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('meaning', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_cells_report', 'cells', ['report_id'], unique=False)
    op.create_table('cluster_members',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('cluster_id', 'report_id')
    )
    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('section', sa.String(length=40), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('expected', sa.Text(), nullable=True),
    sa.Column('found', sa.Text(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('review_status', sa.String(length=10), server_default='待核实', nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=100), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_findings_report', 'findings', ['report_id'], unique=False)
    op.create_table('metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('undefined', sa.String(length=60), nullable=True),
    sa.Column('percentile', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('peers', sa.Integer(), nullable=True),
    sa.Column('change', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_metrics_report', 'metrics', ['report_id', 'key'], unique=False)
    op.create_table('similarities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('other_report_id', sa.Integer(), nullable=False),
    sa.Column('share', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('passage', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ),
    sa.ForeignKeyConstraint(['other_report_id'], ['reports.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id', 'other_report_id')
    )


def downgrade() -> None:
    op.drop_table('similarities')
    op.drop_index('ix_metrics_report', table_name='metrics')
    op.drop_table('metrics')
    op.drop_index('ix_findings_report', table_name='findings')
    op.drop_table('findings')
    op.drop_table('cluster_members')
    op.drop_index('ix_cells_report', table_name='cells')
    op.drop_table('cells')
    op.drop_index('ix_reports_year_status', table_name='reports')
    op.drop_index('ix_reports_agency_year', table_name='reports')
    op.drop_table('reports')
    op.drop_table('clusters')
    op.drop_table('benchmarks')
    op.drop_table('batches')
    op.drop_table('agencies')
