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
                    name='NoticeVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(unique=True)),
                        ('content_hash', models.CharField(max_length=64)),
                        ('content', models.JSONField()),
                        ('published_at', models.DateTimeField()),
                        ('material', models.BooleanField(default=True, help_text='Whether signed-in learners are told about this version at their next visit.')),
                        ('changed_sections', models.JSONField(blank=True, default=list)),
                    ],
                    options={
                        'db_table': 'privacy_noticeversion',
                        'ordering': ['-number'],
                    },
                ),
                migrations.CreateModel(
                    name='Breach',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(help_text='A short name for the breach.', max_length=200)),
                        ('detected_at', models.DateTimeField(help_text='When we became aware of the breach.')),
                        ('occurred_at', models.DateTimeField(blank=True, null=True)),
                        ('nature', models.TextField(blank=True, help_text='What happened.')),
                        ('data_categories', models.JSONField(blank=True, default=list)),
                        ('people_affected', models.PositiveIntegerField(blank=True, help_text='Approximate number of people affected.', null=True)),
                        ('records_affected', models.PositiveIntegerField(blank=True, help_text='Approximate number of records affected.', null=True)),
                        ('likely_consequences', models.TextField(blank=True)),
                        ('measures_taken', models.TextField(blank=True, help_text='Measures taken or proposed to deal with it and limit harm.')),
                        ('contact_point', models.TextField(blank=True, help_text='Who people and the ICO can contact for more information.')),
                        ('advice_to_people', models.TextField(blank=True, help_text='What the people affected can do to protect themselves.')),
                        ('ico_decision', models.CharField(choices=[('pending', 'Not decided yet'), ('notify', 'Notify'), ('not_required', 'Not required')], default='pending', max_length=20)),
                        ('ico_decision_reasons', models.TextField(blank=True)),
                        ('ico_notified_at', models.DateTimeField(blank=True, null=True)),
                        ('ico_reference', models.CharField(blank=True, max_length=100)),
                        ('delay_reasons', models.TextField(blank=True, help_text='Why the ICO was told more than 72 hours after detection.')),
                        ('people_decision', models.CharField(choices=[('pending', 'Not decided yet'), ('notify', 'Notify'), ('not_required', 'Not required')], default='pending', max_length=20)),
                        ('people_decision_reasons', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'breaches',
                        'db_table': 'privacy_breach',
                        'ordering': ['-detected_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Processor',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('role', models.CharField(choices=[('processor', 'Processor'), ('sub_processor', 'Sub-processor')], default='processor', max_length=20)),
                        ('service', models.CharField(help_text="What they do for us, in a few plain words (e.g. 'Web hosting').", max_length=300)),
                        ('purposes', models.JSONField(default=list, help_text='Keys of the purposes this processor serves.')),
                        ('data_categories', models.JSONField(default=list, help_text='Keys of the data categories shared with this processor.')),
                        ('location', models.CharField(help_text="Where the data is processed (e.g. 'United Kingdom', 'EU').", max_length=200)),
                        ('transfer_mechanism', models.CharField(choices=[('none', 'None needed: the data stays in the UK'), ('adequacy', 'UK adequacy regulations'), ('sccs', 'Standard contractual clauses with the UK Addendum'), ('idta', 'International data transfer agreement (IDTA)')], default='none', max_length=20)),
                        ('safeguards', models.TextField(blank=True, help_text='Further safeguards for an international transfer, if any.')),
                        ('contract_date', models.DateField(blank=True, help_text='Date of the data processing agreement.', null=True)),
                        ('active', models.BooleanField(default=True, help_text='Only active processors appear in the notice and the records.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('engaged_by', models.ForeignKey(blank=True, help_text='For a sub-processor: the processor that engaged it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sub_processors', to='privacy_records.processor')),
                    ],
                    options={
                        'db_table': 'privacy_processor',
                        'ordering': ['name', 'id'],
                        'permissions': [('view_records_of_processing', 'Can view the records of processing')],
                    },
                ),
                migrations.CreateModel(
                    name='BreachNotification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent')], default='pending', max_length=10)),
                        ('created_at', models.DateTimeField()),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('breach', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='privacy_records.breach')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_breachnotification',
                        'ordering': ['id'],
                        'constraints': [models.UniqueConstraint(fields=('breach', 'user'), name='breach_notify_each_once')],
                    },
                ),
                migrations.CreateModel(
                    name='NoticeAcknowledgement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seen_at', models.DateTimeField()),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notice_acknowledgements', to=settings.AUTH_USER_MODEL)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='privacy_records.noticeversion')),
                    ],
                    options={
                        'db_table': 'privacy_noticeacknowledgement',
                        'ordering': ['-seen_at'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'version'), name='notice_seen_once_per_version')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
