"""Footprint figures against hand-computed examples."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.equipment.factories import DeviceFactory
from tremplin.accounts.enums import Role
from tremplin.equipment import footprint
from tremplin.equipment.enums import DeviceKind
from tremplin.equipment.models import FootprintReference

TODAY = timezone.localdate()


def test_one_more_year_on_a_three_year_phone():
    # 85 kg over 3 years = 28.33 kg a year; over 4 years = 21.25: 7.083 kg avoided a year.
    assert footprint.yearly_kg(Decimal(85), Decimal(3)).quantize(Decimal("0.01")) == Decimal(
        "28.33"
    )
    gain = footprint.gain_of_extra_years(Decimal(85), Decimal(3))
    assert gain.quantize(Decimal("0.001")) == Decimal("7.083")
    # 800 phones: 5,666.7 kg CO2e avoided a year, written the French way.
    assert footprint.french_kg(gain * 800) == "5\u202f667"
    assert footprint.french_kg(Decimal("7.083")) == "7,1"


@pytest.mark.django_db
def test_fleet_sentence_and_totals():
    FootprintReference.objects.filter(kind=DeviceKind.SMARTPHONE).update(
        manufacturing_kg=Decimal(80), expected_years=3
    )
    for _ in range(4):
        DeviceFactory()
    retired = DeviceFactory(purchase_date=dt.date(2020, 1, 1))
    retired.retire(on=dt.date(2022, 1, 1))
    fleet = footprint.fleet_footprint()
    phones = next(k for k in fleet.kinds if k.kind == DeviceKind.SMARTPHONE)
    assert (phones.in_service, phones.retired) == (4, 1)
    # 80/3 - 80/4 = 6.667 kg per phone, 26.67 for four.
    assert phones.gain_total.quantize(Decimal("0.01")) == Decimal("26.67")
    assert phones.sentence == "+1 an sur 4 smartphones = 26,7 kg CO₂e évités par an"
    # The retired phone lived two years (731 days).
    assert phones.retired_life_years.quantize(Decimal("0.01")) == Decimal("2.00")
    assert fleet.yearly_total.quantize(Decimal("0.01")) == Decimal("106.67")


@pytest.mark.django_db
def test_device_footprint_spreads_over_its_actual_life():
    reference = FootprintReference.objects.get(kind=DeviceKind.SMARTPHONE)
    reference.manufacturing_kg = Decimal(90)
    reference.save()
    device = DeviceFactory(purchase_date=dt.date(2021, 1, 1))
    device.retire(on=dt.date(2025, 7, 2))  # 1,643 days: 4.498 years
    assert device.yearly_footprint(reference).quantize(Decimal("0.01")) == Decimal("20.01")


@pytest.mark.django_db
def test_indicators_for_a_dashboard(world):
    hr = world.users[Role.HR]
    agent = world.agents[("Service A2", "ville")]
    DeviceFactory().allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    DeviceFactory()
    DeviceFactory(expected_end_of_life=TODAY + dt.timedelta(days=5))
    figures = footprint.indicators()
    assert figures["devices"] == 3
    assert figures["per_state"]["allocated"] == 1
    assert figures["per_state"]["in_stock"] == 2
    assert figures["due_for_renewal"] == 1
    assert figures["needs_waiting"] == 0
    # Three smartphones at the migration's reference (85 kg, 3 years).
    assert figures["avoided_kg_per_year_if_one_more_year"] == 21.3  # 3 × 7.083
    assert footprint.indicators(world.users[Role.DIRECTION])["devices"] == 0


@pytest.mark.django_db
def test_responsible_digital_coverage_beside_the_footprint(world, client):
    from tremplin.training.enums import (
        GoalPopulation,
        ModuleFormat,
        StepOrigin,
        StepStatus,
        TrainerKind,
    )
    from tremplin.training.models import CoverageGoal, Module, Pathway, PathwayStep

    module = Module.objects.create(
        code="numerique-responsable",
        title="Numérique responsable",
        objective="Garder son matériel plus longtemps.",
        format=ModuleFormat.GROUP,
        duration_minutes=120,
        trainer_kind=TrainerKind.ADVISOR,
    )
    CoverageGoal.objects.create(
        name="Les gros utilisateurs ont suivi Numérique responsable",
        module=module,
        population=GoalPopulation.OFFICE,
        starts_on=TODAY - dt.timedelta(days=30),
        deadline=TODAY + dt.timedelta(days=365),
    )
    office_agent = world.agents[("Service A2", "metropole")]  # office job, direction A
    pathway = Pathway.objects.create(agent=office_agent, target_job=None)
    PathwayStep.objects.create(
        pathway=pathway,
        module=module,
        position=1,
        origin=StepOrigin.GOAL,
        reason="Objectif.",
        status=StepStatus.DONE,
        done_on=TODAY - dt.timedelta(days=3),
    )
    # The direction counts direction A's office agents: Équipe A1a and Service A2, one
    # of two trained.
    [progress] = footprint.responsible_digital_coverage(world.users[Role.DIRECTION], TODAY)
    assert (progress.population, progress.reached) == (2, 1)
    client.force_login(world.users[Role.DIRECTION])
    page = client.get("/equipement/empreinte/").content.decode()
    assert "1 agent formé sur 2" in page


@pytest.mark.django_db
def test_pages_hold_without_a_reference(world, client):
    FootprintReference.objects.all().delete()
    device = DeviceFactory()
    client.force_login(world.users[Role.HR])
    for url in (
        "/equipement/empreinte/",
        "/equipement/stock/",
        f"/equipement/appareils/{device.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert footprint.french_kg("") == "—"
