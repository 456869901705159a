"""The house's dependencies point one way: read from the code's imports, not from a diagram.

The arrows the apps may follow are written once, below, as data (docs/architecture.md draws
them). An import along any other arrow fails, as does any cycle between modules, imports
inside functions included.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# package -> the project's packages it may import. Nothing imports `pages`; `core` imports no
# app; `centiro_site` is configuration and reaches apps through include() (strings), except
# wsgi.py, which wraps Django's handler in the page cache's layer and warms the process up.
ALLOWED = {
    "centiro_site": {"core", "pagecache"},
    "core": set(),
    "accounts": {"core"},
    "policy": {"core", "accounts", "pagecache"},
    "consent": {"core", "accounts", "policy", "pagecache"},
    "visits": {"core", "accounts", "consent", "pagecache"},
    "registrations": {"core", "accounts", "policy", "pagecache"},
    "pagecache": {"core"},
    "pages": {"core", "policy", "pagecache"},
}
PACKAGES = tuple(ALLOWED)

# Inside an app: (part, modules of the app it must not import). Visits' recording (middleware,
# spool, drain, rollup, purge) runs on every request and every minute without its dashboard.
INNER = [("visits", "visits.dashboard")]


def application_modules():
    """{module name: path} of every application module: tests and migrations left out."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(path, module):
    """(imported module, names) for every import in the file, lazy ones inside functions too."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            yield base, tuple(alias.name for alias in node.names)


def import_graph():
    """{module: set of project modules it imports}, edges resolved to modules that exist."""
    modules = application_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for imported, names in imports_of(path, module):
            candidates = [f"{imported}.{name}" for name in names] + [imported]
            target = next((c for c in candidates if c in modules), None)
            if target and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    visiting, done = [], set()

    def visit(module):
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return None
        visiting.append(module)
        for target in sorted(graph.get(module, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def app_of(module):
    return module.split(".")[0]


def test_the_graph_sees_the_project_s_imports():
    graph = import_graph()
    assert "consent.models" in graph["consent.state"]
    assert "accounts.registry" in graph["consent.apps"]  # an import inside ready() counts


def test_no_module_of_the_project_imports_itself_in_a_circle():
    assert find_cycle(import_graph()) is None


def test_finding_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def wrong_arrows(graph):
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if app_of(target) != app_of(module) and app_of(target) not in ALLOWED[app_of(module)]
    )


def test_every_package_of_the_project_is_covered():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "e2e", "benchmarks"} == set(PACKAGES)


def test_no_package_imports_one_it_must_not_depend_on():
    assert wrong_arrows(import_graph()) == []


def test_a_new_back_arrow_is_caught():
    graph = import_graph()
    graph["core.net"] = {*graph["core.net"], "accounts.models"}
    graph["policy.services"] = {*graph["policy.services"], "pages.views"}
    assert wrong_arrows(graph) == ["core.net -> accounts.models", "policy.services -> pages.views"]


def inner_wrong_arrows(graph):
    """Arrows from an app's other modules into a part of it they must not import."""

    def inside(module, part):
        return module == part or module.startswith(f"{part}.")

    return sorted(
        f"{module} -> {target}"
        for app, part in INNER
        for module, targets in graph.items()
        if inside(module, app) and not inside(module, part)
        for target in targets
        if inside(target, part)
    )


def test_recording_never_imports_the_dashboard():
    graph = import_graph()
    assert "visits.dashboard.views" in graph  # the rule reads the real dashboard
    assert inner_wrong_arrows(graph) == []


def test_a_new_arrow_from_recording_into_the_dashboard_is_caught():
    graph = import_graph()
    graph["visits.rollup"] = {*graph["visits.rollup"], "visits.dashboard.statistics"}
    graph["visits.dashboard.views"] = {*graph["visits.dashboard.views"], "visits.spool"}
    assert inner_wrong_arrows(graph) == ["visits.rollup -> visits.dashboard.statistics"]


def test_the_allowed_arrows_have_no_cycle():
    assert find_cycle(ALLOWED) is None


def test_no_application_code_imports_allauth_internals():
    internal = sorted(
        f"{module}: {imported}"
        for module, path in application_modules().items()
        for imported, _names in imports_of(path, module)
        if imported.startswith("allauth.") and ".internal" in imported
    )
    assert internal == []
