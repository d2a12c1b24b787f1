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


class ComputedBoard(models.Model):
    """The dashboard's figures for one scope, filters and day, as computed at
    `computed_at`: the page and its downloads read them back for a few minutes instead of
    recomputing them (`refresh_dashboard` keeps every steering user's default view
    fresh). Derived data, rebuilt at will, so not audited; figures only, never names."""

    key = models.CharField("clé", max_length=64, unique=True)
    computed_at = models.DateTimeField("calculé le", db_index=True)
    seconds = models.FloatField("durée du calcul (s)")
    figures = models.BinaryField("chiffres")

    class Meta:
        verbose_name = "tableau de bord calculé"
        verbose_name_plural = "tableaux de bord calculés"

    def __str__(self):
        return f"tableau de bord calculé le {self.computed_at:%d/%m/%Y %H:%M}"
