# Adopts the tables privacy/0001 created: the state moves here, the database is untouched.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('privacy', '0001_initial'),
        ('privacy_rights', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CookieDefinition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text="The cookie's name, e.g. _pk_id.", max_length=100)),
                        ('provider', models.CharField(blank=True, help_text='Who sets it, if not us (e.g. Matomo).', max_length=100)),
                        ('purpose', models.TextField(help_text='What it is for, in plain English.')),
                        ('duration', models.CharField(help_text='How long it lasts, e.g. 13 months.', max_length=100)),
                        ('essential', models.BooleanField(default=False, help_text='Strictly necessary for a service the visitor asked for. Non-essential cookies are only set after the visitor agrees.')),
                        ('script_url', models.URLField(blank=True, help_text='A script that sets this cookie (https only), loaded only after consent.', verbose_name='script address')),
                        ('enabled', models.BooleanField(default=True, help_text='Turn off to stop using this cookie without deleting the entry.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'privacy_cookiedefinition',
                        'ordering': ['-essential', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Objection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('purpose', models.CharField(max_length=64)),
                        ('reason', models.TextField(blank=True)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='privacy_rights.rightsrequest')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_objection',
                        'ordering': ['-recorded_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ProcessingRestriction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_by', models.CharField(choices=[('learner', 'The learner'), ('dpo', 'The data protection officer')], max_length=10)),
                        ('reason', models.TextField(blank=True)),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('lifted_at', models.DateTimeField(blank=True, null=True)),
                        ('lift_reason', models.TextField(blank=True)),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='privacy_rights.rightsrequest')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='restrictions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_processingrestriction',
                        'ordering': ['-started_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ConsentRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('browser_id', models.CharField(blank=True, db_index=True, help_text="A random identifier kept in the browser's cookie-choice cookie, for choices made before (or without) signing in.", max_length=64)),
                        ('purpose', models.CharField(max_length=50)),
                        ('topic', models.CharField(blank=True, max_length=50)),
                        ('channel', models.CharField(blank=True, max_length=20)),
                        ('given', models.BooleanField()),
                        ('text', models.TextField(help_text='The exact words shown when the choice was made.')),
                        ('version', models.CharField(max_length=40)),
                        ('method', models.CharField(choices=[('form', 'A form on the site'), ('account', 'The account page'), ('email_link', 'A link in an email'), ('guardian', 'A parent or guardian')], max_length=20)),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='consent_records', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_consentrecord',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['subject', 'purpose', 'topic', 'channel', 'at'], name='consent_subject_latest'), models.Index(fields=['browser_id', 'purpose', 'at'], name='consent_browser_latest')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('browser_id', ''), ('subject__isnull', True), _negated=True), name='consent_has_subject_or_browser')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
