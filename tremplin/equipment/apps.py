from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "tremplin.equipment"
    label = "equipment"
    verbose_name = "Matériel"
