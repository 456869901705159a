"""What changed between two texts, with removals and additions marked.

Blocks (paragraphs, headings, whole lists) are compared first; a block that was
edited rather than replaced is compared word by word, so a changed word is
marked, not the whole paragraph.
"""

import difflib
import re

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from policy.rendering import render_markdown

BLANK_LINES = re.compile(r"\n\s*\n")
TOKENS = re.compile(r"\s+|\S+")
# Heading and list markers stay outside <ins>/<del>, so the structure survives.
MARKER = re.compile(r"^(#{1,6}|[-*+]|\d+\.)$")
# Below this similarity an edited block is shown as removed and added whole.
EDITED = 0.5


def blocks(markdown_text):
    return [block.strip() for block in BLANK_LINES.split(markdown_text) if block.strip()]


def _mark(tag, tokens, keep_markers):
    out, run = [], []

    def flush():
        text = "".join(run)
        words = text.strip()
        if words:
            start = text.index(words)
            out.append(f"{text[:start]}<{tag}>{words}</{tag}>{text[start + len(words) :]}")
        else:
            out.append(text)
        run.clear()

    for token in tokens:
        if MARKER.match(token) or (token.isspace() and "\n" in token):
            flush()
            if keep_markers or token.isspace():
                out.append(token)
        else:
            run.append(token)
    flush()
    return out


def _word_diff(old, new):
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        str.isspace, a, b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            out += b[j1:j2]
        else:
            out += _mark("del", a[i1:i2], keep_markers=False)
            out += _mark("ins", b[j1:j2], keep_markers=True)
    return render_markdown("".join(out), extra_tags={"ins", "del"})


def _changed(old_blocks, new_blocks):
    parts = []
    for k in range(max(len(old_blocks), len(new_blocks))):
        old = old_blocks[k] if k < len(old_blocks) else None
        new = new_blocks[k] if k < len(new_blocks) else None
        if old and new and difflib.SequenceMatcher(a=old, b=new).ratio() >= EDITED:
            parts.append(_word_diff(old, new))
            continue
        if old:
            parts.append(f'<del class="diff-del">{render_markdown(old)}</del>')
        if new:
            parts.append(f'<ins class="diff-ins">{render_markdown(new)}</ins>')
    return parts


def diff_html(old_markdown, new_markdown):
    """The new text rendered, with removed text in <del> and added text in <ins>."""
    old, new = blocks(old_markdown), blocks(new_markdown)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += [render_markdown(block) for block in new[j1:j2]]
        else:
            parts += _changed(old[i1:i2], new[j1:j2])
    # Every piece is sanitised render_markdown() output wrapped in fixed tags.
    return mark_safe("\n".join(parts))  # noqa: S308


def diff_versions(old, new, language=None):
    """diff_html() of two versions in `language`; Swedish unless both are translated."""
    english = (language or get_language()) == "en" and old.body_en and new.body_en
    if english:
        return diff_html(old.body_en, new.body_en)
    return diff_html(old.body_sv, new.body_sv)
