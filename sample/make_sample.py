#!/usr/bin/env python3
"""Builds sample/python-docs.jsonl from Debian's python3.11-doc package (the reST sources).

Usage: python3 sample/make_sample.py <extracted .deb root> [max_bytes]
  apt-get download python3.11-doc && dpkg -x python3.11-doc_*.deb /tmp/pydoc

Each document is one top-level section of one page, with light reST markup removed, in the
fields of a FineWeb record (id, text, url, date, dump, language, language_score, token_count).
Deterministic: same package in, same bytes out.
"""
import json, os, re, sys

root = sys.argv[1]
max_bytes = int(sys.argv[2]) if len(sys.argv) > 2 else 4_800_000
src = os.path.join(root, "usr/share/doc/python3.11/html/_sources")
# Order matters: narrative sections first, the library reference fills what is left.
folders = ["tutorial", "howto", "faq", "reference", "extending", "using", "library"]
ROLE = re.compile(r":[a-zA-Z:]+:`!?~?([^`<]*?)(?:\s*<[^>]*>)?`")
LITERAL = re.compile(r"``([^`]+)``")
LINK = re.compile(r"`([^`<]+?)\s*<[^>]+>`_+")
HEADING = re.compile(r"^([=\-~^\"*#+])\1{3,}\s*$")
DIRECTIVE = re.compile(r"^\.\. (?:_[^:]+:|index::|highlight::|module::|moduleauthor::|sectionauthor::|currentmodule::|testsetup::|toctree::|seealso::)")

def clean(lines):
    out = []
    for line in lines:
        if DIRECTIVE.match(line) or line.startswith(".. |") or HEADING.match(line):
            continue
        line = LINK.sub(r"\1", ROLE.sub(r"\1", LITERAL.sub(r"\1", line)))
        line = re.sub(r"^\.\. ([a-z-]+):: ?", lambda m: "" if m.group(1) in ("note", "warning", "versionadded", "versionchanged", "deprecated", "impl-detail") else f"{m.group(1)}: ", line)
        out.append(line.rstrip())
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text.replace("::\n", ":\n")

def sections(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    starts = [i - 1 for i in range(1, len(lines)) if HEADING.match(lines[i]) and lines[i][0] in "=-" and lines[i - 1].strip() and not HEADING.match(lines[i - 1])]
    starts = [0] + [s for s in starts if s > 0] + [len(lines)]
    for a, b in zip(starts, starts[1:]):
        title = lines[a].strip() if a > 0 else ""
        yield title, clean(lines[a:b])

total = 0
out_path = os.path.join(os.path.dirname(__file__), "python-docs.jsonl")
with open(out_path, "w", encoding="utf-8") as out:
    for folder in folders:
        base = os.path.join(src, folder)
        for dirpath, _, files in sorted(os.walk(base)):
            for name in sorted(files):
                if not name.endswith(".rst.txt"):
                    continue
                page = os.path.relpath(os.path.join(dirpath, name), src)[: -len(".rst.txt")]
                for n, (title, text) in enumerate(sections(os.path.join(dirpath, name))):
                    if len(text) < 600:
                        continue
                    rec = {"id": f"pydoc/{page}#{n}", "text": text,
                           "url": f"https://docs.python.org/3.11/{page}.html",
                           "date": "2026-10-07", "dump": "debian-python3.11-doc-3.11.2-6+deb12u9",
                           "language": "en", "language_score": 1.0}
                    line = json.dumps(rec, ensure_ascii=False) + "\n"
                    size = len(line.encode("utf-8"))
                    if total + size > max_bytes:
                        continue
                    out.write(line)
                    total += size
print(f"wrote {out_path}: {total} bytes")
