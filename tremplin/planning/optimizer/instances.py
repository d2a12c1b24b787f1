"""Generated planning problems for tests and `bench/planning.py`, shaped like the demo.

`generate(agents, seed)` builds a collectivité of `agents` agents over 2027 (working
days, French public holidays removed), deterministic for a given (agents, seed);
`generate(agents, seed, years=5)` plans the same agents over a five-year mandate
(see `generate`):

- sites in territories of three: a hub (offices, with a computer room; one hub in two
  also has a 16-seat meeting room), a field site (care home with a tablet room, depot or
  canteen) and a mixed site (schools, libraries; one in two has a 12-seat multipurpose
  room). About 25 sites at 6,000 agents, scaled linearly with the agents;
- trainers at 6,000 agents: 3 digital advisors (every module but the Fresque and the
  CNFPT course, two territories each), 2 Fresque facilitators (Fresque and digital
  sobriety, two days a week), an external provider (office software, the CNFPT course,
  Mondays and Tuesdays), scaled linearly (×10 at 60,000; at smaller scales fewer
  sessions a week, as a part-time post would give);
- agents: about 54 % office, 46 % field; field agents on shift patterns (mornings,
  afternoons, early or late week), office part-timers never on Wednesday afternoons;
  field agents of care homes, depots and canteens in teams of 8–40 that keep 70–80 %
  of their staff at work (continuity);
- demand: far-from-digital agents (about 43 %) need one to three first modules
  (weight 3; the first due by the end of June; the next ones available from March, as
  if the first was done and the 14-day gap passed); everyone needs the Fresque du
  Climat (weight 1, due end of May, end of August or end of the year depending on the
  territory); half of the office agents need digital sobriety (weight 1.5, due end of
  April); some office software, security and a manager course (weight 1).

The trainers cannot serve all of this before the deadlines: seats are scarcer than
demand, as the issue requires (tests/planning/optimizer/test_instances.py checks it with
the capacity bound). Identical agents are aggregated into `DemandGroup`s (count), in
the order agents asked (not sorted by weight), so first come, first served means
something. A few sessions confirmed in the first weeks are `FixedSession`s.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from .model import (
    AFTERNOON,
    MORNING,
    DemandGroup,
    FixedSession,
    Module,
    Problem,
    Room,
    Slot,
    Team,
    Trainer,
)

START = dt.date(2027, 1, 4)
END = dt.date(2027, 12, 31)
# French public holidays of 2027 (Easter is 28 March 2027); those on a weekend are listed
# too, for completeness.
HOLIDAYS_2027 = frozenset(
    dt.date(2027, month, day)
    for month, day in (
        (1, 1),
        (3, 29),  # Easter Monday
        (5, 1),
        (5, 6),  # Ascension
        (5, 8),
        (5, 17),  # Whit Monday
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    )
)

ANY, COMPUTERS, TABLETS = "any", "computers", "tablets"
# (code, name, slots, group min, group max, tables per trainer, room need, prerequisites)
CATALOGUE = (
    ("smartphone", "Premiers pas avec un smartphone ou une tablette", 1, 4, 8, 1, TABLETS, ()),
    ("intranet-paie", "L'intranet et ma fiche de paie", 1, 3, 6, 1, TABLETS, ("smartphone",)),
    ("messagerie", "Ma messagerie", 1, 4, 8, 1, COMPUTERS, ()),
    ("recherche", "Chercher une information sur internet", 1, 4, 8, 1, COMPUTERS, ()),
    ("visio", "Les réunions en visio", 1, 4, 8, 1, COMPUTERS, ("messagerie",)),
    ("document", "Écrire un document", 2, 4, 8, 1, COMPUTERS, ()),
    ("tableur", "Un premier tableur", 2, 4, 8, 1, COMPUTERS, ("document",)),
    (
        "fichiers-partage",
        "Fichiers, dossiers et partage",
        1,
        4,
        8,
        1,
        COMPUTERS,
        ("messagerie", "document"),
    ),
    ("securite", "Mots de passe et hameçonnage", 1, 4, 12, 1, ANY, ()),
    ("rgpd", "Les données personnelles au travail (RGPD)", 1, 4, 12, 1, ANY, ("securite",)),
    ("demarches", "Les démarches en ligne", 1, 3, 6, 1, COMPUTERS, ("intranet-paie",)),
    (
        "signalement",
        "Signaler un problème sur le terrain avec son smartphone",
        1,
        3,
        6,
        1,
        ANY,
        ("smartphone",),
    ),
    ("numerique-responsable", "Numérique responsable", 1, 6, 12, 1, ANY, ()),
    ("fresque-du-climat", "Fresque du Climat", 1, 4, 8, 2, ANY, ()),
    (
        "accompagnement",
        "Accompagnement individuel avec un conseiller numérique",
        1,
        1,
        1,
        1,
        ANY,
        (),
    ),
    (
        "cnfpt-manager-numerique",
        "Manager une équipe à l'heure du numérique (CNFPT)",
        2,
        8,
        15,
        1,
        ANY,
        ("visio", "fichiers-partage"),
    ),
)
GAP_DAYS = 14
ADVISOR_MODULES = (
    "smartphone",
    "intranet-paie",
    "messagerie",
    "recherche",
    "visio",
    "document",
    "tableur",
    "fichiers-partage",
    "securite",
    "rgpd",
    "demarches",
    "signalement",
    "numerique-responsable",
    "accompagnement",
)
FACILITATOR_MODULES = ("fresque-du-climat", "numerique-responsable")
PROVIDER_MODULES = ("document", "tableur", "cnfpt-manager-numerique")

WEEK = [(day, half) for day in range(1, 6) for half in (MORNING, AFTERNOON)]
EVERY_HALF_DAY: frozenset = frozenset()
NOT_WEDNESDAY_PM = frozenset(WEEK) - {(3, AFTERNOON)}
MORNINGS = frozenset((day, MORNING) for day in range(1, 6))
AFTERNOONS = frozenset((day, AFTERNOON) for day in range(1, 6))
EARLY_WEEK = frozenset((day, half) for day, half in WEEK if day <= 3) - {(3, AFTERNOON)}
LATE_WEEK = frozenset((day, half) for day, half in WEEK if day >= 3) - {(3, AFTERNOON)}
FIELD_PATTERNS = (MORNINGS, AFTERNOONS, EARLY_WEEK, LATE_WEEK)
FIELD_PATTERN_WEIGHTS = (4, 3, 2, 1)

FIELD_KINDS = ("care_home", "depot", "canteen")


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holidays(year: int) -> frozenset[dt.date]:
    """French public holidays of `year` (HOLIDAYS_2027 for 2027)."""
    easter = _easter(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (easter + dt.timedelta(days=n) for n in (1, 39, 50))  # Monday, Ascension, Whit
    return frozenset({dt.date(year, month, day) for month, day in fixed} | set(moving))


def working_slots(start: dt.date = START, end: dt.date = END) -> tuple[Slot, ...]:
    """Morning and afternoon of every working day from start to end, holidays removed."""
    off = frozenset().union(*(holidays(y) for y in range(start.year, end.year + 1)))
    slots, day = [], start
    while day <= end:
        if day.isoweekday() <= 5 and day not in off:
            for half in (MORNING, AFTERNOON):
                slots.append(Slot(len(slots), day, half))
        day += dt.timedelta(days=1)
    return tuple(slots)


def _modules() -> tuple[tuple[Module, ...], dict[str, int]]:
    ids = {spec[0]: number for number, spec in enumerate(CATALOGUE, start=1)}
    modules = tuple(
        Module(
            id=ids[code],
            name=name,
            slots=slots,
            group_min=group_min,
            group_max=group_max,
            tables_per_trainer=tables,
            room_need=need,
            prerequisites=tuple(ids[p] for p in prerequisites),
            gap_days=GAP_DAYS if prerequisites else 0,
        )
        for code, name, slots, group_min, group_max, tables, need, prerequisites in CATALOGUE
    )
    return modules, ids


def _weeks_off(rng: random.Random, summer_start: int, year: int = START.year) -> frozenset[dt.date]:
    """Three summer weeks from ISO week `summer_start`, a spring week and Christmas week."""
    weeks = {summer_start, summer_start + 1, summer_start + 2, rng.choice((15, 16, 17)), 52}
    return frozenset(
        dt.date.fromisocalendar(year, week, day) for week in weeks for day in range(1, 6)
    )


def _territories(count: int, trainer: int, trainers: int, reach: int) -> set[int]:
    """Territories a trainer covers: `reach` trainers share each territory."""
    if trainers <= reach:
        return set(range(count))
    return {t for t in range(count) if (t - trainer) % trainers < reach}


def generate(agents: int, seed: int, years: int = 1) -> Problem:
    """A planning problem for `agents` agents over 2027 (and the `years` - 1 years after
    it, for a mandate); same (agents, seed, years), same problem, and `years=1` is the
    problem every earlier seed gave.

    Over several years the same agents, trainers and sites carry on: trainers take
    their weeks off every year, the Fresque du Climat is due by territory at the end of
    one of the years (everyone done by the end of the horizon), the follow-up steps of
    far-from-digital agents are spread over the years, and every later year brings a
    campaign of its own (security, personal data, digital sobriety refreshers)."""
    rng = random.Random(f"tremplin-planning-{agents}-{seed}")
    # Draws for the later years come from their own generator, so that the first year's
    # agents and trainers do not depend on the horizon.
    later = random.Random(f"tremplin-planning-{agents}-{seed}-years-{years}")
    scale = agents / 6000
    last_year = START.year + max(1, years) - 1
    horizon_end = dt.date(last_year, 12, 31)
    slots = working_slots(START, horizon_end)
    modules, module_id = _modules()

    # --- Sites and rooms, in territories of three sites -----------------------------------
    site_count = max(3, round(25 * scale))
    territory_count = math.ceil(site_count / 3)
    site_kind, site_territory = {}, {}
    for site in range(1, site_count + 1):
        territory, position = divmod(site - 1, 3)
        site_territory[site] = territory
        if position == 0:
            site_kind[site] = "hub"
        elif position == 1:
            site_kind[site] = FIELD_KINDS[territory % 3]
        else:
            site_kind[site] = "mixed"
    territory_sites = defaultdict(list)
    for site, territory in site_territory.items():
        territory_sites[territory].append(site)

    rooms = []
    for site, kind in site_kind.items():
        territory = site_territory[site]
        if kind == "hub":
            rooms.append(Room(len(rooms) + 1, site, 10, has_computers=True, has_tablets=True))
            if territory % 2 == 0:
                rooms.append(Room(len(rooms) + 1, site, 16))
        elif kind == "care_home":
            rooms.append(Room(len(rooms) + 1, site, 6, has_tablets=True))
        elif kind == "mixed" and territory % 2 == 1:
            rooms.append(Room(len(rooms) + 1, site, 12))
    hub_rooms = {room.site_id: room for room in rooms if room.has_computers}

    # --- Trainers --------------------------------------------------------------------------
    trainers: list[Trainer] = []

    def hire(
        fte, reach, modules_run, name, *, max_per_week, available=(EVERY_HALF_DAY,), hubs_only=False
    ):
        """`fte` full-time posts as round(fte) trainers, each covering `reach` territories;
        below one post, fewer sessions a week."""
        count = max(1, round(fte))
        weekly = max(1, min(max_per_week, round(max_per_week * fte / count)))
        hired = []
        for number in range(count):
            territories = _territories(territory_count, number, count, reach)
            sites = frozenset(
                site
                for territory in territories
                for site in territory_sites[territory]
                if not hubs_only or site_kind[site] == "hub"
            )
            everywhere = len(territories) == territory_count and not hubs_only
            trainer = Trainer(
                id=len(trainers) + 1,
                name=f"{name} {number + 1}",
                modules=frozenset(module_id[code] for code in modules_run),
                home_site_id=territory_sites[min(territories)][0],
                available=available[number % len(available)],
                absent_days=_weeks_off(rng, rng.choice((28, 30, 32))).union(
                    *(
                        _weeks_off(later, later.choice((28, 30, 32)), year)
                        for year in range(START.year + 1, last_year + 1)
                    )
                ),
                max_per_day=2,
                max_per_week=weekly,
                sites=frozenset() if everywhere else sites,
            )
            trainers.append(trainer)
            hired.append(trainer)
        return hired

    advisors = hire(3 * scale, 2, ADVISOR_MODULES, "Conseiller numérique", max_per_week=7)
    hire(
        2 * scale,
        4,
        FACILITATOR_MODULES,
        "Animateur Fresque",
        max_per_week=3,
        available=(
            frozenset((day, half) for day in (2, 4) for half in (MORNING, AFTERNOON)),
            frozenset((day, half) for day in (1, 5) for half in (MORNING, AFTERNOON)),
        ),
    )
    hire(
        1 * scale,
        8,
        PROVIDER_MODULES,
        "Prestataire",
        max_per_week=2,
        hubs_only=True,
        available=(frozenset((day, half) for day in (1, 2) for half in (MORNING, AFTERNOON)),),
    )

    # --- Agents, teams and demand ----------------------------------------------------------
    site_weights = {"hub": 45, "mixed": 25, **dict.fromkeys(FIELD_KINDS, 30)}
    site_ids = list(site_kind)
    weights = [site_weights[site_kind[s]] * rng.uniform(0.7, 1.3) for s in site_ids]
    agent_site = rng.choices(site_ids, weights=weights, k=agents)
    office_share = {"hub": 0.85, "mixed": 0.5, **dict.fromkeys(FIELD_KINDS, 0.1)}

    teams: list[Team] = []
    field_by_site = defaultdict(list)
    people = []  # (agent id, site, office, far from digital, pattern)
    for agent, site in enumerate(agent_site, start=1):
        office = rng.random() < office_share[site_kind[site]]
        far = rng.random() < (0.2 if office else 0.7)
        if office:
            pattern = NOT_WEDNESDAY_PM if rng.random() < 0.25 else EVERY_HALF_DAY
        else:
            pattern = rng.choices(FIELD_PATTERNS, weights=FIELD_PATTERN_WEIGHTS)[0]
            if site_kind[site] in FIELD_KINDS:
                field_by_site[site].append(agent)
        people.append((agent, site, office, far, pattern))

    agent_team = {}
    for site in sorted(field_by_site):
        members = field_by_site[site]
        # Teams of 8 to 40: k near-equal teams with ceil(n/40) ≤ k ≤ n/8.
        lowest, highest = math.ceil(len(members) / 40), max(1, len(members) // 8)
        count = min(max(round(len(members) / rng.randint(12, 30)), lowest), highest)
        for number in range(count):
            share = members[number::count]
            team = Team(len(teams) + 1, max(1, int(len(share) * rng.uniform(0.2, 0.3))))
            teams.append(team)
            for agent in share:
                agent_team[agent] = team.id

    first_due = dt.date(2027, 6, 30)
    next_from = dt.date(2027, 3, 1)
    sobriety_due = dt.date(2027, 4, 30)
    fresque_due = (dt.date(2027, 5, 31), dt.date(2027, 8, 31), END)
    if years > 1:  # by territory, the end of one of the years of the mandate
        fresque_due = tuple(dt.date(START.year + k, 12, 31) for k in range(years))
    campaigns = ("securite", "rgpd", "numerique-responsable", "signalement")
    m = module_id
    keys: dict[tuple, list[int]] = {}
    rng.shuffle(people)  # the order agents asked in
    for agent, site, office, far, pattern in people:
        requests = []  # (module, weight, earliest, deadline)
        if far:
            first = "smartphone" if not office or rng.random() < 0.3 else "messagerie"
            requests.append((m[first], 3.0, None, first_due))
            follow_ups = (
                ("messagerie", "recherche", "document")
                if office
                else ("intranet-paie", "signalement", "demarches")
            )
            for code in follow_ups[: rng.choice((0, 1, 1, 2))]:
                if code != first:
                    if years > 1:  # one step a year or so, each due by the end of its year
                        year = START.year + later.randrange(years)
                        since = next_from if year == START.year else dt.date(year, 1, 1)
                        requests.append((m[code], 3.0, since, dt.date(year, 12, 31)))
                    else:
                        requests.append((m[code], 3.0, next_from, END))
        elif office:
            if rng.random() < 0.5:
                requests.append((m["numerique-responsable"], 1.5, None, sobriety_due))
            draw = rng.random()
            if draw < 0.15:
                requests.append((m["document"], 1.0, None, END))
            elif draw < 0.25:
                requests.append((m["tableur"], 1.0, None, END))
            elif draw < 0.40:
                requests.append((m["securite"], 1.0, None, END))
            elif draw < 0.43:
                requests.append((m["cnfpt-manager-numerique"], 1.0, None, END))
        fresque = fresque_due[site_territory[site] % len(fresque_due)]
        requests.append((m["fresque-du-climat"], 1.0, None, fresque))
        for year in range(START.year + 1, last_year + 1):
            # Each later year, a refresher for about a third of the agents.
            if later.random() < 0.35:
                code = campaigns[(year + site_territory[site]) % len(campaigns)]
                if code == "signalement" and office:
                    code = "securite"
                since, due = dt.date(year, 1, 1), dt.date(year, 12, 31)
                requests.append((m[code], 1.0, since, due))
        if rng.random() < 0.5:
            requests.reverse()  # some ask for the Fresque first
        near = frozenset(territory_sites[site_territory[site]]) - {site}
        for module, weight, earliest, deadline in requests:
            key = (module, site, pattern, earliest, deadline, weight, agent_team.get(agent), near)
            keys.setdefault(key, []).append(agent)

    demand = tuple(
        DemandGroup(
            id=number,
            module_id=module,
            count=len(members),
            weight=weight,
            site_id=site,
            team_id=team,
            deadline=deadline,
            earliest=earliest,
            available=pattern,
            near_sites=near,
            agent_ids=tuple(members),
        )
        for number, (
            (module, site, pattern, earliest, deadline, weight, team, near),
            members,
        ) in enumerate(keys.items(), start=1)
    )

    # --- Sessions confirmed before planning: one "messagerie" per territory hub ---------------
    fixed = []
    used = set()
    for territory in range(territory_count):
        hub = territory_sites[territory][0]
        trainer = next(t for t in advisors if t.goes_to(hub))
        day_slot = next(
            s
            for s in slots[2 * territory :]
            if trainer.can_work(s) and s.day not in {d for (tid, d) in used if tid == trainer.id}
        )
        used.add((trainer.id, day_slot.day))
        fixed.append(
            FixedSession(
                id=territory + 1,
                module_id=m["messagerie"],
                slot_index=day_slot.index,
                room_id=hub_rooms[hub].id,
                trainer_id=trainer.id,
                seats_free=rng.randint(2, 6),
            )
        )

    return Problem(
        slots=slots,
        modules=modules,
        rooms=tuple(rooms),
        trainers=tuple(trainers),
        demand=demand,
        teams=tuple(teams),
        fixed=tuple(fixed),
    )
