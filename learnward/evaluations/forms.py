from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin


class EvaluationForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how would you rate this course?"),
        choices=[(5, _("5 – excellent")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 – poor"))],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comments = forms.CharField(
        label=_("Comments (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What worked, and what could be better? Please do not include other people's "
            "names or personal details."
        ),
    )
    share_comments = forms.BooleanField(
        label=_("Show my comments to the course's authors, without my name"),
        required=False,
    )
    research = forms.BooleanField(required=False)

    def __init__(self, *args, research_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["research"].label = research_text
