"""App config for award cycles, nominations, jury scoring, decisions and publication."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts import access

from .access import ACCESS


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # Both need the models, which are loaded only now: the jury roles for accounts, the audit receivers.
        from . import public_changes, review_tallies, roles, signals  # noqa: F401, PLC0415

        access.register(ACCESS)
        roles.register()
        public_changes.register()
        review_tallies.register()
        self.register_background_work()

    def register_background_work(self):
        from accounts import retention  # noqa: PLC0415
        from awards.services import followup, jury, nominations, proposals, publication  # noqa: PLC0415
        from awards.services import retention as awards_retention  # noqa: PLC0415
        from background import outbox, schedule  # noqa: PLC0415

        for purpose, label in {
            "nomination_submitted": _("nomination received"),
            "draft_reminder": _("reminder of an unsubmitted draft"),
            "jury_reminder": _("reminder to a juror"),
            "result": _("result to the nominators"),
            "followup": _("follow-up form to an awarded organisation"),
            "panel_code": _("sign-in code of a panel member"),
            "proposal_verification": _("verification of a proposal's address"),
            "proposal_decision": _("decision on a proposal, to the proposer"),
            "proposal_organisation": _("proposal passed to an organisation"),
        }.items():
            outbox.register_purpose(purpose, label)
        schedule.register("awards.results_notify", publication.notifications_send_due, every=schedule.TICK)
        schedule.register("awards.draft_reminders", nominations.draft_reminders_send_due, every=timedelta(minutes=15))
        schedule.register("awards.jury_reminders", jury.jury_reminders_send_due, every=timedelta(minutes=15))
        schedule.register("awards.followups", followup.followups_send_due, every=timedelta(hours=1))
        schedule.register("awards.proposals_purge", proposals.proposals_purge_unverified, every=timedelta(hours=1))
        five_years = 5 * 365 + 1
        retention.register(
            "nomination_contacts",
            _("Contact persons of nominations that won nothing, after the publication"),
            default_days=five_years,
            apply=awards_retention.nomination_contacts_anonymise,
            order=1,
        )
        retention.register(
            "jury_reviews",
            _("Jurors' individual scores and comments, after the publication"),
            default_days=five_years,
            apply=awards_retention.jury_reviews_remove,
            order=2,
        )
