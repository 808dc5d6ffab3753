"""What the library keeps in the database: the facet counts of its unfiltered front page."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFacetCounts(models.Model):
    """The facet counts of the unfiltered library (library.selectors.facet_counts with no filter), stored with
    the PublicDataGeneration number they were computed at and the moment until which they hold without a write
    (the next scheduled publication). One row, written by the first front page after a change; read while both
    hold, so the front page does not count 16,000 practices' facets on every visit the shared cache misses."""

    generation = models.BigIntegerField(_("public data generation"))
    computed_at = models.DateTimeField(_("computed at"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    counts = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("stored facet counts")
        verbose_name_plural = _("stored facet counts")

    def __str__(self) -> str:
        return f"{self.generation} ({self.computed_at:%Y-%m-%d %H:%M})"
