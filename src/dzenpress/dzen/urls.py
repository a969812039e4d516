"""Dzen URL forms, for import: they live in dzenpress.dzen_urls, below the normaliser that uses them too."""

from dzenpress.dzen_urls import (
    DZEN_HOSTS,
    RESERVED,
    ArticleRef,
    ChannelRef,
    article_id_to_hex,
    canonical_source,
    clean_url,
    hex_to_article_id,
    is_dzen_host,
    parse_article,
    parse_channel,
    unwrap,
)

__all__ = ["DZEN_HOSTS", "RESERVED", "ArticleRef", "ChannelRef", "article_id_to_hex", "canonical_source", "clean_url",
           "hex_to_article_id", "is_dzen_host", "parse_article", "parse_channel", "unwrap"]
