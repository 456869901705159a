"""Query budgets: what a page may cost the database.

An anonymous public page costs no query: the current policy comes from the cache,
anonymous visitors have no session to load, and the visit goes to the spool. The signed-in
portal's constant budget is tested in registrations/tests/test_portal.py.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from visits.tests.factories import recorded_visits

pytestmark = pytest.mark.django_db

# A browser's: a bot's view would not be recorded.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

ANONYMOUS_PUBLIC_PAGES = ["home", "about", "contact", "policy:current", "consent:cookies"]


@pytest.mark.parametrize("name", ANONYMOUS_PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_anonymous_public_page_costs_no_query(client, name, language, django_assert_num_queries):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    with translation.override(language):
        url = reverse(name)
    assert client.get(url).status_code == 200  # fills the policy cache, as the first visitor does

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert recorded_visits().count() == 2
