from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "learnward.audit"
    label = "audit"
    verbose_name = "Audit trail"
