"""The models and their migrations say the same: a field, label or constraint changed in code
without a migration would reach production unapplied (the database keeps the old one)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_match_their_migrations():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        pytest.fail(f"a model changed without a migration (makemigrations exit {exit_.code})")
