"""Factories for mobility tests."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from tests.factories import JobFactory, OrgUnitFactory
from tremplin.mobility.models import Position, RedeploymentFile

DAY = dt.date(2026, 3, 2)
SECRET = "Port de charges interdit (secret médical)"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    job = factory.SubFactory(JobFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    starts_on = DAY + dt.timedelta(days=60)


class FileFactory(DjangoModelFactory):
    class Meta:
        model = RedeploymentFile

    restriction = SECRET
    opened_on = DAY
    ppr_starts_on = DAY
    ppr_ends_on = DAY + dt.timedelta(days=300)
