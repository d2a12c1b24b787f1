"""`manage.py seed_demo`: a believable collectivité to try Tremplin on (see organisation/demo.py).

Unlike the import commands it writes without `--wet-run`: it only ever fills an
empty workforce (or one it is told to `--reset`), and `make demo` calls it as is.
"""

import sys
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.competences import demo as competences_demo
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.diagnostic import demo as diagnostic_demo
from tremplin.equipment import demo as equipment_demo
from tremplin.mobility import demo as mobility_demo
from tremplin.organisation import demo
from tremplin.organisation.models import (
    Agent,
    Collectivite,
    DigitalIdentity,
    Employer,
    Job,
    OrgUnit,
    Site,
)
from tremplin.planning import demo as planning_demo
from tremplin.steering import demo as steering_demo
from tremplin.training import demo as training_demo

DEMO_URL = "http://127.0.0.1:8000/"
WORKFORCE_MODELS = (Agent, Employer, OrgUnit, Site, Job)


def _french_number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _referenced_elsewhere(*models) -> bool:
    """True when rows outside `models` (and the user accounts) point at them."""
    for model in models:
        for relation in model._meta.related_objects:
            other = relation.related_model
            if other in models or other is User:
                continue
            if other._base_manager.exists():
                return True
    return False


def _delete_all_rows(model) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)


class Command(BaseCommand):
    help = (
        "Crée un jeu de démonstration : une ville et sa métropole fictives, leurs unités, "
        "sites, métiers et agents, et un compte par rôle (mot de passe : tremplin-demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agents",
            type=int,
            default=demo.FULL_SIZE,
            help="Nombre d'agents (6000 par défaut ; les proportions sont gardées).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Graine : la même graine donne les mêmes données."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des agents existent déjà (utilisé par `make demo`).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Effacer d'abord les effectifs (agents, unités, sites, métiers, employeurs) "
            "et les comptes de démonstration.",
        )

    def handle(self, *args, agents, seed, if_empty, reset, verbosity, **options):
        self.verbosity = verbosity
        if agents < demo.minimum_agents():
            raise CommandError(
                f"--agents doit valoir au moins {demo.minimum_agents()} : il faut au moins "
                "une personne par unité, plus les conseillers et les animateurs."
            )
        has_workforce = any(model.objects.exists() for model in WORKFORCE_MODELS)
        if has_workforce and if_empty and not reset:
            self.say(
                "La base contient déjà des effectifs : rien n'est créé, les données sont conservées."
            )
            self.print_logins()
            return
        if has_workforce and not reset:
            raise CommandError(
                "La base contient déjà des effectifs. Relancez avec --reset pour tout effacer "
                "et recréer le jeu de démonstration, ou avec --if-empty pour ne rien faire."
            )
        started = time.monotonic()
        with transaction.atomic(), audit.acting_as(label="commande seed_demo"):
            if reset:
                self.say("Effacement des effectifs et des comptes de démonstration…")
                self.wipe()
            self.say(f"Préparation de {_french_number(agents)} agents (graine {seed})…")
            plan = demo.build_plan(agents, seed)
            summary = demo.write_plan(plan, progress=self.progress)
            summary["competences"] = competences_demo.seed(seed=seed, progress=self.progress)
            self.say("Diagnostic : banque de questions, campagne et quelques passages…")
            demo_agent = (
                User.objects.filter(username="agent").values_list("agent", flat=True).first()
            )
            summary["diagnostic"] = diagnostic_demo.seed(
                seed=seed, demo_agent=Agent.objects.filter(pk=demo_agent).first()
            )
            self.say("Formation : catalogue, objectifs, parcours…")
            summary["training"] = training_demo.seed(seed=seed, today=timezone.localdate())
            self.say("Séances : formateurs, salles, inscriptions…")
            summary["planning"] = planning_demo.seed(seed=seed, today=timezone.localdate())
            self.say("Matériel : smartphones, tablettes, attributions, réparations…")
            summary["equipment"] = equipment_demo.seed(seed=seed, today=timezone.localdate())
            self.say("Mobilité : postes ouverts, souhaits, dossiers de reclassement…")
            summary["mobility"] = mobility_demo.seed(seed=seed, today=timezone.localdate())
            self.say("Pilotage : indicateurs des douze derniers mois…")
            summary["steering"] = steering_demo.seed(seed=seed, today=timezone.localdate())
            audit.record(
                AuditAction.IMPORT,
                target_type="organisation.agent",
                summary="jeu de démonstration",
                changes={
                    "agents": summary["agents"],
                    "graine": seed,
                    "observations": summary["competences"]["evidence"],
                },
            )
        # The header shows the collectivité's name: do not wait for the cache to expire.
        cache.delete("tremplin-branding")
        units = summary["units"]
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.say(
            f"Jeu de démonstration prêt en {seconds} s : "
            f"{_french_number(summary['agents'])} agents, {units['direction']} directions, "
            f"{units['service']} services, {units['team']} équipes, {summary['sites']} sites, "
            f"{summary['jobs']} métiers."
        )
        measured = summary["competences"]
        self.say(
            f"Compétences : {_french_number(measured['evidence'])} observations pour "
            f"{_french_number(measured['agents_measured'])} agents, "
            f"{_french_number(measured['requirements'])} niveaux demandés par les métiers."
        )
        taken = summary["diagnostic"]
        self.say(
            f"Diagnostic : {taken['items']} questions, {_french_number(taken['invited'])} agents "
            f"de terrain invités, {taken['taken']} diagnostics déjà passés."
        )
        self.say(
            f"Pix : campagne de {_french_number(taken['pix_population'])} agents, "
            f"{_french_number(taken['pix_rows'])} lignes importées dont "
            f"{_french_number(taken['pix_shared'])} partagées, {taken['pix_to_review']} à vérifier."
        )
        if summary["training"]:
            self.say(
                "Formation : "
                + ", ".join(
                    f"{_french_number(n)} {what}" for what, n in summary["training"].items()
                )
                + "."
            )
        for key, label in (
            ("planning", "Séances"),
            ("equipment", "Matériel"),
            ("mobility", "Mobilité"),
        ):
            if summary[key]:
                self.say(
                    f"{label} : "
                    + ", ".join(f"{_french_number(n)} {what}" for what, n in summary[key].items())
                    + "."
                )
        for username in summary["skipped_users"]:
            self.stderr.write(
                f"L'identifiant « {username} » existait déjà : il n'a pas été modifié."
            )
        self.print_logins()

    def say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def progress(self, total: int, desc: str):
        return tqdm(
            total=total,
            desc=desc,
            unit=" lignes",
            file=sys.stderr,
            disable=not self.verbosity,
            leave=False,
        )

    def wipe(self) -> None:
        """Empties the workforce tables and removes the demo logins, with one audit entry.

        Agents and identities go with one DELETE each: through the ORM, 6,000 agents
        take minutes (one signal and one audit entry per row). When rows of other
        tables point at agents (diagnostics, registrations…), the ORM's cascades are
        needed and the slow path is taken.
        """
        removed = {"agents": Agent.objects.count(), "unités": OrgUnit.objects.count()}
        steering_demo.wipe()
        equipment_demo.wipe()  # first: devices and allocations protect agents and sites
        mobility_demo.wipe()  # redeployment files and moves protect their agent
        planning_demo.wipe()  # first: coaching entries protect their advisor's account
        User.objects.filter(username__in=demo.DEMO_USERNAMES).delete()
        training_demo.wipe()
        diagnostic_demo.wipe()
        competences_demo.wipe()
        if _referenced_elsewhere(Agent, DigitalIdentity):
            Agent.objects.update(manager=None)
            DigitalIdentity.objects.all().delete()
            Agent.objects.all().delete()
        else:
            User.objects.filter(agent__isnull=False).update(agent=None)
            Agent.objects.update(manager=None)
            _delete_all_rows(DigitalIdentity)
            _delete_all_rows(Agent)
        # A few hundred rows: the ORM keeps the cascades (role scopes, later requirements).
        for depth in sorted(set(OrgUnit.objects.values_list("depth", flat=True)), reverse=True):
            OrgUnit.objects.filter(depth=depth).delete()
        for model in (Site, Job, Employer, Collectivite):
            model.objects.all().delete()
        audit.record(
            AuditAction.DELETE,
            target_type="organisation.agent",
            summary="effacement des effectifs avant un jeu de démonstration",
            changes=removed,
        )

    def print_logins(self) -> None:
        if not self.verbosity:
            return
        users = {
            u.username: u
            for u in User.objects.filter(username__in=demo.DEMO_USERNAMES).prefetch_related(
                "role_assignments__org_unit"
            )
        }
        if not users:
            return
        self.stdout.write("")
        self.stdout.write(f"Ouvrez {DEMO_URL} et connectez-vous avec un de ces comptes.")
        self.stdout.write(f"Mot de passe pour tous : {demo.DEMO_PASSWORD}")
        self.stdout.write("")
        rows = [("Rôle", "Identifiant", "Ce qu'il voit")]
        for username in demo.DEMO_USERNAMES:
            user = users.get(username)
            if user is None:
                continue
            assignments = list(user.role_assignments.all())
            if assignments:
                assignment = assignments[0]
                role = assignment.get_role_display()
                if assignment.org_unit:
                    scope = f"{assignment.org_unit.name} et ses équipes"
                elif assignment.role == Role.DIRECTION:
                    scope = "les chiffres de toute la collectivité"
                else:
                    scope = "toute la collectivité"
            elif user.agent_id:
                role, scope = Role.AGENT.label, "sa propre fiche"
            elif user.is_superuser:
                role, scope = "Superutilisateur", "toute la collectivité"
            else:
                continue
            if user.is_superuser:
                scope += ", et l'administration Django (/admin/)"
            rows.append((role, username, scope))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for role, username, scope in rows:
            self.stdout.write(f"  {role:<{widths[0]}}  {username:<{widths[1]}}  {scope}")
