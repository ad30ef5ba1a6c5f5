from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .locking import VersionedFormMixin
from .models import Domain, Kind


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.add_input(Submit("submit", _("Check and import")))


class OrganizationForm(VersionedFormMixin, forms.Form):
    """Name, kind and domain of an organization (its place in the tree changes by import or admin)."""

    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    domain = forms.ChoiceField(label=_("domain"), choices=Domain.choices)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial", {"name": instance.name, "kind": instance.kind, "domain": instance.domain}
            )
        super().__init__(*args, instance=instance, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name
