"""What README.md and docs/*.md name exists: make targets, settings, commands, tests and links.

A doc names things in its code (inline code and fenced blocks), so prose stays free to say
"make sure". Read as names:
- a make target: `make NAME`;
- a management command: `manage.py NAME`, or code that starts with a command and an option
  (`rollup_visits --date 2026-03-29`);
- a setting or environment variable: code that is an UPPER_CASE name alone or followed by `=`,
  `[` or `,` (`DEBUG`, `CACHES["pages"]`, `CONN_HEALTH_CHECKS=on`), and `settings.NAME`. A module's
  constant is written with its module (`pagecache.TIMEOUT`) and is not read as a setting;
- a test: `path/test_x.py::test_name` or `path/test_x.py::TestClass::test_name`;
- a relative link or image (`[text](docs/x.md#anchor)`, `src="docs/screenshots/x.png"`).
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "staticfiles", "media", "spool"}

# Variables that other programs read from what the docs show.
OUTSIDE_NAMES = {"CRON_TZ"}  # cron's time zone, first line of the crontab

FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`([^`\n]+)`")
MAKE = re.compile(r"(?:^|[\s;&|(])make ([a-z][\w-]*)")
MANAGE = re.compile(r"manage\.py ([a-z]\w*)")
COMMAND_WITH_OPTION = re.compile(r"^([a-z][a-z0-9]*(?:_[a-z0-9]+)+) --")
NAME = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"
SETTING_SPAN = re.compile(rf"^({NAME})(?:$|[=\[,])")
ASSIGNMENT = re.compile(rf"(?:^|\s)({NAME})=")
SETTINGS_ATTRIBUTE = re.compile(rf"\bsettings\.({NAME})\b")
TEST = re.compile(r"([\w/]+\.py)::((?:Test\w+::)?test_\w+)")
LINK = re.compile(r"\]\(([^)\s:]+)\)|(?:src|href)=\"([^\":]+)\"")


def code_of(text):
    """The doc's code: fenced blocks whole, then each inline span (fences removed first)."""
    blocks = FENCED.findall(text)
    spans = INLINE.findall(FENCED.sub("", text))
    return blocks, spans


def named(text):
    """{kind: set of names} the doc's code names."""
    blocks, spans = code_of(text)
    code = [*blocks, *spans]
    names = {"target": set(), "command": set(), "setting": set(), "test": set()}
    for piece in code:
        names["target"].update(MAKE.findall(piece))
        names["command"].update(MANAGE.findall(piece))
        names["setting"].update(SETTINGS_ATTRIBUTE.findall(piece))
        names["setting"].update(ASSIGNMENT.findall(piece))
        names["test"].update("::".join(match) for match in TEST.findall(piece))
    for span in spans:
        names["command"].update(COMMAND_WITH_OPTION.findall(span))
        names["setting"].update(SETTING_SPAN.findall(span.strip()))
    return names


def make_targets():
    makefile = (ROOT / "Makefile").read_text()
    targets = set()
    for line in makefile.splitlines():
        head = re.match(r"^([A-Za-z.][^:=#\s]*(?:\s+[^:=#\s]+)*)\s*:(?!=)", line)
        if head:
            targets.update(head[1].split())
    return targets - {".PHONY"}


def project_files(suffix):
    for path in ROOT.rglob(f"*{suffix}"):
        if not SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts):
            yield path


def environment_variables():
    """Every variable the project reads from the environment, its example files and Makefile."""
    names = set(OUTSIDE_NAMES)
    reads = re.compile(
        rf"(?:\benv(?:\.\w+)?\(|os\.environ\.get\(|os\.environ\[|os\.getenv\()\s*\"({NAME})\""
    )
    for path in project_files(".py"):
        names.update(reads.findall(path.read_text()))
    for example in (ROOT / ".env.example", ROOT / "deploy" / "centiro.env.example"):
        names.update(re.findall(rf"^({NAME})=", example.read_text(), re.MULTILINE))
    makefile = (ROOT / "Makefile").read_text()
    names.update(re.findall(rf"\$\(({NAME})\)", makefile))
    names.update(re.findall(rf"^({NAME})\s*[?:]?=", makefile, re.MULTILINE))
    return names


def defined_tests():
    """{"path::test" and "path::Class::test"} of every test module in the project."""
    found = set()
    for path in project_files(".py"):
        if not path.name.startswith("test_"):
            continue
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.add(f"{relative}::{node.name}")
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test_"):
                        found.add(f"{relative}::{node.name}::{item.name}")
    return found


@pytest.fixture(scope="module")
def existing():
    return {
        "target": make_targets(),
        "command": set(get_commands()),
        "setting": set(dir(settings)) | environment_variables(),
        "test": defined_tests(),
    }


def missing(text, existing):
    """{kind: names the text names that do not exist}, kinds with none left out."""
    gaps = {kind: sorted(names - existing[kind]) for kind, names in named(text).items()}
    return {kind: names for kind, names in gaps.items() if names}


def anchors(path):
    """GitHub's anchors for the headings of a Markdown file."""
    text = FENCED.sub("", path.read_text())
    headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_target_setting_command_and_test_a_doc_names_exists(doc, existing):
    assert missing(doc.read_text(), existing) == {}


def broken_links(doc, text):
    """The relative links and images in `text`, read as if in `doc`, that lead nowhere."""
    broken = []
    for link in (a or b for a, b in LINK.findall(text)):
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        if not path.exists() or (anchor and anchor not in anchors(path)):
            broken.append(link)
    return broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_of_a_doc_leads_somewhere(doc):
    assert broken_links(doc, doc.read_text()) == []


def test_a_link_to_a_missing_file_or_heading_is_reported():
    text = (
        "[ops](docs/operations.md#crontab) [gone](docs/gone.md) [no such](docs/operations.md#nope)"
        ' <img src="docs/screenshots/home-sv-desktop.png"> <img src="docs/screenshots/gone.png">'
    )

    assert broken_links(ROOT / "README.md", text) == [
        "docs/gone.md",
        "docs/operations.md#nope",
        "docs/screenshots/gone.png",
    ]


def test_the_readme_shows_its_screenshots():
    shown = re.findall(r'src="(docs/screenshots/[^"]+)"', (ROOT / "README.md").read_text())

    assert shown
    assert [path for path in shown if not (ROOT / path).is_file()] == []


def test_a_name_that_does_not_exist_is_reported_and_one_that_does_is_not(existing):
    text = """
Run `make test` and `make no-such-target`; `.venv/bin/python manage.py drain_visits`, then
`no_such_command --all`. Set `DEBUG`, `CACHES["pages"]`, `NO_SUCH_SETTING=1` and read
`settings.ALSO_NOT_A_SETTING`; `pagecache.TIMEOUT` is a module's constant, not a setting.
Proved by `accounts/tests/test_delete.py::test_deletion_is_all_or_nothing` and
`accounts/tests/test_delete.py::test_no_such_test`.

```sh
NOT_READ_ANYWHERE=on make not-a-target && .venv/bin/python manage.py not_a_command
```
"""

    assert missing(text, existing) == {
        "target": ["no-such-target", "not-a-target"],
        "command": ["no_such_command", "not_a_command"],
        "setting": ["ALSO_NOT_A_SETTING", "NOT_READ_ANYWHERE", "NO_SUCH_SETTING"],
        "test": ["accounts/tests/test_delete.py::test_no_such_test"],
    }


def test_prose_is_not_read_as_names(existing):
    assert named("Make sure DEBUG is off; make the call and run manage.py later.") == {
        "target": set(),
        "command": set(),
        "setting": set(),
        "test": set(),
    }
