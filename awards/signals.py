"""Audit of jury roles granted and revoked, however the membership row changes (service, admin, demo)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.audit import audit

from .models import JuryMembership


@receiver(post_save, sender=JuryMembership, dispatch_uid="awards_audit_jury_saved")
def audit_jury_saved(sender, instance, created, **kwargs):
    if created:
        audit("role_granted", target=instance.user, role=str(instance.role), cycle_id=instance.cycle_id)


@receiver(post_delete, sender=JuryMembership, dispatch_uid="awards_audit_jury_deleted")
def audit_jury_deleted(sender, instance, **kwargs):
    audit("role_revoked", target=instance.user, role=str(instance.role), cycle_id=instance.cycle_id)
