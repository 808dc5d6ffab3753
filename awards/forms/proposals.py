"""Forms of proposals by anyone: the public form, and staff's decisions on a proposal."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from awards.models import Proposal
from practices.models import Municipality, Organisation

MAX_TEXT = 3000


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProposalForm(forms.ModelForm):
    """A few fields, in plain words. `website` is a trap for robots: people never see or fill it."""

    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    class Meta:
        model = Proposal
        fields = [
            "proposer_name",
            "email",
            "practice_name",
            "organisation_name",
            "municipalities",
            "places",
            "description",
            "reason",
            "link",
        ]
        widgets = {
            "proposer_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "municipalities": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
            "reason": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
            "link": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        help_texts = {
            "email": _("We send a link to this address; your proposal reaches the organisers once you open it."),
            "municipalities": _("Optional. Hold Ctrl (Cmd on a Mac) to choose several."),
            "description": _("In a few sentences: what is done, for whom, and by whom."),
            "reason": _("What has it changed for children, young people or families?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by("name_fi")
        self.fields["municipalities"].required = False
        for name in ("description", "reason"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = _helper()

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def proposal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "municipalities"}


class ProposalMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Proposal.objects.none(),
        help_text=_("The proposal this one repeats. Its proposer is told that the proposals were combined."),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Proposal.objects.exclude(pk=proposal.pk)
            .exclude(state__in=[Proposal.State.UNVERIFIED, Proposal.State.REJECTED, Proposal.State.MERGED])
            .order_by("practice_name", "pk")
        )
        self.helper = _helper()


class ProposalRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The proposer is told this, in their language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ProposalInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    email = forms.EmailField(
        label=_("E-mail of the person to invite"),
        help_text=_("They become the organisation's nominator (unless they already are) and find the draft waiting."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=Proposal.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ProposalFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("To handle (new and held)")), ("all", _("All")), *Proposal.State.choices],
    )
