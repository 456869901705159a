"""The dashboard's top cards: each figure with its change against the previous period."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from visits.dashboard.figures import Action


@dataclass(frozen=True)
class Change:
    direction: str  # "up", "down" or "same"
    amount: int  # whole per cent, or percentage points for shares
    points: bool  # a share's change is told in percentage points, not per cent of a per cent

    @property
    def arrow(self):
        return {"up": "↑", "down": "↓", "same": "→"}[self.direction]

    @property
    def text(self):
        if self.direction == "same":
            return _("oförändrat mot föregående period")
        values = {"amount": self.amount}
        if self.points:
            if self.direction == "up":
                return (
                    ngettext(
                        "upp %(amount)s procentenhet mot föregående period",
                        "upp %(amount)s procentenheter mot föregående period",
                        self.amount,
                    )
                    % values
                )
            return (
                ngettext(
                    "ner %(amount)s procentenhet mot föregående period",
                    "ner %(amount)s procentenheter mot föregående period",
                    self.amount,
                )
                % values
            )
        if self.direction == "up":
            return _("upp %(amount)s %% mot föregående period") % values
        return _("ner %(amount)s %% mot föregående period") % values


@dataclass(frozen=True)
class Card:
    title: object
    value: str
    change: Change | None  # None: the previous period has nothing to compare with
    note: object = ""


def change(current, previous):
    """Relative change in whole per cent; None when there is nothing before to compare with."""
    if not previous:
        return None
    return _change(round((current - previous) / previous * 100), points=False)


def share_change(current, previous, previous_exists):
    """Change of a share (0..1) in whole percentage points."""
    if not previous_exists:
        return None
    return _change(round((current - previous) * 100), points=True)


def _change(amount, points):
    direction = "up" if amount > 0 else "down" if amount < 0 else "same"
    return Change(direction, abs(amount), points)


def cards(stats, sketch_error):
    now, before = stats.totals, stats.previous_totals
    # Against a previous period the statistics only partly cover, any rise is an artefact.
    whole = stats.previous_complete
    return [
        Card(
            gettext_lazy("Sidvisningar"),
            number_format(now.views, force_grouping=True),
            change(now.views, before.views) if whole else None,
        ),
        Card(
            gettext_lazy("Unika besökare"),
            number_format(now.visitors, force_grouping=True),
            change(now.visitors, before.visitors) if whole else None,
            _(
                "Bara besökare som samtyckt till statistik har ett id; "
                "uppskattning med cirka %(error)s %% fel."
            )
            % {"error": number_format(sketch_error, 1)},
        ),
        Card(
            gettext_lazy("Visningar per besökare"),
            number_format(now.views_per_visitor, 1),
            change(now.views_per_visitor, before.views_per_visitor) if whole else None,
            _("Räknat på visningar med samtycke."),
        ),
        Card(
            gettext_lazy("Andel visningar med samtycke"),
            f"{number_format(now.consent_share * 100, 0)} %",
            share_change(now.consent_share, before.consent_share, whole and before.views > 0),
        ),
    ]


def consent_cards(stats):
    now, before = stats.consent, stats.previous_consent
    compared = before.choices > 0
    return [
        *[
            Card(
                action.label,
                number_format(now.by_action[action], force_grouping=True),
                change(now.by_action[action], before.by_action[action]) if compared else None,
            )
            for action in Action
        ],
        Card(
            gettext_lazy("Valde statistik"),
            f"{number_format(now.opt_in_rate * 100, 0)} %",
            share_change(now.opt_in_rate, before.opt_in_rate, compared),
        ),
        Card(
            gettext_lazy("Val med Sec-GPC"),
            f"{number_format(now.gpc_share * 100, 0)} %",
            share_change(now.gpc_share, before.gpc_share, compared),
        ),
        Card(
            gettext_lazy("Raderade sina besök"),
            number_format(stats.erasures, force_grouping=True),
            change(stats.erasures, stats.previous_erasures),
        ),
    ]
