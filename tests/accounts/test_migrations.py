"""An existing database migrates cleanly: jury invitations keep their award cycle as the invitation's scope."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_invitations_and_account_requests"), ("awards", "0004_jury_scoring")]
AFTER = [("accounts", "0003_invitation_scope")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_jury_invitation_cycle_becomes_its_scope_and_back():
    old = migrate(BEFORE)
    award = old.get_model("awards", "Award").objects.create(slug="palkinto", name_fi="Palkinto")
    cycle = old.get_model("awards", "AwardCycle").objects.create(award=award, year=2031)
    Invitation = old.get_model("accounts", "Invitation")
    juror = Invitation.objects.create(
        email="j@example.fi", role="juror", cycle=cycle, token_hash="a" * 64, expires_at="2100-01-01T00:00Z"
    )
    staff = Invitation.objects.create(
        email="s@example.fi", role="staff", token_hash="b" * 64, expires_at="2100-01-01T00:00Z"
    )
    try:
        new = migrate(AFTER)
        Invitation = new.get_model("accounts", "Invitation")
        migrated = Invitation.objects.select_related("scope_type").get(pk=juror.pk)
        assert (migrated.scope_type.app_label, migrated.scope_type.model, migrated.scope_id) == (
            "awards",
            "awardcycle",
            cycle.pk,
        )
        assert Invitation.objects.get(pk=staff.pk).scope_id is None

        back = migrate(BEFORE)
        assert back.get_model("accounts", "Invitation").objects.get(pk=juror.pk).cycle_id == cycle.pk
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
