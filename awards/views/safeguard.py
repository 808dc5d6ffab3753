"""Staff's page of the child-data safeguard: clearing a flagged nomination so that the jury may see it.

The findings themselves are shown on the nominator's form (awards/forms/safeguard.py) and on staff's page of the
nomination (awards/views/nominations.py, templates/awards/safeguard/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from awards.forms.safeguard import SafeguardClearForm
from awards.services import safeguard as services

from .nominations import StaffNominationDetailView


class SafeguardClearView(StaffNominationDetailView):
    """POST only: staff clear a flagged nomination for the jury, with a note; a refused note is shown again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        form = SafeguardClearForm(request.POST)
        if form.is_valid():
            try:
                services.safeguard_clear(
                    nomination=nomination, by=request.user, note=form.cleaned_data["note"], request=request
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The nomination is cleared: the jury can now see it."))
                return redirect("awards:staff_nomination", pk=nomination.pk)
        return self.render_to_response(self.get_context_data(nomination=nomination, clear_form=form), status=400)
