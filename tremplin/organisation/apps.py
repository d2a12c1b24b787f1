from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "tremplin.organisation"
    label = "organisation"
    verbose_name = "Organisation et agents"
