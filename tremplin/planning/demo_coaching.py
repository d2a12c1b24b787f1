"""Demo data for the coaching log: about 300 coachings by the demo advisors over the
last 16 weeks, mostly field agents on their site, a few groups, themes and durations as
the advisors really see them. Reproducible for a given random generator; bulk inserts
(the entries, then the rows of both many-to-many tables), so it takes well under a
second. Call after the organisation demo (advisors, agents, sites)."""

from __future__ import annotations

import datetime as dt
import random

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.organisation.enums import WorkKind
from tremplin.organisation.models import Agent, Site

from .enums import Autonomy, CoachingFollowUp, CoachingPlace
from .models import CoachingEntry, CoachingTheme

WEEKS = 16
PER_ADVISOR_AND_WEEK = (5, 8)  # about 300 entries with the three demo advisors
FIELD_SHARE = 0.75

DURATIONS = [(15, 8), (30, 30), (45, 20), (60, 25), (90, 9), (120, 4), (20, 2), (40, 2)]
GROUP_DURATIONS = [(60, 4), (90, 4), (120, 2)]
AUTONOMY = [(Autonomy.ACCOMPANIED, 35), (Autonomy.PARTLY, 40), (Autonomy.AUTONOMOUS, 25)]
FOLLOW_UPS = [
    (CoachingFollowUp.NONE, 55),
    (CoachingFollowUp.APPOINTMENT, 25),
    (CoachingFollowUp.MODULE, 12),
    (CoachingFollowUp.REFERRAL, 8),
]
FOLLOW_UP_DETAILS = {
    CoachingFollowUp.APPOINTMENT: [
        "Revoir la messagerie dans quinze jours",
        "Rendez-vous au dépôt, même heure",
        "Finir la création du compte la semaine prochaine",
    ],
    CoachingFollowUp.MODULE: ["Module « Ma messagerie »", "Module « Premiers pas sur tablette »"],
    CoachingFollowUp.REFERRAL: [
        "CCAS, accès aux droits",
        "Service informatique : compte bloqué",
        "Maison France Services du quartier",
    ],
}
OTHER_PLACES = ["Vestiaire du dépôt", "Salle de pause de l'EHPAD", "Médiathèque du quartier"]
NOTES = [
    "",
    "",
    "",
    "Sait maintenant ouvrir ses bulletins de paie en ligne.",
    "A retrouvé son mot de passe ; à revoir : la double authentification.",
    "Très à l'aise avec le téléphone, moins avec l'ordinateur.",
    "A besoin de lunettes pour l'écran : prévoir la tablette la prochaine fois.",
]
# Theme names from the 0004 migration, more often for field agents (phone, identity,
# payslips online) than for office agents (office software, video calls).
FIELD_THEMES = {
    "Prise en main du smartphone ou de la tablette": 30,
    "Identité numérique et connexion": 25,
    "Démarches en ligne": 20,
    "Messagerie et agenda": 15,
    "Sécurité et mots de passe": 10,
}
OFFICE_THEMES = {
    "Bureautique (traitement de texte, tableur)": 30,
    "Messagerie et agenda": 20,
    "Visioconférence": 15,
    "Intranet et applications métier": 20,
    "Sécurité et mots de passe": 15,
}


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed(rng: random.Random, today: dt.date) -> int:
    advisors = list(
        User.objects.filter(role_assignments__role=Role.ADVISOR).distinct().order_by("username")
    )
    themes = dict(CoachingTheme.objects.filter(active=True).values_list("name", "pk"))
    if not advisors or not themes:
        return 0
    own_agents = {u.agent_id for u in advisors if u.agent_id}
    agents = [
        row
        for row in Agent.objects.present(today)
        .order_by("pk")
        .values_list("pk", "site_id", "job__work_kind")
        if row[0] not in own_agents
    ]
    if not agents:
        return 0
    field = [a for a in agents if a[2] == WorkKind.FIELD] or agents
    office = [a for a in agents if a[2] != WorkKind.FIELD] or agents
    site_ids = list(Site.objects.order_by("pk").values_list("pk", flat=True))
    field_themes = [(themes[n], w) for n, w in FIELD_THEMES.items() if n in themes]
    office_themes = [(themes[n], w) for n, w in OFFICE_THEMES.items() if n in themes]
    any_theme = [(pk, 1) for pk in themes.values()]

    first_monday = today - dt.timedelta(days=today.weekday(), weeks=WEEKS - 1)
    entries, agent_rows, theme_rows = [], [], []
    for advisor in advisors:
        for week in range(WEEKS):
            for _ in range(rng.randint(*PER_ADVISOR_AND_WEEK)):
                day = first_monday + dt.timedelta(weeks=week, days=rng.randrange(5))
                if day > today:
                    continue
                pool = field if rng.random() < FIELD_SHARE else office
                group = rng.random() < 0.12
                chosen = rng.sample(pool, k=min(len(pool), rng.randint(2, 6) if group else 1))
                place = _pick(
                    rng,
                    [
                        (CoachingPlace.SITE, 70),
                        (CoachingPlace.REMOTE, 15),
                        (CoachingPlace.OTHER, 15),
                    ],
                )
                site_id = None
                if place == CoachingPlace.SITE:
                    site_id = chosen[0][1] or (rng.choice(site_ids) if site_ids else None)
                    if site_id is None:
                        place = CoachingPlace.REMOTE
                follow_up = _pick(rng, FOLLOW_UPS)
                entries.append(
                    CoachingEntry(
                        advisor=advisor,
                        happened_on=day,
                        duration_minutes=_pick(rng, GROUP_DURATIONS if group else DURATIONS),
                        place=place,
                        site_id=site_id,
                        place_detail=rng.choice(OTHER_PLACES)
                        if place == CoachingPlace.OTHER
                        else "",
                        autonomy=_pick(rng, AUTONOMY),
                        follow_up=follow_up,
                        follow_up_detail=rng.choice(FOLLOW_UP_DETAILS.get(follow_up, [""])),
                        notes=rng.choice(NOTES),
                    )
                )
                weighted = field_themes if pool is field else office_themes
                picked = {_pick(rng, weighted or any_theme)}
                if rng.random() < 0.3:
                    picked.add(_pick(rng, any_theme))
                agent_rows.append([a[0] for a in chosen])
                theme_rows.append(sorted(picked))

    created = CoachingEntry.objects.bulk_create(entries, batch_size=500)
    agent_link = CoachingEntry.agents.through
    theme_link = CoachingEntry.themes.through
    agent_link.objects.bulk_create(
        [
            agent_link(coachingentry_id=entry.pk, agent_id=agent_id)
            for entry, ids in zip(created, agent_rows, strict=True)
            for agent_id in ids
        ],
        batch_size=1000,
    )
    theme_link.objects.bulk_create(
        [
            theme_link(coachingentry_id=entry.pk, coachingtheme_id=theme_id)
            for entry, ids in zip(created, theme_rows, strict=True)
            for theme_id in ids
        ],
        batch_size=1000,
    )
    return len(created)
