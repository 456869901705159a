"""The public pages as the tests visit them: (URL name, kwargs), for anyone without an account."""

PUBLIC_PAGES = [
    ("home", {}),
    ("about", {}),
    ("contact", {}),
    ("policy:current", {}),
    ("policy:archive", {}),
    ("policy:version", {"number": 1}),
    ("consent:cookies", {}),
]
