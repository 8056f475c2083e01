# Adopts the tables privacy/0001 created: the state moves here, the database is untouched.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('privacy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RetentionPeriodState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(max_length=100, unique=True)),
                        ('months', models.PositiveIntegerField()),
                        ('source', models.CharField(max_length=20)),
                        ('recorded_at', models.DateTimeField()),
                    ],
                    options={
                        'db_table': 'privacy_retentionperiodstate',
                        'ordering': ['rule'],
                    },
                ),
                migrations.CreateModel(
                    name='RetentionRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField()),
                        ('reference_time', models.DateTimeField(help_text="'Now' for every cutoff of this run.")),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('running', 'Running or interrupted'), ('completed', 'Completed')], default='running', max_length=20)),
                        ('attempts', models.PositiveIntegerField(default=1)),
                        ('stats', models.JSONField(blank=True, default=dict)),
                        ('batches', models.PositiveIntegerField(default=0)),
                        ('longest_batch_ms', models.FloatField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'privacy_retentionrun',
                        'ordering': ['-started_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RetentionOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(max_length=100, unique=True)),
                        ('months', models.PositiveIntegerField()),
                        ('reason', models.TextField(blank=True)),
                        ('changed_at', models.DateTimeField()),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_retentionoverride',
                        'ordering': ['rule'],
                    },
                ),
                migrations.CreateModel(
                    name='RetentionWarning',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('anchor', models.DateTimeField(help_text='The deactivation time the warning was about.')),
                        ('deletion_due_at', models.DateTimeField()),
                        ('created_at', models.DateTimeField()),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='retention_warnings', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_retentionwarning',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'anchor'), name='retention_warn_once_per_anchor')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
