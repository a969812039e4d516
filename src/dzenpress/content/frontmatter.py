"""YAML front matter: split, parse (C loader), locate keys by line, and rewrite one key in place.

Rewriting works on the raw text so every other key keeps its bytes, order and formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dzenpress.errors import PostError, raise_all

try:
    _Base: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


# Bounds on what a front matter may cost. The largest real one (62 Dzen imports) is 0.8 KB: 64 KiB leaves room
# for a thousand aliases. Aliases are not expanded while parsing, but anything that walks the data (the render
# keys, templates) meets each repetition again: 100,000 values after expansion is more than 64 KiB of text
# without aliases can hold, and ~10 ms to walk, while a 500-byte "billion laughs" expands to 387 million.
MAX_FRONT_BYTES = 64 * 1024
MAX_EXPANDED = 100_000


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, except that an impossible date (`2025-02-30`, `25:00`) stays the text it was, and
    that a key given twice in one mapping is recorded (PyYAML keeps the last value silently).

    PyYAML raises a bare ValueError for those dates; as text, the post's own validation reports them with
    file, line and key, exactly like the quoted form.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # (key, line of the repeat, line of the first) 0-based

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                self.duplicates.append((key_node.value, key_node.start_mark.line, seen[key]))
            else:
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_FENCE = re.compile(r"^---[ \t]*\r?$", re.M)
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.M)


@dataclass(frozen=True)
class Document:
    """A post file cut in two: the raw front matter text and the body."""

    front: str
    body: str
    body_line: int  # 1-based line number of the body's first line in the file

    def join(self) -> str:
        return f"---\n{self.front}---\n{self.body}"


def opens_front_matter(text: str) -> bool:
    """True when `text` starts with the `---` line that opens front matter (after a BOM)."""
    return _FENCE.match(text.removeprefix("\ufeff")) is not None


def split(text: str, path: Path) -> Document:
    text = text.removeprefix("\ufeff")
    if not opens_front_matter(text):
        raise PostError("no front matter: the file must start with a '---' line (`dzenpress clean` gives a "
                        "clipped page one)", path=path, line=1)
    start = text.index("\n") + 1 if "\n" in text else len(text)
    close = _CLOSE.search(text, start)
    if close is None:
        raise PostError("front matter is not closed by a '---' line", path=path, line=1)
    front = text[start : close.start()]
    rest = close.end()
    if text.startswith("\r\n", rest):
        rest += 2
    elif text.startswith("\n", rest):
        rest += 1
    return Document(front=front, body=text[rest:], body_line=text.count("\n", 0, rest) + 1)


_FENCE_BYTES = re.compile(_FENCE.pattern.encode(), re.M)
_CLOSE_BYTES = re.compile(_CLOSE.pattern.encode(), re.M)
_BOM = "\ufeff".encode()


def body_offset(raw: bytes) -> int | None:
    """Where `split` finds the body in the file's UTF-8 bytes, without decoding them (None: no front matter).

    The fences are ASCII and no byte of a multi-byte UTF-8 character is, so the patterns match at the same
    places in the bytes as in the text.
    """
    start_of_text = len(_BOM) if raw.startswith(_BOM) else 0
    data = raw[start_of_text:]
    if not _FENCE_BYTES.match(data):
        return None
    newline = data.find(b"\n")
    close = _CLOSE_BYTES.search(data, newline + 1 if newline >= 0 else len(data))
    if close is None:
        return None
    rest = close.end()
    if data.startswith(b"\r\n", rest):
        rest += 2
    elif data.startswith(b"\n", rest):
        rest += 1
    return start_of_text + rest


_KEY = re.compile(r"^[\w-]+:(\s|$)")
_QUOTED_VALUE = re.compile(r"""^([\w-]+):[ \t]+(['"])(.*)$""")


def _unclosed_quote(front: str, before: int) -> tuple[int, str] | None:
    """The first top-level `key: 'value` or `key: "value` line up to line `before` (0-based) whose quote
    does not close on that line: YAML reads on to the next quote and reports the error there."""
    lines = front.splitlines()
    for number, text in enumerate(lines[: before + 1]):
        found = _QUOTED_VALUE.match(text)
        if found is None:
            continue
        key, quote, rest = found.groups()
        body = rest.replace("''", "") if quote == "'" else re.sub(r'\\.', "", rest)
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if quote not in body and (not following or _QUOTED_VALUE.match(following) or _KEY.match(following)):
            return number, key  # the next line is a key of its own, not the value going on
    return None


def parse(front: str, path: Path) -> dict[str, Any]:
    """The front matter as a mapping; PostError (or ErrorGroup) naming file and line for anything wrong."""
    data, problems = parse_all(front, path)
    raise_all(problems)
    return data


def parse_all(front: str, path: Path) -> tuple[dict[str, Any], list[PostError]]:
    """The front matter and its problems that still leave a mapping to check (keys given twice): a post
    reports those together with its other errors."""
    size = len(front.encode())
    if size > MAX_FRONT_BYTES:
        raise PostError(f"front matter is {size:,} bytes; at most {MAX_FRONT_BYTES:,} (is the closing '---' "
                        "missing?)", path=path, line=1)
    loader = _Loader(front)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        if context is not None and (mark is None or mark.line >= front.count("\n")):
            mark = context  # the error surfaced at the end: where the unclosed construct began says more
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        quote = _unclosed_quote(front, line - 2)
        if quote is not None:
            line, key = quote[0] + 2, quote[1]
            problem = f"the quoted value of {key!r} is not closed on its line ({problem})"
        raise PostError(f"invalid YAML in front matter: {problem}", path=path, line=line) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        raise PostError("front matter must be a mapping of keys to values", path=path, line=2)
    problems = _expansion_problems(data, front, path)
    return data, problems + [_duplicate(front, path, *found) for found in loader.duplicates]


def _duplicate(front: str, path: Path, key: str, line: int, first: int) -> PostError:
    """A key given twice, at its second line; the field is the top-level key it is under."""
    offset = sum(len(text) for text in front.splitlines(keepends=True)[:line])
    top = next((name for name, (begin, end) in key_spans(front).items() if begin <= offset < end), key)
    return PostError(f"duplicate key: {key!r} is also given on line {first + 2}; remove one of them", path=path,
                     line=line + 2, field=str(top))


def _expansion_problems(data: dict[Any, Any], front: str, path: Path) -> list[PostError]:
    """Aliases that refer to themselves or that expand past MAX_EXPANDED values: a problem naming the key
    (whose value is dropped, so that nothing after this walks it)."""
    problems: list[PostError] = []
    total = 0
    memo: dict[int, int] = {}
    for key, value in list(data.items()):
        try:
            total += expanded_size(value, memo)
            if total <= MAX_EXPANDED:
                continue
            message = f"with its aliases expanded, this holds over {MAX_EXPANDED:,} values (a YAML alias bomb?)"
        except RecursionError:
            message = "an alias refers to a value that contains it (a cycle)"
        problems.append(PostError(message, path=path, line=key_line(front, str(key)) or 2, field=str(key)))
        del data[key]
        total = 0 if total > MAX_EXPANDED else total
    return problems


def expanded_size(value: object, memo: dict[int, int]) -> int:
    """How many values `value` holds once every shared list or mapping is counted each time it is used.
    Linear in the distinct objects (memo by id); RecursionError for a cycle. Not recursive itself."""
    if not isinstance(value, _CONTAINERS):
        return 1
    stack: list[tuple[object, bool]] = [(value, False)]
    open_: set[int] = set()
    while stack:
        obj, done = stack.pop()
        if id(obj) in memo:
            continue
        children = [c for c in _children(obj) if isinstance(c, _CONTAINERS)]
        if done:
            open_.discard(id(obj))
            memo[id(obj)] = min(1 + sum(memo[id(c)] if isinstance(c, _CONTAINERS) else 1 for c in _children(obj)),
                                MAX_EXPANDED + 1)
            continue
        if id(obj) in open_:
            raise RecursionError
        open_.add(id(obj))
        stack.append((obj, True))
        for child in children:
            if id(child) in open_:
                raise RecursionError
            stack.append((child, False))
    return memo[id(value)]


_CONTAINERS = (list, dict, tuple, set)


def _children(obj: object) -> list[object]:
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    return list(obj) if isinstance(obj, _CONTAINERS) else []


def key_line(front: str, key: str) -> int | None:
    """File line number where top-level `key` starts (front matter begins on line 2); of a key given twice,
    the last, whose value YAML keeps (and an error about the value is about)."""
    found = None
    for m in _TOP_KEY.finditer(front):
        if m.group(1) == key:
            found = m.start()
    return None if found is None else front.count("\n", 0, found) + 2


def key_spans(front: str) -> dict[str, tuple[int, int]]:
    """Character span of each top-level key's whole entry (key line + continuation lines)."""
    starts = [(m.group(1), m.start()) for m in _TOP_KEY.finditer(front)]
    spans: dict[str, tuple[int, int]] = {}
    for i, (key, begin) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(front)
        spans[key] = (begin, end)
    return spans


def dump_value(key: str, value: Any) -> str:
    """One `key: value` entry in the style real posts use (folded `>-` for long strings)."""
    if isinstance(value, str) and len(value) + len(key) > 76 and "\n" not in value:
        entry = _folded(key, value)
        if yaml.load(entry, Loader=_Loader) == {key: value}:  # noqa: S506 - a safe loader
            return entry
    return str(yaml.dump({key: value}, Dumper=_IndentedDumper, allow_unicode=True, width=1_000_000,
                         sort_keys=False, default_flow_style=False))


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key (`tags:\n  - dzen`), as real posts have them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _folded(key: str, value: str, width: int = 78) -> str:
    lines: list[str] = []
    line = ""
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return f"{key}: >-\n" + "".join(f"  {text}\n" for text in lines)


def set_key(front: str, key: str, value: Any, after: str | None = None) -> str:
    """Replace `key`'s entry (or insert it after `after`, else at the end), leaving all else byte-identical."""
    entry = dump_value(key, value)
    spans = key_spans(front)
    if key in spans:
        begin, end = spans[key]
        trailing = front[begin:end][len(front[begin:end].rstrip("\n")):]
        return front[:begin] + entry.rstrip("\n") + (trailing or "\n") + front[end:]
    if after is not None and after in spans:
        pos = spans[after][1]
        return front[:pos] + entry + front[pos:]
    sep = "" if not front or front.endswith("\n") else "\n"
    return front + sep + entry
