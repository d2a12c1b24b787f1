from django.apps import AppConfig


class CompetencesConfig(AppConfig):
    name = "tremplin.competences"
    label = "competences"
    verbose_name = "Compétences"
