"""Where the privacy models went when ``privacy`` became a family of apps (migration 0002).

Read by that migration (content types) and by :mod:`learnward.privacy.urls`, which sends the
admin's old addresses (``/admin/privacy/<model>/…``) to the model's new app.
"""

MOVED_MODELS: dict[str, tuple[str, ...]] = {
    "privacy_consent": ("consentrecord", "cookiedefinition", "processingrestriction", "objection"),
    "privacy_rights": ("rightsrequest", "requestpause", "accountdeletion", "subjectexport"),
    "privacy_retention": (
        "retentionoverride",
        "retentionperiodstate",
        "retentionrun",
        "retentionwarning",
    ),
    "privacy_records": (
        "noticeversion",
        "noticeacknowledgement",
        "processor",
        "breach",
        "breachnotification",
    ),
}

NEW_LABEL: dict[str, str] = {
    model: label for label, models in MOVED_MODELS.items() for model in models
}
