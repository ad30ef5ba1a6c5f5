"""The completion statistics as an Excel workbook (summary, per group, per committee)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import safe_cell
from .models import Employment, Establishment, SeatRole


def _sheet(wb, title, headers, rows, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    ws.freeze_panes = "A2"
    return ws


def stats_workbook(root, stats, names) -> bytes:
    t = stats.total
    wb = Workbook()
    summary = [
        (_("Organization"), root.name), (_("Date"), stats.on.isoformat()), (_("Committees"), t.units),
        (_("Complete"), t.complete), (_("Incomplete"), t.incomplete), (_("Completion rate (%)"), t.rate),
        (_("Secretary seats vacant"), t.secretary_vacant), (_("Vacant seats"), t.vacant_total),
    ]  # fmt: skip
    summary += [(SeatRole(k).label + " · " + _("vacant"), n) for k, n in t.vacant_seats.items()]
    summary += [(Establishment(k).label, n) for k, n in t.by_establishment.items()]
    summary += [(Employment(k).label, n) for k, n in t.by_employment.items()]
    summary += [(_("Category") + " · " + name, n) for name, n in stats.category_rows()]
    _sheet(wb, _("Summary"), [_("Item"), _("Value")], [(str(a), b) for a, b in summary], first=True)
    _sheet(wb, _("By organization"), [_("Organization"), _("Committees"), _("Complete"), _("Completion rate (%)"),
                                      _("Vacant seats")],
           [(g.organization.name, g.tally.units, g.tally.complete, g.tally.rate, g.tally.vacant_total)
            for g in stats.groups])  # fmt: skip
    rows = []
    for org_id, s in sorted(stats.statuses.items(), key=lambda kv: names[kv[0]].path):
        org = names[org_id]
        rows.append((org.code, org.name, _("Yes") if s.complete else _("No"), s.term.number if s.term else "",
                     s.counts.secretaries, s.counts.deputies, s.counts.members, len(s.vacancies),
                     s.oldest_vacancy_days if s.oldest_vacancy_days is not None else "",
                     "；".join(b.message for b in s.breaches)))  # fmt: skip
    _sheet(wb, _("Committees"), [_("Code"), _("Committee"), _("Complete"), _("Term"), _("Secretaries"),
                                 _("Deputies"), _("Members"), _("Vacant seats"), _("Oldest vacancy (days)"),
                                 _("Rules broken")], rows)  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
