"""The footprint reference table's starting figures (see equipment/footprint_sources.py)."""

from decimal import Decimal

from django.db import migrations


def add_references(apps, schema_editor):
    from tremplin.equipment.footprint_sources import REFERENCES

    FootprintReference = apps.get_model("equipment", "FootprintReference")
    for row in REFERENCES:
        FootprintReference.objects.get_or_create(
            kind=row["kind"],
            defaults={
                "manufacturing_kg": Decimal(row["manufacturing_kg"]),
                "expected_years": row["expected_years"],
                "source": row["source"],
            },
        )


def remove_references(apps, schema_editor):
    apps.get_model("equipment", "FootprintReference").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("equipment", "0001_initial")]

    operations = [migrations.RunPython(add_references, remove_references)]
