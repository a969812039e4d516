"""The site's images: which posts show which files in which role, and what each becomes.

`plan_variants(site)` reads no image (source digests and probes come from the cache index when the file's
stat is unchanged); `encode(plan)` probes and encodes what the cache lacks on every core; then the plan
answers the pages: <picture> markup, the Open Graph image, the files to put in the output, and a digest
per image for the keys of the pages that show it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from dzenpress import routes
from dzenpress.config import ImageSettings
from dzenpress.content.post import Post, read_body
from dzenpress.content.site import Site
from dzenpress.errors import BuildError, PostError
from dzenpress.hashing import digest
from dzenpress.images import markup, report
from dzenpress.images.cache import ImageCache, Probe
from dzenpress.images.encode import CARDS_PER_JOB, CardJob, JobResult, SourceJob, run_chunk
from dzenpress.images.og import FONT_ID
from dzenpress.images.variants import Variant, card_key, og_variant, variants_for
from dzenpress.parallel import map_in_chunks

Progress = Callable[[int, int], None]
CACHE_ENV = "DZENPRESS_IMAGE_CACHE"


@dataclass
class Use:
    post_file: str
    line: int | None
    field: str | None  # "cover" for the front-matter cover, None for the body


@dataclass
class Source:
    site_path: str
    file: Path
    digest: str
    roles: set[str] = field(default_factory=set)
    og: bool = False
    uses: list[Use] = field(default_factory=list)
    probe: Probe | None = None
    variants: dict[str, list[Variant]] = field(default_factory=dict)  # role → variants, after encode()
    og_variant: Variant | None = None


@dataclass
class EncodeReport:
    encoded: int = 0  # variants made now
    reused: int = 0  # variants found in the cache
    problems: list[PostError] = field(default_factory=list)


def canonical(src: str) -> str:
    return unquote(unescape(src)).split("#", 1)[0].split("?", 1)[0]


def site_path(post: Post, ref: str) -> str:
    """A reference as written in a post → the site path it names (relative ones live beside the post)."""
    path = canonical(ref)
    if path.startswith("/") or "://" in path:
        return path
    return routes.post_file(post.slug, path.removeprefix('./'))


class ImagePlan:
    def __init__(self, settings: ImageSettings, cache: ImageCache, site_name: str) -> None:
        self.settings, self.cache, self.site_name = settings, cache, site_name
        self.sources: dict[str, Source] = {}
        self.cards: dict[str, Variant] = {}  # slug → generated Open Graph card
        self.covers: dict[str, str] = {}  # slug → canonical cover path
        self.warnings: list[str] = []
        self.report = EncodeReport()
        self._own: dict[str, tuple[str, ...]] | None = None

    # ---- answers for the pages -----------------------------------------------------------------

    def picture(self, src: str | None, alt: str = "", role: str = "inline", eager: bool = False,
                priority: bool = False) -> str:
        """<picture> for a local image the plan knows; a plain sized <img> for anything else."""
        if not src:
            return ""
        source = self.sources.get(canonical(src))
        if source is None or source.probe is None or not source.variants.get(role):
            w, h = (source.probe.width, source.probe.height) if source and source.probe else (0, 0)
            return markup.img_tag(src, alt, w, h, eager=eager, priority=priority)
        return markup.picture(source.variants[role], alt, role, eager=eager, priority=priority,
                              source_width=source.probe.width)

    def body_pictures(self, post: Post) -> Callable[[str, str, int], str | None]:
        """For the Markdown renderer: the n-th body image, eager (and high priority) when it is the first
        one of a post without a cover. None leaves an image the plan does not know as it is."""
        has_cover = bool(post.cover)

        def body(src: str, alt: str, n: int) -> str | None:
            path = site_path(post, src)
            if path not in self.sources:
                return None
            first = n == 0 and not has_cover
            return self.picture(path, alt, "inline", eager=first, priority=first)

        return body

    def key(self, src: str | None) -> str:
        """What a page showing this image depends on: its content digest and what it turned out to be."""
        source = self.sources.get(canonical(src)) if src else None
        if source is None:
            return ""
        return f"{source.digest}:{source.probe.kind if source.probe else '?'}"

    def post_key(self, post: Post) -> str:
        og = self.og(post)
        return digest(repr((self.key(post.cover), [self.key(i) for i in post.images], og)).encode())

    def og(self, post: Post) -> tuple[str, int, int] | None:
        """(site path, width, height) of the post's Open Graph image."""
        return self.og_of(post.slug)

    def og_of(self, slug: str) -> tuple[str, int, int] | None:
        cover = self.covers.get(slug)
        source = self.sources.get(cover) if cover else None
        if source is not None and source.og_variant is not None:
            v = source.og_variant
        elif slug in self.cards:
            v = self.cards[slug]
        else:
            return None
        return v.url, v.width, v.height

    def own(self, post: Post) -> tuple[str, ...]:
        """Site paths of the images a post shows itself (its cover and body images), as the plan knows them."""
        if self._own is None:
            own: dict[str, set[str]] = {}
            for path, source in self.sources.items():
                for use in source.uses:
                    own.setdefault(use.post_file, set()).add(path)
            self._own = {file: tuple(sorted(paths)) for file, paths in own.items()}
        return self._own.get(post.file, ())

    def outputs(self) -> list[tuple[str, Path]]:
        """(output path, cached file) of every variant a page uses."""
        wanted: dict[str, Path] = {}
        for source in self.sources.values():
            for variants in source.variants.values():
                for v in variants:
                    wanted[v.output] = self.cache.path(v.key, v.ext)
            if source.og_variant is not None:
                v = source.og_variant
                wanted[v.output] = self.cache.path(v.key, v.ext)
        for v in self.cards.values():
            wanted[v.output] = self.cache.path(v.key, v.ext)
        return sorted(wanted.items())


def plan_variants(site: Site) -> ImagePlan:
    """Every local image each post shows, its roles, and the alt-text warnings. Reads no image data
    unless a file's stat changed since the last build."""
    shared = os.environ.get(CACHE_ENV)  # one cache for several sites (or a CI cache): keys are content
    folder = Path(shared) if shared else site.state_dir / "images"
    plan = ImagePlan(site.config.images, ImageCache(folder), site.config.name)
    for post in site.posts:
        if post.cover and not post.cover.startswith(("http://", "https://", "//")):
            source = _source(plan, site, post, post.cover, Use(post.file, None, "cover"))
            if source is not None:
                source.roles |= {"cover", "card"}
                source.og = True
                plan.covers[post.slug] = source.site_path
        images = set(post.images)
        if not images:
            continue
        for image in report.body_images(read_body(post), post.body_line):
            path = site_path(post, image.src)
            if image.src not in images and path not in images:
                continue  # remote or data: URLs
            source = _source(plan, site, post, path, Use(post.file, image.line, None))
            if source is not None:
                source.roles.add("inline")
            if image.alt.strip() and report.meaningless_alt(image.alt):  # as `check` (img-alt) sees it
                plan.warnings.append(report.alt_warning(post.file, image))
    return plan


def _source(plan: ImagePlan, site: Site, post: Post, ref: str, use: Use) -> Source | None:
    path = canonical(ref)
    source = plan.sources.get(path)
    if source is None:
        beside = post.assets.get(ref) or post.assets.get(path)
        file = Path(beside) if beside else site.public_dir / path.lstrip("/")
        try:
            st = os.stat(file)
        except OSError:
            return None  # a missing image is already a load error naming the post and line
        src_digest = plan.cache.source_digest(file, (st.st_mtime_ns, st.st_size))
        source = plan.sources[path] = Source(path, file, src_digest, probe=plan.cache.probe(src_digest))
    source.uses.append(use)
    return source


def encode(plan: ImagePlan, posts: list[Post], *, jobs: int | None = None,
           progress: Progress | None = None) -> EncodeReport:
    """Probe and encode whatever the cache lacks, on every core; then settle each image's variants."""
    s = plan.settings
    folder = str(plan.cache.folder)
    work: list[SourceJob | tuple[CardJob, ...]] = []
    owners: list[list[Source | str]] = []  # per job, the images it is for, or the slugs of the posts of its cards
    for source in plan.sources.values():
        if source.probe is None or _missing(plan, source, source.probe):
            work.append(SourceJob(str(source.file), source.digest, source.file.stem, tuple(sorted(source.roles)),
                                  source.og, s, folder, source.probe))
            owners.append([source])
    cards: list[CardJob] = []
    slugs: list[Source | str] = []
    for post in posts if s.og_cards else ():
        if post.cover:
            continue  # the cover (cropped, or as it is when remote or bad) is the Open Graph image
        card = card_key(plan.site_name, post.title, FONT_ID, s)
        plan.cards[post.slug] = card
        if not plan.cache.has(card.key, card.ext):
            cards.append(CardJob(card, plan.site_name, post.title, s.jpeg_quality, folder))
            slugs.append(post.slug)
    for i in range(0, len(cards), CARDS_PER_JOB):  # cards in batches, images one by one (each takes seconds)
        work.append(tuple(cards[i : i + CARDS_PER_JOB]))
        owners.append(slugs[i : i + CARDS_PER_JOB])
    out = plan.report
    results = map_in_chunks(run_chunk, work, min_items=2, jobs=jobs, chunk=1, start="spawn")
    try:
        _collect(plan, results, owners, progress, sum(map(len, owners)))
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool  # loaded only when something failed

        if not isinstance(exc, BrokenProcessPool):
            raise
        raise BuildError("image encoding stopped: a worker process died (out of memory, or libvips crashed on "
                         "a file); nothing was written. Run `dzenpress build -j 1` to see which image") from None
    _settle(plan)
    plan.cache.save({str(src.file) for src in plan.sources.values()})
    return out


def _collect(plan: ImagePlan, results: Iterator[tuple[SourceJob | tuple[CardJob, ...], list[JobResult]]],
             owners: list[list[Source | str]], progress: Progress | None, total: int) -> None:
    out = plan.report
    done = 0
    for (_, job_results), job_owners in zip(results, owners, strict=True):
        for result, owner in zip(job_results, job_owners, strict=True):
            out.encoded += len(result.encoded)
            if isinstance(owner, Source):
                owner.probe = result.probe
                plan.cache.remember(owner.digest, result.probe)
            elif result.probe.error:
                plan.cards.pop(owner, None)
                plan.warnings.append(result.probe.error)
            done += 1
            if progress:
                progress(done, total)


def _missing(plan: ImagePlan, source: Source, probe: Probe) -> bool:
    if probe.kind != "raster":
        return probe.kind == "bad"
    return any(not plan.cache.has(v.key, v.ext) for v in _all_variants(plan, source, probe))


def _all_variants(plan: ImagePlan, source: Source, probe: Probe) -> list[Variant]:
    s = plan.settings
    out = [v for role in sorted(source.roles) for v in variants_for(source.digest, source.file.stem, role, s,
                                                                     probe.width, probe.height, probe.alpha)]
    if source.og:
        out.append(og_variant(source.digest, source.file.stem, s))
    return out


def _settle(plan: ImagePlan) -> None:
    """Give each good image its variants; turn each bad one into a problem naming every post that shows it."""
    s = plan.settings
    out = plan.report
    for source in plan.sources.values():
        probe = source.probe
        if probe is None:
            continue
        if probe.error:
            for use in source.uses:
                line = use.line if use.line is not None else report.cover_line(use.post_file)
                out.problems.append(report.image_problem(use.post_file, source.site_path, probe.error, line,
                                                         use.field))
            continue
        if probe.kind != "raster":
            continue
        for role in source.roles:
            source.variants[role] = variants_for(source.digest, source.file.stem, role, s, probe.width,
                                                 probe.height, probe.alpha)
        if source.og:
            source.og_variant = og_variant(source.digest, source.file.stem, s)
    total = sum(len(v) for src in plan.sources.values() for v in src.variants.values())
    out.reused = max(0, total - out.encoded)
