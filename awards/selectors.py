"""Reusable reads of the awards app. Visibility of nominations is decided here and nowhere else."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import OrganisationMembership

from .models import AwardCycle, ConflictOfInterest, JuryMembership, Nomination


def _user_organisation_ids(user):
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def conflict_q(user) -> Q:
    """Q over Nomination: the user has a conflict of interest with the nomination.

    A conflict exists when the nomination is by, or for a practice run by, an organisation the user belongs to
    (always); when the cycle says so, also when the nomination's organisation or practice serves a municipality
    or county that the user's organisations serve; and whenever an active declared or staff-added conflict exists.
    """
    own_orgs = _user_organisation_ids(user)
    from practices.models import Municipality, Practice, WellbeingServicesCounty  # noqa: PLC0415

    own_municipalities = Municipality.objects.filter(organisations__memberships__user=user).values("code")
    own_counties = WellbeingServicesCounty.objects.filter(organisations__memberships__user=user).values("code")
    practice_by_own_org = Practice.organisations.through.objects.filter(
        practice_id=OuterRef("practice_id"), organisation_id__in=own_orgs
    )
    area = Q(cycle__conflicts_include_area=True) & (
        Q(organisation__municipalities__in=own_municipalities)
        | Q(organisation__counties__in=own_counties)
        | Q(practice__municipalities__in=own_municipalities)
        | Q(practice__counties__in=own_counties)
    )
    declared = ConflictOfInterest.objects.filter(nomination_id=OuterRef("pk"), user=user, lifted_at__isnull=True)
    area_match = Nomination.objects.filter(area, pk=OuterRef("pk"))
    return Q(organisation_id__in=own_orgs) | Exists(practice_by_own_org) | Exists(area_match) | Exists(declared)


def conflicted_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(conflict_q(user))


def jury_nominations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Nominations that reach the user as a juror or chair: submitted, not ineligible, in a cycle of
    theirs past the nomination phase, and never one they have a conflict with. Staff are bound here too.
    A deactivated account gets nothing."""
    queryset = Nomination.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    jury_cycles = JuryMembership.objects.filter(user=user).values("cycle_id")
    return (
        queryset.filter(
            cycle_id__in=jury_cycles,
            cycle__state__in=[
                AwardCycle.State.SCORING,
                AwardCycle.State.DECIDED,
                AwardCycle.State.PUBLISHED,
            ],
            state=Nomination.State.SUBMITTED,
        )
        .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
        .exclude(conflict_q(user))
    )


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


def shown_when_published(queryset: QuerySet) -> QuerySet:
    """The nominations of `queryset` that the public sees once their cycle's results are public: those with a
    result in the confirmed decision (winner, honourable mention, finalist), and, where the cycle names all
    nominees, every submitted nomination whose nominator consented to publication. The staff preview of a
    year's page applies this same rule before publication."""
    from .models import DecisionEntry  # noqa: PLC0415

    with_result = DecisionEntry.objects.filter(nomination_id=OuterRef("pk"), decision__state="confirmed")
    return queryset.filter(state=Nomination.State.SUBMITTED).filter(
        Exists(with_result) | Q(cycle__list_all_nominees=True, consent_to_publish=True)
    )


def public_nominations(at=None) -> QuerySet:
    """Nominations the public may see: shown_when_published, in cycles whose results are public at `at`."""
    cycles = AwardCycle.objects.results_public(at).values("pk")
    return shown_when_published(Nomination.objects.filter(cycle_id__in=cycles))


def decision_candidates(user, cycle) -> QuerySet:
    """Nominations of `cycle` that `user` may place in the decision: for staff every submitted, not ineligible
    nomination; for a chair those that reach them as a jury member (never one they are conflicted with)."""
    queryset = (
        Nomination.objects.filter(cycle=cycle, state=Nomination.State.SUBMITTED)
        .exclude(eligibility=Nomination.Eligibility.INELIGIBLE)
        .select_related("organisation", "practice")
    )
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_staff:
        return queryset
    return jury_nominations(user, queryset)
