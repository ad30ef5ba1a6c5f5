"""Pilot funds (试点工作基金): sources, project applications, decisions, disbursements, refunded dues and
rewards, all as entries of an append-only ledger whose balance is derived, never typed (seed 003).

models.py    Fund, ProjectApplication, LedgerEntry (append-only; reversals instead of edits)
services.py  every write, under a lock on the fund row (PostgreSQL: SELECT … FOR UPDATE)
views.py, forms.py, resources.py
"""
