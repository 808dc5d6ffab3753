"""Spreadsheet exports for staff (a cycle's nominations here, the jury's scores in views/jury.py): CSV and XLSX.

Every text cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is prefixed
with an apostrophe, so an exported text can never run anything in the reader's spreadsheet.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text that would start a formula gets an apostrophe in front; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_cell(value) -> str:
    """A nomination's value as safe export text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return formula_safe(str(value))


def csv_bytes(header, rows, *, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([formula_safe(value) for value in row])
    # A byte order mark so that spreadsheet programs read the Finnish letters right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value):
    value = formula_safe(value)
    # openpyxl refuses control characters that a typed text may carry.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(title: str, header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([_xlsx_value(value) for value in header])
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def columns(criteria) -> list[tuple[str, object]]:
    """(header, getter) pairs; getters take a nomination prefetched by `export_queryset`."""

    def joined(attr):
        return lambda n: "; ".join(str(obj) for obj in getattr(n, attr).all())

    cols = [
        (_("Reference number"), lambda n: n.reference),
        (_("State"), lambda n: n.get_state_display()),
        (_("Eligibility"), lambda n: n.get_eligibility_display()),
        (_("Reason for the eligibility decision"), lambda n: n.eligibility_reason),
        (_("Nominating organisation"), lambda n: n.organisation),
        (_("Organisation type"), lambda n: n.organisation.get_kind_display() if n.organisation else ""),
        (_("Name of the practice"), lambda n: n.name),
        (_("Short description"), lambda n: n.summary),
        (_("Basic idea"), lambda n: n.basic_idea),
        (_("Target groups"), lambda n: n.target_group_description),
        (_("Achieved changes"), lambda n: n.achieved_changes),
        (_("Evaluation and evidence"), lambda n: n.evaluation),
        (_("Start year"), lambda n: n.start_year),
        (_("Organisations running the practice"), joined("practice_organisations")),
        (_("Municipalities"), joined("municipalities")),
        (_("Wellbeing services counties"), joined("counties")),
        (_("Contact person"), lambda n: n.contact_name),
        (_("Contact person's title"), lambda n: n.contact_title),
        (_("Contact person's e-mail"), lambda n: n.contact_email),
        (_("Contact person's phone"), lambda n: n.contact_phone),
        (_("Consent to publish"), lambda n: n.consent_to_publish),
        (_("Submitted"), lambda n: n.submitted_at),
        (_("Attachments"), lambda n: "; ".join(a.original_name for a in n.attachments.all())),
    ]
    for criterion in criteria:
        cols.append(
            (
                _("Justification: %(criterion)s") % {"criterion": criterion.name},
                lambda n, pk=criterion.pk: next((j.text for j in n.justifications.all() if j.criterion_id == pk), ""),
            )
        )
    return cols


def export_queryset(queryset):
    return queryset.select_related("organisation").prefetch_related(
        "practice_organisations", "municipalities", "counties", "attachments", "justifications"
    )


def rows(queryset, criteria):
    cols = columns(criteria)
    yield [header for header, _getter in cols]
    for nomination in export_queryset(queryset):
        yield [safe_cell(getter(nomination)) for _header, getter in cols]


def to_csv(queryset, criteria) -> bytes:
    header, *data = rows(queryset, criteria)
    return csv_bytes(header, data)


def to_xlsx(queryset, criteria) -> bytes:
    header, *data = rows(queryset, criteria)
    return xlsx_bytes(_("Nominations"), header, data)
