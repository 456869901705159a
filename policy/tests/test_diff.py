from policy.diff import diff_html


def test_an_unchanged_text_has_no_marks():
    text = "## Rubrik\n\nEtt stycke.\n\n- ett\n- två"

    html = diff_html(text, text)

    assert "<ins" not in html
    assert "<del" not in html
    assert "<h2>Rubrik</h2>" in html


def test_an_edited_paragraph_marks_only_the_changed_words():
    html = diff_html("Vi sparar dina uppgifter i 3 år.", "Vi sparar dina uppgifter i 13 månader.")

    assert html == "<p>Vi sparar dina uppgifter i <del>3 år.</del><ins>13 månader.</ins></p>"


def test_a_new_list_item_stays_a_list_item():
    html = diff_html("- ett\n- två", "- ett\n- två\n- tre")

    assert "<li><ins>tre</ins></li>" in html
    assert html.count("<li>") == 3


def test_a_replaced_paragraph_is_removed_and_added_whole():
    html = diff_html("Gammal text om kakor.\n\nSlut.", "Något helt annat här.\n\nSlut.")

    assert '<del class="diff-del"><p>Gammal text om kakor.</p></del>' in html
    assert '<ins class="diff-ins"><p>Något helt annat här.</p></ins>' in html


def test_marked_changes_are_still_sanitised():
    html = diff_html(
        "Hej.", 'Hej <script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x">'
    )

    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
