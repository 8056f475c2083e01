from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learnward.accounts"
    label = "accounts"
    verbose_name = "Accounts"
