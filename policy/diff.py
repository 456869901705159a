"""What changed between two texts, section by section, for a reader.

A text is cut into sections at its headings; sections are matched by heading (or, when a
heading was reworded, by their text). Within a changed section each changed paragraph is shown
twice, old and new, with the changed sentences or phrases marked: removals in the old one,
additions in the new one, so the two never interleave. Unchanged sections are kept whole, for
the page to fold away.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language

from policy.rendering import render_markdown

BLANK_LINES = re.compile(r"\n\s*\n")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# A line's Markdown marker (heading, list item) stays outside <ins>/<del>.
LINE_MARKER = re.compile(r"^(\s*(?:#{1,6}|[-*+]|\d+\.)\s+)?(.*)$")
# Phrases: text up to and including a punctuation mark, with the space after it.
PHRASES = re.compile(r"[^,;:.!?()]*[,;:.!?()]+\s*|[^,;:.!?()]+\s*")
WORDS = re.compile(r"\s*\S+\s*")
# Below this similarity two paragraphs (or sections) are shown as removed and added whole.
EDITED = 0.5


class Status:
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"
    UNCHANGED = "unchanged"


@dataclass
class Change:
    """One changed paragraph: its old and new text rendered, either of them empty."""

    old: str = ""
    new: str = ""


@dataclass
class Section:
    anchor: str
    heading: str  # the new heading (the old one if the section was removed); "" for the intro
    status: str
    old_heading: str = ""  # the old heading when it was reworded
    changes: list = field(default_factory=list)
    text: str = ""  # an unchanged section, rendered

    @property
    def is_changed(self):
        return self.status != Status.UNCHANGED


@dataclass
class Diff:
    sections: list

    @property
    def changed(self):
        return [section for section in self.sections if section.is_changed]


def blocks(markdown_text):
    # A text edited in a browser's form comes back with CRLF line ends.
    text = markdown_text.replace("\r\n", "\n")
    return [block.strip() for block in BLANK_LINES.split(text) if block.strip()]


def sections(markdown_text):
    """[(heading, blocks)]: the text before the first heading has the heading ""."""
    found = [("", [])]
    for block in blocks(markdown_text):
        heading = HEADING.match(block)
        if heading and "\n" not in block:
            found.append((heading.group(2).strip(), []))
        else:
            found[-1][1].append(block)
    return [section for section in found if section[0] or section[1]]


def _similar(a, b):
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= EDITED


def _wrap(tag, text):
    """`text` in <tag>, leaving its surrounding spaces outside."""
    words = text.strip()
    if not words:
        return text
    start = text.index(words)
    return f"{text[:start]}<{tag}>{words}</{tag}>{text[start + len(words) :]}"


def _mark_phrases(old, new):
    """Old and new line text with the changed phrases in <del> and <ins>."""
    a, b = PHRASES.findall(old), PHRASES.findall(new)
    old_out, new_out = [], []
    matcher = difflib.SequenceMatcher(a=[p.strip() for p in a], b=[p.strip() for p in b])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_out += a[i1:i2]
            new_out += b[j1:j2]
        else:
            old_text, new_text = _trimmed("".join(a[i1:i2]), "".join(b[j1:j2]))
            old_out.append(old_text)
            new_out.append(new_text)
    return "".join(old_out), "".join(new_out)


def _trimmed(old, new):
    """Old and new phrases marked, leaving out the words they start and end with alike."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    start = 0
    while start < min(len(a), len(b)) and a[start].strip() == b[start].strip():
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end].strip() == b[-1 - end].strip():
        end += 1

    def mark(tag, words):
        middle = "".join(words[start : len(words) - end])
        return "".join(words[:start]) + _wrap(tag, middle) + "".join(words[len(words) - end :])

    return mark("del", a), mark("ins", b)


def _split_line(line):
    marker, text = LINE_MARKER.match(line).groups()
    return marker or "", text


def _marked_whole(tag, block):
    lines = [_split_line(line) for line in block.split("\n")]
    return "\n".join(marker + _wrap(tag, text) for marker, text in lines)


def _render(markdown_text):
    # Every piece is sanitised render_markdown() output; <ins>/<del> are the only extra tags.
    return mark_safe(render_markdown(markdown_text, extra_tags={"ins", "del"}))  # noqa: S308


def _edited(old_block, new_block):
    """A paragraph (or list) edited: line by line, then phrase by phrase."""
    old_lines, new_lines = old_block.split("\n"), new_block.split("\n")
    old_out, new_out = [], []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_out += old_lines[i1:i2]
            new_out += new_lines[j1:j2]
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = _split_line(olds[k]) if k < len(olds) else None
            new = _split_line(news[k]) if k < len(news) else None
            if old and new:
                old_text, new_text = _mark_phrases(old[1], new[1])
                old_out.append(old[0] + old_text)
                new_out.append(new[0] + new_text)
            elif old:
                old_out.append(old[0] + _wrap("del", old[1]))
            else:
                new_out.append(new[0] + _wrap("ins", new[1]))
    return Change(old=_render("\n".join(old_out)), new=_render("\n".join(new_out)))


def _changes(old_blocks, new_blocks):
    """The changed paragraphs between two lists of blocks."""
    changes = []
    matcher = difflib.SequenceMatcher(a=old_blocks, b=new_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if old and new and _similar(old, new):
                changes.append(_edited(old, new))
                continue
            if old:
                changes.append(Change(old=_render(_marked_whole("del", old))))
            if new:
                changes.append(Change(new=_render(_marked_whole("ins", new))))
    return changes


def _pairs(old_sections, new_sections):
    """(old, new) section pairs in the new text's order; either is None when added or removed."""
    matcher = difflib.SequenceMatcher(
        a=[heading.casefold() for heading, _ in old_sections],
        b=[heading.casefold() for heading, _ in new_sections],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old_sections[i1:i2], new_sections[j1:j2]
        if tag == "equal":
            yield from zip(olds, news, strict=True)
            continue
        # A reworded heading: the sections pair up in order while their texts are alike.
        unpaired_news = list(news)
        for old in olds:
            match = next(
                (
                    new
                    for new in unpaired_news
                    if _similar("\n\n".join(old[1]), "\n\n".join(new[1]))
                ),
                None,
            )
            if match is None:
                yield old, None
            else:
                # New sections before the match come first, as in the new text.
                while unpaired_news[0] is not match:
                    yield None, unpaired_news.pop(0)
                yield old, unpaired_news.pop(0)
        for new in unpaired_news:
            yield None, new


def _anchor(heading, taken):
    base = "andring-" + (slugify(heading) or "inledning")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def diff_texts(old_markdown, new_markdown):
    """The Diff of two Markdown texts: every section of both, in the new text's order."""
    result, taken = [], set()
    for old, new in _pairs(sections(old_markdown), sections(new_markdown)):
        heading = (new or old)[0]
        section = Section(anchor=_anchor(heading, taken), heading=heading, status=Status.CHANGED)
        if new is None:
            section.status = Status.REMOVED
            section.changes = _changes(old[1], [])
        elif old is None:
            section.status = Status.ADDED
            section.changes = _changes([], new[1])
        else:
            section.changes = _changes(old[1], new[1])
            if old[0] != new[0]:
                section.old_heading = old[0]
            elif not section.changes:
                section.status = Status.UNCHANGED
                section.text = _render("\n\n".join(new[1]))
        result.append(section)
    return Diff(sections=result)


def diff_versions(old, new, language=None):
    """diff_texts() of two versions in `language`; Swedish unless both are translated."""
    english = (language or get_language()) == "en" and old.body_en and new.body_en
    if english:
        return diff_texts(old.body_en, new.body_en)
    return diff_texts(old.body_sv, new.body_sv)
