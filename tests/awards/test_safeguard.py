"""The child-data safeguard in the service: findings shown in place, submit anyway with a reason, the jury and the
public kept away until staff clear it, cleaned copies for the jury, and no finding's value in logs, e-mails or the
audit log."""

import json
import logging

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import AttachmentFinding, AwardCycle, FindingKind, Nomination, SafeguardCheck
from awards.selectors.jury import jury_nominations, ranking_nominations
from awards.selectors.publication import shown_when_published
from awards.services import nominations as nomination_services
from awards.services import safeguard as services
from tests.factories import JuryMembershipFactory, UserFactory, complete_draft
from tests.factories import documents as make

pytestmark = pytest.mark.django_db

HETU = make.IDENTITY_CODE


@pytest.fixture
def draft():
    return complete_draft(summary=f"Kotikäynnit. Esimerkiksi lapsi {HETU} ja Matti, 7 v. saivat apua.")


def _nominator(nomination):
    return nomination.organisation.memberships.first().user


def _edit_post(nomination, **extra):
    nomination.refresh_from_db()
    data = {
        "version": str(nomination.version),
        "name": nomination.name,
        "summary": nomination.summary,
        "basic_idea": nomination.basic_idea,
        "target_group_description": nomination.target_group_description,
        "achieved_changes": nomination.achieved_changes,
        "contact_name": nomination.contact_name,
        "contact_email": nomination.contact_email,
        "contact_phone": nomination.contact_phone,
        "language": nomination.language,
        "municipalities": [m.pk for m in nomination.municipalities.all()],
        "action": "save",
    }
    for j in nomination.justifications.all():
        data[f"criterion_{j.criterion_id}"] = j.text
    data.update(extra)
    return data


def _save_and_submit(client, draft, *, safeguard_reason=None, **fields):
    """As a nominator does it: "Save and check before submitting" on the form, then submit on the check page
    (with the reason for what looks like personal data, if any). Returns the check page's answer."""
    saved = client.post(
        reverse("awards:nomination_edit", args=[draft.pk]), _edit_post(draft, action="submit", **fields)
    )
    assert saved.status_code == 302, saved.status_code
    assert saved["Location"].endswith(reverse("awards:nomination_submit", args=[draft.pk]))
    data = {"safeguard_reason": safeguard_reason} if safeguard_reason is not None else {}
    return client.post(reverse("awards:nomination_submit", args=[draft.pk]), data)


def _to_scoring(nomination):
    AwardCycle.objects.filter(pk=nomination.cycle_id).update(state=AwardCycle.State.SCORING)
    Nomination.objects.filter(pk=nomination.pk).update(eligibility=Nomination.Eligibility.ELIGIBLE)


def test_edit_page_shows_each_finding_in_place(client, draft):
    client.force_login(_nominator(draft))
    response = client.get(reverse("awards:nomination_edit", args=[draft.pk]))
    html = response.content.decode()
    assert "This looks like a personal identity code: remove it?" in html
    assert "This looks like a name next to an age, which can identify a child: remove it?" in html
    assert f"<mark>{HETU}</mark>" in html
    # In the help text of its own field, so that a screen reader reads it with the field.
    helptext = html[html.index('id="id_summary_helptext"') :]
    assert helptext.index("personal identity code") < helptext.index("</div>")
    # The check page before submitting lists them again and asks why one must stay, if it must.
    check = client.get(reverse("awards:nomination_submit", args=[draft.pk])).content.decode()
    assert "This looks like a personal identity code: remove it?" in check
    assert 'name="safeguard_reason"' in check


def test_submit_without_reason_is_refused_and_nothing_is_lost(client, draft):
    client.force_login(_nominator(draft))
    typed = draft.summary + " Lisätty lause."
    response = _save_and_submit(client, draft, summary=typed)
    assert response.status_code == 400
    assert "seems to contain personal data" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Nomination.State.DRAFT
    assert draft.summary == typed  # the typed text was saved as the draft
    assert not SafeguardCheck.objects.filter(nomination=draft).exists()


def test_submit_after_removing_the_findings_is_clean(client, draft):
    client.force_login(_nominator(draft))
    response = _save_and_submit(client, draft, summary="Kotikäynnit perheille viikoittain.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Nomination.State.SUBMITTED
    assert draft.safeguard.state == SafeguardCheck.State.CLEAN


def test_submit_anyway_with_reason_flags_it_and_the_jury_cannot_see_it_until_staff_clear(client, draft, otp_login):
    nominator = _nominator(draft)
    client.force_login(nominator)
    response = _save_and_submit(client, draft, safeguard_reason="Tunnus on keksitty esimerkki.")
    assert response.status_code == 302
    draft.refresh_from_db()
    check = draft.safeguard
    assert draft.state == Nomination.State.SUBMITTED
    assert check.state == SafeguardCheck.State.FLAGGED
    assert check.findings_count == 2
    assert check.kinds == ["identity_code", "name_age"]
    assert check.nominator_reason == "Tunnus on keksitty esimerkki."

    _to_scoring(draft)
    juror = JuryMembershipFactory(cycle=draft.cycle).user
    staff = UserFactory(is_staff=True)
    assert not jury_nominations(juror).filter(pk=draft.pk).exists()
    assert not ranking_nominations(staff, draft.cycle).filter(pk=draft.pk).exists()
    assert not shown_when_published(Nomination.objects.filter(pk=draft.pk)).exists()
    juror_client = otp_login(client.__class__(), juror)
    assert juror_client.get(reverse("awards:jury_review", args=[draft.cycle.year, draft.pk])).status_code == 404

    staff_client = otp_login(client.__class__(), staff)
    page = staff_client.get(reverse("awards:staff_nomination", args=[draft.pk])).content.decode()
    assert "Tunnus on keksitty esimerkki." in page
    assert f"<mark>{HETU}</mark>" in page
    listing = staff_client.get(reverse("awards:staff_nominations", args=[draft.cycle_id])).content.decode()
    assert 'badge text-bg-warning">check</span>' in listing

    refused = staff_client.post(reverse("awards:staff_safeguard_clear", args=[draft.pk]), {"note": " "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    response = staff_client.post(
        reverse("awards:staff_safeguard_clear", args=[draft.pk]), {"note": "Esimerkkitunnus, ei oikea henkilö."}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.state == SafeguardCheck.State.CLEARED
    assert check.cleared_by == staff
    assert jury_nominations(juror).filter(pk=draft.pk).exists()
    assert juror_client.get(reverse("awards:jury_review", args=[draft.cycle.year, draft.pk])).status_code == 200


def test_clear_is_refused_for_non_staff_and_for_unflagged(draft):
    nominator = _nominator(draft)
    with pytest.raises(PermissionDenied):
        services.safeguard_clear(nomination=draft, by=nominator, note="x")
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="not waiting"):
        services.safeguard_clear(nomination=draft, by=staff, note="x")


def test_resubmission_with_nothing_new_stays_cleared_and_something_new_flags_again(draft):
    nominator = _nominator(draft)
    staff = UserFactory(is_staff=True)
    nomination_services.nomination_submit(nomination=draft, by=nominator, safeguard_reason="Keksitty.")
    services.safeguard_clear(nomination=draft, by=staff, note="Ok.")
    nomination_services.nomination_reopen(nomination=draft, by=nominator)
    nomination_services.nomination_submit(nomination=draft, by=nominator)  # nothing new: no reason needed
    assert SafeguardCheck.objects.get(nomination=draft).state == SafeguardCheck.State.CLEARED

    nomination_services.nomination_reopen(nomination=draft, by=nominator)
    draft.refresh_from_db()
    nomination_services.nomination_save(
        nomination=draft, by=nominator, expected_version=draft.version, data={"basic_idea": "Soita 040 111 2222."}
    )
    with pytest.raises(ValidationError, match="personal data"):
        nomination_services.nomination_submit(nomination=draft, by=nominator)
    nomination_services.nomination_submit(nomination=draft, by=nominator, safeguard_reason="Työpuhelin.")
    assert SafeguardCheck.objects.get(nomination=draft).state == SafeguardCheck.State.FLAGGED


def _upload(client, nomination, name, data):
    return client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]),
        {**_edit_post(nomination), "new_attachments": SimpleUploadedFile(name, data)},
    )


def test_attachment_findings_and_cleaned_copy_for_the_jury(client, otp_login):
    draft = complete_draft()
    nominator = _nominator(draft)
    client.force_login(nominator)
    assert _upload(client, draft, "suunnitelma.docx", make.docx_with_properties()).status_code == 302
    attachment = draft.attachments.get()
    found = {(f.kind, f.where) for f in AttachmentFinding.objects.filter(attachment=attachment)}
    assert (FindingKind.IDENTITY_CODE, AttachmentFinding.Where.TEXT) in found
    assert (FindingKind.PHONE, AttachmentFinding.Where.COMMENT) in found
    assert (FindingKind.PHONE, AttachmentFinding.Where.METADATA) in found
    page = client.get(reverse("awards:nomination_edit", args=[draft.pk])).content.decode()
    assert "Attachment suunnitelma.docx (text)" in page
    assert "This is removed from the copy the jury gets" in page

    nomination_services.nomination_submit(nomination=draft, by=nominator, safeguard_reason="Keksitty esimerkki.")
    _to_scoring(draft)
    services.safeguard_clear(nomination=draft, by=UserFactory(is_staff=True), note="Ok.")
    url = reverse("awards:attachment_download", args=[draft.pk, attachment.pk])
    jury_url = reverse("awards:jury_attachment", args=[draft.cycle.year, draft.pk, attachment.pk])

    juror = JuryMembershipFactory(cycle=draft.cycle).user
    # The jury reads attachments through its own page (the nominator's pages are closed to it).
    juror_copy = b"".join(otp_login(client.__class__(), juror).get(jury_url).streaming_content)
    staff_copy = b"".join(otp_login(client.__class__(), UserFactory(is_staff=True)).get(url).streaming_content)
    own_copy = b"".join(client.get(url).streaming_content)
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    def everything(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(archive.read(n) for n in archive.namelist())

    assert make.AUTHOR.encode() not in everything(juror_copy)
    assert make.AUTHOR.encode() in everything(staff_copy)
    assert own_copy == staff_copy


def _docx_with_broken_text() -> bytes:
    """A DOCX whose archive is sound (the upload checks pass) but whose document part is not XML."""
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    source = zipfile.ZipFile(io.BytesIO(make.docx_with_properties()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as broken:
        for info in source.infolist():
            data = source.read(info)
            broken.writestr(info, b"<w:document><w:body><w:p>" if info.filename == "word/document.xml" else data)
    return out.getvalue()


def test_garbage_pdf_is_refused_at_upload(client):
    """A PDF header with nothing readable after it is refused by the upload's own checks (awards/files.py), with
    a message, before the safeguard ever reads it."""
    draft = complete_draft()
    client.force_login(_nominator(draft))
    response = _upload(client, draft, "rikki.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50)
    assert response.status_code == 400
    assert "rikki.pdf" in response.content.decode()
    assert not draft.attachments.exists()


def test_unreadable_attachment_holds_the_nomination(client):
    draft = complete_draft()
    client.force_login(_nominator(draft))
    # A sound archive (so the type and archive checks accept it) whose text cannot be read.
    assert _upload(client, draft, "rikki.docx", _docx_with_broken_text()).status_code == 302
    attachment = draft.attachments.get()
    assert AttachmentFinding.objects.filter(attachment=attachment, kind=FindingKind.UNREADABLE).exists()
    assert not attachment.scan.readable
    assert attachment.scan.clean_stored_name == ""
    with pytest.raises(ValidationError, match="personal data"):
        nomination_services.nomination_submit(nomination=draft, by=_nominator(draft))


def test_a_finding_value_never_reaches_logs_emails_or_the_audit_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    draft = complete_draft(summary=f"Lapsi {HETU}, puh. {make.PHONE}, Koulukatu 3 A 5.")
    nominator = _nominator(draft)
    client.force_login(nominator)
    _upload(client, draft, f"kertomus-{HETU}.docx", make.docx_with_properties())
    assert _save_and_submit(client, draft).status_code == 400  # refused without a reason
    mail.outbox.clear()
    _save_and_submit(client, draft, safeguard_reason="Keksitty esimerkki.")
    draft.refresh_from_db()
    assert draft.state == Nomination.State.SUBMITTED
    services.safeguard_clear(nomination=draft, by=UserFactory(is_staff=True), note="Ok.")

    assert len(mail.outbox) == 1  # the confirmation, which carries the texts without the findings
    message = mail.outbox[0]
    bodies = [message.body, *(content for content, _type in message.alternatives), message.subject]
    audit = json.dumps(list(AuditEvent.objects.values("action", "data", "target_id")), default=str)
    for value in (HETU, make.PHONE, "Koulukatu 3"):
        for body in bodies:
            assert value not in body
        assert value not in audit
        assert value not in caplog.text
    assert "[removed]" in message.body
    assert "nomination.safeguard_flagged" in audit
    assert "identity_code" in audit
