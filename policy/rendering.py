"""Markdown to safe HTML, and the fingerprint of a published text."""

import hashlib
import json

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def render_markdown(text, extra_tags=frozenset()):
    """Render Markdown, then keep only harmless tags, attributes and link schemes.

    A line break in the text is a line break on the page (the address block).
    Raw HTML in the source is not trusted: nh3 strips scripts, event handler
    attributes and `javascript:` links, whatever Markdown let through.
    """
    html = markdown.markdown(text, extensions=["nl2br", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | extra_tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def content_sha256(*, title_sv, body_sv, title_en, body_en):
    """SHA-256 of exactly what a published version says, in both languages."""
    payload = json.dumps(
        {"title_sv": title_sv, "body_sv": body_sv, "title_en": title_en, "body_en": body_en},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()
