"""One fallback rule for sv/en fields: English when asked for and written, else Swedish."""

from django.utils import translation

from core.bilingual import in_language
from policy.models import PolicyVersion
from registrations.models import Product, ProductNotice


def test_english_is_shown_in_english_when_it_is_written():
    product = Product(name_sv="Lager", name_en="Warehouse")
    with translation.override("en"):
        assert product.name == "Warehouse"
        assert in_language(product, "name") == "Warehouse"


def test_english_falls_back_to_swedish_where_no_translation_is_written():
    product = Product(name_sv="Lager", name_en="", description_sv="Om lagret")
    with translation.override("en"):
        assert product.name == "Lager"
        assert product.description == "Om lagret"


def test_swedish_is_shown_in_swedish_even_with_an_english_value():
    product = Product(name_sv="Lager", name_en="Warehouse")
    with translation.override("sv"):
        assert product.name == "Lager"


def test_an_explicit_language_overrides_the_active_one():
    notice = ProductNotice(subject_sv="Driftstopp", subject_en="Downtime")
    with translation.override("sv"):
        assert in_language(notice, "subject", "en") == "Downtime"
    with translation.override("en"):
        assert in_language(notice, "subject", "sv") == "Driftstopp"


def test_a_field_with_the_language_inside_its_name_follows_the_same_rule():
    version = PolicyVersion(body_sv_html="<p>Svensk</p>", body_en_html="<p>English</p>")
    with translation.override("en"):
        assert version.body_html == "<p>English</p>"
    version.body_en_html = ""
    with translation.override("en"):
        assert version.body_html == "<p>Svensk</p>"
    with translation.override("sv"):
        assert in_language(version, "body_{}_html", "en") == "<p>Svensk</p>"
