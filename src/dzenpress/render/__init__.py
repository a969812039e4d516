"""The static-site build: plan → render → stage → commit (see builder.py)."""

from dzenpress.render.builder import BuildReport, Progress, build

__all__ = ["BuildReport", "Progress", "build"]
