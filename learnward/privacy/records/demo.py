"""Demo data for the privacy app: the processor register, after the seeds' examples.

Idempotent: processors are matched by name and left alone if they exist. Real installs record
their own processors in the admin; nothing here is created by a migration.
"""

from __future__ import annotations

from datetime import date

from learnward.privacy.records.models import Processor
from learnward.privacy.records.notice import notice_publish_if_changed
from learnward.privacy.records.processors import processor_save

_ESSENTIAL = [
    "account",
    "security",
    "learning",
    "assessment",
    "certification",
    "awarding_body_registration",
    "audit",
    "rights_requests",
    "support",
    "evaluation",
    "cpd_record",
    "breach_management",
    "service_communications",
    "marketing",
]

DEMO_PROCESSORS = [
    {
        "name": "Demo Cloud Hosting",
        "service": "Web hosting, database and backups for the platform",
        "purposes": _ESSENTIAL,
        "data_categories": [
            "user.name",
            "user.contact.email",
            "user.demographic.date_of_birth",
            "user.behavior.learning_activity",
            "user.assessment.results",
            "user.credential.certificate",
            "user.device.ip_address",
        ],
        "location": "United Kingdom (London data centre)",
        "transfer_mechanism": Processor.TransferMechanism.NONE,
        "contract_date": date(2024, 1, 15),
    },
    {
        "name": "Demo Workspace Mail",
        "service": "Email delivery, and the staff mailbox where we answer enquiries",
        "purposes": ["service_communications", "marketing", "support", "rights_requests"],
        "data_categories": ["user.name", "user.contact.email", "user.content.message"],
        "location": "European Union and United States",
        "transfer_mechanism": Processor.TransferMechanism.SCCS,
        "safeguards": "EU standard contractual clauses with the UK Addendum; data encrypted in "
        "transit and at rest.",
        "contract_date": date(2024, 2, 1),
    },
    {
        "name": "Demo Community Platform",
        "service": "The optional learner community linked from courses",
        "purposes": ["learning"],
        "data_categories": ["user.name", "user.contact.email", "user.content.message"],
        "location": "United States",
        "transfer_mechanism": Processor.TransferMechanism.IDTA,
        "contract_date": date(2024, 3, 10),
    },
    {
        "name": "Demo AI Provider",
        "service": "Answers questions about a course and suggests reflection prompts",
        "purposes": ["ai_assistance"],
        "data_categories": ["user.content.ai_interaction"],
        "location": "United States",
        "transfer_mechanism": Processor.TransferMechanism.IDTA,
        "safeguards": "Personal details are removed before text is sent; the provider does not "
        "train on it and deletes it within 30 days.",
        "contract_date": date(2024, 6, 1),
    },
]
DEMO_SUB_PROCESSORS = [
    {
        "name": "Demo AI Cloud Infrastructure",
        "engaged_by": "Demo AI Provider",
        "service": "Computing capacity for the AI provider",
        "purposes": ["ai_assistance"],
        "data_categories": ["user.content.ai_interaction"],
        "location": "United States",
        "transfer_mechanism": Processor.TransferMechanism.IDTA,
        "contract_date": date(2024, 6, 1),
    },
]


def load(result: dict) -> None:
    for spec in DEMO_PROCESSORS + DEMO_SUB_PROCESSORS:
        if Processor.objects.filter(name=spec["name"]).exists():
            continue
        values = dict(spec)
        parent = values.pop("engaged_by", None)
        processor = Processor(**values)
        if parent:
            processor.role = Processor.Role.SUB_PROCESSOR
            processor.engaged_by = Processor.objects.get(name=parent)
        processor_save(processor=processor, actor=None, publish=False)
    result.setdefault("processors", [])
    result["processors"] = [p.name for p in Processor.objects.order_by("name")]


def finish(result: dict) -> None:
    """Publish the notice once every app's demo data exists, so the first version already lists
    it all and nobody is told at their first visit that the notice changed."""
    notice_publish_if_changed()
