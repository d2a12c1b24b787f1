from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "tremplin.planning"
    label = "planning"
    verbose_name = "Organisation des formations"
