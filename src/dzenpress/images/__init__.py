"""Responsive images: AVIF/WebP variants, Open Graph images and cards, a content-addressed cache.

The build calls `prepare(site, ...)` (or `plan_variants` then `encode`) before rendering; pages call
`plan.picture(...)`, `plan.og(post)` and put `plan.key(...)` / `plan.post_key(post)` into what their
recipe keys are made of.
"""

from __future__ import annotations

from dzenpress.content.site import Site
from dzenpress.errors import raise_all
from dzenpress.images.plan import EncodeReport, ImagePlan, Progress, encode, plan_variants
from dzenpress.images.shown import ShownImages, shown_by_cards, shown_by_post

__all__ = ["EncodeReport", "ImagePlan", "ShownImages", "encode", "plan_variants", "prepare", "shown_by_cards",
           "shown_by_post"]


def prepare(site: Site, *, jobs: int | None = None, progress: Progress | None = None) -> ImagePlan:
    """Plan and encode every image the site shows. A bad image stops the build with every problem listed
    when `[images] on_error = "stop"`; otherwise each becomes a warning and the page shows the file as is."""
    plan = plan_variants(site)
    result = encode(plan, site.posts, jobs=jobs, progress=progress)
    if result.problems and site.config.images.on_error == "stop":
        raise_all(result.problems)
    plan.warnings += [str(p) for p in result.problems]
    return plan
