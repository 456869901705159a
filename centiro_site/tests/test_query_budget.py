"""Query budgets: what a page may cost the database.

An anonymous public page costs at most one query, the visit insert: the current policy
comes from the cache, and anonymous visitors have no session to load. The signed-in
portal's constant budget is tested in registrations/tests/test_portal.py.
"""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ANONYMOUS_PUBLIC_PAGES = ["home", "about", "contact", "policy:current", "consent:cookies"]


@pytest.mark.parametrize("name", ANONYMOUS_PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_anonymous_public_page_costs_at_most_one_query(
    client, name, language, django_assert_max_num_queries
):
    with translation.override(language):
        url = reverse(name)
    assert client.get(url).status_code == 200  # fills the policy cache, as the first visitor does

    with django_assert_max_num_queries(1):
        response = client.get(url)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
