"""The facts the code cites are in the repository: every `dzen.md §N` names a section of docs/dzen.md."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_cited_dzen_section_is_in_the_docs() -> None:
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", (REPO / "docs/dzen.md").read_text(encoding="utf-8"),
                              re.M))
    cited: dict[str, set[str]] = {}
    for path in [*REPO.glob("src/**/*.py"), *REPO.glob("src/**/templates/*"), *REPO.glob("tests/**/*.py")]:
        for section in re.findall(r"dzen\.md §(\d+(?:\.\d+)?)", path.read_text(encoding="utf-8", errors="replace")):
            cited.setdefault(section, set()).add(path.name)
    assert cited, "no citations found: the pattern is wrong"
    assert {s: files for s, files in cited.items() if s not in sections} == {}
