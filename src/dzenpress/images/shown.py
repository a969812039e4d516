"""The images one page shows: the part of the image plan a render function may read.

A page's context holds a `ShownImages`: the site paths of the images it shows (a post's cover and body
images, its cards' covers) and whose Open Graph image it uses. Its recipe key holds what those turned out
to be (content digests, kinds, the Open Graph image), never the whole plan; markup for any other image the
plan knows is refused, so a template cannot show an image its key does not cover.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dzenpress.content.post import Post
from dzenpress.errors import BuildError
from dzenpress.images.plan import ImagePlan, canonical, site_path


@dataclass(frozen=True)
class ShownImages:
    plan: ImagePlan
    srcs: tuple[str, ...]  # canonical site paths of the images this page shows
    og: str = ""  # the slug of the post whose Open Graph image this page uses

    def key(self) -> tuple[object, ...]:
        """What the page shows of its images: the recipe key holds this in place of the plan."""
        return tuple(self.plan.key(src) for src in self.srcs), self.plan.og_of(self.og) if self.og else None

    def picture(self, src: str | None, alt: str = "", role: str = "inline", eager: bool = False,
                priority: bool = False) -> str:
        """`picture()` in templates: responsive markup for one of this page's images (or a plain <img>)."""
        if src:
            path = canonical(src)
            if path in self.plan.sources and path not in self.srcs:
                raise BuildError(f"a template shows the image {src}, which its page's context does not hold "
                                 "(its recipe key would not cover it)", path=src)
        return self.plan.picture(src, alt, role, eager=eager, priority=priority)

    def og_image(self, post: Post) -> tuple[str, int, int] | None:
        if post.slug != self.og:
            raise BuildError(f"the Open Graph image of {post.slug} is not in this page's context", path=post.path)
        return self.plan.og_of(post.slug)

    def body_pictures(self, post: Post) -> Callable[[str, str, int], str | None]:
        """For the Markdown renderer: the n-th body image of `post`, eager (and high priority) when it is the
        first one of a post without a cover. None leaves an image the plan does not know as it is."""
        has_cover = bool(post.cover)

        def body(src: str, alt: str, n: int) -> str | None:
            path = site_path(post, src)
            if path not in self.plan.sources:
                return None
            first = n == 0 and not has_cover
            return self.picture(path, alt, "inline", eager=first, priority=first)

        return body


def shown_by_post(plan: ImagePlan, post: Post, cards: list[Post]) -> ShownImages:
    """A post page: its cover, its body images and Open Graph image, and the covers of its cards."""
    covers = tuple(canonical(p.cover) for p in cards if p.cover)
    return ShownImages(plan, (*plan.own(post), *covers), post.slug)


def shown_by_cards(plan: ImagePlan, cards: list[Post]) -> ShownImages:
    """A list, the home page, the 404 page: the covers of their cards."""
    return ShownImages(plan, tuple(canonical(p.cover) for p in cards if p.cover))
