import io

import pytest
from django.core.management import call_command

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence
from tremplin.diagnostic.models import Campaign, Item, Participation, PixCampaign


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


@pytest.mark.django_db
def test_the_demo_has_an_imported_pix_campaign_with_rows_to_review():
    call_command("seed_demo", agents=400, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
    campaign = PixCampaign.objects.get()
    population = campaign.population().count()
    assert population > 0 and campaign.last_import_at is not None
    linked = campaign.participations.filter(agent__isnull=False)
    office = campaign.population().filter(job__work_kind="office").count()
    assert 0.4 * office < linked.count() < 0.8 * office + 1
    assert campaign.participations.to_review().count() >= 1
    shared = linked.filter(shared=True).first()
    assert Evidence.objects.filter(agent=shared.agent, source=EvidenceSource.PIX).exists()
    # Office agents take Pix; field agents, if any in these directions, have not started.
    assert not linked.filter(agent__job__work_kind="field").exists()
