"""The seven fixed items of the monthly theme day (七事联动, seed 004); the list is data staff may change."""

from django.db import migrations

SEVEN = [
    ("youth-study", "青年大学习"),
    ("dues", "缴纳团费"),
    ("deliberation", "民主议事"),
    ("openness", "团务公开"),
    ("branch-life", "支部组织生活"),
    ("contact-youth", "团干部密切联系青年"),
    ("smart-league", "智慧团建网上建设"),
]


def add_items(apps, schema_editor):
    Item = apps.get_model("grassroots", "ThemeDayItem")
    for order, (code, name) in enumerate(SEVEN, start=1):
        Item.objects.get_or_create(code=code, defaults={"name": name, "order": order, "active": True})


def remove_items(apps, schema_editor):
    apps.get_model("grassroots", "ThemeDayItem").objects.filter(code__in=[c for c, _ in SEVEN]).delete()


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0001_initial")]
    operations = [migrations.RunPython(add_items, remove_items)]
