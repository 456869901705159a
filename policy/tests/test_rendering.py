import pytest

from policy.models import PolicyVersion
from policy.rendering import render_markdown


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("Hej <script>alert('x')</script>", "<script"),
        ("[Klicka](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">Klicka</a>', "javascript:"),
        ('<p onclick="alert(1)">Text</p>', "onclick"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<iframe src="https://example.com"></iframe>', "<iframe"),
        ('<a href="https://example.com" style="color:red">x</a>', "style="),
    ],
)
def test_dangerous_markup_is_removed(markdown, forbidden):
    assert forbidden not in render_markdown(markdown).lower()


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown("## Rubrik\n\n- ett\n- två\n\n[Kontakt](mailto:info@centiro.se)")

    assert "<h2>Rubrik</h2>" in html
    assert "<li>ett</li>" in html
    assert 'href="mailto:info@centiro.se"' in html


@pytest.mark.django_db
def test_a_draft_with_a_script_is_stored_and_shown_harmless():
    draft = PolicyVersion.objects.create(
        body_sv="Text <script>alert(1)</script> [x](javascript:alert(1))",
        body_en='<b onmouseover="alert(1)">Text</b>',
    )

    assert "<script" not in draft.body_sv_html
    assert "javascript:" not in draft.body_sv_html
    assert "onmouseover" not in draft.body_en_html
