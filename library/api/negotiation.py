"""The API answers in JSON whatever the client accepts: people read the documentation page instead."""

from rest_framework.negotiation import BaseContentNegotiation


class JSONOnly(BaseContentNegotiation):
    """A browser asking for HTML gets the JSON too, not a 406 (DRF's default for an Accept it cannot meet)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
