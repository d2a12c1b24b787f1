from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "tremplin.diagnostic"
    label = "diagnostic"
    verbose_name = "Diagnostic"
