"""The CRCN framework (Cadre de référence des compétences numériques): its 5 domains,
16 competences with their official codes and names, and its 8 levels.

The data is written here rather than imported from the app, so that this migration
keeps loading the same rows whatever the code becomes. `plain_name` is ours: the
words an agent reads on their profile, without jargon.
"""

from django.db import migrations

DOMAINS = [
    ("1", "Information et données"),
    ("2", "Communication et collaboration"),
    ("3", "Création de contenu"),
    ("4", "Protection et sécurité"),
    ("5", "Environnement numérique"),
]

# code, official name, plain words for agents
COMPETENCES = [
    (
        "1.1",
        "Mener une recherche et une veille d’information",
        "Chercher des informations sur internet",
    ),
    ("1.2", "Gérer des données", "Ranger et retrouver ses fichiers"),
    ("1.3", "Traiter des données", "Utiliser des tableaux et des chiffres"),
    ("2.1", "Interagir", "Échanger avec les autres : messages, appels, visio"),
    ("2.2", "Partager et publier", "Partager des documents et publier en ligne"),
    ("2.3", "Collaborer", "Travailler à plusieurs sur un même document"),
    (
        "2.4",
        "S’insérer dans le monde numérique",
        "Faire ses démarches en ligne et respecter les règles",
    ),
    ("3.1", "Développer des documents textuels", "Écrire des documents : courriers, comptes rendus"),
    ("3.2", "Développer des documents multimedia", "Faire des photos, des sons ou des vidéos"),
    (
        "3.3",
        "Adapter les documents à leur finalité",
        "Mettre en forme un document selon son usage",
    ),
    ("3.4", "Programmer", "Faire faire des tâches à l'ordinateur (programmer)"),
    (
        "4.1",
        "Sécuriser l’environnement numérique",
        "Se protéger des virus et des arnaques",
    ),
    (
        "4.2",
        "Protéger les données personnelles et la vie privée",
        "Protéger les informations personnelles",
    ),
    (
        "4.3",
        "Protéger la santé, le bien-être et l’environnement",
        "Prendre soin de sa santé et de la planète avec le numérique",
    ),
    ("5.1", "Résoudre des problèmes techniques", "Régler un problème avec son appareil"),
    ("5.2", "Construire un environnement numérique", "Installer et régler ses outils numériques"),
]

LEVELS = [
    (1, "novice", "Novice 1"),
    (2, "novice", "Novice 2"),
    (3, "independent", "Indépendant 3"),
    (4, "independent", "Indépendant 4"),
    (5, "advanced", "Avancé 5"),
    (6, "advanced", "Avancé 6"),
    (7, "expert", "Expert 7"),
    (8, "expert", "Expert 8"),
]


def load(apps, schema_editor):
    Domain = apps.get_model("competences", "Domain")
    Competence = apps.get_model("competences", "Competence")
    Level = apps.get_model("competences", "Level")
    domains = {}
    for code, name in DOMAINS:
        domains[code], _ = Domain.objects.update_or_create(code=code, defaults={"name": name})
    for position, (code, name, plain_name) in enumerate(COMPETENCES, start=1):
        Competence.objects.update_or_create(
            code=code,
            defaults={
                "domain": domains[code.split(".")[0]],
                "name": name,
                "plain_name": plain_name,
                "is_crcn": True,
                "position": position,
            },
        )
    for number, band, label in LEVELS:
        Level.objects.update_or_create(number=number, defaults={"band": band, "label": label})


def unload(apps, schema_editor):
    apps.get_model("competences", "Level").objects.all().delete()
    apps.get_model("competences", "Competence").objects.filter(is_crcn=True).delete()
    apps.get_model("competences", "Domain").objects.filter(
        code__in=[code for code, _ in DOMAINS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("competences", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
