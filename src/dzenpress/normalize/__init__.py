"""The Markdown normaliser shared by `import` and `clean`: normalize(text, title) → text + fired rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dzenpress.normalize.context import Context
from dzenpress.normalize.rules import breaks, chrome, clipper, escapes, headings, images, links, lists, teaser, title
from dzenpress.normalize.rules import whitespace as ws

RuleFn = Callable[[str, Context], str]
_MAX_PASSES = 4


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    steps: tuple[RuleFn, ...]


RULES: tuple[Rule, ...] = (
    Rule("chrome", "Dzen page chrome wherever it sits (channel header, subscribe box, comments, topic and "
                   "related-article cards, ads, Dzen Pro promos)",
         (chrome.strip_ads, chrome.strip_tail, chrome.strip_inside, chrome.strip_head, chrome.strip_tail)),
    Rule("clipper", "a clipper's excerpt quote above the article (MarkDownload's `> ## Excerpt` and its `---`)",
         (clipper.drop_excerpt,)),
    Rule("title", "the body's `# Title` that repeats the front-matter title", (title.drop_title_h1,)),
    Rule("teaser", "feed teasers: «…Читать далее» and paragraphs the article repeats below",
         (teaser.drop_teasers,)),
    Rule("links", "dzen.ru/away?to= wrappers unwrapped, Dzen tracking parameters dropped", (links.unwrap_links,)),
    Rule("images", "numeric or file-name alt text (real alt text and lazy-load placeholders are kept and reported)",
         (images.fix_images,)),
    Rule("breaks", "trailing-space line breaks that separate paragraphs → paragraph breaks", (breaks.split_breaks,)),
    Rule("lists", "`\\- item` and `• item` lines → real lists", (lists.make_lists,)),
    Rule("headings", "bold-paragraph and numbered pseudo-headings → ## / ### headings or numbered lists",
         (headings.make_headings,)),
    Rule("escapes", "backslash escapes Markdown does not need", (escapes.drop_escapes,)),
    Rule("whitespace", "runs of blank lines, meaningless trailing spaces", (ws.tidy,)),
)
RULE_NAMES = tuple(r.name for r in RULES)


@dataclass
class Normalized:
    text: str
    fired: list[str] = field(default_factory=list)


def normalize(text: str, title: str = "", disabled: Iterable[str] = (), settle: bool = True) -> Normalized:
    """Run every enabled rule, repeating until nothing changes, so normalising twice changes nothing.

    settle=False stops after the first pass: enough to know *whether* a text needs normalising.
    """
    off = set(disabled)
    unknown = off - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}; known: {', '.join(RULE_NAMES)}")
    ctx = Context(title=title)
    # a common baseline (a lone CR ends a line too), so rules fire only on real changes
    current = ws.tidy(text.replace("\r\n", "\n").replace("\r", "\n"), ctx)
    fired: list[str] = ["whitespace"] if current != text else []
    for _ in range(_MAX_PASSES):
        before = current
        for rule in RULES:
            if rule.name in off:
                continue
            after = current
            for step in rule.steps:
                after = step(after, ctx)
            if after != current and rule.name not in fired:
                fired.append(rule.name)
            current = after
        if current == before or not settle:
            break
    order = {name: i for i, name in enumerate(RULE_NAMES)}
    return Normalized(current, sorted(fired, key=order.__getitem__))
