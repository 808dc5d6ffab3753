"""Rendering and sending the e-mails of proposals, the panel and the follow-ups: each e-mail is one template pair
(<name>_subject.txt and <name>.txt) rendered in the recipient's language, sent by one small function per e-mail
in the service that causes it, after the transaction commits."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(*, to: list[str], language: str, template: str, context: dict) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, to)
