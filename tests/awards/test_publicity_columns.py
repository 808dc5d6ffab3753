"""The practices' stored publicity (awards.selectors.publication.publicity_columns) always equals the rule computed
live from the nominations: after every save and delete of what the rule reads, in random walks over many states,
at moments before, between and after the publications."""

import random
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from awards.models import AwardCycle, Decision, DecisionEntry, Nomination, SafeguardCheck
from awards.selectors.publication import (
    description_public_condition,
    listed_condition,
    live_description_public_condition,
    live_listed_condition,
    public_practices,
)
from practices.models import Practice
from tests.factories.library import nominate, published_cycle
from tests.factories.practices import OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def _moments():
    now = timezone.now()
    return [now - timedelta(days=3), now, now + timedelta(hours=2), now + timedelta(days=3)]


def _ids(condition) -> set[int]:
    return set(Practice.objects.filter(condition).values_list("pk", flat=True))


def drift() -> list[str]:
    """Where the stored columns and the live rule disagree, at each moment; empty when they agree."""
    problems = []
    for at in _moments():  # before, between and after the publications of the walks
        stored, live = _ids(listed_condition(at)), _ids(live_listed_condition(at))
        if stored != live:
            problems.append(f"listed at {at}: stored {sorted(stored)}, live {sorted(live)}")
        stored, live = _ids(description_public_condition(at)), _ids(live_description_public_condition(at))
        if stored != live:
            problems.append(f"description public at {at}: stored {sorted(stored)}, live {sorted(live)}")
    return problems


class World:
    """A few practices, cycles and nominations, changed at random through the ORM (so through the signals, as the
    services and the admin change them)."""

    def __init__(self, rng: random.Random, first_year: int):
        # Each walk adds its own practices and cycles beside those of the walks before.
        self.rng = rng
        self.organisation = OrganisationFactory()
        self.practices = [PracticeFactory(is_public=rng.random() < 0.3) for _ in range(5)]
        self.cycles = [published_cycle(first_year + i) for i in range(3)]

    def nominations(self):
        return list(Nomination.objects.order_by("pk"))

    def step(self) -> str:
        rng = self.rng
        action = rng.choice(
            [
                self.toggle_practice,
                self.change_cycle,
                self.nominate,
                self.nominate,
                self.change_nomination,
                self.change_nomination,
                self.move_nomination,
                self.delete_nomination,
                self.change_decision,
                self.change_entry,
                self.change_safeguard,
            ]
        )
        try:
            with transaction.atomic():
                return action()
        except IntegrityError:
            return f"{action.__name__} refused by a constraint"

    def toggle_practice(self):
        practice = self.rng.choice(self.practices)
        practice.is_public = not practice.is_public
        practice.save()
        return f"practice {practice.pk} is_public={practice.is_public}"

    def change_cycle(self):
        rng = self.rng
        cycle = rng.choice(self.cycles)
        cycle.state = rng.choice([AwardCycle.State.PUBLISHED, AwardCycle.State.PUBLISHED, AwardCycle.State.DECIDED])
        cycle.results_published_at = rng.choice(
            [None, timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)]
        )
        cycle.list_all_nominees = rng.random() < 0.5
        cycle.save()
        return f"cycle {cycle.pk} {cycle.state} at {cycle.results_published_at} all={cycle.list_all_nominees}"

    def nominate(self):
        rng = self.rng
        nomination = nominate(
            rng.choice(self.practices),
            rng.choice(self.cycles),
            result=rng.choice([None, "winner", "finalist"]),
            decision_state=rng.choice(["confirmed", "draft"]),
            organisation=self.organisation,
            consent_to_publish=rng.random() < 0.6,
            practice_is_new=rng.random() < 0.5,
        )
        return f"nomination {nomination.pk} of practice {nomination.practice_id}"

    def change_nomination(self):
        rng = self.rng
        nominations = self.nominations()
        if not nominations:
            return "no nomination"
        nomination = rng.choice(nominations)
        field = rng.choice(["consent", "state", "new"])
        if field == "consent":
            nomination.consent_to_publish = not nomination.consent_to_publish
        elif field == "state":
            nomination.state = rng.choice(list(Nomination.State.values))
        else:
            nomination.practice_is_new = not nomination.practice_is_new
        nomination.save()
        return f"nomination {nomination.pk} {field} changed"

    def move_nomination(self):
        nominations = self.nominations()
        if not nominations:
            return "no nomination"
        nomination = self.rng.choice(nominations)
        nomination.practice = self.rng.choice(self.practices)
        nomination.save()
        return f"nomination {nomination.pk} moved to practice {nomination.practice_id}"

    def delete_nomination(self):
        nominations = self.nominations()
        if not nominations:
            return "no nomination"
        nomination = self.rng.choice(nominations)
        DecisionEntry.objects.filter(nomination=nomination).delete()
        nomination.delete()
        return "nomination deleted"

    def change_decision(self):
        cycle = self.rng.choice(self.cycles)
        decision, _created = Decision.objects.get_or_create(cycle=cycle)
        decision.state = self.rng.choice(list(Decision.State.values))
        decision.save()
        return f"decision of cycle {cycle.pk} {decision.state}"

    def change_entry(self):
        nominations = self.nominations()
        if not nominations:
            return "no nomination"
        nomination = self.rng.choice(nominations)
        entry = DecisionEntry.objects.filter(nomination=nomination).first()
        if entry:
            entry.delete()
            return f"entry of nomination {nomination.pk} deleted"
        decision, _created = Decision.objects.get_or_create(cycle_id=nomination.cycle_id)
        DecisionEntry.objects.create(decision=decision, nomination=nomination, result="finalist")
        return f"entry of nomination {nomination.pk} created"

    def change_safeguard(self):
        nominations = self.nominations()
        if not nominations:
            return "no nomination"
        nomination = self.rng.choice(nominations)
        check = SafeguardCheck.objects.filter(nomination=nomination).first()
        if check and self.rng.random() < 0.3:
            check.delete()
            return f"safeguard of nomination {nomination.pk} deleted"
        check = check or SafeguardCheck(nomination=nomination)
        check.state = self.rng.choice(list(SafeguardCheck.State.values))
        check.nominator_reason = "Ei henkilötietoja." if check.state == SafeguardCheck.State.FLAGGED else ""
        check.cleared_at = timezone.now() if check.state == SafeguardCheck.State.CLEARED else None
        check.save()
        return f"safeguard of nomination {nomination.pk} {check.state}"


def test_stored_publicity_equals_the_live_rule_after_every_change():
    seen = set()
    for seed in range(8):
        world = World(random.Random(seed), first_year=2000 + 3 * seed)  # noqa: S311 (test data)
        history = []
        for _step in range(60):
            history.append(world.step())
            problems = drift()
            assert not problems, "\n".join([f"seed {seed}", *history, "", *problems])
            seen.update(_states())
    # The walks went through the states that matter, or they would prove little.
    assert seen >= {"listed by a result", "listed later", "text by consent", "text withheld"}, seen


def _states() -> set[str]:
    now = timezone.now()
    practices = Practice.objects.filter(is_public=False)
    found = {
        "listed by a result": practices.filter(listed_from__lte=now).exists(),
        "listed later": practices.filter(listed_from__gt=now).exists(),
        "text by consent": practices.filter(description_from__isnull=False, description_withheld=False).exists(),
        "text withheld": Practice.objects.filter(description_withheld=True, listed_from__isnull=False).exists(),
    }
    return {name for name, yes in found.items() if yes}


def test_drift_is_seen_and_the_command_repairs_it():
    """A bulk write sends no signal: the comparison sees the drift, and refresh_practice_publicity repairs it."""
    practice = PracticeFactory(is_public=False)
    nominate(practice, published_cycle(2091), consent_to_publish=True, practice_is_new=True)
    assert not drift()
    assert public_practices().get(pk=practice.pk).description_public is True

    Nomination.objects.filter(practice=practice).update(consent_to_publish=False)  # no signal
    assert drift()

    call_command("refresh_practice_publicity", stdout=None)
    assert not drift()
    assert public_practices().get(pk=practice.pk).description_public is False


def test_withdrawn_consent_drops_the_text_in_the_same_transaction():
    practice = PracticeFactory(is_public=False, summary="Kotikäynnit perheille.")
    nomination = nominate(practice, published_cycle(2092), consent_to_publish=True, practice_is_new=True)
    with transaction.atomic():
        nomination.consent_to_publish = False
        nomination.save()
        assert public_practices().get(pk=practice.pk).description_public is False
    practice.refresh_from_db()
    assert practice.description_withheld is True


def test_a_scheduled_publication_lists_the_practice_at_its_moment():
    practice = PracticeFactory(is_public=False)
    moment = timezone.now() + timedelta(hours=1)
    nominate(practice, published_cycle(2093, published_at=moment))
    assert not public_practices().filter(pk=practice.pk).exists()
    assert public_practices(at=moment).filter(pk=practice.pk).exists()
    assert public_practices(at=moment).get(pk=practice.pk).description_public is True


def test_saving_a_practice_read_before_a_refusal_keeps_its_text_withheld():
    practice = PracticeFactory(is_public=True)
    stale = Practice.objects.get(pk=practice.pk)  # read while nothing withholds the text
    nominate(practice, published_cycle(2094), consent_to_publish=False, practice_is_new=True)
    stale.name = "Uusi nimi"
    stale.save()
    assert public_practices().get(pk=practice.pk).description_public is False
    deferred = Practice.objects.defer("summary").get(pk=practice.pk)
    deferred.save()  # a deferred field is not read for the save, nor written
    assert Practice.objects.get(pk=practice.pk).name == "Uusi nimi"


@pytest.mark.django_db(transaction=True)
def test_a_publication_waiting_on_a_withdrawal_of_consent_sees_it():
    """A withdrawal of consent has rewritten the practice's row and not yet committed; a publication of another
    cycle of the same practice waits for that row. When it goes on, it must compute from the withdrawal."""
    practice = PracticeFactory(is_public=False)
    consented = nominate(practice, published_cycle(2095), consent_to_publish=True, practice_is_new=True)
    scheduled = published_cycle(2096, state=AwardCycle.State.DECIDED)
    nominate(practice, scheduled, consent_to_publish=True)
    withdrawn, publishing = threading.Event(), threading.Event()

    def withdraw():
        try:
            with transaction.atomic():
                consented.consent_to_publish = False
                consented.save()  # the practice's row is locked until the commit
                withdrawn.set()
                publishing.wait(5)
                time.sleep(0.5)  # the publication is now waiting on the practice's row
        finally:
            connection.close()

    def publish():
        try:
            withdrawn.wait(5)
            publishing.set()
            scheduled.state = AwardCycle.State.PUBLISHED
            scheduled.save()
        finally:
            connection.close()

    threads = [threading.Thread(target=withdraw), threading.Thread(target=publish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not drift()
    assert public_practices().get(pk=practice.pk).description_public is False
