"""The demo catalogue: what a collectivité's training office offers for « Le numérique
pour tous », from a first hour with a tablet to a CNFPT course for managers.

Written through the ORM, so each module's history starts with its creation by
seed_demo. Outcomes use CRCN codes; prerequisites give a sensible order (the smartphone
before the intranet, the mailbox before video calls, a document before a spreadsheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tremplin.competences.models import Competence

from .enums import Audience, ModuleFormat, PlaceNeed, TrainerKind
from .models import Module, ModuleOutcome, ModulePrerequisite

G, C, E, W = (
    ModuleFormat.GROUP,
    ModuleFormat.COACHING,
    ModuleFormat.ELEARNING,
    ModuleFormat.WORKSHOP,
)
ADVISOR, FRESQUE, EXTERNAL = TrainerKind.ADVISOR, TrainerKind.FRESQUE, TrainerKind.EXTERNAL
ALL, FIELD, OFFICE = Audience.ALL, Audience.FIELD, Audience.OFFICE
COMPUTERS, TABLETS, ANY = PlaceNeed.COMPUTERS, PlaceNeed.TABLETS, PlaceNeed.ANY

# Field jobs that report what they see in the street (demo job families).
OUTDOOR_FAMILIES = (
    "Voirie et réseaux",
    "Propreté et hygiène",
    "Espaces verts et nature",
    "Patrimoine bâti",
    "Déchets",
)
MANAGER_FAMILIES = ("Direction et encadrement", "Encadrement de proximité")


@dataclass(frozen=True)
class Spec:
    code: str
    title: str
    objective: str
    format: str
    minutes: int
    group: tuple[int, int]
    outcomes: tuple[tuple[str, int, int], ...]
    # Module codes, or (competence code, minimum level).
    prerequisites: tuple[str | tuple[str, int], ...] = ()
    trainer: str = ADVISOR
    provider: str = ""
    audience: str = ALL
    families: tuple[str, ...] = ()
    place: str = ANY
    cost: str = "0"
    needs_device: bool = False
    manager_approval: bool = False


MODULES = [
    Spec(
        "smartphone",
        "Premiers pas avec un smartphone ou une tablette",
        "Allumer l'appareil, se servir de l'écran tactile, ouvrir une application, régler le "
        "son et la lumière, se connecter au wifi. Les tablettes sont prêtées pendant la séance.",
        format=G,
        minutes=90,
        group=(3, 6),
        audience=FIELD,
        place=TABLETS,
        manager_approval=True,
        outcomes=(("5.2", 0, 1), ("5.1", 0, 1)),
    ),
    Spec(
        "intranet-paie",
        "L'intranet et ma fiche de paie",
        "Se connecter à l'intranet avec son identifiant, lire les actualités de la "
        "collectivité, ouvrir sa fiche de paie et la garder.",
        format=G,
        minutes=90,
        group=(3, 6),
        place=TABLETS,
        manager_approval=True,
        outcomes=(("2.4", 0, 1), ("1.2", 0, 1)),
        prerequisites=("smartphone",),
    ),
    Spec(
        "messagerie",
        "Ma messagerie",
        "Lire un courriel, y répondre, en écrire un, joindre une photo ou un document, "
        "ranger ses messages dans des dossiers.",
        format=G,
        minutes=120,
        group=(4, 8),
        place=COMPUTERS,
        manager_approval=True,
        outcomes=(("2.1", 0, 2),),
        prerequisites=(("5.2", 1),),
    ),
    Spec(
        "recherche",
        "Chercher une information sur internet",
        "Trouver une information avec un moteur de recherche, savoir si un site est fiable, "
        "garder une page pour plus tard.",
        format=G,
        minutes=90,
        group=(4, 8),
        place=COMPUTERS,
        outcomes=(("1.1", 0, 2),),
        prerequisites=(("5.2", 1),),
    ),
    Spec(
        "visio",
        "Les réunions en visio",
        "Rejoindre une réunion depuis un lien, ouvrir et couper son micro et sa caméra, "
        "montrer son écran, écrire dans la discussion.",
        format=G,
        minutes=90,
        group=(4, 8),
        audience=OFFICE,
        place=COMPUTERS,
        outcomes=(("2.1", 2, 3), ("2.3", 0, 1)),
        prerequisites=("messagerie",),
    ),
    Spec(
        "document",
        "Écrire un document",
        "Écrire un courrier ou un compte rendu avec un traitement de texte : titres, listes, "
        "mise en page, enregistrement en PDF.",
        format=G,
        minutes=180,
        group=(4, 8),
        audience=OFFICE,
        place=COMPUTERS,
        outcomes=(("3.1", 0, 2), ("3.3", 0, 1)),
        prerequisites=(("5.2", 1),),
    ),
    Spec(
        "tableur",
        "Un premier tableur",
        "Remplir un tableau, faire une somme, trier et filtrer une liste, imprimer le tableau "
        "sur une page.",
        format=G,
        minutes=180,
        group=(4, 8),
        audience=OFFICE,
        place=COMPUTERS,
        outcomes=(("1.3", 0, 2),),
        prerequisites=("document",),
    ),
    Spec(
        "fichiers-partage",
        "Fichiers, dossiers et partage",
        "Ranger ses fichiers dans des dossiers, les retrouver, partager un document avec un "
        "collègue et l'écrire à plusieurs.",
        format=G,
        minutes=120,
        group=(4, 8),
        audience=OFFICE,
        place=COMPUTERS,
        outcomes=(("1.2", 1, 3), ("2.2", 0, 2), ("2.3", 1, 2)),
        prerequisites=("messagerie", "document"),
    ),
    Spec(
        "securite",
        "Mots de passe et hameçonnage",
        "Choisir un bon mot de passe, reconnaître un faux message qui cherche à vous piéger, "
        "savoir qui prévenir quand on a un doute.",
        format=G,
        minutes=90,
        group=(4, 12),
        outcomes=(("4.1", 0, 2),),
        prerequisites=(("2.1", 1),),
    ),
    Spec(
        "cybersecurite-en-ligne",
        "Les bons réflexes de cybersécurité (formation en ligne)",
        "Quatre courtes vidéos et un quiz, à son rythme : mises à jour, clés USB, wifi public, "
        "télétravail.",
        format=E,
        minutes=45,
        group=(1, 1),
        audience=OFFICE,
        outcomes=(("4.1", 2, 3),),
        prerequisites=("securite",),
    ),
    Spec(
        "rgpd",
        "Les données personnelles au travail (RGPD)",
        "Savoir quelles informations sur les usagers et les collègues sont personnelles, ce "
        "qu'on peut noter, garder ou envoyer, et à qui.",
        format=G,
        minutes=120,
        group=(4, 12),
        outcomes=(("4.2", 0, 2),),
        prerequisites=("securite",),
    ),
    Spec(
        "demarches",
        "Les démarches en ligne",
        "Créer son compte sur un site public, remplir un formulaire, envoyer un justificatif, "
        "suivre sa demande. Pour soi, et pour aider les usagers.",
        format=G,
        minutes=120,
        group=(3, 6),
        place=COMPUTERS,
        outcomes=(("2.4", 1, 3), ("1.1", 1, 2)),
        prerequisites=("intranet-paie",),
    ),
    Spec(
        "signalement",
        "Signaler un problème sur le terrain avec son smartphone",
        "Prendre en photo un problème (nid-de-poule, dépôt sauvage, fuite), le placer sur la "
        "carte et l'envoyer avec l'application de la collectivité.",
        format=G,
        minutes=90,
        group=(3, 6),
        audience=FIELD,
        families=OUTDOOR_FAMILIES,
        needs_device=True,
        manager_approval=True,
        outcomes=(("3.2", 0, 1), ("2.2", 0, 1)),
        prerequisites=("smartphone",),
    ),
    Spec(
        "numerique-responsable",
        "Numérique responsable",
        "Comprendre ce que le numérique coûte à la planète, garder son matériel plus longtemps, "
        "alléger sa messagerie, imprimer moins.",
        format=W,
        minutes=120,
        group=(6, 12),
        audience=OFFICE,
        outcomes=(("4.3", 1, 3),),
    ),
    Spec(
        "fresque-du-climat",
        "Fresque du Climat",
        "En équipe, avec un jeu de cartes, comprendre les causes et les conséquences du "
        "dérèglement climatique, puis en parler ensemble. Tables de 4 à 8 personnes ; un "
        "animateur anime une ou deux tables.",
        format=W,
        minutes=180,
        group=(4, 16),
        trainer=FRESQUE,
        manager_approval=True,
        outcomes=(("4.3", 0, 1),),
    ),
    Spec(
        "accompagnement",
        "Accompagnement individuel avec un conseiller numérique",
        "Une heure seul avec un conseiller numérique, sur votre appareil, pour ce qui vous "
        "bloque : installer une application, retrouver un document, faire une démarche.",
        format=C,
        minutes=60,
        group=(1, 1),
        outcomes=(("5.1", 1, 2), ("5.2", 1, 2)),
    ),
    Spec(
        "cnfpt-manager-numerique",
        "Manager une équipe à l'heure du numérique (CNFPT)",
        "Deux jours au CNFPT pour organiser le travail d'équipe avec les outils numériques : "
        "agenda partagé, documents communs, réunions à distance, droit à la déconnexion.",
        format=G,
        minutes=720,
        group=(8, 15),
        trainer=EXTERNAL,
        provider="CNFPT",
        families=MANAGER_FAMILIES,
        cost="240.00",
        manager_approval=True,
        outcomes=(("2.3", 2, 4), ("5.2", 2, 3)),
        prerequisites=("visio", "fichiers-partage"),
    ),
]


def seed(*, seed: int = 1, today=None) -> dict:
    """Writes the catalogue; call on an empty catalogue, inside seed_demo's transaction.
    The same every time: nothing here is random."""
    competences = dict(Competence.objects.crcn().values_list("code", "pk"))
    modules = {}
    for position, spec in enumerate(MODULES, start=1):
        group_min, group_max = spec.group
        modules[spec.code] = Module.objects.create(
            code=spec.code,
            title=spec.title,
            objective=spec.objective,
            format=spec.format,
            duration_minutes=spec.minutes,
            group_min=group_min,
            group_max=group_max,
            trainer_kind=spec.trainer,
            provider=spec.provider,
            audience=spec.audience,
            job_families=list(spec.families),
            place_need=spec.place,
            cost_per_agent=Decimal(spec.cost),
            needs_device=spec.needs_device,
            needs_manager_approval=spec.manager_approval,
            gives_evidence=spec.format != ModuleFormat.ELEARNING,
            position=position * 10,
        )
    for spec in MODULES:
        module = modules[spec.code]
        for competence, level_from, level_to in spec.outcomes:
            ModuleOutcome.objects.create(
                module=module,
                competence_id=competences[competence],
                level_from=level_from,
                level_to=level_to,
            )
        for required in spec.prerequisites:
            if isinstance(required, str):
                ModulePrerequisite.objects.create(module=module, required_module=modules[required])
            else:
                competence, level = required
                ModulePrerequisite.objects.create(
                    module=module, competence_id=competences[competence], min_level=level
                )
    return {"modules": len(modules)}
