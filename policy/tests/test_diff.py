from policy.diff import Status, diff_texts

OLD = """Inledning om policyn.

## Säkerhet

Vi använder Secure Socket Layer (SSL). Vi skyddar dina uppgifter väl.

## Kakor

Vi använder kakor.

## Kontakt

Skriv till oss."""

NEW = """Inledning om policyn.

## Säkerhet

Vi använder TLS (Transport Layer Security). Vi skyddar dina uppgifter väl.

## Kakor

Vi använder kakor.

## Klagomål

Du kan klaga hos IMY.

## Kontakt

Skriv till oss."""


def by_heading(diff):
    return {section.heading: section for section in diff.sections}


def test_the_summary_lists_the_changed_sections_with_anchors():
    diff = diff_texts(OLD, NEW)

    changed = [(s.heading, s.status) for s in diff.changed]
    assert changed == [("Säkerhet", Status.CHANGED), ("Klagomål", Status.ADDED)]
    assert len(diff.sections) == 5
    anchors = [s.anchor for s in diff.sections]
    assert len(set(anchors)) == 5
    assert by_heading(diff)["Säkerhet"].anchor == "andring-sakerhet"


def test_unchanged_sections_are_kept_whole_to_be_folded_away():
    sections = by_heading(diff_texts(OLD, NEW))

    assert sections["Kakor"].status == Status.UNCHANGED
    assert sections["Kakor"].text == "<p>Vi använder kakor.</p>"
    assert sections[""].status == Status.UNCHANGED  # the introduction
    assert not sections["Kakor"].changes


def test_a_changed_paragraph_is_shown_old_and_new_marked_by_phrase_not_interleaved():
    [change] = by_heading(diff_texts(OLD, NEW))["Säkerhet"].changes

    assert change.old == (
        "<p>Vi använder <del>Secure Socket Layer (SSL).</del> Vi skyddar dina uppgifter väl.</p>"
    )
    assert change.new == (
        "<p>Vi använder <ins>TLS (Transport Layer Security).</ins> "
        "Vi skyddar dina uppgifter väl.</p>"
    )
    assert "<ins>" not in change.old
    assert "<del>" not in change.new


def test_an_added_section_and_a_removed_one_are_shown_whole():
    diff = diff_texts(NEW, OLD)
    removed = by_heading(diff)["Klagomål"]

    assert removed.status == Status.REMOVED
    [change] = removed.changes
    assert change.old == "<p><del>Du kan klaga hos IMY.</del></p>"
    assert change.new == ""


def test_a_reworded_heading_keeps_its_section_paired_by_its_text():
    old = "## Säkerheten kring din information\n\nVi skyddar dina uppgifter väl och noga."
    new = "## Säkerhet\n\nVi skyddar dina uppgifter väl och mycket noga."

    [section] = diff_texts(old, new).sections

    assert section.status == Status.CHANGED
    assert section.heading == "Säkerhet"
    assert section.old_heading == "Säkerheten kring din information"


def test_an_unchanged_text_has_no_changed_sections():
    text = "## Rubrik\n\nEtt stycke.\n\n- ett\n- två"

    diff = diff_texts(text, text)

    assert diff.changed == []
    assert "<ins" not in diff.sections[0].text


def test_a_new_list_item_stays_a_list_item():
    [section] = diff_texts("## L\n\n- ett\n- två", "## L\n\n- ett\n- två\n- tre").sections

    [change] = section.changes
    assert "<li><ins>tre</ins></li>" in change.new
    assert change.new.count("<li>") == 3
    assert change.old.count("<li>") == 2


def test_a_replaced_paragraph_is_removed_and_added_whole():
    [section] = diff_texts(
        "## R\n\nGammal text om kakor.\n\nSlut.", "## R\n\nNågot helt annat här.\n\nSlut."
    ).sections

    assert [(c.old, c.new) for c in section.changes] == [
        ("<p><del>Gammal text om kakor.</del></p>", ""),
        ("", "<p><ins>Något helt annat här.</ins></p>"),
    ]


def test_marked_changes_are_still_sanitised():
    diff = diff_texts(
        "Hej.", 'Hej <script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x">'
    )
    html = "".join(c.new + c.old for s in diff.sections for c in s.changes)

    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html


def test_line_ends_from_a_browser_form_are_no_change():
    text = "## Kontakt\n\nCentiro Solutions AB\nBox 950\n\n- ett\n- två"

    assert diff_texts(text, text.replace("\n", "\r\n")).changed == []
