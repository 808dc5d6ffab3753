"""The e-mails of proposals, the panel and the follow-ups: each is one template pair (<name>_subject.txt and
<name>.txt) rendered in the recipient's language, recorded in the outbox (background/outbox.py) in the transaction
of the change that causes it and delivered once by the task queue."""

from background import outbox


def send_templated(
    *, to: list[str], language: str, template: str, context: dict, purpose: str, key: str, about=None
) -> None:
    """One e-mail per address of `to`; the same purpose, key and address is recorded (and sent) once."""
    for address in to:
        outbox.send(
            to=address, purpose=purpose, key=key, language=language, template=template, context=context, about=about
        )
