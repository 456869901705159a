"""The release id in the page cache's key changes with everything a deploy can change."""

import pytest

from core import release


@pytest.fixture
def project(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("<html>")
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.mo").write_bytes(b"\x00\x01")
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "spool.py").write_text("X = 1\n")
    return tmp_path


@pytest.mark.parametrize(
    "changed", ["templates/base.html", "locale/en/LC_MESSAGES/django.mo", "visits/spool.py"]
)
def test_changing_a_template_translation_or_module_changes_the_digest(project, changed):
    before = release.source_digest(project)

    with (project / changed).open("ab") as file:
        file.write(b"2")

    assert release.source_digest(project) != before


def test_files_a_deploy_does_not_ship_leave_the_digest_alone(project):
    before = release.source_digest(project)

    (project / "visits" / "notes.orig").write_text("scratch")
    (project / "visits" / "__pycache__").mkdir()
    (project / "visits" / "__pycache__" / "spool.cpython-311.pyc").write_bytes(b"\x00")

    assert release.source_digest(project) == before


def test_a_release_id_from_the_environment_wins(settings):
    settings.RELEASE_ID = "2026-12-02-abc123"
    release.release_id.cache_clear()
    try:
        assert release.release_id() == "2026-12-02-abc123"
    finally:
        release.release_id.cache_clear()


def test_without_one_it_names_the_code_and_the_static_manifest(settings):
    settings.RELEASE_ID = ""
    release.release_id.cache_clear()
    try:
        assert release.release_id().startswith(release.source_digest(settings.BASE_DIR)[:16])
    finally:
        release.release_id.cache_clear()
