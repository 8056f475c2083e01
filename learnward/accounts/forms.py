"""Account forms: thin; writes happen in services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnward.communications.topics import MARKETING_PURPOSE
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField
from learnward.core.mail import normalise_email
from learnward.privacy.consent.gate import age_decision

from . import services
from .age import AgeOutcome, age_policy
from .guardian import GuardianEmailInvalid, check_guardian_email
from .models import User

OLDEST_PLAUSIBLE_AGE = 120


def recheck_password(user: User, password: str) -> bool:
    """The current password typed again, counted towards a pause of password checks
    (``services.user_password_recheck``); a pause becomes the field's error."""
    try:
        return services.user_password_recheck(user=user, password=password)
    except services.PasswordChecksPaused as exc:
        raise forms.ValidationError(exc.message, code="paused") from None


def _email_field(label=None, autocomplete: str = "email") -> forms.EmailField:
    return forms.EmailField(
        label=label or _("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )


class SignUpForm(AccessibleFormMixin, auth_forms.SetPasswordMixin, forms.Form):
    email = _email_field()
    display_name = PersonNameField(
        label=_("Your name"),
        max_length=150,
        help_text=_("The name we show on the site and print on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    date_of_birth = DayMonthYearField(
        label=_("Date of birth"),
        bday=True,
        help_text=_("We use it to check you are old enough to have an account."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter your date of birth as a real date, like 27/03/2001."),
        },
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password again")
    )
    # Shown only once the date of birth puts the applicant in the guardian band (see __init__).
    guardian_email = forms.EmailField(
        label=_("Your parent's or guardian's email address"),
        required=False,
        max_length=254,
        help_text=(
            _(
                "We email them a link to see what your account involves and agree or refuse. "
                "We use this address only for that."
            )
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )
    # Marketing topics (learnward.communications): optional, every box unticked.
    marketing_topics = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )
    field_order = [
        "email",
        "display_name",
        "date_of_birth",
        "guardian_email",
        "password1",
        "password2",
        "marketing_topics",
    ]

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.age_decision = None
        self.fields["password2"].help_text = _("Type the same password again.")
        # Server-side progressive disclosure: the guardian's address is asked for only when the
        # date of birth submitted puts the applicant in the guardian band.
        self.guardian_needed = self._date_of_birth_needs_guardian()
        # True on the first answer that shows a guardian is needed: the page then explains and
        # asks for the address, without calling its absence an error.
        self.asking_for_guardian = False
        if not self.guardian_needed:
            del self.fields["guardian_email"]
        from learnward.communications.topics import SIGNUP_HELP, SIGNUP_LEGEND, Topic, signup_label

        topics = self.fields["marketing_topics"]
        topics.label, topics.help_text = SIGNUP_LEGEND, SIGNUP_HELP
        topics.choices = [(t.value, signup_label(t)) for t in Topic]

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born >= self.today:
            raise forms.ValidationError(_("Your date of birth must be in the past."), code="future")
        if self.today.year - born.year > OLDEST_PLAUSIBLE_AGE:
            raise forms.ValidationError(
                _("Check the year of your date of birth."), code="implausible"
            )
        decision = age_policy(born, self.today)
        self.age_decision = decision
        if decision.outcome == AgeOutcome.REFUSE:
            raise forms.ValidationError(decision.message, code="too_young")
        return born

    def _date_of_birth_needs_guardian(self) -> bool:
        if not self.is_bound:
            return False
        try:
            field = self.fields["date_of_birth"]
            # Through the widget: the date comes as day, month and year boxes.
            born = field.clean(
                field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix("date_of_birth")
                )
            )
        except forms.ValidationError:
            return False
        if born >= self.today:
            return False
        return age_policy(born, self.today).outcome == AgeOutcome.GUARDIAN_REQUIRED

    def clean_guardian_email(self) -> str:
        address = self.cleaned_data.get("guardian_email", "")
        if address:
            return normalise_email(address)
        if self.add_prefix("guardian_email") in self.data:
            raise forms.ValidationError(
                _("Enter your parent's or guardian's email address."), code="required"
            )
        self.asking_for_guardian = True
        return ""

    def clean(self):
        cleaned = super().clean()
        guardian = cleaned.get("guardian_email")
        if guardian and cleaned.get("email"):
            try:
                check_guardian_email(guardian_email=guardian, learner_email=cleaned["email"])
            except GuardianEmailInvalid as exc:
                self.add_error("guardian_email", str(exc))
        born = cleaned.get("date_of_birth")
        if born and cleaned.get("marketing_topics"):
            # The children's part of the processing gate, asked before anything is stored.
            if not age_decision(purpose=MARKETING_PURPOSE, date_of_birth=born, today=self.today):
                self.add_error(
                    "marketing_topics",
                    _(
                        "We do not send marketing emails to anyone under 18. Untick these boxes to "
                        "carry on."
                    ),
                )
        self.validate_passwords()
        candidate = User(
            email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
        )
        self.validate_password_for_user(candidate, "password1")
        return cleaned


class LoginForm(AccessibleFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("The email address or password is not right. Check them and try again."),
        "inactive": _("This account is closed."),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.CharField(
            label=_("Email address"),
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
            error_messages={"required": _("Enter your email address.")},
        )
        self.fields["password"].error_messages["required"] = _("Enter your password.")


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code your app shows now."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the 6-digit code.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the 6 digits your app shows."), code="format")
        return code


class ResendVerificationForm(AccessibleFormMixin, forms.Form):
    email = _email_field()


class ProfileForm(AccessibleFormMixin, forms.Form):
    display_name = PersonNameField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown on the site and printed on certificates issued from now on."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,  # absent: unchanged
        help_text=_("The site is shown in it, and everything we send you is written in it."),
    )


class EmailChangeForm(AccessibleFormMixin, forms.Form):
    new_email = _email_field(label=_("New email address"))
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        help_text=_("So we know it is you asking."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password.")},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        address = normalise_email(self.cleaned_data["new_email"])
        if address == self.user.email:
            raise forms.ValidationError(_("That is already your email address."), code="same")
        return address

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not recheck_password(self.user, password):
            raise forms.ValidationError(_("Your password is not right."), code="wrong_password")
        return password


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    email = _email_field()

    def save(self, *args, **kwargs) -> None:
        services.user_password_reset_request(email=self.cleaned_data["email"])


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):
    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = _("Type the same password again.")

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)

    def save(self, commit: bool = True) -> User:
        return services.user_reset_password(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )


class PasswordChangeForm(SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": _("Your current password is not right."),
    }
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password.")},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not recheck_password(self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def save(self, commit: bool = True) -> User:
        return services.user_change_password(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )


class GuardianResendForm(AccessibleFormMixin, forms.Form):
    guardian_email = forms.EmailField(
        label=_("Your parent's or guardian's email address"),
        max_length=254,
        help_text=_(
            "Correct it here if it was wrong: the link sent to the old address stops working."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your parent's or guardian's email address."),
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )


class GuardianDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you agree?"),
        choices=[
            ("agree", _("Yes, I agree to this account")),
            ("refuse", _("No, I do not agree: delete the account")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you agree."),
            "invalid_choice": _("Choose whether you agree."),
        },
    )
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
