from django.core.cache import cache
from django.db.models.signals import post_save
from django.dispatch import receiver

from tremplin.organisation.models import Collectivite


@receiver(post_save, sender=Collectivite)
def forget_branding(**kwargs):
    cache.delete("tremplin-branding")
