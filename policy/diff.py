"""What changed between two texts, block by block, with removals and additions marked."""

import difflib
import re

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from policy.rendering import render_markdown

BLANK_LINES = re.compile(r"\n\s*\n")


def blocks(markdown_text):
    """Paragraphs, headings and whole lists: the units a reader notices changing."""
    return [block.strip() for block in BLANK_LINES.split(markdown_text) if block.strip()]


def diff_html(old_markdown, new_markdown):
    """The new text rendered, with removed blocks in <del> and added ones in <ins>."""
    old, new = blocks(old_markdown), blocks(new_markdown)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += [("", render_markdown(block)) for block in new[j1:j2]]
            continue
        parts += [("del", render_markdown(block)) for block in old[i1:i2]]
        parts += [("ins", render_markdown(block)) for block in new[j1:j2]]
    # Every piece is sanitised render_markdown() output; the marks are fixed tags.
    marked = (f'<{tag} class="diff-{tag}">{html}</{tag}>' if tag else html for tag, html in parts)
    return mark_safe("\n".join(marked))  # noqa: S308


def diff_versions(old, new, language=None):
    """diff_html() of two versions in `language`; Swedish unless both are translated."""
    english = (language or get_language()) == "en" and old.body_en and new.body_en
    if english:
        return diff_html(old.body_en, new.body_en)
    return diff_html(old.body_sv, new.body_sv)
