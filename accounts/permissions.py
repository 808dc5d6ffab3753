"""Views guarded by a named rule of django-rules, asked directly.

Django's has_perm() (and so permission_required) answers True for every active superuser without asking the rules:
a superuser whose staff status was taken away would still pass. Here the rights follow the rules alone."""

import rules
from django.contrib.auth.mixins import PermissionRequiredMixin


class RuleRequiredMixin(PermissionRequiredMixin):
    """Like permission_required, with `rule` (a name given to rules.add_rule) tested by rules.test_rule: signed-out
    visitors are sent to sign in, signed-in users without the right get 403."""

    rule: str = ""

    def get_permission_object(self):
        return None

    def has_permission(self) -> bool:
        return rules.test_rule(self.rule, self.request.user, self.get_permission_object())
