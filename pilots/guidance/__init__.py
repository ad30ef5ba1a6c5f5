"""Instructors (指导员) and their visits, the "five ones" (五个一), and 联试共建 pairs (seed 003, 静海县).

models.py   InstructorAssignment, Visit, Problem, VisitAttachment, FiveOnesTarget, Pair + meetings,
            agreements, activities
policies.py who sees which unit's guidance (assignment-based narrowing for instructors)
services.py writes (typed, keyword-only, in a transaction)
stats.py    totals and the five-ones checklist (aggregates, constant query counts)
views.py    pages; forms.py; resources.py (Excel columns)
"""
