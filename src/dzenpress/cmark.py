"""cmark-gfm's HTML for Markdown, as cmarkgfm.markdown_to_html_with_extensions makes it, without its leak.

cmarkgfm's wrapper never frees the parsed tree or the HTML buffer (~100 KB a post, its issue #53: a gigabyte
over 10,000 posts, and more in `clean`, which renders every paragraph several times). Here the bytes are fed
as they are and what cmark allocates is freed with the library's own functions; where the shared object does
not export them, cmarkgfm's wrapper is used (the same HTML).
"""

from __future__ import annotations

import ctypes
from typing import Any

import cmarkgfm
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

EXTENSIONS = ["table", "strikethrough", "autolink"]
SAFE = Options.CMARK_OPT_DEFAULT  # safe: cmark drops raw HTML and dangerous URLs (any letter case)
UNSAFE = Options.CMARK_OPT_UNSAFE


def html(source: bytes, options: int = SAFE) -> str:
    """The HTML of UTF-8 Markdown with the GFM table, strikethrough and autolink extensions."""
    if FREE is None:  # the library's free functions were not found: cmarkgfm's own (leaking) wrapper
        return str(cmarkgfm.markdown_to_html_with_extensions(source.decode(), options=options,
                                                             extensions=EXTENSIONS))
    lib, ffi = _cmark.lib, _cmark.ffi
    parser = lib.cmark_parser_new(options)
    try:
        for extension in SYNTAX:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        lib.cmark_parser_feed(parser, source, len(source))
        root = lib.cmark_parser_finish(parser)
        try:
            if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
                raise ValueError("Error parsing markdown!")
            buffer = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return str(ffi.string(buffer).decode("utf-8"))
            finally:
                FREE[1](int(ffi.cast("uintptr_t", buffer)))
        finally:
            FREE[0](int(ffi.cast("uintptr_t", root)))
    finally:
        lib.cmark_parser_free(parser)


class _Allocator(ctypes.Structure):
    _fields_ = (("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)))


def _free_functions() -> tuple[Any, Any] | None:
    """(cmark_node_free, the default allocator's free) from the library cmarkgfm loaded (its cffi module
    does not declare them), or None where the shared object does not export them."""
    try:
        lib = ctypes.CDLL(_cmark.__file__)
        node_free = lib.cmark_node_free
        node_free.argtypes, node_free.restype = (ctypes.c_void_p,), None
        allocator = lib.cmark_get_default_mem_allocator
        allocator.argtypes, allocator.restype = (), ctypes.POINTER(_Allocator)
        return node_free, allocator().contents.free
    except (OSError, AttributeError, ValueError):
        return None


_cmark.lib.cmark_gfm_core_extensions_ensure_registered()
SYNTAX = [_cmark.lib.cmark_find_syntax_extension(name.encode()) for name in EXTENSIONS]
FREE = _free_functions()
