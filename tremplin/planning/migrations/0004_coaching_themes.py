"""The coaching themes the advisors start with; HR changes the list in the admin."""

from django.db import migrations

THEMES = [
    "Prise en main du smartphone ou de la tablette",
    "Bureautique (traitement de texte, tableur)",
    "Messagerie et agenda",
    "Sécurité et mots de passe",
    "Démarches en ligne",
    "Intranet et applications métier",
    "Visioconférence",
    "Identité numérique et connexion",
]


def add_themes(apps, schema_editor):
    theme = apps.get_model("planning", "CoachingTheme")
    for position, name in enumerate(THEMES, start=1):
        theme.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_attendance_reminders_coaching")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
