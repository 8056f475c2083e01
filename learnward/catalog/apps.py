from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "learnward.catalog"
    label = "catalog"
