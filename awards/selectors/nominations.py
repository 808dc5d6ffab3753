"""Reads of nominations: who sees which nomination (decided here and nowhere else), whom a user nominates for,
a nomination's deadline and what it still lacks."""

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrganisationMembership
from awards.models import AwardCycle, DeadlineExtension, Nomination
from practices.models import Municipality, Organisation

from .jury import jury_nominations

# Parts a complete nomination must have, with the label shown in the checklist.
REQUIRED_TEXT_FIELDS = {
    "name": gettext_lazy("Name of the practice"),
    "summary": gettext_lazy("Short description"),
    "basic_idea": gettext_lazy("Basic idea"),
    "target_group_description": gettext_lazy("Target groups"),
    "achieved_changes": gettext_lazy("Achieved changes"),
    "contact_name": gettext_lazy("Contact person's name"),
    "contact_email": gettext_lazy("Contact person's e-mail"),
    "contact_phone": gettext_lazy("Contact person's phone"),
}


def nominations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every nomination the user may see, for lists, counts, searches and exports alike.

    Staff see all; a nominator sees their organisations' nominations; a jury member sees the nominations
    that reach the jury (jury_nominations). Roles combine by union.
    """
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_staff:
        return queryset
    nominator = Q(
        organisation_id__in=OrganisationMembership.objects.filter(user=user, can_nominate=True).values(
            "organisation_id"
        )
    )
    jury = Q(pk__in=jury_nominations(user).values("pk"))
    return queryset.filter(nominator | jury)


def nominations_on_nominator_pages(user) -> QuerySet:
    """Nominations whose nominator pages (the page, its PDF and its attachments, contact details included) the user
    may open: their own organisations' nominations, and every one for staff. Jurors and chairs read nominations in
    the jury's own views (awards.selectors.jury), never here: a nomination they reach only as jury is a 404."""
    if not user.is_authenticated or not user.is_active:
        return Nomination.objects.none()
    if user.is_staff:
        return Nomination.objects.all()
    return nominations_editable_by(user)


def nominating_organisations(user):
    """The organisations `user` may nominate for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__can_nominate=True).distinct()


def nominations_editable_by(user):
    """Nominations the user works on as a nominator: their organisations' (colleagues share drafts)."""
    orgs = OrganisationMembership.objects.filter(user=user, can_nominate=True).values("organisation_id")
    return nominations_visible_to(user).filter(organisation_id__in=orgs)


def nomination_deadline(nomination: Nomination) -> datetime | None:
    """The cycle's deadline, or a later one staff granted to this nomination."""
    close = nomination.cycle.nominations_close_at
    extended = nomination.extensions.aggregate(until=Max("until"))["until"]
    if extended and (close is None or extended > close):
        return extended
    return close


def nomination_is_changeable(nomination: Nomination, at=None) -> bool:
    """Whether the nominator may still change the nomination (edit, submit, reopen, withdraw) at `at`."""
    at = at or timezone.now()
    cycle = nomination.cycle
    if nomination.state == Nomination.State.WITHDRAWN:
        return False
    if cycle.nominations_open_at is None or at < cycle.nominations_open_at:
        return False
    deadline = nomination_deadline(nomination)
    if deadline is None or at >= deadline:
        return False
    if cycle.state == AwardCycle.State.OPEN:
        return True
    # Staff may close the cycle on time while an extension is still running for one nomination.
    return cycle.state == AwardCycle.State.CLOSED and deadline > (cycle.nominations_close_at or deadline)


def running_extensions(cycle, at=None) -> QuerySet:
    """The deadline extensions of the cycle still running at `at` (beyond the cycle's own deadline), one per
    nomination that is not withdrawn: the latest of each, soonest ending first."""
    at = at or timezone.now()
    return (
        DeadlineExtension.objects.filter(nomination__cycle=cycle, until__gt=at)
        .exclude(nomination__state=Nomination.State.WITHDRAWN)
        .order_by("nomination_id", "-until")
        .distinct("nomination_id")
        .select_related("nomination")
    )


def nomination_missing_parts(nomination: Nomination) -> list[str]:
    """Labels of the required parts still missing; empty when the nomination may be submitted."""
    missing = [
        str(label) for field, label in REQUIRED_TEXT_FIELDS.items() if not str(getattr(nomination, field) or "").strip()
    ]
    if not nomination.municipalities.exists() and not nomination.counties.exists():
        missing.append(_("Municipalities or wellbeing services counties of the practice"))
    texts = {j.criterion_id: j.text for j in nomination.justifications.all()}
    missing.extend(
        _("Justification: %(criterion)s") % {"criterion": criterion.name}
        for criterion in nomination.cycle.criteria.all()
        if not (texts.get(criterion.pk) or "").strip()
    )
    return missing


def filtered_nominations(cycle, params):
    """A cycle's nominations narrowed by the staff list's filters (state, region, county, organisation type).
    Region and county match the practice's municipalities and counties or the nominating organisation's."""
    queryset = Nomination.objects.filter(cycle=cycle)
    state = params.get("state")
    if state in Nomination.State.values:
        queryset = queryset.filter(state=state)
    eligibility = params.get("eligibility")
    if eligibility in Nomination.Eligibility.values:
        queryset = queryset.filter(eligibility=eligibility)
    kind = params.get("kind")
    if kind in Organisation.Kind.values:
        queryset = queryset.filter(organisation__kind=kind)
    region = params.get("region")
    if region:
        in_region = Municipality.objects.filter(region_id=region)
        queryset = queryset.filter(
            Exists(
                Nomination.municipalities.through.objects.filter(
                    nomination_id=OuterRef("pk"), municipality__in=in_region
                )
            )
            | Exists(
                Organisation.municipalities.through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), municipality__in=in_region
                )
            )
        )
    county = params.get("county")
    if county:
        queryset = queryset.filter(
            Exists(
                Nomination.counties.through.objects.filter(
                    nomination_id=OuterRef("pk"), wellbeingservicescounty_id=county
                )
            )
            | Exists(
                Nomination.municipalities.through.objects.filter(
                    nomination_id=OuterRef("pk"), municipality__county_id=county
                )
            )
            | Exists(
                Organisation.counties.through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), wellbeingservicescounty_id=county
                )
            )
        )
    return queryset
