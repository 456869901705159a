import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from accounts.registry import sections
from policy import services
from policy.models import PolicyAcceptance

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_the_current_version_is_version_1_on_a_fresh_database(policy_version):
    assert services.current_version() == policy_version


def test_a_warm_cache_answers_without_a_database_query(policy_version, django_assert_num_queries):
    services.current_version()

    with django_assert_num_queries(0):
        assert services.current_version() == policy_version
        assert services.notice_for(AnonymousUser()) is None


def test_publishing_today_makes_the_version_current_at_once(make_draft, publish):
    assert services.current_version().number == 1
    draft = make_draft()

    publish(draft, timezone.localdate())

    assert services.current_version() == draft


def test_a_scheduled_version_becomes_current_when_its_stockholm_day_begins(make_draft, publish):
    with time_machine.travel(dt.datetime(2026, 12, 30, 12, tzinfo=STOCKHOLM), tick=False):
        draft = publish(make_draft(), dt.date(2027, 1, 1))
        assert services.current_version().number == 1

    # 23:59 in Stockholm on New Year's Eve, 22:59 UTC: still the old version.
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 59, tzinfo=STOCKHOLM), tick=False):
        assert services.current_version().number == 1

    # 00:01 in Stockholm on 1 January is still 23:01 UTC on 31 December.
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 1, tzinfo=STOCKHOLM), tick=False):
        assert services.current_version() == draft


def test_record_shown_notes_the_current_version_once(user, policy_version):
    first = services.record_shown(user)
    again = services.record_shown(user)

    assert first == again
    assert first.version == policy_version
    assert first.acknowledged_at is None


def test_acknowledging_keeps_the_first_time(user, policy_version):
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        services.acknowledge(user, policy_version)
    with time_machine.travel(dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        acceptance = services.acknowledge(user, policy_version)

    assert acceptance.acknowledged_at == dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    assert PolicyAcceptance.objects.filter(user=user).count() == 1


class TestAnnouncement:
    @pytest.fixture
    def major(self, make_draft, publish):
        with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=STOCKHOLM), tick=False):
            return publish(make_draft(is_major=True), dt.date(2026, 3, 1))

    def test_a_visitor_who_chose_under_an_older_version_sees_it_for_30_days(self, major):
        for day in (dt.datetime(2026, 3, 1, 8), dt.datetime(2026, 3, 30, 23, 59)):
            with time_machine.travel(day.replace(tzinfo=STOCKHOLM), tick=False):
                notice = services.notice_for(AnonymousUser(), chosen_version=1)
                assert notice.version == major
                assert notice.diff_from == 1
                assert services.announcement().version == major

        with time_machine.travel(dt.datetime(2026, 3, 31, 0, 1, tzinfo=STOCKHOLM), tick=False):
            assert services.notice_for(AnonymousUser(), chosen_version=1) is None
            assert services.announcement() is None

    def test_a_new_visitor_or_one_who_chose_under_it_does_not_see_the_bar(self, major):
        with time_machine.travel(dt.datetime(2026, 3, 2, 8, tzinfo=STOCKHOLM), tick=False):
            assert services.notice_for(AnonymousUser()) is None
            assert services.notice_for(AnonymousUser(), chosen_version=major.number) is None
            # Everyone sees the announcement on the policy page and in the footer.
            assert services.announcement().version == major

    def test_a_minor_version_is_not_announced(self, make_draft, publish):
        publish(make_draft(is_major=False), timezone.localdate())

        assert services.notice_for(AnonymousUser()) is None

    def test_a_user_sees_it_until_they_acknowledge_it_even_after_30_days(
        self, major, user, policy_version
    ):
        services.record_shown(user, policy_version)  # at sign-up, in 2025
        with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=STOCKHOLM), tick=False):
            assert services.notice_for(user).version == major
            assert PolicyAcceptance.objects.get(user=user, version=major).acknowledged_at is None

            services.acknowledge(user, major)

            assert services.notice_for(user) is None

    def test_an_acknowledgement_is_remembered_without_a_query_per_page(
        self, major, user, django_assert_num_queries
    ):
        with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM), tick=False):
            services.acknowledge(user, major)
            cache.clear()
            assert services.notice_for(user) is None  # looked up once

            with django_assert_num_queries(0):
                assert services.notice_for(user) is None

    def test_a_user_who_was_never_shown_an_older_version_is_not_told(
        self, major, user, django_assert_num_queries
    ):
        with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=STOCKHOLM), tick=False):
            services.record_shown(user)  # signed up under the new version
            assert services.notice_for(user) is None
            with django_assert_num_queries(0):
                assert services.notice_for(user) is None


def test_my_data_lists_and_deletion_removes_the_users_acknowledgements(user, policy_version):
    section = next(s for s in sections() if s.key == "policy_acknowledgements")
    acceptance = services.acknowledge(user, policy_version)

    assert section.collect(user) == [
        {
            "version": 1,
            "shown_at": acceptance.shown_at.isoformat(),
            "acknowledged_at": acceptance.acknowledged_at.isoformat(),
        }
    ]

    section.delete(user)

    assert not PolicyAcceptance.objects.filter(user=user).exists()
    assert section.collect(user) == []
