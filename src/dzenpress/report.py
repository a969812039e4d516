"""How the import report is shown: a Rich summary table, or JSON for scripts."""

from __future__ import annotations

import dataclasses
import json

from rich.console import Console
from rich.table import Table

from dzenpress.dzen.importer import STATUSES, ImportReport

_STYLE = {"imported": "green", "updated": "cyan", "unchanged": "dim", "skipped-edited": "yellow",
          "skipped": "yellow", "failed": "red"}


def print_import_report(report: ImportReport, *, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps({"dry_run": report.dry_run, "counts": report.counts(), "notes": report.notes,
                          "articles": [dataclasses.asdict(o) for o in report.outcomes]}, ensure_ascii=False, indent=1))
        return
    console = Console(highlight=False)
    rows = [o for o in report.outcomes if o.status != "unchanged" or o.warnings]
    if rows:
        table = Table(title="would be written" if report.dry_run else None, show_lines=False)
        for column in ("status", "post", "images", "notes"):
            table.add_column(column, overflow="fold")
        for o in rows:
            status = f"would be {o.status}" if report.dry_run and o.status in ("imported", "updated") else o.status
            notes = "; ".join(filter(None, [o.reason, *o.warnings]))
            table.add_row(f"[{_STYLE.get(o.status, '')}]{status}[/]", o.path or o.source, str(o.images or ""),
                          notes)
        console.print(table)
    for note in report.notes:
        console.print(f"[yellow]note[/] {note}", soft_wrap=True)
    counts = report.counts()
    console.print(", ".join(f"{counts[s]} {s}" for s in STATUSES), soft_wrap=True)
