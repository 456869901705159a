from django.dispatch import Signal

# Sent by the consent POST when the new choice leaves out statistics, with `request`, `response`
# and `erase_visits` (the visitor ticked "erase my visits too"). The visits app, which owns the
# visitor id and its visits, acts on it; consent imports no app that depends on it.
statistics_refused = Signal()
