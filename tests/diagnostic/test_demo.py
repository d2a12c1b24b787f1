import io

import pytest
from django.core.management import call_command

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence
from tremplin.diagnostic.models import Campaign, Item, Participation


@pytest.mark.django_db
def test_the_demo_has_an_open_campaign_the_agent_can_take(settings):
    call_command("seed_demo", agents=400, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
    campaign = Campaign.objects.get()
    assert campaign.is_open and campaign.competences.count() == 16
    assert Item.objects.count() >= 240
    invited = Participation.objects.filter(campaign=campaign)
    assert invited.count() == campaign.population().count() > 0
    demo_agent = invited.get(agent__user__username="agent")
    assert demo_agent.started_at is None  # left for the visitor to take
    finished = invited.filter(finished_at__isnull=False)
    assert finished.count() == int(invited.count() / 180)
    for participation in finished:
        from_this_diagnostic = Evidence.objects.filter(
            agent=participation.agent,
            source=EvidenceSource.DIAGNOSTIC,
            origin_id=str(participation.attempt.pk),
        )
        assert from_this_diagnostic.count() == 16
