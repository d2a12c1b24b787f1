"""A fictional collectivité for demos and benchmarks: the city of Beaumont and its metropolis.

`build_plan(n_agents, seed)` turns the reference lists below into plain data, with
its own `random.Random(seed)`: the same seed gives the same workforce, whatever
else touched the global random state. `write_plan(plan)` stores it with
`bulk_create` only (6,000 agents in a few seconds); `seed_demo` wraps both in one
transaction.

Everything here is invented: the city, its sites and its agents (first and last
names are drawn independently from lists of common names). Postcodes start with 99,
a range La Poste does not use, and phone numbers sit in the 06 39 98 range that
ARCEP keeps for fiction.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tremplin.accounts.enums import Role

from .enums import (
    Category,
    ContactChannel,
    EmploymentStatus,
    Gender,
    IdentityStatus,
    SiteKind,
    UnitKind,
    WorkKind,
    WorkPattern,
)

FULL_SIZE = 6000
# Rennes' figure: about 2,500 of 6,000 agents are far from digital tools.
FAR_FROM_DIGITAL_SHARE = 2500 / 6000
DEPARTED_SHARE = 0.015
PART_TIME_SHARE = 0.13
DEMO_PASSWORD = "tremplin-demo"  # noqa: S105 (printed for everyone: demo only)
MAIL_DOMAIN = "beaumont.example"

COLLECTIVITE = {
    "name": "Ville de Beaumont et Beaumont Métropole",
    "short_name": "Beaumont",
    # Contrast with white text: 7.4:1 (RGAA asks 4.5:1).
    "primary_color": "#14526b",
}
EMPLOYERS = [
    ("ville", "Ville de Beaumont", 100_000),
    ("metropole", "Beaumont Métropole", 500_000),
]
COMMUNES = [
    ("Beaumont", "99100"),
    ("Saint-Aubin-des-Prés", "99150"),
    ("Montfleury", "99160"),
    ("Le Val-de-Bérange", "99170"),
]
STREETS = [
    "rue des Lilas",
    "rue du Moulin",
    "avenue de la Liberté",
    "boulevard de la Bérange",
    "rue des Écoles",
    "place de la Mairie",
    "allée des Peupliers",
    "rue de la Fontaine",
    "chemin des Vignes",
    "rue du Stade",
    "avenue des Tilleuls",
    "rue de la Gare",
    "impasse des Acacias",
    "rue des Cerisiers",
    "quai de la Bérange",
    "rue du Vieux-Bourg",
    "boulevard de l'Europe",
    "rue des Glycines",
    "rue de la Prairie",
    "allée du Bois-Joli",
]

# code, name, kind, commune index, has a training room
SITES = [
    ("HDV", "Hôtel de ville", SiteKind.OFFICE, 0, True),
    ("HDM", "Hôtel de Beaumont Métropole", SiteKind.OFFICE, 0, True),
    ("CAF", "Centre administratif du Forum", SiteKind.OFFICE, 0, True),
    ("MQN", "Mairie de quartier Nord", SiteKind.OFFICE, 0, False),
    ("MQS", "Mairie de quartier Sud", SiteKind.OFFICE, 0, False),
    ("MQE", "Mairie de quartier Est", SiteKind.OFFICE, 0, False),
    ("MQO", "Mairie de quartier Ouest", SiteKind.OFFICE, 0, False),
    ("EHT", "EHPAD Les Tilleuls", SiteKind.CARE_HOME, 0, True),
    ("EHV", "EHPAD Le Clos des Vignes", SiteKind.CARE_HOME, 0, False),
    ("EHR", "EHPAD La Roseraie", SiteKind.CARE_HOME, 1, False),
    ("EHH", "EHPAD Les Hortensias", SiteKind.CARE_HOME, 2, False),
    ("EHB", "EHPAD Bel-Air", SiteKind.CARE_HOME, 0, False),
    ("RAG", "Résidence autonomie Les Glycines", SiteKind.CARE_HOME, 0, False),
    ("GSL", "Groupe scolaire des Lilas", SiteKind.SCHOOL, 0, False),
    ("GSP", "Groupe scolaire du Parc", SiteKind.SCHOOL, 0, False),
    ("GSM", "Groupe scolaire du Moulin", SiteKind.SCHOOL, 0, False),
    ("GSC", "Groupe scolaire des Cerisiers", SiteKind.SCHOOL, 0, False),
    ("GSF", "Groupe scolaire de la Fontaine", SiteKind.SCHOOL, 0, False),
    ("GSR", "Groupe scolaire des Rochers", SiteKind.SCHOOL, 0, False),
    ("GSB", "Groupe scolaire du Bois-Joli", SiteKind.SCHOOL, 0, False),
    ("GSA", "Groupe scolaire des Acacias", SiteKind.SCHOOL, 0, False),
    ("GSG", "Groupe scolaire de la Gare", SiteKind.SCHOOL, 0, False),
    ("GSV", "Groupe scolaire du Vieux-Bourg", SiteKind.SCHOOL, 0, False),
    ("CCU", "Cuisine centrale", SiteKind.CANTEEN, 1, False),
    ("RAD", "Restaurant administratif", SiteKind.CANTEEN, 0, False),
    ("CTM", "Centre technique municipal", SiteKind.DEPOT, 0, True),
    ("CTN", "Centre technique métropolitain Nord", SiteKind.DEPOT, 2, False),
    ("CTS", "Centre technique métropolitain Sud", SiteKind.DEPOT, 3, False),
    ("CCD", "Centre de collecte de la Prairie", SiteKind.DEPOT, 1, False),
    ("DEC", "Déchetterie des Trois-Croix", SiteKind.DEPOT, 3, False),
    ("PBE", "Parc de la Bérange", SiteKind.GREEN_SPACE, 0, False),
    ("SER", "Serres municipales", SiteKind.GREEN_SPACE, 0, False),
    ("CIM", "Cimetière de l'Est", SiteKind.GREEN_SPACE, 0, False),
    ("PIS", "Piscine du Moulin-Vert", SiteKind.SPORTS, 0, False),
    ("CSC", "Complexe sportif des Trois-Chênes", SiteKind.SPORTS, 2, False),
    ("STA", "Stade de la Prairie", SiteKind.SPORTS, 0, False),
    ("MED", "Médiathèque centrale", SiteKind.CULTURE, 0, True),
    ("MUS", "Musée des beaux-arts", SiteKind.CULTURE, 0, False),
    ("CON", "Conservatoire", SiteKind.CULTURE, 0, False),
    ("CRE", "Crèche des Coquelicots", SiteKind.OTHER, 0, False),
]

# Working rhythms: the work patterns a job's holders are spread over.
RHYTHMS = {
    "office": [(WorkPattern.OFFICE_HOURS, 1)],
    "care": [
        (WorkPattern.MORNING, 35),
        (WorkPattern.AFTERNOON, 30),
        (WorkPattern.NIGHT, 10),
        (WorkPattern.ROTATING, 25),
    ],
    "early": [(WorkPattern.MORNING, 80), (WorkPattern.ROTATING, 20)],
    "day": [(WorkPattern.MORNING, 45), (WorkPattern.AFTERNOON, 15), (WorkPattern.ROTATING, 40)],
    "school": [(WorkPattern.MORNING, 50), (WorkPattern.AFTERNOON, 30), (WorkPattern.ROTATING, 20)],
    "shift": [(WorkPattern.ROTATING, 70), (WorkPattern.AFTERNOON, 15), (WorkPattern.NIGHT, 15)],
}

FLD, OFF = WorkKind.FIELD, WorkKind.OFFICE
# title, family, work kind, category ("C/B": mostly C, some B), rhythm
JOBS = [
    # Field jobs
    ("Aide-soignant(e)", "Soins et accompagnement", FLD, "C", "care"),
    ("Agent(e) de service hospitalier", "Soins et accompagnement", FLD, "C", "care"),
    ("Infirmier(ère)", "Soins et accompagnement", FLD, "A", "care"),
    ("Auxiliaire de vie", "Soins et accompagnement", FLD, "C", "day"),
    ("Aide à domicile", "Soins et accompagnement", FLD, "C", "day"),
    ("Animateur(trice) en EHPAD", "Soins et accompagnement", FLD, "C", "day"),
    ("Agent(e) de lingerie", "Soins et accompagnement", FLD, "C", "day"),
    ("Agent(e) de restauration", "Hôtellerie et restauration", FLD, "C", "day"),
    ("Cuisinier(ère)", "Hôtellerie et restauration", FLD, "C", "early"),
    ("Chef(fe) de cuisine", "Hôtellerie et restauration", FLD, "C/B", "early"),
    ("Chauffeur(se)-livreur(se) de repas", "Hôtellerie et restauration", FLD, "C", "early"),
    ("Agent(e) d'entretien des locaux", "Propreté et hygiène", FLD, "C", "early"),
    ("Agent(e) de propreté urbaine", "Propreté et hygiène", FLD, "C", "early"),
    ("Conducteur(trice) de balayeuse", "Propreté et hygiène", FLD, "C", "early"),
    ("ATSEM", "Éducation et animation", FLD, "C", "school"),
    ("Animateur(trice) périscolaire", "Éducation et animation", FLD, "C", "school"),
    ("Agent(e) polyvalent(e) des écoles", "Éducation et animation", FLD, "C", "school"),
    ("Auxiliaire de puériculture", "Petite enfance", FLD, "C", "day"),
    ("Agent(e) petite enfance", "Petite enfance", FLD, "C", "day"),
    ("Éducateur(trice) de jeunes enfants", "Petite enfance", FLD, "A", "day"),
    ("Agent(e) des espaces verts", "Espaces verts et nature", FLD, "C", "day"),
    ("Jardinier(ère)", "Espaces verts et nature", FLD, "C", "day"),
    ("Élagueur(se)", "Espaces verts et nature", FLD, "C", "day"),
    ("Agent(e) de cimetière", "Espaces verts et nature", FLD, "C", "day"),
    ("Agent(e) de voirie", "Voirie et réseaux", FLD, "C", "early"),
    ("Agent(e) de signalisation", "Voirie et réseaux", FLD, "C", "day"),
    ("Électricien(ne) éclairage public", "Voirie et réseaux", FLD, "C", "shift"),
    ("Conducteur(trice) d'engins", "Voirie et réseaux", FLD, "C", "early"),
    ("Agent(e) de collecte", "Déchets", FLD, "C", "early"),
    ("Conducteur(trice) de benne", "Déchets", FLD, "C", "early"),
    ("Agent(e) de déchetterie", "Déchets", FLD, "C", "shift"),
    ("Électricien(ne) du bâtiment", "Patrimoine bâti", FLD, "C", "day"),
    ("Plombier(ère)-chauffagiste", "Patrimoine bâti", FLD, "C", "day"),
    ("Menuisier(ère)", "Patrimoine bâti", FLD, "C", "day"),
    ("Peintre en bâtiment", "Patrimoine bâti", FLD, "C", "day"),
    ("Serrurier(ère)-métallier(ère)", "Patrimoine bâti", FLD, "C", "day"),
    ("Agent(e) de maintenance des bâtiments", "Patrimoine bâti", FLD, "C", "day"),
    ("Mécanicien(ne) poids lourds", "Logistique et mécanique", FLD, "C", "day"),
    ("Magasinier(ère)", "Logistique et mécanique", FLD, "C", "day"),
    ("Agent(e) logistique", "Logistique et mécanique", FLD, "C", "day"),
    ("Maître-nageur(se) sauveteur(se)", "Sports", FLD, "B", "shift"),
    ("Éducateur(trice) sportif(ve)", "Sports", FLD, "B", "shift"),
    ("Agent(e) d'accueil des équipements sportifs", "Sports", FLD, "C", "shift"),
    ("Agent(e) de surveillance de musée", "Culture", FLD, "C", "shift"),
    ("Technicien(ne) de spectacle", "Culture", FLD, "B", "shift"),
    ("Agent(e) de surveillance de la voie publique", "Sécurité et prévention", FLD, "C", "shift"),
    ("Gardien(ne) d'équipement", "Sécurité et prévention", FLD, "C", "shift"),
    ("Chef(fe) d'équipe", "Encadrement de proximité", FLD, "C/B", "day"),
    # Office jobs
    ("Directeur(trice) général(e) des services", "Direction et encadrement", OFF, "A", "office"),
    ("Directeur(trice)", "Direction et encadrement", OFF, "A", "office"),
    ("Chef(fe) de service", "Direction et encadrement", OFF, "A", "office"),
    ("Responsable de pôle", "Direction et encadrement", OFF, "B", "office"),
    ("Cadre de santé", "Direction et encadrement", OFF, "A", "office"),
    ("Directeur(trice) d'EHPAD", "Direction et encadrement", OFF, "A", "office"),
    ("Responsable de crèche", "Direction et encadrement", OFF, "A", "office"),
    ("Assistant(e) de direction", "Direction et encadrement", OFF, "B", "office"),
    ("Gestionnaire RH", "Ressources humaines", OFF, "C/B", "office"),
    ("Gestionnaire paie", "Ressources humaines", OFF, "C", "office"),
    ("Chargé(e) de formation", "Ressources humaines", OFF, "B", "office"),
    ("Conseiller(ère) mobilité", "Ressources humaines", OFF, "B", "office"),
    ("Chargé(e) de recrutement", "Ressources humaines", OFF, "B", "office"),
    ("Conseiller(ère) en prévention", "Ressources humaines", OFF, "B", "office"),
    ("Assistant(e) social(e) du personnel", "Ressources humaines", OFF, "A", "office"),
    ("Psychologue du travail", "Ressources humaines", OFF, "A", "office"),
    ("Médecin de prévention", "Ressources humaines", OFF, "A", "office"),
    ("Chargé(e) de relations sociales", "Ressources humaines", OFF, "A", "office"),
    ("Gestionnaire SIRH", "Ressources humaines", OFF, "B", "office"),
    ("Comptable", "Finances", OFF, "C", "office"),
    ("Gestionnaire budgétaire", "Finances", OFF, "B", "office"),
    ("Contrôleur(se) de gestion", "Finances", OFF, "A", "office"),
    ("Acheteur(se) public(que)", "Finances", OFF, "A", "office"),
    ("Gestionnaire des marchés publics", "Finances", OFF, "B", "office"),
    ("Gestionnaire assurances", "Finances", OFF, "B", "office"),
    ("Régisseur(se) de recettes", "Finances", OFF, "C", "office"),
    ("Juriste", "Affaires juridiques", OFF, "A", "office"),
    ("Gestionnaire des assemblées", "Affaires juridiques", OFF, "C", "office"),
    ("Technicien(ne) support informatique", "Systèmes d'information", OFF, "B", "office"),
    ("Technicien(ne) de déploiement", "Systèmes d'information", OFF, "B", "office"),
    ("Administrateur(trice) systèmes et réseaux", "Systèmes d'information", OFF, "A", "office"),
    ("Chef(fe) de projet informatique", "Systèmes d'information", OFF, "A", "office"),
    ("Responsable de la sécurité informatique", "Systèmes d'information", OFF, "A", "office"),
    ("Géomaticien(ne)", "Systèmes d'information", OFF, "B", "office"),
    ("Conseiller(ère) numérique", "Systèmes d'information", OFF, "B", "office"),
    ("Chargé(e) d'accueil", "Accueil et population", OFF, "C", "office"),
    ("Agent(e) d'état civil", "Accueil et population", OFF, "C", "office"),
    ("Gestionnaire des élections", "Accueil et population", OFF, "C", "office"),
    ("Agent(e) de mairie de quartier", "Accueil et population", OFF, "C", "office"),
    ("Assistant(e) administratif(ve)", "Administration générale", OFF, "C", "office"),
    ("Secrétaire", "Administration générale", OFF, "C", "office"),
    ("Gestionnaire administratif(ve)", "Administration générale", OFF, "C/B", "office"),
    ("Agent(e) de courrier", "Administration générale", OFF, "C", "office"),
    ("Secrétaire médical(e)", "Administration générale", OFF, "C", "office"),
    ("Chargé(e) de communication", "Communication", OFF, "A", "office"),
    ("Graphiste", "Communication", OFF, "B", "office"),
    ("Chargé(e) de mission transition écologique", "Environnement", OFF, "A", "office"),
    ("Animateur(trice) Fresque du Climat", "Environnement", OFF, "B", "office"),
    ("Animateur(trice) prévention des déchets", "Environnement", OFF, "C", "office"),
    ("Travailleur(se) social(e)", "Action sociale", OFF, "A", "office"),
    ("Conseiller(ère) en économie sociale et familiale", "Action sociale", OFF, "A", "office"),
    ("Coordinateur(trice) de l'aide à domicile", "Action sociale", OFF, "B", "office"),
    ("Instructeur(trice) des aides sociales", "Action sociale", OFF, "C", "office"),
    ("Coordinateur(trice) périscolaire", "Éducation et animation", OFF, "B", "office"),
    ("Gestionnaire des inscriptions scolaires", "Éducation et animation", OFF, "C", "office"),
    ("Diététicien(ne)", "Hôtellerie et restauration", OFF, "B", "office"),
    ("Technicien(ne) bâtiment", "Patrimoine bâti", OFF, "B", "office"),
    ("Ingénieur(e) travaux", "Patrimoine bâti", OFF, "A", "office"),
    ("Dessinateur(trice)-projeteur(se)", "Patrimoine bâti", OFF, "B", "office"),
    ("Technicien(ne) voirie", "Voirie et réseaux", OFF, "B", "office"),
    ("Paysagiste concepteur(trice)", "Espaces verts et nature", OFF, "A", "office"),
    ("Technicien(ne) espaces verts", "Espaces verts et nature", OFF, "B", "office"),
    ("Économe de flux", "Patrimoine bâti", OFF, "B", "office"),
    ("Agent(e) de planification", "Logistique et mécanique", OFF, "C", "office"),
    ("Gestionnaire de flotte", "Logistique et mécanique", OFF, "B", "office"),
    ("Bibliothécaire", "Culture", OFF, "A", "office"),
    ("Assistant(e) de conservation", "Culture", OFF, "B", "office"),
    ("Agent(e) de médiathèque", "Culture", OFF, "C", "office"),
    ("Médiateur(trice) culturel(le)", "Culture", OFF, "B", "office"),
    ("Professeur(e) d'enseignement artistique", "Culture", OFF, "B", "office"),
    ("Archiviste", "Culture", OFF, "B", "office"),
    ("Gestionnaire des équipements sportifs", "Sports", OFF, "B", "office"),
]
JOB_BY_TITLE = {row[0]: row for row in JOBS}

ADVISOR_JOB = "Conseiller(ère) numérique"
FACILITATOR_JOB = "Animateur(trice) Fresque du Climat"
FIELD_LEAD_JOB = "Chef(fe) d'équipe"
OFFICE_LEAD_JOB = "Responsable de pôle"

# Who works in a unit: job title -> relative weight.
POOLS: dict[str, dict[str, float]] = {
    "dg": {
        "Assistant(e) de direction": 2,
        "Gestionnaire administratif(ve)": 2,
        "Agent(e) de courrier": 2,
        "Secrétaire": 1,
    },
    "legal": {"Juriste": 3, "Gestionnaire des assemblées": 2, "Assistant(e) administratif(ve)": 1},
    "communication": {
        "Chargé(e) de communication": 3,
        "Graphiste": 2,
        "Assistant(e) administratif(ve)": 1,
    },
    "control": {"Contrôleur(se) de gestion": 3, "Gestionnaire administratif(ve)": 1},
    "transition": {"Chargé(e) de mission transition écologique": 1},
    "ehpad_care": {
        "Aide-soignant(e)": 50,
        "Agent(e) de service hospitalier": 25,
        "Infirmier(ère)": 12,
        "Animateur(trice) en EHPAD": 3,
    },
    "ehpad_hotel": {
        "Agent(e) de service hospitalier": 30,
        "Agent(e) de restauration": 25,
        "Cuisinier(ère)": 10,
        "Agent(e) de lingerie": 10,
        "Agent(e) de maintenance des bâtiments": 3,
    },
    "ehpad_admin": {
        "Secrétaire médical(e)": 2,
        "Gestionnaire administratif(ve)": 2,
        "Chargé(e) d'accueil": 1,
    },
    "residence": {
        "Agent(e) de service hospitalier": 4,
        "Auxiliaire de vie": 4,
        "Agent(e) de restauration": 2,
        "Animateur(trice) en EHPAD": 1,
    },
    "home_care": {
        "Aide à domicile": 10,
        "Auxiliaire de vie": 6,
        "Coordinateur(trice) de l'aide à domicile": 1,
    },
    "social": {
        "Travailleur(se) social(e)": 4,
        "Conseiller(ère) en économie sociale et familiale": 2,
        "Instructeur(trice) des aides sociales": 3,
        "Chargé(e) d'accueil": 2,
    },
    "social_admin": {
        "Gestionnaire administratif(ve)": 3,
        "Comptable": 2,
        "Diététicien(ne)": 1,
        "Assistant(e) administratif(ve)": 2,
    },
    "school_atsem": {"ATSEM": 6, "Animateur(trice) périscolaire": 3},
    "school_upkeep": {
        "Agent(e) polyvalent(e) des écoles": 5,
        "Agent(e) d'entretien des locaux": 3,
        "Agent(e) de restauration": 3,
    },
    "central_kitchen": {
        "Cuisinier(ère)": 4,
        "Agent(e) de restauration": 6,
        "Chauffeur(se)-livreur(se) de repas": 2,
        "Chef(fe) de cuisine": 1,
        "Diététicien(ne)": 0.3,
    },
    "nursery": {
        "Auxiliaire de puériculture": 5,
        "Agent(e) petite enfance": 4,
        "Éducateur(trice) de jeunes enfants": 2,
    },
    "leisure": {"Animateur(trice) périscolaire": 8, "Coordinateur(trice) périscolaire": 1},
    "school_admin": {
        "Gestionnaire des inscriptions scolaires": 3,
        "Coordinateur(trice) périscolaire": 1,
        "Assistant(e) administratif(ve)": 1,
    },
    "street_cleaning": {
        "Agent(e) de propreté urbaine": 8,
        "Conducteur(trice) de balayeuse": 2,
    },
    "collection": {"Agent(e) de collecte": 6, "Conducteur(trice) de benne": 3},
    "waste_centre": {"Agent(e) de déchetterie": 5, "Conducteur(trice) d'engins": 1},
    "garage": {
        "Mécanicien(ne) poids lourds": 4,
        "Magasinier(ère)": 2,
        "Gestionnaire de flotte": 1,
    },
    "waste_prevention": {
        "Animateur(trice) prévention des déchets": 3,
        "Chargé(e) de communication": 1,
    },
    "roads": {
        "Agent(e) de voirie": 8,
        "Conducteur(trice) d'engins": 2,
        "Agent(e) de signalisation": 1,
    },
    "signals": {"Agent(e) de signalisation": 3, "Électricien(ne) éclairage public": 3},
    "roads_office": {
        "Technicien(ne) voirie": 3,
        "Ingénieur(e) travaux": 1,
        "Dessinateur(trice)-projeteur(se)": 1,
    },
    "parking": {"Agent(e) de surveillance de la voie publique": 1},
    "gardens": {"Agent(e) des espaces verts": 6, "Jardinier(ère)": 3},
    "greenhouse": {"Jardinier(ère)": 4, "Agent(e) des espaces verts": 1},
    "trees": {"Élagueur(se)": 3, "Agent(e) des espaces verts": 1},
    "cemetery": {"Agent(e) de cimetière": 3, "Chargé(e) d'accueil": 0.5},
    "landscape": {"Paysagiste concepteur(trice)": 2, "Technicien(ne) espaces verts": 2},
    "works_electric": {"Électricien(ne) du bâtiment": 1},
    "works_plumbing": {"Plombier(ère)-chauffagiste": 1},
    "works_joinery": {"Menuisier(ère)": 1},
    "works_paint": {"Peintre en bâtiment": 2, "Serrurier(ère)-métallier(ère)": 1},
    "cleaning": {"Agent(e) d'entretien des locaux": 1},
    "maintenance": {"Agent(e) de maintenance des bâtiments": 3, "Économe de flux": 0.5},
    "building_office": {
        "Technicien(ne) bâtiment": 3,
        "Ingénieur(e) travaux": 2,
        "Dessinateur(trice)-projeteur(se)": 1,
        "Économe de flux": 1,
    },
    "logistics": {"Agent(e) logistique": 5, "Magasinier(ère)": 1},
    "guarding": {"Gardien(ne) d'équipement": 1},
    "library": {
        "Agent(e) de médiathèque": 5,
        "Assistant(e) de conservation": 2,
        "Bibliothécaire": 1,
    },
    "museum_floor": {"Agent(e) de surveillance de musée": 5, "Médiateur(trice) culturel(le)": 1},
    "conservatory": {
        "Professeur(e) d'enseignement artistique": 6,
        "Technicien(ne) de spectacle": 1,
        "Chargé(e) d'accueil": 1,
    },
    "archives": {"Archiviste": 2, "Assistant(e) de conservation": 1},
    "events": {"Gestionnaire administratif(ve)": 2, "Technicien(ne) de spectacle": 2},
    "pool": {
        "Maître-nageur(se) sauveteur(se)": 4,
        "Agent(e) d'accueil des équipements sportifs": 3,
    },
    "sports_halls": {"Agent(e) d'accueil des équipements sportifs": 1},
    "sports_coaching": {"Éducateur(trice) sportif(ve)": 1},
    "sports_office": {"Gestionnaire des équipements sportifs": 1},
    "hr": {
        "Gestionnaire RH": 6,
        "Gestionnaire paie": 3,
        "Gestionnaire SIRH": 1,
        "Assistant(e) administratif(ve)": 1,
    },
    "training": {"Chargé(e) de formation": 3, "Gestionnaire RH": 1},
    "recruitment": {"Chargé(e) de recrutement": 2, "Conseiller(ère) mobilité": 2},
    "health": {
        "Conseiller(ère) en prévention": 2,
        "Médecin de prévention": 1,
        "Psychologue du travail": 1,
        "Assistant(e) social(e) du personnel": 1,
        "Secrétaire médical(e)": 1,
    },
    "social_dialogue": {"Chargé(e) de relations sociales": 1, "Assistant(e) administratif(ve)": 1},
    "hris": {"Gestionnaire SIRH": 2, "Contrôleur(se) de gestion": 1},
    "finance": {"Gestionnaire budgétaire": 2, "Comptable": 3, "Contrôleur(se) de gestion": 1},
    "accounting": {"Comptable": 1},
    "procurement": {"Acheteur(se) public(que)": 2, "Gestionnaire des marchés publics": 3},
    "insurance": {"Gestionnaire assurances": 2, "Régisseur(se) de recettes": 2},
    "it_support": {"Technicien(ne) support informatique": 3, "Technicien(ne) de déploiement": 2},
    "it_infra": {
        "Administrateur(trice) systèmes et réseaux": 3,
        "Responsable de la sécurité informatique": 1,
    },
    "it_projects": {"Chef(fe) de projet informatique": 1},
    "gis": {"Géomaticien(ne)": 1},
    "inclusion": {},
    "civil_status": {"Agent(e) d'état civil": 1},
    "reception": {"Chargé(e) d'accueil": 3, "Agent(e) de courrier": 1},
    "district_office": {"Agent(e) de mairie de quartier": 3, "Agent(e) d'état civil": 1},
    "elections": {"Gestionnaire des élections": 1},
    # Staff a field service keeps beside its teams: planning, paperwork.
    "field_office": {
        "Agent(e) de planification": 2,
        "Assistant(e) administratif(ve)": 2,
        "Gestionnaire administratif(ve)": 1,
    },
}


@dataclass(frozen=True)
class TeamRef:
    name: str
    site: str
    pool: str | None = None  # None: the service's pool
    pattern: str | None = None  # forces the work pattern of the team's shift workers


@dataclass(frozen=True)
class ServiceRef:
    name: str
    site: str
    pool: str
    teams: tuple[TeamRef, ...] = ()
    head: str = "Chef(fe) de service"
    lead: str | None = None  # None: chef d'équipe for field teams, responsable de pôle else
    fixed: tuple[tuple[str, int], ...] = ()  # exact headcounts, outside the weighted share
    always: bool = False  # kept at every scale (the advisors, the facilitators)
    weight: float | None = None  # relative size in its direction; None: 1 + its teams


@dataclass(frozen=True)
class DirectionRef:
    code: str
    name: str
    site: str
    weight: float  # share of the workforce
    metropole_share: float  # share of its agents employed by the metropolis
    services: tuple[ServiceRef, ...]
    head: str = "Directeur(trice)"


def _ehpad(name: str, site: str) -> ServiceRef:
    return ServiceRef(
        name,
        site,
        "ehpad_admin",
        teams=(
            TeamRef(f"{name} – soins, unité A", site, "ehpad_care"),
            TeamRef(f"{name} – soins, unité B", site, "ehpad_care"),
            TeamRef(f"{name} – équipe de nuit", site, "ehpad_care", WorkPattern.NIGHT),
            TeamRef(f"{name} – hôtellerie et restauration", site, "ehpad_hotel"),
        ),
        head="Directeur(trice) d'EHPAD",
        lead="Cadre de santé",
        weight=12,
    )


def _school_sector(sector: str, schools: tuple[tuple[str, str], ...]) -> ServiceRef:
    teams = []
    for school, site in schools:
        teams.append(TeamRef(f"École {school} – ATSEM et animation", site, "school_atsem"))
        teams.append(TeamRef(f"École {school} – entretien et restauration", site, "school_upkeep"))
    return ServiceRef(
        f"Écoles, secteur {sector}", schools[0][1], "field_office", tuple(teams), weight=20
    )


def _cleaning_sector(sector: str, site: str) -> ServiceRef:
    return ServiceRef(
        f"Propreté, secteur {sector}",
        site,
        "field_office",
        teams=(
            TeamRef(f"Propreté {sector} – équipe du matin", site, "street_cleaning"),
            TeamRef(
                f"Propreté {sector} – équipe d'après-midi",
                site,
                "street_cleaning",
                WorkPattern.AFTERNOON,
            ),
            TeamRef(f"Propreté {sector} – nettoiement mécanisé", site, "street_cleaning"),
        ),
        weight=8,
    )


def _roads_sector(sector: str, site: str) -> ServiceRef:
    return ServiceRef(
        f"Voirie, secteur {sector}",
        site,
        "field_office",
        teams=(
            TeamRef(f"Voirie {sector} – chaussées", site, "roads"),
            TeamRef(f"Voirie {sector} – trottoirs et petits travaux", site, "roads"),
            TeamRef(f"Voirie {sector} – viabilité hivernale", site, "roads"),
        ),
        weight=6,
    )


def _garden_sector(sector: str, site: str) -> ServiceRef:
    return ServiceRef(
        f"Jardins, secteur {sector}",
        site,
        "field_office",
        teams=(
            TeamRef(f"Jardins {sector} – parcs", site, "gardens"),
            TeamRef(f"Jardins {sector} – squares et abords d'écoles", site, "gardens"),
            TeamRef(f"Jardins {sector} – fleurissement", site, "gardens"),
        ),
        weight=6,
    )


S, T = ServiceRef, TeamRef
DIRECTIONS = (
    DirectionRef(
        "DGS",
        "Direction générale des services",
        "HDV",
        1.5,
        0.5,
        (
            S("Secrétariat général", "HDV", "dg"),
            S("Affaires juridiques et assemblées", "HDV", "legal"),
            S(
                "Communication",
                "HDM",
                "communication",
                (T("Imprimerie et reprographie", "HDM", "dg"),),
            ),
            S("Contrôle de gestion et évaluation", "HDM", "control"),
            S(
                "Mission transition écologique",
                "HDM",
                "transition",
                fixed=((FACILITATOR_JOB, 12),),
                always=True,
                weight=0.3,
            ),
        ),
        head="Directeur(trice) général(e) des services",
    ),
    DirectionRef(
        "DAS",
        "Direction de l'autonomie et des solidarités",
        "CAF",
        17,
        0.05,
        (
            _ehpad("EHPAD Les Tilleuls", "EHT"),
            _ehpad("EHPAD Le Clos des Vignes", "EHV"),
            _ehpad("EHPAD La Roseraie", "EHR"),
            _ehpad("EHPAD Les Hortensias", "EHH"),
            _ehpad("EHPAD Bel-Air", "EHB"),
            S(
                "Résidence autonomie Les Glycines",
                "RAG",
                "ehpad_admin",
                (
                    T("Les Glycines – accueil et animation", "RAG", "residence"),
                    T("Les Glycines – entretien et restauration", "RAG", "ehpad_hotel"),
                ),
                weight=4,
            ),
            S(
                "Aide et soins à domicile",
                "CAF",
                "social_admin",
                (
                    T("Aide à domicile, secteur Nord", "MQN", "home_care"),
                    T("Aide à domicile, secteur Sud", "MQS", "home_care"),
                    T("Aide à domicile, secteur Centre", "CAF", "home_care"),
                ),
                weight=8,
            ),
            S("Action sociale et insertion", "CAF", "social", weight=3),
            S("Administration des établissements", "CAF", "social_admin"),
        ),
    ),
    DirectionRef(
        "DEE",
        "Direction éducation enfance",
        "HDV",
        19,
        0.0,
        (
            _school_sector("Nord", (("des Lilas", "GSL"), ("du Parc", "GSP"))),
            _school_sector("Sud", (("du Moulin", "GSM"), ("des Cerisiers", "GSC"))),
            _school_sector("Est", (("de la Fontaine", "GSF"), ("des Rochers", "GSR"))),
            _school_sector("Ouest", (("du Bois-Joli", "GSB"), ("des Acacias", "GSA"))),
            _school_sector("Centre", (("de la Gare", "GSG"), ("du Vieux-Bourg", "GSV"))),
            S(
                "Restauration scolaire",
                "CCU",
                "field_office",
                (
                    T("Cuisine centrale – production", "CCU", "central_kitchen"),
                    T("Cuisine centrale – conditionnement", "CCU", "central_kitchen"),
                    T("Cuisine centrale – livraison", "CCU", "central_kitchen"),
                ),
                weight=8,
            ),
            S(
                "Petite enfance",
                "CRE",
                "school_admin",
                (
                    T("Crèche des Coquelicots – bébés", "CRE", "nursery"),
                    T("Crèche des Coquelicots – moyens et grands", "CRE", "nursery"),
                    T("Relais petite enfance", "CRE", "nursery"),
                ),
                head="Responsable de crèche",
                lead="Éducateur(trice) de jeunes enfants",
                weight=6,
            ),
            S(
                "Accueils de loisirs et périscolaire",
                "GSV",
                "school_admin",
                (
                    T("Accueils de loisirs Nord", "GSL", "leisure"),
                    T("Accueils de loisirs Sud", "GSM", "leisure"),
                    T("Accueils de loisirs Est", "GSF", "leisure"),
                ),
                weight=6,
            ),
            S("Inscriptions et moyens des écoles", "HDV", "school_admin"),
        ),
    ),
    DirectionRef(
        "DPD",
        "Direction de la propreté urbaine et des déchets",
        "HDM",
        11,
        0.95,
        (
            _cleaning_sector("Nord", "CTN"),
            _cleaning_sector("Sud", "CTS"),
            _cleaning_sector("Est", "CTN"),
            _cleaning_sector("Ouest", "CTS"),
            _cleaning_sector("Centre", "CTM"),
            S(
                "Collecte des déchets",
                "CCD",
                "field_office",
                (
                    T("Collecte Nord", "CCD", "collection"),
                    T("Collecte Sud", "CCD", "collection"),
                    T("Collecte Est", "CCD", "collection"),
                    T("Collecte Ouest", "CCD", "collection"),
                    T("Collecte du verre et des encombrants", "CCD", "collection"),
                    T("Collecte de nuit du centre-ville", "CCD", "collection", WorkPattern.NIGHT),
                ),
                weight=14,
            ),
            S(
                "Déchetteries",
                "DEC",
                "field_office",
                (
                    T("Déchetterie des Trois-Croix", "DEC", "waste_centre"),
                    T("Déchetteries mobiles", "DEC", "waste_centre"),
                ),
            ),
            S(
                "Parc de véhicules et ateliers",
                "CTM",
                "field_office",
                (
                    T("Atelier poids lourds", "CTM", "garage"),
                    T("Magasin central", "CTM", "logistics"),
                ),
            ),
            S("Prévention des déchets", "HDM", "waste_prevention"),
        ),
    ),
    DirectionRef(
        "DVM",
        "Direction de la voirie et des mobilités",
        "HDM",
        6,
        0.95,
        (
            _roads_sector("Nord", "CTN"),
            _roads_sector("Sud", "CTS"),
            _roads_sector("Centre", "CTM"),
            S(
                "Signalisation et éclairage public",
                "CTM",
                "field_office",
                (
                    T("Signalisation", "CTM", "signals"),
                    T("Éclairage public", "CTM", "signals", WorkPattern.NIGHT),
                ),
            ),
            S(
                "Études et travaux de voirie",
                "HDM",
                "roads_office",
                (T("Bureau d'études", "HDM"), T("Contrôle des chantiers", "HDM")),
            ),
            S(
                "Mobilités et stationnement",
                "HDM",
                "roads_office",
                (T("Surveillance du stationnement", "HDM", "parking"),),
            ),
        ),
    ),
    DirectionRef(
        "DJN",
        "Direction des jardins et de la nature",
        "CTM",
        7,
        0.3,
        (
            _garden_sector("Nord", "PBE"),
            _garden_sector("Sud", "CTS"),
            _garden_sector("Est", "CTN"),
            _garden_sector("Ouest", "PBE"),
            S(
                "Serres et pépinière",
                "SER",
                "field_office",
                (T("Production florale", "SER", "greenhouse"),),
            ),
            S(
                "Arbres et élagage",
                "CTM",
                "field_office",
                (T("Élagage", "CTM", "trees"), T("Abattage et soins aux arbres", "CTM", "trees")),
            ),
            S(
                "Cimetières",
                "CIM",
                "field_office",
                (
                    T("Cimetière de l'Est", "CIM", "cemetery"),
                    T("Cimetières de quartier", "CIM", "cemetery"),
                ),
            ),
            S("Bureau d'études paysage", "HDM", "landscape"),
        ),
    ),
    DirectionRef(
        "DPB",
        "Direction du patrimoine bâti",
        "CTM",
        11,
        0.4,
        (
            S(
                "Régie bâtiment",
                "CTM",
                "field_office",
                (
                    T("Électricité", "CTM", "works_electric"),
                    T("Plomberie et chauffage", "CTM", "works_plumbing"),
                    T("Menuiserie", "CTM", "works_joinery"),
                    T("Peinture et serrurerie", "CTM", "works_paint"),
                ),
            ),
            S(
                "Entretien des locaux",
                "CAF",
                "field_office",
                (
                    T("Entretien – Hôtel de ville", "HDV", "cleaning"),
                    T("Entretien – Hôtel de métropole", "HDM", "cleaning"),
                    T("Entretien – Centre administratif", "CAF", "cleaning"),
                    T("Entretien – mairies de quartier", "MQN", "cleaning"),
                    T("Entretien – équipements culturels", "MED", "cleaning"),
                    T("Entretien – équipements sportifs", "CSC", "cleaning"),
                    T("Entretien – écoles du centre", "GSG", "cleaning"),
                ),
                weight=14,
            ),
            S(
                "Maintenance et énergie",
                "CTM",
                "building_office",
                (T("Maintenance multitechnique", "CTM", "maintenance"),),
            ),
            S("Études et travaux neufs", "HDM", "building_office"),
            S(
                "Logistique et manifestations",
                "CTM",
                "field_office",
                (T("Manifestations", "CTM", "logistics"), T("Déménagements", "CTM", "logistics")),
            ),
            S(
                "Gardiennage des bâtiments",
                "HDV",
                "field_office",
                (T("Gardiens d'équipements", "HDV", "guarding"),),
            ),
        ),
    ),
    DirectionRef(
        "DCS",
        "Direction de la culture et des sports",
        "HDV",
        8,
        0.45,
        (
            S(
                "Médiathèques",
                "MED",
                "library",
                (
                    T("Médiathèque centrale – adultes", "MED"),
                    T("Médiathèque centrale – jeunesse", "MED"),
                    T("Bibliobus et médiathèques de quartier", "MED"),
                ),
            ),
            S(
                "Musée des beaux-arts",
                "MUS",
                "archives",
                (T("Accueil et surveillance du musée", "MUS", "museum_floor"),),
            ),
            S(
                "Conservatoire",
                "CON",
                "conservatory",
                (T("Accueil et régie du conservatoire", "CON", "events"),),
            ),
            S("Archives", "HDV", "archives"),
            S(
                "Piscines",
                "PIS",
                "sports_office",
                (
                    T("Piscine – bassins", "PIS", "pool"),
                    T("Piscine – accueil et entretien", "PIS", "sports_halls"),
                    T("Piscine – équipe technique", "PIS", "maintenance"),
                ),
            ),
            S(
                "Gymnases et salles",
                "CSC",
                "sports_office",
                (
                    T("Gymnases Nord", "CSC", "sports_halls"),
                    T("Gymnases Sud", "CSC", "sports_halls"),
                ),
            ),
            S(
                "Stades et terrains",
                "STA",
                "sports_office",
                (
                    T("Stades", "STA", "sports_halls"),
                    T("Vestiaires et terrains", "STA", "sports_halls"),
                ),
            ),
            S(
                "Animation sportive",
                "CSC",
                "sports_office",
                (T("Éducateurs sportifs", "CSC", "sports_coaching"),),
            ),
            S("Événements et vie associative", "HDV", "events"),
        ),
    ),
    DirectionRef(
        "DRH",
        "Direction des ressources humaines",
        "HDV",
        3.5,
        0.45,
        (
            S("Carrières et paie", "HDV", "hr", (T("Carrières", "HDV"), T("Paie", "HDV"))),
            S("Formation et compétences", "CAF", "training"),
            S("Recrutement et mobilité", "CAF", "recruitment"),
            S("Santé et qualité de vie au travail", "CAF", "health"),
            S("Relations sociales", "HDV", "social_dialogue"),
            S("Pilotage RH et SIRH", "HDM", "hris"),
        ),
    ),
    DirectionRef(
        "DFC",
        "Direction des finances et de la commande publique",
        "HDM",
        2.5,
        0.6,
        (
            S("Budget et prospective", "HDM", "finance"),
            S("Comptabilité", "HDM", "accounting", (T("Dépenses", "HDM"), T("Recettes", "HDM"))),
            S("Commande publique", "HDM", "procurement"),
            S("Assurances et régies", "HDV", "insurance"),
        ),
    ),
    DirectionRef(
        "DNU",
        "Direction du numérique",
        "HDM",
        2.5,
        0.7,
        (
            S(
                "Support et proximité",
                "CAF",
                "it_support",
                (T("Assistance aux utilisateurs", "CAF"), T("Déploiement des postes", "CAF")),
            ),
            S("Infrastructures et sécurité", "HDM", "it_infra"),
            S("Projets et applications", "HDM", "it_projects"),
            S("Données et SIG", "HDM", "gis"),
            S(
                "Inclusion numérique",
                "CAF",
                "inclusion",
                fixed=((ADVISOR_JOB, 3),),
                always=True,
                weight=0,
            ),
        ),
    ),
    DirectionRef(
        "DPC",
        "Direction de la population et de la citoyenneté",
        "HDV",
        4.5,
        0.0,
        (
            S("État civil", "HDV", "civil_status"),
            S("Accueil des usagers", "HDV", "reception"),
            S(
                "Mairies de quartier",
                "MQN",
                "district_office",
                (
                    T("Mairie de quartier Nord", "MQN"),
                    T("Mairie de quartier Sud", "MQS"),
                    T("Mairie de quartier Est", "MQE"),
                    T("Mairie de quartier Ouest", "MQO"),
                    T("Mairie de quartier Centre", "HDV"),
                ),
            ),
            S("Élections et recensement", "HDV", "elections"),
        ),
    ),
)
del S, T


def _names(block: str) -> list[str]:
    """Whitespace-separated names; '_' stands for a space inside a name (Le_Goff)."""
    return [name.replace("_", " ") for name in block.split()]


FIRST_NAMES = _names(
    """
Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Valérie Sandrine
Véronique Patricia Stéphanie Céline Sophie Virginie Laurence Brigitte Chantal Monique Nicole
Annie Dominique Corinne Karine Florence Pascale Carole Delphine Aurélie Émilie Julie
Caroline Audrey Élodie Laetitia Mélanie Vanessa Séverine Anne Hélène Claire Cécile Agnès
Béatrice Muriel Myriam Nadia Fatima Karima Samira Leïla Malika Yasmina Amina Aïcha Fatou
Aminata Mariama Awa Sarah Laura Camille Manon Marion Pauline Justine Morgane Anaïs Charlotte
Chloé Léa Emma Inès Clara Lucie Mathilde Océane Jessica Amandine Gwenaëlle Nolwenn Maëlle
Soizic Rozenn Katell Ophélie Solène Alexandra Magali Estelle Jennifer Elsa Noémie Margaux
Jade Lina Yasmine Sonia Linda Josiane Jean Pierre Michel Philippe Alain Patrick Nicolas
Christophe Christian Daniel Éric Laurent Frédéric Stéphane David Pascal Olivier Thierry
Sébastien Julien Jérôme Franck Bruno Didier Gilles Thomas Guillaume Vincent François Yann
Erwan Gwenaël Loïc Ronan Tanguy Goulven Maël Kévin Anthony Jonathan Mickaël Cédric Fabrice
Ludovic Arnaud Romain Maxime Alexandre Antoine Damien Mathieu Florian Benoît Jérémy Yannick
Hervé Joël Serge Gérard Bernard Claude Marc Luc Paul Hugo Lucas Théo Nathan Enzo Mohamed
Karim Mehdi Rachid Youssef Ahmed Samir Nordine Bilal Ibrahima Mamadou Moussa Ousmane
Abdoulaye José Manuel Antonio Carlos Tiago Dylan Quentin Adrien Baptiste Clément Rémi Gaëtan
Sylvain Régis Thibault Jordan Steven Jacques Jean-Pierre Jean-Luc Marie-Claire Anne-Sophie
"""
)
# The list gives women's first names, then men's from « Jean » on, then a few compound
# names: the demo's SIRH gender column. Epicene names stay « autre ou non précisé ».
_FIRST_MALE = FIRST_NAMES.index("Jean")
_EPICENE = ("Dominique", "Camille", "Claude")
_LATE_FEMALE = ("Marie-Claire", "Anne-Sophie")
GENDER_OF_FIRST_NAME = {
    name: Gender.OTHER
    if name in _EPICENE
    else Gender.FEMALE
    if i < _FIRST_MALE or name in _LATE_FEMALE
    else Gender.MALE
    for i, name in enumerate(FIRST_NAMES)
}

LAST_NAMES = _names(
    """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine
Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier
François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud
Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Roche Renard Schmitt Roy Leroux
Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe
Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Dupuy
Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez
Boucher Fleury Royer Klein Jacquet Adam Poirier Marty Aubry Guyot Carré Charles Renault
Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Fernandez Collet Léger
Bouvier Julien Prévost Millet Perrot Daniel Cousin Germain Breton Besson Langlois Rémy
Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob
Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin
Chauvin Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret
Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte Guillou
Tanguy Quéré Kerbrat Kervella Morvan Riou Cadiou Jézéquel Prigent Nédélec Salaün Guivarch
Even Olier Lozach Gourvès Pennec Caroff Bothorel Huon Mahé Josse Thébault Gicquel Rouxel
Lebreton Pichard Hamel Lemée Briand Chesnel Hervouet Gaudin Ollivier Lemarié Nguyen Tran
Pham Benali Benmoussa Haddad Bouzid Belkacem Mansouri Cherif Amrani Brahimi Hamidi Saidi
Diallo Traoré Koné Diop Ndiaye Camara Sow Cissé Ferreira Pereira Rodrigues Oliveira Gomes
Lopes Martins Carvalho Yilmaz Kaya Demir Rossi Russo Bianchi Kowalski Nowak Schmidt Costa
Santos Ribeiro Almeida Jouan Rault Lelièvre Hardy Poulard Texier Pinel Launay Cochet Ferré
Bouvet Aubin Blin Cosson Menard Tardif Lorand Chapelain Pottier Drouet Rabin Leray Bellanger
Gohier Coquelin Bodin Hamelin Tual Sévère Orain Le_Gall Le_Roux Le_Goff Le_Guen Le_Bihan
Le_Corre Le_Floch Le_Meur Le_Bris Le_Berre Le_Moal Le_Bras Le_Coz Le_Hir Le_Gac Le_Men
Le_Borgne Le_Cam Le_Page Le_Lay Da_Silva Dos_Santos Da_Costa
"""
)


# ---------------------------------------------------------------- the plan (plain data)


@dataclass
class UnitPlan:
    key: int
    name: str
    code: str
    kind: str
    parent: int | None
    site: str
    depth: int


@dataclass
class AgentPlan:
    key: int
    level: int  # 0: the DGS; 1 direction heads; 2 service heads; 3 team leads; 4 the others
    unit: int
    site: str
    job: str
    manager: int | None
    employer: str
    first_name: str
    last_name: str
    category: str
    employment_status: str
    work_pattern: str
    gender: str = ""
    part_time_rate: int = 100
    days_off: str = ""
    arrival_days_ago: int = 0
    departure_days_ago: int | None = None
    matricule: str = ""
    far_from_digital: bool = False
    identity_status: str = IdentityStatus.ACTIVE
    identity_days_ago: int = 0  # activation, or request for a pending identity
    login: str = ""
    email: str = ""
    mobile_phone: str = ""
    contact_channel: str = ContactChannel.EMAIL


@dataclass
class DemoUserPlan:
    username: str
    role: str  # Role value; Role.AGENT means "linked to an agent, no assignment"
    agent: int | None = None
    scope_unit: int | None = None
    superuser: bool = False


@dataclass
class DemoPlan:
    n_agents: int
    seed: int
    units: list[UnitPlan] = field(default_factory=list)
    agents: list[AgentPlan] = field(default_factory=list)
    users: list[DemoUserPlan] = field(default_factory=list)
    site_addresses: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def is_field_job(title: str) -> bool:
    return JOB_BY_TITLE[title][2] == WorkKind.FIELD


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` along `weights`: exact, and no random involved."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _scaled(items: tuple, scale: float) -> int:
    """How many of `items` a workforce at `scale` keeps: at least one."""
    return min(len(items), max(1, round(len(items) * scale)))


def _pick(rng: random.Random, weighted: dict[str, float] | list[tuple[str, float]]) -> str:
    pairs = list(weighted.items()) if isinstance(weighted, dict) else weighted
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def ascii_slug(text: str) -> str:
    """'Anne-Sophie Le Goff' -> 'anne-sophie-le-goff': what a directory login looks like."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def _structure(scale: float) -> list[tuple[int, object, int | None]]:
    """(depth, reference, index of the parent) of the units kept at this scale, top-down.

    A smaller workforce keeps every direction, its first services and their first
    teams (the lists put the most typical ones first), and always the services that
    hold fixed posts.
    """
    kept: list[tuple[int, object, int | None]] = []
    for direction in DIRECTIONS:
        direction_index = len(kept)
        kept.append((0, direction, None))
        ordinary = [s for s in direction.services if not s.always]
        services = ordinary[: _scaled(tuple(ordinary), scale)]
        services += [s for s in direction.services if s.always]
        for service in services:
            service_index = len(kept)
            kept.append((1, service, direction_index))
            for team in service.teams[: _scaled(service.teams, scale)]:
                kept.append((2, team, service_index))
    return kept


def minimum_agents() -> int:
    """A workforce big enough to staff every kept unit and the fixed posts, with room
    left for field agents (the demo `agent` login needs one far from digital)."""
    fixed = sum(n for d in DIRECTIONS for s in d.services for _, n in s.fixed)
    return 2 * (len(_structure(scale=0.0)) + fixed)


def build_plan(n_agents: int = FULL_SIZE, seed: int = 1) -> DemoPlan:
    if n_agents < minimum_agents():
        raise ValueError(
            f"Il faut au moins {minimum_agents()} agents pour le jeu de démonstration."
        )
    rng = random.Random(seed)
    scale = min(1.0, n_agents / FULL_SIZE)
    plan = DemoPlan(n_agents=n_agents, seed=seed)
    for code, _name, _kind, commune, _room in SITES:
        city, postcode = COMMUNES[commune]
        plan.site_addresses[code] = (f"{rng.randint(1, 120)} {rng.choice(STREETS)}", postcode, city)

    # The tree: unit keys are indexes into the kept structure.
    structure = _structure(scale)
    direction_of: dict[int, DirectionRef] = {}
    service_of: dict[int, ServiceRef] = {}  # a service, or a team's service
    pool_of: dict[int, str] = {}
    pattern_of: dict[int, str | None] = {}
    for key, (depth, ref, parent) in enumerate(structure):
        if depth == 0:
            direction_of[key], code, kind = ref, ref.code, UnitKind.DIRECTION
        else:
            direction_of[key] = direction_of[parent]
            rank = sum(1 for u in plan.units if u.parent == parent) + 1
            parent_code = plan.units[parent].code
            if depth == 1:
                service_of[key], pool_of[key] = ref, ref.pool
                code, kind = f"{parent_code}-S{rank:02d}", UnitKind.SERVICE
            else:
                service_of[key] = service_of[parent]
                pool_of[key] = ref.pool or service_of[parent].pool
                pattern_of[key] = ref.pattern
                code, kind = f"{parent_code}-E{rank}", UnitKind.TEAM
        plan.units.append(UnitPlan(key, ref.name, code, kind, parent, ref.site, depth))

    def new_agent(unit: UnitPlan, job: str, level: int, manager: AgentPlan | None) -> AgentPlan:
        title, _family, work_kind, category, rhythm = JOB_BY_TITLE[job]
        if category == "C/B":
            category = Category.C if rng.random() < 0.75 else Category.B
        team_pattern = pattern_of.get(unit.key)
        if work_kind == WorkKind.FIELD and team_pattern and level == 4:
            work_pattern = team_pattern
        else:
            work_pattern = _pick(rng, RHYTHMS[rhythm])
        if level < 4:
            status = _pick(
                rng, [(EmploymentStatus.TITULAIRE, 9), (EmploymentStatus.CONTRACTUEL, 1)]
            )
        else:
            status = _pick(
                rng,
                [
                    (EmploymentStatus.TITULAIRE, 76),
                    (EmploymentStatus.CONTRACTUEL, 17),
                    (EmploymentStatus.STAGIAIRE, 3),
                    (EmploymentStatus.APPRENTI, 2),
                    (EmploymentStatus.EMPLOI_AIDE, 2),
                ],
            )
        # Years of service: most arrived in the last decade, some long ago; managers
        # rarely arrive this year.
        years = min(40.0, rng.expovariate(1 / 9))
        if level < 4:
            years = max(years, rng.uniform(3, 15))
        agent = AgentPlan(
            key=len(plan.agents),
            level=level,
            unit=unit.key,
            site=unit.site,
            job=title,
            manager=manager.key if manager else None,
            employer=(
                "metropole" if rng.random() < direction_of[unit.key].metropole_share else "ville"
            ),
            first_name=(first_name := rng.choice(FIRST_NAMES)),
            gender=GENDER_OF_FIRST_NAME[first_name],
            last_name=rng.choice(LAST_NAMES),
            category=category,
            employment_status=status,
            work_pattern=work_pattern,
            arrival_days_ago=int(years * 365.25) + 30,
        )
        if level == 4 and rng.random() < PART_TIME_SHARE:
            agent.part_time_rate, agent.days_off = _pick(
                rng,
                [
                    ((80, rng.choice("3335")), 60),
                    ((50, "3,5"), 15),
                    ((90, ""), 20),
                    ((70, "1,3"), 5),
                ],
            )
        plan.agents.append(agent)
        return agent

    # Heads first, top-down: each unit's first agent manages it and reports to the
    # head of the unit above, up to the DGS.
    head_of: dict[int, AgentPlan] = {}
    dgs: AgentPlan | None = None
    for unit in plan.units:
        if unit.depth == 0:
            head = new_agent(unit, direction_of[unit.key].head, 0 if dgs is None else 1, dgs)
            dgs = dgs or head
        elif unit.depth == 1:
            head = new_agent(unit, service_of[unit.key].head, 2, head_of[unit.parent])
        else:
            pool = POOLS[pool_of[unit.key]]
            field_weight = sum(w for job, w in pool.items() if is_field_job(job))
            lead = service_of[unit.key].lead or (
                FIELD_LEAD_JOB if field_weight > sum(pool.values()) / 2 else OFFICE_LEAD_JOB
            )
            head = new_agent(unit, lead, 3, head_of[unit.parent])
        head_of[unit.key] = head

    # The fixed posts (advisors, facilitators), then everyone else by weight.
    for unit in plan.units:
        if unit.depth == 1:
            for job, count in service_of[unit.key].fixed:
                for _ in range(count):
                    new_agent(unit, job, 4, head_of[unit.key])

    def staff(unit: UnitPlan, count: int) -> None:
        pool = POOLS[pool_of[unit.key]]
        for _ in range(count):
            new_agent(unit, _pick(rng, pool), 4, head_of[unit.key])

    directions = [u for u in plan.units if u.depth == 0]
    per_direction = _split(
        n_agents - len(plan.agents), [direction_of[u.key].weight for u in directions]
    )
    for direction_unit, direction_total in zip(directions, per_direction, strict=True):
        # A direction keeps an assistant or two beside its services.
        assistants = min(direction_total, round(2 * scale))
        for _ in range(assistants):
            new_agent(direction_unit, "Assistant(e) de direction", 4, head_of[direction_unit.key])
        services = [u for u in plan.units if u.parent == direction_unit.key]
        weights = [
            service_of[s.key].weight
            if service_of[s.key].weight is not None
            else 1 + len(service_of[s.key].teams)
            for s in services
        ]
        for service, total in zip(
            services, _split(direction_total - assistants, weights), strict=True
        ):
            teams = [u for u in plan.units if u.parent == service.key]
            # Field services keep a few planners and clerks beside their teams.
            own = round(total * 0.05) if teams else total
            staff(service, own)
            for team, count in zip(teams, _split(total - own, [1.0] * len(teams)), strict=True):
                staff(team, count)

    _assign_matricules(plan, rng)
    _assign_departures(plan, rng)
    _assign_digital(plan, rng)
    _assign_demo_users(plan)
    return plan


def _assign_matricules(plan: DemoPlan, rng: random.Random) -> None:
    # SIRH numbers grow with hiring: older arrivals get smaller numbers, with gaps.
    for code, _name, base in EMPLOYERS:
        staff = sorted(
            (a for a in plan.agents if a.employer == code),
            key=lambda a: (-a.arrival_days_ago, a.key),
        )
        number = base + rng.randint(1000, 5000)
        for agent in staff:
            number += rng.randint(1, 6)
            agent.matricule = str(number)


def _assign_departures(plan: DemoPlan, rng: random.Random) -> None:
    candidates = [
        a for a in plan.agents if a.level == 4 and a.job not in (ADVISOR_JOB, FACILITATOR_JOB)
    ]
    count = min(len(candidates), max(1, round(plan.n_agents * DEPARTED_SHARE)))
    for agent in rng.sample(candidates, count):
        agent.departure_days_ago = rng.randint(15, min(330, agent.arrival_days_ago - 1))


def _assign_digital(plan: DemoPlan, rng: random.Random) -> None:
    """Who is far from digital tools, and each agent's account, mailbox and contact channel."""
    target = round(plan.n_agents * FAR_FROM_DIGITAL_SHARE)
    # Field agents who are not managers; category C jobs are the farthest from screens.
    eligible = [
        a
        for a in plan.agents
        if a.level == 4 and a.departure_days_ago is None and is_field_job(a.job)
    ]

    def distance(agent: AgentPlan) -> float:
        return 1.0 if JOB_BY_TITLE[agent.job][3] == "C" else 0.25

    # Weighted sampling without replacement (Efraimidis–Spirakis): exact count, seeded.
    ranked = sorted(eligible, key=lambda a: rng.random() ** (1 / distance(a)), reverse=True)
    for agent in ranked[:target]:
        agent.far_from_digital = True

    logins: Counter[str] = Counter()

    def login_for(agent: AgentPlan) -> str:
        base = f"{ascii_slug(agent.first_name)}.{ascii_slug(agent.last_name)}"
        logins[base] += 1
        return base if logins[base] == 1 else f"{base}{logins[base]}"

    for agent in plan.agents:
        has_mobile = rng.random() < (0.55 if agent.far_from_digital else 0.3)
        if has_mobile:
            agent.mobile_phone = f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        if agent.far_from_digital:
            statuses = [(IdentityStatus.NONE, 55), (IdentityStatus.REQUESTED, 30)]
            if agent.arrival_days_ago > 400:
                statuses.append((IdentityStatus.DISABLED, 15))
            agent.identity_status = _pick(rng, statuses)
            agent.contact_channel = (
                ContactChannel.SMS if has_mobile and rng.random() < 0.7 else ContactChannel.PAPER
            )
            if agent.identity_status == IdentityStatus.REQUESTED:
                agent.identity_days_ago = rng.randint(3, min(200, agent.arrival_days_ago))
            elif agent.identity_status == IdentityStatus.DISABLED:
                # An account opened once, never used, closed a year later.
                agent.login = login_for(agent)
                agent.identity_days_ago = rng.randint(400, min(2000, agent.arrival_days_ago))
            continue
        agent.login = login_for(agent)
        agent.email = f"{agent.login}@{MAIL_DOMAIN}"
        # Step 1 of the plan (an account for everyone) ran over the last few years.
        earliest = min(agent.arrival_days_ago, 6 * 365)
        latest = (agent.departure_days_ago or 0) + 20
        agent.identity_days_ago = rng.randint(min(latest, earliest), earliest)
        if agent.departure_days_ago is not None:
            agent.identity_status = IdentityStatus.DISABLED
            agent.contact_channel = ContactChannel.PAPER
        else:
            agent.contact_channel = ContactChannel.EMAIL


def _assign_demo_users(plan: DemoPlan) -> None:
    units = {u.key: u for u in plan.units}
    first_service = next(u for u in plan.units if u.depth == 1 and units[u.parent].code == "DAS")
    subtree = {first_service.key} | {u.key for u in plan.units if u.parent == first_service.key}
    present_far = [a for a in plan.agents if a.far_from_digital and a.departure_days_ago is None]
    agent = next(
        (a for a in present_far if a.unit in subtree and a.identity_status == IdentityStatus.NONE),
        present_far[0],
    )
    manager = next(a for a in plan.agents if a.unit == first_service.key and a.level == 2)
    advisors = [a for a in plan.agents if a.job == ADVISOR_JOB]
    plan.users = [
        DemoUserPlan("agent", Role.AGENT, agent=agent.key),
        DemoUserPlan(
            "encadrant",
            Role.MANAGER,
            agent=manager.key,
            scope_unit=first_service.key,
        ),
        *(
            DemoUserPlan(f"conseiller{i}", Role.ADVISOR, agent=a.key)
            for i, a in enumerate(advisors, start=1)
        ),
        DemoUserPlan("rh", Role.HR),
        DemoUserPlan("mobilite", Role.MOBILITY),
        DemoUserPlan("direction", Role.DIRECTION),
        DemoUserPlan("admin", Role.ADMIN, superuser=True),
    ]


DEMO_USERNAMES = (
    "agent",
    "encadrant",
    "conseiller1",
    "conseiller2",
    "conseiller3",
    "rh",
    "mobilite",
    "direction",
    "admin",
)


# ---------------------------------------------------------------- writing it


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def write_plan(
    plan: DemoPlan,
    *,
    progress: Callable[[int, str], object] | None = None,
    today=None,
) -> dict:
    """Stores the plan with bulk inserts; the caller holds the transaction and the audit."""
    from tremplin.accounts.models import RoleAssignment, User

    from .models import Agent, Collectivite, DigitalIdentity, Employer, Job, OrgUnit, Site

    today = today or timezone.localdate()
    bar = progress or (lambda total, desc: _NoProgress())

    def day(days_ago: int | None):
        return None if days_ago is None else today - timedelta(days=days_ago)

    collectivite = Collectivite.current()
    if collectivite is None:
        (collectivite,) = Collectivite.objects.bulk_create([Collectivite(**COLLECTIVITE)])
    employers = {
        e.code: e
        for e in Employer.objects.bulk_create(
            [
                Employer(collectivite=collectivite, code=code, name=name)
                for code, name, _ in EMPLOYERS
            ]
        )
    }
    sites = {
        s.code: s
        for s in Site.objects.bulk_create(
            [
                Site(
                    code=code,
                    name=name,
                    kind=kind,
                    address=plan.site_addresses[code][0],
                    postcode=plan.site_addresses[code][1],
                    city=plan.site_addresses[code][2],
                    has_training_room=room,
                )
                for code, name, kind, _commune, room in SITES
            ]
        )
    }
    jobs = {
        j.title: j
        for j in Job.objects.bulk_create(
            [
                Job(code=f"M{i:03d}", title=title, family=family, work_kind=kind)
                for i, (title, family, kind, _cat, _rhythm) in enumerate(JOBS, start=1)
            ]
        )
    }

    # Units level by level: a parent's id is known before its children are inserted.
    units: dict[int, OrgUnit] = {}
    for depth in sorted({u.depth for u in plan.units}):
        batch = [u for u in plan.units if u.depth == depth]
        created = OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    name=u.name,
                    code=u.code,
                    kind=u.kind,
                    parent=units[u.parent] if u.parent is not None else None,
                    depth=u.depth,
                )
                for u in batch
            ]
        )
        for unit_plan, unit in zip(batch, created, strict=True):
            parent_path = units[unit_plan.parent].path if unit_plan.parent is not None else "/"
            unit.path = f"{parent_path}{unit.pk}/"
            units[unit_plan.key] = unit
    OrgUnit.objects.bulk_update(list(units.values()), ["path"], batch_size=500)

    agents: dict[int, Agent] = {}
    bar_agents = bar(len(plan.agents), "Agents")
    for level in sorted({a.level for a in plan.agents}):
        batch = [a for a in plan.agents if a.level == level]
        for start in range(0, len(batch), 1000):
            chunk = batch[start : start + 1000]
            created = Agent.objects.bulk_create(
                [
                    Agent(
                        employer=employers[a.employer],
                        matricule=a.matricule,
                        last_name=a.last_name,
                        first_name=a.first_name,
                        category=a.category,
                        gender=a.gender,
                        employment_status=a.employment_status,
                        job=jobs[a.job],
                        unit=units[a.unit],
                        site=sites[a.site],
                        manager=agents[a.manager] if a.manager is not None else None,
                        work_pattern=a.work_pattern,
                        part_time_rate=a.part_time_rate,
                        days_off=a.days_off,
                        email=a.email,
                        mobile_phone=a.mobile_phone,
                        contact_channel=a.contact_channel,
                        arrival_date=day(a.arrival_days_ago),
                        departure_date=day(a.departure_days_ago),
                    )
                    for a in chunk
                ]
            )
            for agent_plan, agent in zip(chunk, created, strict=True):
                agents[agent_plan.key] = agent
            bar_agents.update(len(chunk))
    bar_agents.close()

    identities = []
    for a in plan.agents:
        status = a.identity_status
        identity = DigitalIdentity(
            agent=agents[a.key],
            login=a.login,
            mailbox=f"{a.login}@{MAIL_DOMAIN}" if a.login else "",
            status=status,
        )
        if status == IdentityStatus.REQUESTED:
            identity.requested_at = day(a.identity_days_ago)
        elif a.login:
            identity.activated_at = day(a.identity_days_ago)
            identity.requested_at = identity.activated_at - timedelta(days=7)
            if status == IdentityStatus.DISABLED:
                identity.disabled_at = (
                    day(a.departure_days_ago)
                    if a.departure_days_ago is not None
                    else identity.activated_at + timedelta(days=365)
                )
        identities.append(identity)
    DigitalIdentity.objects.bulk_create(identities, batch_size=1000)

    # One slow hash, reused by every demo login (argon2 takes a noticeable moment).
    password = make_password(DEMO_PASSWORD)
    taken = set(
        User.objects.filter(username__in=[u.username for u in plan.users]).values_list(
            "username", flat=True
        )
    )
    new_users = []
    for u in plan.users:
        if u.username in taken:
            continue
        agent = agents[u.agent] if u.agent is not None else None
        new_users.append(
            User(
                username=u.username,
                password=password,
                first_name=agent.first_name if agent else "",
                last_name=agent.last_name if agent else "",
                email=agent.email if agent else "",
                agent=agent,
                is_staff=u.superuser,
                is_superuser=u.superuser,
            )
        )
    created_users = {user.username: user for user in User.objects.bulk_create(new_users)}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=created_users[u.username],
                role=u.role,
                org_unit=units[u.scope_unit] if u.scope_unit is not None else None,
            )
            for u in plan.users
            if u.username in created_users and u.role != Role.AGENT
        ]
    )
    return {
        "agents": len(agents),
        "units": Counter(u.kind for u in plan.units),
        "sites": len(sites),
        "jobs": len(jobs),
        "skipped_users": sorted(taken),
    }
