"""Figures kept for the trends, one date a month: the nightly `snapshot_indicators`
writes them, the dashboard reads them back (one query per chart). Derived data, rebuilt at
will, so not audited."""

from django.db import models


class IndicatorSnapshot(models.Model):
    """One figure (`key`) as it stood on `date`, for the whole collectivité (unit and
    employer empty), one unit's subtree or one employer. A share keeps its numerator
    and denominator so that a later reader can add snapshots up or re-round them."""

    date = models.DateField("date")
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        verbose_name="unité",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    employer = models.ForeignKey(
        "organisation.Employer",
        verbose_name="employeur",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField("indicateur", max_length=60)
    value = models.FloatField("valeur")
    numerator = models.PositiveIntegerField("numérateur", null=True, blank=True)
    denominator = models.PositiveIntegerField("dénominateur", null=True, blank=True)
    computed_at = models.DateTimeField("calculé le", auto_now=True)

    class Meta:
        verbose_name = "indicateur mémorisé"
        verbose_name_plural = "indicateurs mémorisés"
        ordering = ["date", "key"]
        # The trend of one scope reads every date of a few keys at once.
        indexes = [models.Index(fields=["unit", "employer", "key", "date"])]

    def __str__(self):
        return f"{self.key} au {self.date:%d/%m/%Y} : {self.value}"
