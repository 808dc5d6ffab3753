"""Sitemaps of the public results: each published year's page and the archive, in every language."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import AwardCycle


class AwardYearSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    i18n = True

    def items(self):
        # The one rule of public results: a year absent here before its publication moment.
        return AwardCycle.objects.results_public().order_by("-year")

    def location(self, item):
        return reverse("awards:year", args=[item.year])

    def lastmod(self, item):
        return item.updated_at


class AwardArchiveSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True

    def items(self):
        return ["awards:archive"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"award-years": AwardYearSitemap, "award-archive": AwardArchiveSitemap}
