"""Forms of the accounts app. Rendered with crispy-forms; autocomplete hints for password managers."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from practices.localisation import collated
from practices.models import Organisation
from practices.validators import refuse_bidi_controls

from .models import AccountRequest, Invitation, User
from .roles import scoped_roles


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in with the e-mail address. The field keeps the name `username` that django-axes watches."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Note that after several failed attempts "
            "signing in is blocked for a while."
        ),
    }

    def clean_username(self):
        return User.objects.normalize_email(self.cleaned_data["username"])


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        # Case-insensitive, and also accounts created from an approved request (no usable password yet).
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Through the outbox, in the account's own language, instead of at once from the request."""
        from .services import password_reset_email  # noqa: PLC0415 (services import this module's neighbours)

        password_reset_email(user=context["user"], context=context)


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TOTPConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        help_text=_("Enter the six-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "title", "phone", "preferred_language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_bidi_controls(self, "first_name", "last_name", "title")


class InvitationForm(forms.ModelForm):
    """Staff invite a person: a nominator for an organisation, staff, or a role registered by an app above
    (accounts/roles.py) for one of its objects, each such scope a field of its own (e.g. the jury's cycle)."""

    role = forms.ChoiceField(label=_("role"))

    class Meta:
        model = Invitation
        fields = ["email", "role", "organisation", "language"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}
        help_texts = {"organisation": _("Required for a nominator.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoped = {role.value: role for role in scoped_roles()}
        self.fields["role"].choices = [
            ("", "---------"),
            *Invitation.Role.choices,
            *((role.value, role.label) for role in self.scoped.values()),
        ]
        self.fields["organisation"].queryset = Organisation.objects.order_by(collated("name"), "pk")
        language_field = self.fields.pop("language")
        for role in self.scoped.values():
            if role.scope_field not in self.fields:
                self.fields[role.scope_field] = forms.ModelChoiceField(
                    label=capfirst(role.scope_label), queryset=role.scopes(), required=False, help_text=role.scope_help
                )
        self.fields["language"] = language_field
        language_field.required = False
        language_field.choices = [("", _("the person's own language if they have an account, else Finnish"))] + [
            choice for choice in language_field.choices if choice[0]
        ]
        language_field.initial = ""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Invitation.Role.NOMINATOR and not cleaned.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the nominator acts for."))
        if role in self.scoped and not cleaned.get(self.scoped[role].scope_field):
            self.add_error(self.scoped[role].scope_field, self.scoped[role].scope_missing)
        return cleaned

    @property
    def scope(self):
        """The object the invited role is for, when the role is a registered one."""
        role = self.scoped.get(self.cleaned_data.get("role"))
        return self.cleaned_data.get(role.scope_field) if role else None


class InvitationOpenForm(forms.Form):
    token = forms.CharField(
        label=_("Invitation code"),
        max_length=100,
        help_text=_("The code in your invitation e-mail. Opening the link in the e-mail fills it in for you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip().lstrip("#")


class InvitationAcceptForm(SetPasswordMixin, forms.Form):
    """A new person accepting an invitation: their name and a password (the password validators apply)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        refuse_bidi_controls(self, "first_name", "last_name")

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        user = User(email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
        self.validate_password_for_user(user)
        return cleaned


class InvitationNameForm(forms.Form):
    """A new person accepting an invitation to a role that signs in with e-mailed codes: a name, no password."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email


class AccountRequestForm(forms.ModelForm):
    class Meta:
        model = AccountRequest
        fields = ["first_name", "last_name", "email", "title", "phone", "organisation", "organisation_name", "message"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by(collated("name"), "pk")
        self.fields["organisation"].label = _("Organisation")
        refuse_bidi_controls(self, "first_name", "last_name", "title", "organisation_name")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if AccountRequest.objects.filter(email__iexact=email, state=AccountRequest.State.PENDING).exists():
            raise forms.ValidationError(
                _("A request for this address is already waiting for the organisers. You will hear from us by e-mail.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not cleaned.get("organisation_name"):
            self.add_error("organisation", _("Choose your organisation from the list, or type its name below."))
        return cleaned


class AccountRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve for the organisation chosen below")),
            ("approve_new", _("Approve and add the organisation as the person typed it")),
            ("reject", _("Reject")),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Type of the new organisation"),
        choices=[("", "---------"), *Organisation.Kind.choices],
        required=False,
    )

    def __init__(self, *args, account_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_request = account_request
        if account_request is not None and not account_request.organisation_name:
            self.fields["decision"].choices = [
                choice for choice in self.fields["decision"].choices if choice[0] != "approve_new"
            ]
            del self.fields["new_organisation_kind"]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "approve" and not cleaned.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the new nominator acts for."))
        if decision == "approve_new" and not cleaned.get("new_organisation_kind"):
            self.add_error("new_organisation_kind", _("Choose the type of the new organisation."))
        return cleaned


class RetentionForm(forms.Form):
    """One field per kind of record (accounts/retention.py): how many days it is kept."""

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, days in periods:
            self.fields[kind.name] = forms.IntegerField(
                label=capfirst(str(kind.label)),
                min_value=30,
                max_value=36500,
                initial=days,
                help_text=_("Days. The default is %(days)d.") % {"days": kind.default_days},
            )
