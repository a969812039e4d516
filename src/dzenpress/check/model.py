"""What an audit finds and reports: findings grouped by page, a summary, JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]
SITE = ""  # findings about the site as a whole (sitemap, feeds, robots.txt)


@dataclass(frozen=True)
class Finding:
    page: str  # output-relative file ("blog/x/index.html"), or SITE
    level: Level
    code: str  # short and stable, e.g. "title-count", "broken-link"
    message: str


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    links_checked: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # about the site's settings, not its pages (hints.py)

    @property
    def errors(self) -> int:
        return sum(f.level == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" for f in self.findings)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def by_page(self) -> dict[str, list[Finding]]:
        """Findings per page (site-wide ones first), errors before warnings."""
        groups: dict[str, list[Finding]] = {}
        for f in sorted(self.findings, key=lambda f: (f.page != SITE, f.page, f.level != "error", f.code)):
            groups.setdefault(f.page, []).append(f)
        return groups

    def summary(self) -> str:
        return (f"{self.pages} pages checked: {self.errors} errors, {self.warnings} warnings "
                f"in {self.seconds:.2f}s")

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "pages": self.pages, "errors": self.errors, "warnings": self.warnings,
                "links_checked": self.links_checked, "seconds": round(self.seconds, 3), "notes": self.notes,
                "by_page": {page or "(site)": [{k: v for k, v in asdict(f).items() if k != "page"} for f in items]
                            for page, items in self.by_page().items()}}
