from django import forms

from learnward.core.forms import AccessibleFormMixin


class _Form(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="Your name", error_messages={"required": "Enter your name."})
    email = forms.EmailField(label="Email address")

    def clean(self):
        raise forms.ValidationError("Something is wrong.")


def test_labels_have_no_colon():
    assert "Your name</label>" in str(_Form()["name"].label_tag())


def test_error_summary_lists_form_errors_first_then_fields_in_order():
    form = _Form({"name": "", "email": "not an address"})
    assert not form.is_valid()
    assert form.error_summary() == [
        ("", "Something is wrong."),
        ("#id_name", "Enter your name."),
        ("#id_email", "Enter a valid email address."),
    ]


def test_forms_render_with_the_shared_fields_template():
    assert _Form.template_name_div == "includes/form_fields.html"
