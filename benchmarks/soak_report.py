"""What the soak found: the answers by status, each fault's window, and whether the database
kept everything acknowledged to a client."""

import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.topology import HOST

SCRAPED = {
    "centiro_database_errors_total",
    "centiro_cache_errors_total",
    "centiro_visits_total",
    "centiro_rate_limit_rejections_total",
    "centiro_requests_total",
}


@dataclass
class Report:
    seconds: float
    outcomes: list
    faults: list
    page_views: int = 0
    visits: int = 0
    consent_acks: int = 0
    consent_missing: int = 0
    consent_records: int = 0
    registration_acks: int = 0
    registration_missing: int = 0
    registrations: int = 0
    keys_claimed: int = 0
    keys_claimed_twice: int = 0
    # Requests nginx sent to a second node after the first failed: each could count twice.
    sent_to_two_nodes: int = 0
    drained: bool = False
    metrics: Counter = field(default_factory=Counter)

    @property
    def errors_outside_faults(self):
        return [
            outcome
            for outcome in self.outcomes
            if outcome.failed and not any(f.covers(outcome) for f in self.faults)
        ]

    @property
    def visits_lost(self):
        return max(self.page_views - self.visits, 0)

    @property
    def visits_beyond_page_views(self):
        """Visits of GETs that got no 200: a worker killed after it wrote the visit."""
        return max(self.visits - self.page_views, 0)

    @property
    def unanswered(self):
        return sum(outcome.failed for outcome in self.outcomes)

    @property
    def counted_once(self):
        """No request reached two nodes, and no more visits than requests to write them."""
        extra = self.visits_beyond_page_views
        return self.sent_to_two_nodes == 0 and extra <= self.unanswered

    @property
    def nothing_lost(self):
        return not (self.visits_lost or self.consent_missing or self.registration_missing) and (
            self.keys_claimed_twice == 0 and self.keys_claimed == self.registrations
        )


def check(report, traffic, product, since):
    """Count what the database kept against what the clients were told."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    from consent.models import ConsentRecord
    from registrations.models import LicenceKey, Registration
    from visits.models import Visit

    connection.close()  # its connection may predate the PostgreSQL restart
    # Another change buffers visits in a spool that drain_visits writes out.
    if "drain_visits" in get_commands():
        call_command("drain_visits")
        report.drained = True
    report.page_views = sum(outcome.page_view for outcome in traffic.outcomes)
    report.visits = Visit.objects.filter(time__gte=since, host=HOST).count()
    report.consent_acks = len(traffic.consent_ids)
    kept = set(
        ConsentRecord.objects.filter(consent_id__in=traffic.consent_ids).values_list(
            "consent_id", flat=True
        )
    )
    report.consent_missing = len({*map(str, traffic.consent_ids)} - {*map(str, kept)})
    report.consent_records = ConsentRecord.objects.filter(created_at__gte=since).count()
    report.registration_acks = len(traffic.registered)
    rows = set(
        Registration.objects.filter(product=product).values_list("user__email", "licence_key__key")
    )
    report.registration_missing = len(set(traffic.registered) - rows)
    report.registrations = len(rows)
    report.keys_claimed = LicenceKey.objects.filter(product=product, status="claimed").count()
    report.keys_claimed_twice = len(rows) - len({key for _email, key in rows})


def sent_to_two_nodes(access_log):
    """Requests in nginx's access log that went to more than one node: `$upstream_addr` (and
    `$upstream_response_time`) then list each node tried, comma-separated."""
    tried = re.compile(r" upstream=(.*) request_id=")
    return sum(", " in match[1] for match in map(tried.search, access_log.splitlines()) if match)


def statuses(counter):
    return ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counter.items()))


def scrape(topology):
    """The site's error and visit counters, added up over both nodes' /metrics."""
    from prometheus_client.parser import text_string_to_metric_families

    totals = Counter()
    for index in range(len(topology.ports)):
        _response, body = topology.node_request(index, "/metrics")
        for family in text_string_to_metric_families(body.decode()):
            for sample in family.samples:
                labels = dict(sample.labels)
                if sample.name not in SCRAPED:
                    continue
                if sample.name == "centiro_requests_total":
                    # Only the server errors, by status: the rest is in the table above.
                    if not labels["status"].startswith("5"):
                        continue
                    labels = {"status": labels["status"]}
                shown = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
                totals[f"{sample.name}{{{shown}}}"] += sample.value
    return totals


def print_report(report, out=sys.stdout):
    def say(text):
        print(text, file=out)

    say(f"Soak of {report.seconds:.0f} s: {len(report.outcomes)} requests through nginx")
    say("requests by status: " + statuses(Counter(o.status for o in report.outcomes)))
    for step in sorted({o.step for o in report.outcomes}):
        say(f"  {step}: " + statuses(Counter(o.status for o in report.outcomes if o.step == step)))
    for fault in report.faults:
        window = fault.window_end - fault.started
        retry = ", ".join(sorted(fault.retry_after)) or "none"
        note = f" ({fault.note})" if fault.note else ""
        say(
            f"fault {fault.name}{note}: recovered after {fault.recovery:.1f} s; in the "
            f"{window:.0f} s after it: {statuses(fault.statuses)}; Retry-After: {retry}"
        )
        for kind, count in fault.log_lines.most_common(8):
            say(f"    {count} x {fault.examples[kind]}")
    outside = report.errors_outside_faults
    say(f"errors outside the fault windows: {len(outside)}")
    for outcome in outside[:10]:
        say(f"    {outcome.step} {outcome.status or 'no answer'}")
    drained = " (after drain_visits)" if report.drained else ""
    say(
        f"visits recorded / page views answered 200: {report.visits} / {report.page_views}"
        f"{drained}; not recorded: {report.visits_lost}; recorded beyond them: "
        f"{report.visits_beyond_page_views} (requests answered 5xx or not at all: "
        f"{report.unanswered}); requests nginx sent to two nodes: {report.sent_to_two_nodes}"
    )
    say(
        f"consent records / choices answered 302: {report.consent_records} / "
        f"{report.consent_acks}; answered without a record: {report.consent_missing}"
    )
    say(
        f"registrations / keys claimed / registrations answered 302: {report.registrations} / "
        f"{report.keys_claimed} / {report.registration_acks}; answered without a row: "
        f"{report.registration_missing}; keys claimed twice: {report.keys_claimed_twice}"
    )
    say("metrics scraped from both nodes at the end:")
    for name, total in sorted(report.metrics.items()):
        say(f"    {name} {total:.0f}")
    say("nothing acknowledged was lost" if report.nothing_lost else "SOMETHING WAS LOST")
    say("each request reached one node" if report.counted_once else "SOMETHING COUNTED TWICE")
