"""Resolve a merge conflict in a .po file: the union of both sides' entries (ours wins on a clash).

usage: po_union.py path/to/django.po   (run during a conflicted merge; stages nothing)
"""

import subprocess
import sys

import polib


def side(path: str, stage: int) -> polib.POFile:
    text = subprocess.run(
        ["git", "show", f":{stage}:{path}"], capture_output=True, text=True, check=True
    ).stdout
    return polib.pofile(text, wrapwidth=0)


for path in sys.argv[1:]:
    ours, theirs = side(path, 2), side(path, 3)
    known = {(e.msgctxt, e.msgid) for e in ours}
    for entry in theirs:
        if (entry.msgctxt, entry.msgid) not in known and not entry.obsolete:
            ours.append(entry)
    ours.save(path)
    print(f"{path}: {len(ours)} entries")
