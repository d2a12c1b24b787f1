"""Factories for equipment tests: devices bought a year ago, IMEIs with a valid check digit."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tremplin.equipment.enums import DeviceKind
from tremplin.equipment.models import Device


def imei_with_check_digit(body: str) -> str:
    """14 digits + the Luhn check digit."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return body + str((10 - total % 10) % 10)


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    kind = DeviceKind.SMARTPHONE
    model_name = "Galaxy XCover"
    serial_number = factory.Sequence(lambda n: f"SN{n:06d}")
    imei = factory.Sequence(lambda n: imei_with_check_digit(f"35{n:012d}"))
    purchase_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    purchase_price = Decimal("399.00")


class TabletFactory(DeviceFactory):
    kind = DeviceKind.TABLET
    model_name = "Galaxy Tab"
    imei = ""


class KioskTabletFactory(DeviceFactory):
    kind = DeviceKind.KIOSK_TABLET
    model_name = "Tab Active"
    imei = ""
