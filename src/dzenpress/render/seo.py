"""What goes into <head>: title, description, canonical, Open Graph, Twitter card, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dzenpress.config import Config
from dzenpress.content.post import Post

TITLE_MAX = 60  # characters of a <title> search results show; `check` warns past it


def titled(title: str, site_name: str) -> str:
    """The page's <title>: its own title, with « — site name» only when the whole still fits in TITLE_MAX
    (as the good SEO plugins do: the page's words matter more than the brand in a cut-off result)."""
    whole = f"{title} — {site_name}" if site_name else title
    return whole if len(whole) <= TITLE_MAX and title else title or site_name


@dataclass
class Head:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_width: int = 0
    image_height: int = 0
    robots: str = "index, follow"
    prev: str = ""
    next: str = ""
    published: str = ""
    modified: str = ""
    tags: tuple[str, ...] = ()
    jsonld: list[dict[str, Any]] = field(default_factory=list)

    def jsonld_script(self) -> str:
        """JSON-LD safe to embed in a <script> element."""
        if not self.jsonld:
            return ""
        graph = self.jsonld[0] if len(self.jsonld) == 1 else {"@context": "https://schema.org", "@graph": [
            {k: v for k, v in item.items() if k != "@context"} for item in self.jsonld]}
        text = json.dumps(graph, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def organization(cfg: Config) -> dict[str, Any]:
    org = cfg.organization
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": org.type or "Organization",
                            "@id": cfg.url + "/#organization", "name": org.name or cfg.name, "url": cfg.url + "/"}
    if cfg.logo:
        data["logo"] = {"@type": "ImageObject", "url": cfg.urls.file(cfg.logo)}
        data["image"] = cfg.urls.file(cfg.logo)
    if org.phone:
        data["telephone"] = org.phone
    if org.email:
        data["email"] = org.email
    if org.address:
        address = {"@type": "PostalAddress", "streetAddress": org.address}
        if org.city:
            address["addressLocality"] = org.city
        data["address"] = address
    if org.opening_hours:  # schema.org form only; the free-text `hours` is for readers
        data["openingHours"] = org.opening_hours[0] if len(org.opening_hours) == 1 else list(org.opening_hours)
    links = [url for url in org.messengers.values() if url.startswith("http")]
    if links:
        data["sameAs"] = links
    return data


def publisher(cfg: Config) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "@id": cfg.url + "/#organization",
                            "name": cfg.organization.name or cfg.name}
    if cfg.logo:
        data["logo"] = {"@type": "ImageObject", "url": cfg.urls.file(cfg.logo)}
    return data


def breadcrumbs(cfg: Config, trail: list[tuple[str, str]]) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": cfg.urls.file(url)}
        for i, (name, url) in enumerate(trail, 1)]}


def post_head(cfg: Config, post: Post, url: str, image: str, trail: list[tuple[str, str]],
              image_size: tuple[int, int] | None = None) -> Head:
    author = post.author or cfg.author
    article: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": post.title[:110],
        "description": post.description, "datePublished": post.date.isoformat(),
        "dateModified": post.modified.isoformat(), "inLanguage": cfg.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": {"@type": "Person", "name": author} if author else publisher(cfg),
        "publisher": publisher(cfg), "url": url,
    }
    if image:
        article["image"] = [image if not image_size else {"@type": "ImageObject", "url": image,
                                                          "width": image_size[0], "height": image_size[1]}]
    if post.tags:
        article["keywords"] = ", ".join(post.tags)
    if post.reviewer:
        article["mainEntityOfPage"]["reviewedBy"] = {"@type": "Person", "name": post.reviewer}
    if post.source:
        article["isBasedOn"] = post.source
    return Head(title=titled(post.title, cfg.name), description=post.description, canonical=url,
                og_type="article", image=image, image_width=image_size[0] if image_size else 0,
                image_height=image_size[1] if image_size else 0, published=post.date.isoformat(),
                modified=post.modified.isoformat(), tags=post.tags,
                jsonld=[article, breadcrumbs(cfg, trail)])


def website(cfg: Config) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "WebSite", "@id": cfg.url + "/#website",
            "url": cfg.url + "/", "name": cfg.name, "inLanguage": cfg.language,
            "publisher": {"@id": cfg.url + "/#organization"}}
