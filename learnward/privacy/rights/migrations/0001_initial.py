# Adopts the tables privacy/0001 created: the state moves here, the database is untouched.

import django.db.models.deletion
import django.utils.timezone
import uuid
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
                    name='RightsRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('access', 'Access (a copy of their data)'), ('portability', 'Portability (data in a reusable format)'), ('rectification', 'Rectification (correcting data)'), ('erasure', 'Erasure (deleting data)'), ('restriction', 'Restriction of processing'), ('objection', 'Objection to processing'), ('other', 'Other')], max_length=20)),
                        ('channel', models.CharField(choices=[('self_service', 'Self-service (signed in)'), ('letter', 'Letter'), ('email', 'Email'), ('phone', 'Phone')], max_length=20)),
                        ('requester_name', models.CharField(blank=True, max_length=150)),
                        ('requester_email', models.EmailField(blank=True, max_length=254)),
                        ('details', models.TextField(blank=True, help_text="What was asked, in the requester's terms.")),
                        ('received_on', models.DateField(default=django.utils.timezone.localdate)),
                        ('identity_confirmed_on', models.DateField(blank=True, null=True)),
                        ('identity_method', models.CharField(blank=True, choices=[('signed_in', 'Made while signed in to the account'), ('email_link', 'Confirmed through a link sent to the account email'), ('evidence', 'Evidence of identity seen by the DPO')], max_length=20)),
                        ('identity_note', models.TextField(blank=True, help_text='Evidence seen, for a posted request.')),
                        ('identity_link_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('extension_months', models.PositiveSmallIntegerField(default=0)),
                        ('extension_reason', models.TextField(blank=True)),
                        ('extension_notified_at', models.DateTimeField(blank=True, null=True)),
                        ('due_on', models.DateField(blank=True, db_index=True, null=True)),
                        ('status', models.CharField(choices=[('awaiting_identity', 'Awaiting identity check'), ('in_progress', 'In progress'), ('paused', 'Paused (awaiting clarification)'), ('closed', 'Closed')], default='awaiting_identity', max_length=20)),
                        ('outcome', models.CharField(blank=True, choices=[('fulfilled', 'Fulfilled'), ('partly_fulfilled', 'Partly fulfilled'), ('refused', 'Refused (with reasons)'), ('withdrawn', 'Withdrawn by the requester'), ('not_verified', 'Closed: identity could not be confirmed')], max_length=20)),
                        ('response_sent_on', models.DateField(blank=True, null=True)),
                        ('response_summary', models.TextField(blank=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requester', models.ForeignKey(blank=True, help_text='The account the request is about, when there is one.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rights_requests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_rightsrequest',
                        'ordering': ['due_on', 'received_on', 'pk'],
                        'permissions': [('manage_rightsrequest', 'Can handle rights requests on the DPO desk')],
                    },
                ),
                migrations.CreateModel(
                    name='RequestPause',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_on', models.DateField()),
                        ('ended_on', models.DateField(blank=True, null=True)),
                        ('reason', models.TextField()),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pauses', to='privacy_rights.rightsrequest')),
                    ],
                    options={
                        'db_table': 'privacy_requestpause',
                        'ordering': ['started_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='AccountDeletion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('erase_after', models.DateTimeField(db_index=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pending_deletion', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='privacy_rights.rightsrequest')),
                    ],
                    options={
                        'db_table': 'privacy_accountdeletion',
                    },
                ),
                migrations.CreateModel(
                    name='SubjectExport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('status', models.CharField(choices=[('pending', 'Being prepared'), ('ready', 'Ready to download'), ('failed', 'Failed'), ('expired', 'Expired and deleted')], default='pending', max_length=10)),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('ready_at', models.DateTimeField(blank=True, null=True)),
                        ('expires_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                        ('file_name', models.CharField(blank=True, max_length=200)),
                        ('size', models.PositiveBigIntegerField(default=0)),
                        ('downloaded_at', models.DateTimeField(blank=True, null=True)),
                        ('deleted_at', models.DateTimeField(blank=True, null=True)),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='privacy_rights.rightsrequest')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='data_exports', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_subjectexport',
                        'ordering': ['-requested_at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
