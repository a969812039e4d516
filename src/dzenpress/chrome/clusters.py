"""Dzen's chrome as clusters of lines: found wherever it sits, cut only when its shape is whole.

- An ad: a label («Реклама», «Реклама • 16+», «16+Реклама», «erid: …») or a link through an ad network's
  redirector, with short texts between and at least three different ad parts (label, age mark, button,
  domain, price, tracker link, advertiser's legal line). The advertiser's title may stand just outside.
  An ad has one label and one button: texts after a whole ad and before a second one (or a box) are neither's.
- A recommendation card: a link to another article carrying `place=article_related`, with its picture,
  title, teaser, reading time («4 минуты») and channel line. A text joins it only in a card's role: inside
  a link split over lines (title, channel name), or as its teaser, cut off («…»), right after its link.
- A UI box: a run of UI lines with at least one that no author writes as a paragraph (subscribe box,
  comments widget, Dzen Pro promo, «Реклама • 16+») and the channel name beside it.

A cluster never grows over a text that has no role in it, so an author's short line between two clusters
(a subscribe box and a card, two ads) stays.

Anything else that looks like a part of these (a lone «Реклама», a button word, a teaser ending a
card that could also be the author's sentence) is kept and reported, so a person decides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from dzenpress.chrome import vocabulary as v
from dzenpress.chrome.shapes import AD_KINDS, Kind, classify, cut_off, stems

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_MAX_SHORT_RUN = 3  # texts in a row inside an ad or a card: title, text, advertiser
_MIN_AD_PARTS = 3
_EDGE_TEXT = 100
_AD_TEXT = 150  # characters: an ad's text is a line or two
_MAX_EDGE_TEXTS = 2  # an advertiser's name and slogan just outside the label and buttons
_NUMBER = re.compile(r"^[\d\s,.]*$")


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based line of the text it was found in
    shape: str
    text: str


@dataclass
class Scan:
    cut: set[int] = field(default_factory=set)  # 0-based line indexes that are chrome
    found: list[Finding] = field(default_factory=list)  # one per cut cluster, at its first line
    kept: list[Finding] = field(default_factory=list)  # look-alikes left in place


@dataclass(frozen=True)
class _Unit:
    index: int  # line index in the text
    kind: Kind
    text: str


def scan(text: str, boxes: bool = True) -> Scan:
    """Which lines of a Markdown text are Dzen chrome, and which look like it but are kept.

    boxes=False finds only whole ads (whose parts, once another rule took one away, could no longer be told).
    """
    units = _units(text.split("\n"))
    result = Scan()
    taken: set[int] = set()  # unit positions already part of a cluster
    owner: dict[int, str] = {}  # unit position → the shape it was cut as
    _ads(units, taken, result, owner)
    if boxes:
        _clusters(units, taken, result, (Kind.RELATED,), _card_window, "related-article card", owner)
        _ui_boxes(units, taken, result, owner)
        _report_leftovers(units, taken, result, owner)
    result.found.sort(key=lambda f: f.line)
    result.kept.sort(key=lambda f: f.line)
    return result


def strip(text: str, boxes: bool = True) -> tuple[str, Scan]:
    """The text without its chrome lines (blank-line structure left for the caller to tidy)."""
    found = scan(text, boxes)
    if not found.cut:
        return text, found
    lines = text.split("\n")
    return "\n".join(line for i, line in enumerate(lines) if i not in found.cut), found


def _units(lines: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            units.append(_Unit(i, Kind.BARRIER, line))
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            units.append(_Unit(i, Kind.BARRIER, line))
        elif line.strip():
            units.append(_Unit(i, Kind.BARRIER if _INDENTED.match(line) else classify(line), line))
    return units


def _ad_kinds(unit: _Unit) -> set[Kind]:
    if unit.kind is not Kind.AD_LABEL:
        return set(AD_KINDS & {unit.kind})
    kinds: set[Kind] = {Kind.AD_LABEL}
    plain = v.plain_ui_text(unit.text) or ""
    if re.search(v.AGE, plain):
        kinds.add(Kind.AGE)
    if v.LEGAL.search(plain) or re.search(r"erid", plain, re.I):
        kinds.add(Kind.LEGAL)
    return kinds


_AD_PARTS = AD_KINDS
_CARD_PARTS = frozenset({Kind.RELATED, Kind.STUB, Kind.IMAGE})
# what a card shows besides its link: reading time, reads and age, the channel's «Подписаться», counters
_CARD_META = re.compile(r"\d+\s*мин\w*\.?|.*читали.*|подписаться|.*назад|[\d\s,.]+(?:тыс\.?|млн\.?)?|"
                        r"\d{1,2}\s+[а-яё]+(?:\s+\d{4})?", re.I)


def _card_part(unit: _Unit) -> bool:
    if unit.kind in _CARD_PARTS:
        return True
    plain = v.plain_ui_text(unit.text)
    return unit.kind in (Kind.UI, Kind.STRONG) and plain is not None and bool(_CARD_META.fullmatch(plain))


def _expand(units: list[_Unit], start: int, part: Callable[[_Unit], bool], taken: set[int],
            once: frozenset[Kind] = frozenset(), text: Callable[[int], bool] = lambda k: True,
            reach: int | None = None) -> tuple[int, int]:
    """The run of parts around `start`, through at most a few texts (those `text` accepts) or pictures in a row.

    A kind in `once` seen a second time begins the next ad: the window stops before it. `reach` bounds how
    many lines from `start` the window may go.
    """
    lowest, highest = 0, len(units) - 1
    if reach is not None:
        lowest, highest = max(lowest, start - reach), min(highest, start + reach)
    bounds = []
    for step in (-1, 1):
        j, shorts = start, 0
        seen = {units[start].kind} & once
        while lowest <= j + step <= highest and j + step not in taken:
            unit = units[j + step]
            if unit.kind in (Kind.SHORT, Kind.IMAGE) and not part(unit) and text(j + step):
                shorts += 1
                if shorts > _MAX_SHORT_RUN:
                    break
            elif part(unit) and unit.kind not in seen:
                shorts = 0
                seen |= {unit.kind} & once
            else:
                break
            j += step
        bounds.append(j)
    return bounds[0], bounds[1]


def _ads(units: list[_Unit], taken: set[int], result: Scan, owner: dict[int, str]) -> None:
    """Every whole ad; then the titles and slogans beside them, judged against the article's words alone."""
    windows: list[tuple[int, int]] = []
    for i, unit in enumerate(units):
        if unit.kind in (Kind.TRACKER, Kind.AD_LABEL) and i not in taken:
            lo, hi, whole = _ad_window(units, i, taken)
            if whole:
                windows.append((lo, hi))
                taken.update(range(lo, hi + 1))
    windows = [_with_adjacent_parts(units, lo, hi, taken) for lo, hi in windows]
    beside = {k for lo, hi in windows for side in _edge_sides(units, lo, hi, taken) for k in side}
    vocabulary: Counter[str] = Counter()
    for i, unit in enumerate(units):
        if i not in taken and i not in beside:
            vocabulary.update(stems(unit.text))
    for window in windows:
        lo, hi = _foreign_edges(units, *window, vocabulary)
        taken.update(range(lo, hi + 1))
        owner.update(dict.fromkeys(range(lo, hi + 1), "ad"))
        result.cut.update(units[k].index for k in range(lo, hi + 1))
        result.found.append(Finding(units[lo].index + 1, "ad", units[lo].text.strip()))


def _with_adjacent_parts(units: list[_Unit], lo: int, hi: int, taken: set[int]) -> tuple[int, int]:
    """A label, button or link right beside a whole ad is its own (two ads in a row split unevenly)."""
    while lo > 0 and lo - 1 not in taken and units[lo - 1].kind in AD_KINDS:
        lo -= 1
        taken.add(lo)
    while hi + 1 < len(units) and hi + 1 not in taken and units[hi + 1].kind in AD_KINDS:
        hi += 1
        taken.add(hi)
    return lo, hi


def _ad_window(units: list[_Unit], seed: int, taken: set[int]) -> tuple[int, int, bool]:
    lo, hi = _expand(units, seed, lambda u: u.kind in _AD_PARTS and u.kind is not Kind.IMAGE, taken,
                     once=frozenset({Kind.AD_LABEL, Kind.CTA}),
                     text=lambda k: units[k].kind is Kind.SHORT and len(units[k].text.strip()) <= _AD_TEXT,
                     reach=_AD_REACH)
    lo, hi = _trim(units, lo, hi, seed, lambda u: False)
    if not _whole_ad(units, lo, hi):
        return lo, hi, False
    lo, hi = _between_ads(units, lo, hi, seed, taken)
    return lo, hi, _whole_ad(units, lo, hi)


def _whole_ad(units: list[_Unit], lo: int, hi: int) -> bool:
    kinds: set[Kind] = set()
    for unit in units[lo : hi + 1]:
        kinds |= _ad_kinds(unit)
    return bool(kinds & {Kind.AD_LABEL, Kind.TRACKER}) and len(kinds) >= _MIN_AD_PARTS


_AD_SPAN = 10  # lines an ad spans at most: a label, a picture, a few texts, a price, a domain, a button
# lines an ad's window reaches from its seed: two ads glued together at most. A chain of tracker links and
# texts that is no ad was walked whole from each of its links (quadratic: 25 s of clean for 100 KB)
_AD_REACH = 3 * _AD_SPAN


class _Tally:
    """The parts of one ad seen so far: its kinds, and how many labels and buttons (an ad has one of each)."""

    def __init__(self) -> None:
        self.kinds: set[Kind] = set()
        self.labels = 0
        self.buttons = 0

    def add(self, unit: _Unit) -> None:
        self.kinds |= _ad_kinds(unit)
        self.labels += unit.kind is Kind.AD_LABEL
        self.buttons += unit.kind is Kind.CTA or (unit.kind is Kind.TRACKER and _is_button(unit))

    def whole(self) -> bool:
        return bool(self.kinds & {Kind.AD_LABEL, Kind.TRACKER}) and len(self.kinds) >= _MIN_AD_PARTS

    def ends(self) -> bool:
        """Whole, its button included: what follows is no longer this ad's."""
        return self.whole() and self.buttons > 0

    def twice(self, other: _Tally) -> bool:
        """Together they have two labels or two buttons: they are not one ad."""
        return self.labels + other.labels > 1 or self.buttons + other.buttons > 1


_LINK_TEXT = re.compile(r"^\s*\[([^\[\]]*)\]\(")


def _is_button(unit: _Unit) -> bool:
    """A tracker link that reads as a button («Узнать цену»), not as the ad's title, domain or picture."""
    m = _LINK_TEXT.match(unit.text)
    plain = v.plain_ui_text(m.group(1)) if m else None
    return plain is not None and v.CALLS_TO_ACTION.fullmatch(plain) is not None


def _between_ads(units: list[_Unit], lo: int, hi: int, seed: int, taken: set[int]) -> tuple[int, int]:
    """End the window at the first run of texts, from the seed out, that lies between this ad and another cluster.

    One ad has one label and one button. A run of texts with this ad whole on the seed's side, its button
    included, and on the other side a second ad whole on its own or a box's lines (glued to a line no ad has,
    as the Dzen Pro promo's button is), the two together having two labels or two buttons, belongs to neither
    ad: it is the article's, unless `_foreign_edges` finds the texts next to the other ad to be its title and
    slogan by their words.
    """
    for step in (-1, 1):
        near = _Tally()
        for k in (range(seed, hi + 1) if step < 0 else range(lo, seed + 1)):
            near.add(units[k])
        end = lo if step < 0 else hi
        j = seed + step
        while (end - j) * step >= 0:
            if units[j].kind in AD_KINDS:
                near.add(units[j])
                j += step
                continue
            gap = j
            while (end - j) * step >= 0 and units[j].kind not in AD_KINDS:
                j += step
            if (end - j) * step >= 0 and near.ends() and _another_cluster(units, j, step, taken, near):
                if step < 0:
                    lo = gap + 1
                else:
                    hi = gap - 1
                break
    return lo, hi


def _another_cluster(units: list[_Unit], start: int, step: int, taken: set[int], near: _Tally) -> bool:
    """From `start` away from an ad: another ad, whole on its own, or the lines of a box glued to one no ad has
    (a subscribe box, the Dzen Pro promo), with a second label or button: not this ad's."""
    far = _Tally()
    k, texts, glued = start, 0, True
    for _ in range(_AD_SPAN):
        if not 0 <= k < len(units) or k in taken:
            break
        unit = units[k]
        if unit.kind in AD_KINDS:
            if (unit.kind is Kind.AD_LABEL and far.labels) or (unit.kind is Kind.CTA and far.buttons):
                break  # a third ad begins
            texts = 0
            far.add(unit)
        elif unit.kind is Kind.SHORT and texts < _MAX_SHORT_RUN:
            texts += 1
            glued = False
        else:
            if glued and unit.kind in (Kind.STRONG, Kind.RELATED):
                return near.twice(far)
            break
        k += step
    return far.whole() and near.twice(far)


_OPENS = frozenset({Kind.AD_LABEL, Kind.AGE, Kind.TRACKER})
_CLOSES = frozenset({Kind.AD_LABEL, Kind.AGE, Kind.CTA, Kind.TRACKER, Kind.LEGAL})


def _edge_texts(units: list[_Unit], start: int, step: int, taken: set[int]) -> list[int]:
    """The short texts right outside an ad, nearest first: its title and slogan, or the author's lines."""
    found: list[int] = []
    k = start
    while len(found) < _MAX_EDGE_TEXTS and 0 <= k < len(units) and k not in taken and units[k].kind is Kind.SHORT:
        found.append(k)
        k += step
    return found


def _edge_sides(units: list[_Unit], lo: int, hi: int, taken: set[int]) -> list[list[int]]:
    sides = []
    if units[lo].kind not in _OPENS:  # an ad that begins with its label begins there: the text above is not its
        sides.append(_edge_texts(units, lo - 1, -1, taken))
    if units[hi].kind not in _CLOSES:  # one that ends with its button or label ends there
        sides.append(_edge_texts(units, hi + 1, 1, taken))
    return sides


def _foreign_edges(units: list[_Unit], lo: int, hi: int, vocabulary: Counter[str]) -> tuple[int, int]:
    """An ad's title and slogan beside it: short texts whose words the article never uses elsewhere.

    `vocabulary` holds the words of the article with every ad and every text beside one left out, so the
    same ad shown twice is still foreign. A short text that shares a word with the article may be the
    author's subtitle: it stays (and is reported).
    """
    for side in _edge_sides(units, lo, hi, set()):
        for k in side:
            own = stems(units[k].text)
            if not own or any(vocabulary[w] > 0 for w in own) or not _starts_like_a_name(units[k].text):
                break
            lo, hi = min(lo, k), max(hi, k)
    return lo, hi


def _in_link(units: list[_Unit], k: int) -> bool:
    """Unit k stands inside a `[` … `](…)` link split over lines, among at most a few texts and pictures."""
    ends = []
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(units) and abs(j - k) <= _MAX_SHORT_RUN and units[j].kind in (Kind.SHORT, Kind.IMAGE):
            j += step
        ends.append(units[j].text.strip() if 0 <= j < len(units) else "")
    return ends[0] == "[" and ends[1].startswith("](")


def _card_window(units: list[_Unit], seed: int, taken: set[int]) -> tuple[int, int, bool]:
    def card_text(k: int) -> bool:
        """A text in a role the card's shape gives it: its title, channel name or picture inside a link split
        over lines, or its teaser, cut off as Dzen cuts it, right after the card's link. Anything else is the
        article's, however short: a card never grows over a line to reach the chrome beyond it."""
        unit = units[k]
        if unit.kind is Kind.IMAGE:  # a card's picture sits inside its link; the article's pictures stand alone
            return k > 0 and units[k - 1].text.strip() == "["
        return _in_link(units, k) or (cut_off(unit.text) and k > 0 and units[k - 1].kind is Kind.RELATED)

    lo, hi = _expand(units, seed, lambda u: _card_part(u) and u.kind is not Kind.IMAGE, taken, text=card_text)
    lo, hi = _trim(units, lo, hi, seed, lambda u: u.kind is Kind.SHORT and cut_off(u.text))
    return lo, hi, True


def _trim(units: list[_Unit], lo: int, hi: int, seed: int, ok: Callable[[_Unit], bool]) -> tuple[int, int]:
    """Shrink the window to its chrome: an article's image or sentence at its edge is not part of it.

    A text `ok` accepts may stay at an edge, right beside a part (a card's cut-off teaser); any other is the
    author's.
    """

    def inner(i: int) -> bool:  # a chrome part, not a text or a picture
        return units[i].kind not in (Kind.SHORT, Kind.IMAGE)

    while lo < seed and not inner(lo) and not (ok(units[lo]) and inner(lo + 1)):
        lo += 1
    while hi > seed and not inner(hi) and not (ok(units[hi]) and inner(hi - 1)):
        hi -= 1
    return lo, hi


Window = Callable[[list[_Unit], int, set[int]], tuple[int, int, bool]]


def _clusters(units: list[_Unit], taken: set[int], result: Scan, seeds: tuple[Kind, ...],
              window: Window, shape: str, owner: dict[int, str]) -> None:
    for i, unit in enumerate(units):
        if unit.kind not in seeds or i in taken:
            continue
        lo, hi, whole = window(units, i, taken)
        if not whole:
            continue
        for k in range(lo, hi + 1):
            taken.add(k)
            owner[k] = shape
            result.cut.add(units[k].index)
        result.found.append(Finding(units[lo].index + 1, shape, units[lo].text.strip()))


def _starts_like_a_name(text: str) -> bool:
    """An advertiser's title or slogan starts as a text of its own; a line ending the author's sentence does not."""
    plain = v.plain_ui_text(text) or ""
    starts = bool(plain) and (plain[0].isupper() or plain[0].isdigit() or plain[0] in "«\"")
    return starts and len(plain) <= _EDGE_TEXT and not re.search(r"[:;,—–-]\s*$", text)


def _strong(unit: _Unit) -> bool:
    return unit.kind is Kind.STRONG or (unit.kind is Kind.AD_LABEL and len(_ad_kinds(unit)) > 1)


_BOX_PARTS = frozenset({Kind.STRONG, Kind.UI, Kind.STUB, Kind.AD_LABEL, Kind.AGE, Kind.CTA})


def _ui_boxes(units: list[_Unit], taken: set[int], result: Scan, owner: dict[int, str]) -> None:
    """Runs of UI lines with one no author writes; a channel name beside one stays (and is reported)."""
    i = 0
    while i < len(units):
        if i in taken or units[i].kind not in _BOX_PARTS:
            i += 1
            continue
        j = i
        while j + 1 < len(units) and j + 1 not in taken and units[j + 1].kind in _BOX_PARTS:
            j += 1
        run = units[i : j + 1]
        if any(_strong(u) for u in run):
            for k in range(i, j + 1):
                taken.add(k)
                owner[k] = "box"
                result.cut.add(units[k].index)
            result.found.append(Finding(units[i].index + 1, _box_shape(run), units[i].text.strip()))
        i = j + 1


def _box_shape(run: list[_Unit]) -> str:
    text = " ".join(u.text.lower() for u in run)
    if "коммент" in text or "2500" in text:
        return "comments widget"
    if v.PRO_PROMO.search(text):
        return "Dzen Pro promo"
    if "подпис" in text:
        return "subscribe box"
    if "реклама" in text:
        return "ad label"
    return "Dzen page chrome"


_LOOKALIKES = {Kind.AD_LABEL: "ad label", Kind.TRACKER: "link through an ad network", Kind.CTA: "button text",
               Kind.UI: "Dzen UI text", Kind.RELATED: "related-article link"}


def _report_leftovers(units: list[_Unit], taken: set[int], result: Scan, owner: dict[int, str]) -> None:
    for i, unit in enumerate(units):
        if i in taken:
            continue
        shape = _LOOKALIKES.get(unit.kind)
        if shape and not _NUMBER.match(v.plain_ui_text(unit.text) or "0"):
            result.kept.append(Finding(unit.index + 1, shape, unit.text.strip()))
            continue
        if unit.kind is not Kind.SHORT:
            continue
        if owner.get(i - 1) == "related-article card" or owner.get(i + 1) == "related-article card":
            result.kept.append(Finding(unit.index + 1, "teaser beside a related-article card", unit.text.strip()))
        elif owner.get(i - 1) == "box" or owner.get(i + 1) == "box":
            result.kept.append(Finding(unit.index + 1, "text beside a Dzen UI box (a channel name?)",
                                       unit.text.strip()))
        elif _near(units, i, owner, "ad"):
            result.kept.append(Finding(unit.index + 1, "text beside an ad (its title, or the author's?)",
                                       unit.text.strip()))


def _near(units: list[_Unit], i: int, owner: dict[int, str], shape: str) -> bool:
    """Within the texts that may stand beside a shape: only short texts between it and unit i."""
    for step in (-1, 1):
        k = i + step
        for _ in range(_MAX_EDGE_TEXTS):
            if owner.get(k) == shape:
                return True
            if not (0 <= k < len(units)) or k in owner or units[k].kind is not Kind.SHORT:
                break
            k += step
    return False
