from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "tremplin.mobility"
    label = "mobility"
    verbose_name = "Mobilité"
