"""Fill empty msgstr in .po files from a dict (json file); usage: fill_po.py translations.json file.po..."""

import json
import sys

import polib

tr = json.load(open(sys.argv[1]))
missing = []
for path in sys.argv[2:]:
    po = polib.pofile(path, wrapwidth=0)
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for e in po:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
            e.msgstr = ""
            e.msgstr_plural = {}
        if e.msgid_plural:
            if not e.msgstr_plural or not e.msgstr_plural.get(0):
                t = tr.get(e.msgid_plural) or tr.get(e.msgid)
                if t:
                    e.msgstr_plural = {0: t}
                else:
                    missing.append(e.msgid)
        elif not e.msgstr:
            t = tr.get(e.msgid)
            if t:
                e.msgstr = t
            else:
                missing.append(e.msgid)
    po.save(path)
print("MISSING:", json.dumps(missing, ensure_ascii=False, indent=0))
