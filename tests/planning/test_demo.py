import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from tremplin.planning.enums import SEAT_STATUSES
from tremplin.planning.models import Registration, Session


@pytest.mark.django_db
def test_the_demo_has_sessions_filled_from_validated_steps():
    call_command("seed_demo", agents=400, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
    sessions = Session.objects.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
    )
    assert sessions.exists()
    assert all(s.taken <= s.capacity for s in sessions)
    assert Registration.objects.filter(step__isnull=False).exists()
    assert all(s.trainers.exists() for s in sessions)
    # HR finds two planning runs to review: the coming year, and the Fresque for everyone
    # to the end of the mandate.
    from tremplin.planning.models import PlanningRun
    from tremplin.training.demo_goals import END_OF_MANDATE, FRESQUE_CODE

    runs = list(PlanningRun.objects.order_by("pk"))
    assert len(runs) == 2 and all(r.include_proposed and r.job_id for r in runs)
    assert (runs[0].ends_on - runs[0].starts_on).days == 365
    assert runs[1].ends_on == END_OF_MANDATE
    assert [m.code for m in runs[1].modules.all()] == [FRESQUE_CODE]
    # Example periods without training, and no demo session in them.
    from tremplin.planning.models import ClosedPeriod

    closed = ClosedPeriod.days_between(dt.date(2000, 1, 1), END_OF_MANDATE)
    assert ClosedPeriod.objects.filter(name="Vacances de Noël").exists()
    assert not any(timezone.localtime(s.starts_at).date() in closed for s in sessions)
