"""Atom feed of the announcements of results, newest first; only what AwardCycle.objects.results_public allows."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .selectors.publication import archive_cycles


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Kunnallinen lastensuojeluteko – announcements of the results")

    def subtitle(self):
        return _("The winners and honourable mentions of the Municipal child-welfare act of the year prize.")

    def link(self):
        return reverse("awards:archive")

    def feed_url(self):
        return reverse("awards:feed")

    def items(self):
        return archive_cycles()[:50]

    def item_title(self, item):
        announcement = getattr(item, "announcement", None)
        if announcement is not None:
            return announcement.title
        return _("The prize %(year)s") % {"year": item.year}

    def item_description(self, item):
        announcement = getattr(item, "announcement", None)
        winners = [
            e.nomination.name for e in getattr(getattr(item, "decision", None), "shown", []) if e.result == "winner"
        ]
        parts = []
        if winners:
            parts.append(_("Winner: %(names)s.") % {"names": ", ".join(winners)})
        if announcement is not None:
            parts.append(announcement.text)
        return "\n\n".join(parts)

    def item_link(self, item):
        return reverse("awards:year", args=[item.year])

    def item_pubdate(self, item):
        return item.results_published_at

    def item_updateddate(self, item):
        announcement = getattr(item, "announcement", None)
        return max(filter(None, [item.results_published_at, getattr(announcement, "updated_at", None)]))
