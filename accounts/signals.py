"""Audit of security events that happen outside our services: signing in, lockouts, memberships and staff.

The apps above audit the roles they grant themselves (awards/signals.py)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .audit import audit
from .models import OrganisationMembership, User


@receiver(user_logged_in, dispatch_uid="accounts_audit_logged_in")
def audit_signed_in(sender, request, user, **kwargs):
    audit("sign_in", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts_audit_logged_out")
def audit_signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit("sign_out", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the address tried: Django masks the password, but we do not store the credentials at all.
    audit("sign_in_failed", request=request, email=str(credentials.get("username") or credentials.get("email") or ""))


@receiver(user_locked_out, dispatch_uid="accounts_audit_locked_out")
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit("lockout", request=request, email=username or "")


@receiver(post_save, sender=OrganisationMembership, dispatch_uid="accounts_audit_membership_saved")
def audit_membership_saved(sender, instance, created, **kwargs):
    if created:
        audit(
            "role_granted",
            target=instance.user,
            role="organisation_member",
            organisation_id=instance.organisation_id,
            can_nominate=instance.can_nominate,
        )


@receiver(post_delete, sender=OrganisationMembership, dispatch_uid="accounts_audit_membership_deleted")
def audit_membership_deleted(sender, instance, **kwargs):
    audit("role_revoked", target=instance.user, role="organisation_member", organisation_id=instance.organisation_id)


@receiver(pre_save, sender=User, dispatch_uid="accounts_audit_staff_changed")
def audit_staff_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "is_staff" not in update_fields:
        return
    if instance.pk is None:
        if instance.is_staff:
            instance._audit_staff_change = True
        return
    before = User.objects.filter(pk=instance.pk).values_list("is_staff", flat=True).first()
    if before is not None and before != instance.is_staff:
        instance._audit_staff_change = True


@receiver(post_save, sender=User, dispatch_uid="accounts_audit_staff_saved")
def audit_staff_saved(sender, instance, **kwargs):
    if getattr(instance, "_audit_staff_change", False):
        instance._audit_staff_change = False
        audit("role_granted" if instance.is_staff else "role_revoked", target=instance, role="staff")
