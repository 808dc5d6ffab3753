"""The printable PDF of a nomination for the jury's reading (xhtml2pdf), rendered from an autoescaped template."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from xhtml2pdf import pisa


def _no_external_resources(uri, rel):
    # The PDF never fetches anything: no file system paths, no network.
    return ""


def nomination_pdf(nomination) -> bytes:
    html = render_to_string(
        "awards/nominations/pdf.html",
        {
            "nomination": nomination,
            "justifications": nomination.justifications.select_related("criterion"),
            "attachments": nomination.attachments.all(),
            "municipalities": nomination.municipalities.all(),
            "counties": nomination.counties.all(),
            "practice_organisations": nomination.practice_organisations.all(),
            "printed_at": timezone.now(),
        },
    )
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=_no_external_resources)
    if result.err:
        raise RuntimeError("PDF rendering failed")
    return out.getvalue()
