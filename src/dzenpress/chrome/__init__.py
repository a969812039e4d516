"""Dzen's page chrome as shapes: its words (vocabulary.py), what a line looks like (shapes.py) and how
lines combine into ads, cards and UI boxes (clusters.py). Shared by excerpts, the normaliser and import.

`strip(text)` cuts the chrome of a Markdown text wherever it sits and says what it kept; `scan(text)`
only looks.
"""

from __future__ import annotations

from dzenpress.chrome.clusters import Finding, Scan, scan, strip
from dzenpress.chrome.vocabulary import CHROME_LINES, CHROME_PHRASES, is_chrome_line, is_strong_line, plain_ui_text

__all__ = ["CHROME_LINES", "CHROME_PHRASES", "Finding", "Scan", "is_chrome_line", "is_strong_line", "plain_ui_text",
           "scan", "strip"]
