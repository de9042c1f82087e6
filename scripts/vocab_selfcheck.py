"""Quick self-check of vocabulary TSV files while writing them (the real checks are tests).

Usage: .venv/bin/python scripts/vocab_selfcheck.py plugins/csr_kit/vocabulary/data/*.tsv
"""
import sys
from collections import Counter

import opencc

hk2s = opencc.OpenCC("hk2s.json")
s2hk = opencc.OpenCC("s2hk.json")
USES = {"both", "to-hans", "to-hant", "flag", "keep"}
ORIGINS = {"csr-kit", "opencc"}
forward, reverse = Counter(), Counter()
fwd_seen, rev_seen = {}, {}
bad = 0
for path in sys.argv[1:]:
    header = None
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            assert cells[:4] == ["hant", "hans", "use", "origin"], f"{path}:{number}: header"
            continue
        where = f"{path}:{number}"
        if len(cells) < 4:
            print(where, "fewer than 4 columns", cells); bad += 1; continue
        hant, hans, use, origin = cells[:4]
        if use not in USES or origin not in ORIGINS:
            print(where, "bad use/origin", use, origin); bad += 1; continue
        if hk2s.convert(hans) != hans:
            print(where, "hans has Traditional characters:", hans, "->", hk2s.convert(hans)); bad += 1
        if s2hk.convert(hk2s.convert(hant)) != hant and hk2s.convert(hant) == hant:
            print(where, "hant looks Simplified:", hant); bad += 1
        plain = hk2s.convert(hant)
        if use == "keep":
            if plain != hans:
                print(where, f"keep row: hans should be {plain}"); bad += 1
            continue
        if plain == hans:
            print(where, "plain character conversion, not a wording pair:", hant, hans); bad += 1
        if use in ("both", "to-hans"):
            if hant in fwd_seen and fwd_seen[hant] != hans:
                print(where, f"{hant} already maps to {fwd_seen[hant]}"); bad += 1
            fwd_seen[hant] = hans
        if use in ("both", "to-hant"):
            if hans in rev_seen and rev_seen[hans] != hant:
                print(where, f"{hans} already maps back to {rev_seen[hans]}"); bad += 1
            rev_seen[hans] = hant
print(f"forward pairs: {len(fwd_seen)}, reverse pairs: {len(rev_seen)}, problems: {bad}")
