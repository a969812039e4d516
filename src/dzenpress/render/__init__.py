"""The static site: plan → render → stage → commit (see builder.py). Build through dzenpress.project."""

from dzenpress.render.builder import BuildReport, Progress

__all__ = ["BuildReport", "Progress"]
