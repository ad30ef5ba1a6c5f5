"""The default "1+3+X" lineup rule, the "1+2+N" variant, and the member categories of seed 001."""

from django.db import migrations

CATEGORIES = ["青年致富带头人", "青年村干部", "选调生", "公务员", "三支一扶", "大学生村官", "青年企业家"]


def forwards(apps, schema_editor):
    LineupRule = apps.get_model("league", "LineupRule")
    MemberCategory = apps.get_model("league", "MemberCategory")
    LineupRule.objects.get_or_create(
        name="1+3+X",
        defaults=dict(
            is_default=True, secretaries=1, deputies_min=3, deputies_max=None, deputies_outside_min=1,
            deputies_inside_min=1, members_min=1, members_max=None, size_min=9, size_max=21,
            description="1名书记；3名副书记，编制内与编制外相结合（至少1名编制外）；X名委员，班子共9–21人。",
        ),
    )  # fmt: skip
    LineupRule.objects.get_or_create(
        name="1+2+N",
        defaults=dict(
            is_default=False, secretaries=1, deputies_min=2, deputies_max=None, deputies_outside_min=1,
            deputies_inside_min=0, members_min=1, members_max=None, size_min=5, size_max=21,
            description="1名书记；2名副书记（至少1名编制外）；N名委员。",
        ),
    )  # fmt: skip
    for order, name in enumerate(CATEGORIES, start=1):
        MemberCategory.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("league", "0003_lineups")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
