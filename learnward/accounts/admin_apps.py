from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """The admin, on a site that needs a two-factor-verified session when the account has it."""

    default_site = "learnward.accounts.admin_site.StaffAdminSite"
