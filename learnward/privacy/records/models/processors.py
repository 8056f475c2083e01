"""The register of processors and sub-processors (UK GDPR Art. 28 and 30(1)(d)-(e)).

A processor row names the purposes it serves by their keys in :mod:`learnward.privacy.purposes`
and the data categories shared with it by their keys in :mod:`learnward.privacy.taxonomy`, so the
privacy notice and the records of processing can list, per purpose, who else handles the data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Processor(models.Model):
    class Role(models.TextChoices):
        PROCESSOR = "processor", _("Processor")
        SUB_PROCESSOR = "sub_processor", _("Sub-processor")

    class TransferMechanism(models.TextChoices):
        NONE = "none", _("None needed: the data stays in the UK")
        ADEQUACY = "adequacy", _("UK adequacy regulations")
        SCCS = "sccs", _("Standard contractual clauses with the UK Addendum")
        IDTA = "idta", _("International data transfer agreement (IDTA)")

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROCESSOR)
    engaged_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_processors",
        help_text=_("For a sub-processor: the processor that engaged it."),
    )
    service = models.CharField(
        max_length=300,
        help_text=_("What they do for us, in a few plain words (e.g. 'Web hosting')."),
    )
    purposes = models.JSONField(
        default=list, help_text=_("Keys of the purposes this processor serves.")
    )
    data_categories = models.JSONField(
        default=list, help_text=_("Keys of the data categories shared with this processor.")
    )
    location = models.CharField(
        max_length=200, help_text=_("Where the data is processed (e.g. 'United Kingdom', 'EU').")
    )
    transfer_mechanism = models.CharField(
        max_length=20, choices=TransferMechanism.choices, default=TransferMechanism.NONE
    )
    safeguards = models.TextField(
        blank=True, help_text=_("Further safeguards for an international transfer, if any.")
    )
    contract_date = models.DateField(
        null=True, blank=True, help_text=_("Date of the data processing agreement.")
    )
    active = models.BooleanField(
        default=True, help_text=_("Only active processors appear in the notice and the records.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "privacy_processor"
        ordering = ["name", "id"]
        permissions = [
            ("view_records_of_processing", _("Can view the records of processing")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def transfers_outside_uk(self) -> bool:
        return self.transfer_mechanism != self.TransferMechanism.NONE

    def clean(self) -> None:
        from django.utils.translation import gettext as _

        from learnward.privacy.registry.purposes import PURPOSES
        from learnward.privacy.registry.taxonomy import CATEGORIES

        errors: dict[str, str] = {}
        if not isinstance(self.purposes, list) or not self.purposes:
            errors["purposes"] = _("Choose at least one purpose this processor serves.")
        else:
            unknown = [p for p in self.purposes if p not in PURPOSES]
            if unknown:
                errors["purposes"] = _("Unknown purpose(s): %(keys)s.") % {
                    "keys": ", ".join(map(str, unknown))
                }
        if not isinstance(self.data_categories, list) or not self.data_categories:
            errors["data_categories"] = _("Choose at least one data category shared.")
        else:
            unknown = [c for c in self.data_categories if c not in CATEGORIES]
            if unknown:
                errors["data_categories"] = _("Unknown category(ies): %(keys)s.") % {
                    "keys": ", ".join(map(str, unknown))
                }
        if self.role == self.Role.SUB_PROCESSOR and self.engaged_by_id is None:
            errors["engaged_by"] = _("A sub-processor must name the processor that engaged it.")
        if self.role == self.Role.PROCESSOR and self.engaged_by_id is not None:
            errors["engaged_by"] = _("Only a sub-processor is engaged by another processor.")
        if self.engaged_by_id is not None and self.engaged_by_id == self.pk:
            errors["engaged_by"] = _("A processor cannot engage itself.")
        if errors:
            raise ValidationError(errors)
