"""Assessment (考核), star ratings (对标定级), rectification (整顿), inspections and escalation.

models.py   schemes, stage reviews, results, awards; ratings; rectification; inspections; ladder; hearings
rules.py    pure rules (stars from a score, quota checks, ladder step, bottom share) — worked examples in tests
services.py writes (keyword-only, in a transaction, AssessmentError naming the field on bad input)
views.py    pages; every one starts from a scoped queryset (league.policies)
views_manage.py  staff pages that create and edit: a scheme's criteria and veto items, quarterly inspections
            and findings, scheduling monthly hearings and commenting, recording a city's yearly ranking
"""
