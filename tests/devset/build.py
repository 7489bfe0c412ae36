#!/usr/bin/env python3
"""build.py: writes articles.jsonl and gold.jsonl from devset.txt (the one
source of the development set). Run from anywhere: python3 build.py"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
arts, gold, cur = [], [], None
for ln, line in enumerate(open(os.path.join(here, "devset.txt"), encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        continue
    if line.startswith("@ "):
        _, doc, date = line.split()
        cur = {"id": doc, "date": date, "sents": []}
        arts.append(cur)
        continue
    if cur is None or "||" not in line:
        sys.exit(f"devset.txt:{ln}: want 'sentence || events'")
    text, evs = (x.strip() for x in line.split("||", 1))
    k = len(cur["sents"])
    cur["sents"].append(text)
    for ev in filter(None, (e.strip() for e in evs.split(";"))):
        f = ev.split(" ")
        if len(f) == 2:  # "SOURCE CODE" written with one space
            f = [f[0], "", f[1]]
        f = [x for i, x in enumerate(f) if x or i == 1][:3] if len(f) > 3 else f
        if len(f) != 3:
            sys.exit(f"devset.txt:{ln}: bad event '{ev}'")
        src, tgt, code = f
        if not tgt:  # no target: not an event for PETRARCH-style coders
            continue
        gold.append({"doc": cur["id"], "sentence": k, "source": src,
                     "target": tgt or None, "code": code})
with open(os.path.join(here, "articles.jsonl"), "w", encoding="utf-8") as f:
    for a in arts:
        f.write(json.dumps({"id": a["id"], "date": a["date"],
                            "text": " ".join(a["sents"])}) + "\n")
with open(os.path.join(here, "gold.jsonl"), "w", encoding="utf-8") as f:
    for g in gold:
        f.write(json.dumps(g) + "\n")
codes = {g["code"] for g in gold}
print(f"{sum(len(a['sents']) for a in arts)} sentences, {len(arts)} articles, "
      f"{len(gold)} events, {len(codes)} codes, "
      f"{len({c[:2] for c in codes})} roots", file=sys.stderr)
