import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

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
