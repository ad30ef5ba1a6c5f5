"""Personal data masked in lists and exports unless the role needs it (league/masking.py)."""

import pytest
from django.template import Context, Template
from import_export import fields, resources

from league.masking import MaskedWidget, mask_id_number, mask_phone, may_see_personal_data, personal
from league.models import Organization


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("330203199001011234", "330***********1234"),
        ("33020319900101123X", "330***********123X"),
        ("330 203 1990 0101 1234", "330***********1234"),
        ("330203900101123", "330********1123"),  # the old 15-digit number
        ("1234567", "*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_id_numbers_keep_only_the_ends(raw, masked):
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86138****5678"),
        ("138 1234 5678", "138****5678"),
        ("0574-87654321", "057******4321"),
        ("12345", "*****"),
        (None, ""),
    ],
)
def test_phone_numbers_keep_only_the_ends(raw, masked):
    assert mask_phone(raw) == masked


def test_masked_values_never_contain_the_middle_digits():
    raw = "330203199001011234"
    assert "19900101" not in mask_id_number(raw)
    assert personal(raw, "id", reveal=True) == raw
    with pytest.raises(ValueError):
        personal(raw, "bank")


def test_only_roles_that_manage_the_organization_see_full_values(world):
    people_of = world.zhonghe_branch
    seen = {p: may_see_personal_data(u, people_of) for p, u in world.users.items()}
    assert seen == {
        "admin": True, "province": True, "city": True, "county": True, "street": False,
        "street_sibling": False, "instructor": False, "other_county": False, "outsider": False,
    }  # fmt: skip


def test_template_filters_mask_unless_revealed():
    template = Template(
        '{% load masking %}{{ p|mask_phone }}|{{ i|mask_id }}|{{ i|personal:"id" }}|'
        '{{ i|personal:"id"|reveal:can }}|{{ p|personal:"phone"|reveal:cannot }}'
    )
    out = template.render(
        Context({"p": "13812345678", "i": "330203199001011234", "can": True, "cannot": False})
    )
    assert out == "138****5678|330***********1234|330***********1234|330203199001011234|138****5678"


class OrgPhoneResource(resources.ModelResource):
    phone = fields.Field(attribute="code", column_name="phone", widget=MaskedWidget("phone"))

    class Meta:
        model = Organization
        fields = ["name", "phone"]

    def __init__(self, *, reveal=False, **kwargs):
        super().__init__(**kwargs)
        self.fields["phone"].widget.reveal = reveal


def test_export_columns_are_masked_unless_the_resource_reveals(db):
    Organization.objects.create(code="13812345678", name="甲", level="grassroots")
    masked = OrgPhoneResource().export(Organization.objects.all())
    assert masked.dict[0]["phone"] == "138****5678"
    full = OrgPhoneResource(reveal=True).export(Organization.objects.all())
    assert full.dict[0]["phone"] == "13812345678"
    again = OrgPhoneResource().export(Organization.objects.all())
    assert again.dict[0]["phone"] == "138****5678"  # revealing once never leaks into later exports
