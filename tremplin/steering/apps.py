from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "tremplin.steering"
    label = "steering"
    verbose_name = "Pilotage"
