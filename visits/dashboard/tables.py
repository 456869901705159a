"""Every table of the dashboard as header and rows, for its CSV export."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visits.dashboard.figures import Action, ConsentTotals

BREAKDOWNS = {
    "pages": (gettext_lazy("Mest besökta sidor"), gettext_lazy("Sida"), gettext_lazy("Visningar")),
    "entries": (gettext_lazy("Ingångssidor"), gettext_lazy("Sida"), gettext_lazy("Ingångar")),
    "referrers": (
        gettext_lazy("Hänvisande webbplatser"),
        gettext_lazy("Hänvisande värd"),
        gettext_lazy("Visningar"),
    ),
    "browsers": (gettext_lazy("Webbläsare"), gettext_lazy("Webbläsare"), gettext_lazy("Visningar")),
    "os": (
        gettext_lazy("Operativsystem"),
        gettext_lazy("Operativsystem"),
        gettext_lazy("Visningar"),
    ),
    "devices": (gettext_lazy("Enheter"), gettext_lazy("Enhet"), gettext_lazy("Visningar")),
    "languages": (gettext_lazy("Språk"), gettext_lazy("Språk"), gettext_lazy("Visningar")),
}
TABLES = {
    "summary": gettext_lazy("Översikt"),
    "days": gettext_lazy("Sidvisningar per dag"),
    **{key: title for key, (title, _label, _count) in BREAKDOWNS.items()},
    "consent": gettext_lazy("Samtyckesval"),
    "consent-days": gettext_lazy("Samtyckesval per dag"),
    "consent-languages": gettext_lazy("Samtyckesval per språk"),
    "consent-days-languages": gettext_lazy("Samtyckesval per dag och språk"),
}


def _yes_no(value):
    return _("ja") if value else _("nej")


def _percent(share):
    return round(share * 100, 1)


def rows(stats, table):
    """Header row, then data rows; `provisional` marks figures that include today."""
    provisional = _yes_no(stats.provisional)
    if table == "summary":
        yield [_("Mått"), _("Perioden"), _("Föregående period"), _("Preliminär")]
        now, before = stats.totals, stats.previous_totals
        yield [_("Sidvisningar"), now.views, before.views, provisional]
        yield [_("Unika besökare (uppskattning)"), now.visitors, before.visitors, provisional]
        yield [
            _("Visningar per besökare"),
            round(now.views_per_visitor, 2),
            round(before.views_per_visitor, 2),
            provisional,
        ]
        yield [
            _("Andel visningar med samtycke (%)"),
            _percent(now.consent_share),
            _percent(before.consent_share),
            provisional,
        ]
    elif table == "days":
        yield [_("Dag"), _("Sidvisningar"), _("Föregående period"), _("Preliminär")]
        for day, views, previous in stats.per_day:
            yield [day.isoformat(), views, previous, _yes_no(day == stats.today)]
    elif table in BREAKDOWNS:
        _title, label, count = BREAKDOWNS[table]
        yield [str(label), str(count), _("Andel (%)"), _("Preliminär")]
        for row in stats.breakdowns[table]:
            yield [row.label, row.count, _percent(row.share), provisional]
    elif table == "consent":
        yield [_("Mått"), _("Perioden"), _("Föregående period"), _("Preliminär")]
        now, before = stats.consent, stats.previous_consent
        for action in Action:
            yield [str(action.label), now.by_action[action], before.by_action[action], provisional]
        yield [_("Val totalt"), now.choices, before.choices, provisional]
        yield [
            _("Andel som valt statistik (%)"),
            _percent(now.opt_in_rate),
            _percent(before.opt_in_rate),
            provisional,
        ]
        yield [
            _("Andel med Sec-GPC (%)"),
            _percent(now.gpc_share),
            _percent(before.gpc_share),
            provisional,
        ]
    elif table == "consent-days":
        yield [
            _("Dag"),
            *[str(action.label) for action in Action],
            _("Val totalt"),
            _("Andel som valt statistik (%)"),
            _("Andel med Sec-GPC (%)"),
            _("Preliminär"),
        ]
        for day, totals in stats.consent_per_day:
            yield [
                day.isoformat(),
                *[totals.by_action[action] for action in Action],
                totals.choices,
                _percent(totals.opt_in_rate),
                _percent(totals.gpc_share),
                _yes_no(day == stats.today),
            ]
    elif table == "consent-days-languages":
        yield [
            _("Dag"),
            _("Språk"),
            _("Val"),
            _("Andel som valt statistik (%)"),
            _("Preliminär"),
        ]
        none = ConsentTotals({}, 0, 0)
        for day, totals in stats.consent_per_day:
            for row in sorted(totals.languages(none), key=lambda r: (-r.choices, r.label)):
                yield [
                    day.isoformat(),
                    row.label,
                    row.choices,
                    _percent(row.opt_in_rate),
                    _yes_no(day == stats.today),
                ]
    elif table == "consent-languages":
        yield [
            _("Språk"),
            _("Val"),
            _("Andel av valen (%)"),
            _("Andel som valt statistik (%)"),
            _("Val föregående period"),
            _("Preliminär"),
        ]
        for row in stats.consent.languages(stats.previous_consent):
            yield [
                row.label,
                row.choices,
                _percent(row.share),
                _percent(row.opt_in_rate),
                row.previous_choices,
                provisional,
            ]
