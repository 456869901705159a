"""Every Swedish string the code marks for translation has its English entry in the catalogue:
a msgid edited in code and not in `locale/` would show Swedish on the English site."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils.translation import trans_real

GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
SKIPPED = {".venv", "node_modules", "e2e", "benchmarks", "tests", "migrations", "staticfiles"}


def marked_strings():
    """(file, line, catalogue key) of each literal marked for translation in the site's code."""
    for path in sorted(Path(settings.BASE_DIR).rglob("*.py")):
        relative = path.relative_to(settings.BASE_DIR)
        if SKIPPED & set(relative.parts[:-1]) or relative.parts[0].startswith("."):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT or not node.args:
                continue
            texts = [arg.value for arg in node.args[:2] if isinstance(arg, ast.Constant)]
            if node.func.id.startswith("pgettext") and len(texts) == 2:
                yield relative, node.lineno, f"{texts[0]}\x04{texts[1]}"
            elif not node.func.id.startswith("pgettext") and texts:
                yield relative, node.lineno, texts[0]


def test_every_marked_string_has_an_english_entry():
    catalogue = trans_real.translation("en")._catalog
    marked = list(marked_strings())
    missing = [f"{path}:{line} {key!r}" for path, line, key in marked if key not in catalogue]
    assert len(marked) > 100  # the walk found the site's strings
    assert missing == []
