"""Mutation testing: would a small change to a module make its own tests fail?

For each module the promises rest on, every mutation point is changed one at a time (a
comparison flipped, `+` for `-`, `and` for `or`, a constant changed, a `raise` or a decorator
removed, a `return` value dropped), and the module's own tests run against that mutant with
`-x`. A mutant whose tests still pass "survived": a regression of that kind would go unseen.
Prints each module's score and every survivor with its line.

A survivor that no test can or should kill is named, with the reason, in
`benchmarks/mutation_survivors.toml` (equivalent: no behaviour changes; accepted: a change we
decided not to pin). The score is the usual one, killed / (mutants - equivalent): an
equivalent mutant is no fault to find, while an accepted or unexplained survivor lowers it. The
raw share killed of all mutants is printed beside it. The report lists named and unexplained
survivors apart, and any entry that no longer matches a survivor, so the list cannot go stale.

The tracked tree is copied once per job into a temporary directory and mutated there, so the
working tree is never touched. Docstrings and log messages are not mutated: changing them
changes no behaviour a test could see. `--database-url` runs the tests on PostgreSQL, where the
COPY path and the key-claim guard run (each job gets its own test database).

    make mutation                      # every module, SQLite
    make mutation MUTATION_ARGS="--module consent/state.py --database-url postgres://..."

Modules with a path that runs only on PostgreSQL say so below; run them with
`--database-url`, or the report says that path went untested.
"""

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SURVIVORS_FILE = Path(__file__).with_name("mutation_survivors.toml")

# module -> its own tests (a file named before its folder runs first; pytest runs it once).
MODULES = {
    "consent/state.py": ["consent/tests"],
    # The tests most likely to fail first, then the rest: -x stops at the first failure.
    "registrations/services.py": [
        "registrations/tests/test_register.py",
        "registrations/tests/test_concurrency.py",
        "registrations/tests",
    ],
    "registrations/keys.py": [
        "registrations/tests/test_keys.py",
        "tests/test_translations.py",
        "registrations/tests",
    ],
    "policy/models/versions.py": [
        "tests/test_migrations.py",  # field labels, choices and constraints
        "tests/test_translations.py",  # messages
        "policy/tests/test_models.py",
        "policy/tests/test_services.py",
        "policy/tests/test_admin.py",
        "policy/tests/test_views.py",
        "policy/tests/test_seed.py",
    ],
    "core/crossorigin.py": [
        "core/tests/test_crossorigin.py",
        "consent/tests/test_consent_views.py",
    ],
    "visits/spool.py": [
        "visits/tests/test_spool.py",
        "visits/tests/test_spool_sealing.py",
        "visits/tests/test_recording.py",
    ],
}
# Modules with a path that runs only on PostgreSQL: the key-claim race and the COPY drain.
POSTGRESQL_ONLY_PATHS = {"registrations/services.py", "visits/spool.py"}

COMPARE_SWAPS = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.Mult,
}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int
    line: int
    description: str
    scope: str  # the enclosing class or function ("Verdict", "Spool.write"), or "<module>"
    code: str  # the source of the node changed, first line

    @property
    def key(self):
        """What names a mutant in the survivors file: stable when other lines move."""
        return (self.module, self.scope, self.code, self.description)


def _is_docstring(parent, node):
    body = getattr(parent, "body", None)
    return (
        isinstance(parent, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and body
        and isinstance(body[0], ast.Expr)
        and body[0].value is node
    )


def _quiet_nodes(tree):
    """Constants whose change no test should see: docstrings and log messages."""
    quiet = set()
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.Expr) and _is_docstring(parent, child.value):
                quiet.add(id(child.value))
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in LOG_METHODS
        ):
            quiet.update(id(node) for arg in parent.args for node in ast.walk(arg))
    return quiet


def mutation_points(tree):
    """[(node, description, apply)] where apply(node) changes the node in place."""
    quiet = _quiet_nodes(tree)
    points = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                swap = COMPARE_SWAPS.get(type(op))
                if swap:
                    points.append(
                        (node, f"{type(op).__name__} -> {swap.__name__}", _set_op(position, swap))
                    )
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            swap = BINOP_SWAPS[type(node.op)]
            points.append((node, f"{type(node.op).__name__} -> {swap.__name__}", _set(op=swap())))
        elif isinstance(node, ast.BoolOp):
            swap = ast.Or if isinstance(node.op, ast.And) else ast.And
            points.append((node, f"{type(node.op).__name__} -> {swap.__name__}", _set(op=swap())))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            points.append((node, "not removed", _set(op=ast.UAdd())))
        elif isinstance(node, ast.Constant) and id(node) not in quiet:
            point = _constant_point(node)
            if point:
                points.append((node, *point))
        elif isinstance(node, ast.Raise):
            points.append((node, "raise removed", _raise_to_pass))
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                points.append((node, "return None", _set(value=ast.Constant(None))))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            for position, decorator in enumerate(node.decorator_list):
                name = ast.unparse(decorator)
                points.append((node, f"decorator @{name} removed", _drop_decorator(position)))
    return points


def _set(**fields):
    def apply(node):
        for name, value in fields.items():
            setattr(node, name, value)

    return apply


def _set_op(position, swap):
    def apply(node):
        node.ops[position] = swap()

    return apply


def _drop_decorator(position):
    def apply(node):
        del node.decorator_list[position]

    return apply


def _raise_to_pass(node):
    node.__class__ = ast.Pass
    for field in ("exc", "cause"):
        if hasattr(node, field):
            delattr(node, field)


def _constant_point(node):
    value = node.value
    if isinstance(value, bool):
        return f"{value} -> {not value}", _set(value=not value)
    if isinstance(value, int | float):
        return f"{value!r} -> {value + 1!r}", _set(value=value + 1)
    if isinstance(value, str) and value:
        return f"{value[:30]!r} -> 'XX…XX'", _set(value=f"XX{value}XX")
    return None


def _scopes(tree):
    """id(node) -> dotted name of the class or function it is in."""
    scopes = {}
    definitions = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef

    def visit(node, scope):
        scopes[id(node)] = scope
        inner = scope
        if isinstance(node, definitions):
            inner = node.name if scope == "<module>" else f"{scope}.{node.name}"
        for child in ast.iter_child_nodes(node):
            # A decorator is evaluated where its definition stands.
            in_decorator = isinstance(node, definitions) and child in node.decorator_list
            visit(child, scope if in_decorator else inner)

    visit(tree, "<module>")
    return scopes


def _code(source, node):
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return f"{'class' if isinstance(node, ast.ClassDef) else 'def'} {node.name}"
    segment = ast.get_source_segment(source, node) or ast.unparse(node)
    first = segment.strip().splitlines()[0]
    return first if len(first) <= 80 else first[:77] + "..."


def mutants_of(module):
    source = (BASE_DIR / module).read_text()
    tree = ast.parse(source)
    scopes = _scopes(tree)
    mutants, seen = [], {}
    points = sorted(
        enumerate(mutation_points(tree)),
        key=lambda pair: (getattr(pair[1][0], "lineno", 0), getattr(pair[1][0], "col_offset", 0)),
    )
    for index, (node, description, _apply) in points:
        scope, code = scopes.get(id(node), "<module>"), _code(source, node)
        # The same code twice in one scope: the later ones (in source order) get " (2)", ...
        seen[scope, code, description] = seen.get((scope, code, description), 0) + 1
        if seen[scope, code, description] > 1:
            code = f"{code} ({seen[scope, code, description]})"
        mutants.append(Mutant(module, index, getattr(node, "lineno", 0), description, scope, code))
    return sorted(mutants, key=lambda mutant: mutant.index)


def named_survivors():
    """key -> (kind, reason) from the survivors file."""
    if not SURVIVORS_FILE.exists():
        return {}
    entries = tomllib.loads(SURVIVORS_FILE.read_text()).get("survivor", [])
    named = {}
    for entry in entries:
        if entry["kind"] not in ("equivalent", "accepted"):
            sys.exit(f"{SURVIVORS_FILE.name}: kind must be equivalent or accepted: {entry}")
        key = (entry["module"], entry["scope"], entry["code"], entry["mutation"])
        named[key] = (entry["kind"], entry["reason"])
    return named


def mutated_source(module, index):
    tree = ast.parse((BASE_DIR / module).read_text())
    tree = copy.deepcopy(tree)
    node, _description, apply = mutation_points(tree)[index]
    apply(node)
    return ast.unparse(ast.fix_missing_locations(tree))


def copy_tree(target):
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        source = BASE_DIR / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def run_tests(tree, tests, environment, timeout):
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *tests]
    try:
        result = subprocess.run(
            command, cwd=tree, env=environment, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if result.returncode == 0 else "killed"


def job_environment(args, job):
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if args.database_url:
        environment["DATABASE_URL"] = f"{args.database_url.rstrip('/')}_mutation{job}"
    return environment


def run_module(module, args, trees):
    tests = MODULES[module]
    mutants = [m for m in mutants_of(module) if not args.mutant or m.index in args.mutant]
    baseline_started = time.perf_counter()
    if run_tests(trees[0], tests, job_environment(args, 0), None) != "survived":
        sys.exit(f"{module}: its tests fail without any mutation; fix them first")
    timeout = 3 * (time.perf_counter() - baseline_started) + 30

    def one(pair):
        job, mutant = pair
        tree = trees[job]
        path = tree / module
        original = path.read_text()
        path.write_text(mutated_source(module, mutant.index))
        try:
            outcome = run_tests(tree, tests, job_environment(args, job), timeout)
        finally:
            path.write_text(original)
        # Progress on stderr: a module takes minutes to an hour.
        print(f"  {outcome:<8} {describe(mutant)}", file=sys.stderr, flush=True)
        return mutant, outcome

    # Each job works on its own copy: mutant i goes to job i % jobs, in order within a job.
    results = []
    with ThreadPoolExecutor(args.jobs) as pool:
        lanes = [
            [(job, m) for i, m in enumerate(mutants) if i % args.jobs == job]
            for job in range(args.jobs)
        ]
        for lane_results in pool.map(lambda lane: [one(pair) for pair in lane], lanes):
            results.extend(lane_results)
    return sorted(results, key=lambda pair: pair[0].index)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--database-url", help="PostgreSQL server URL with a database name")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument(
        "--mutant",
        type=int,
        action="append",
        help="run only this mutant (its # in --list; repeat), e.g. to re-check survivors",
    )
    parser.add_argument(
        "--fail-under", type=float, help="exit 1 if a module scores below this percentage"
    )
    args = parser.parse_args()
    modules = args.module or list(MODULES)

    if args.list:
        for module in modules:
            for mutant in mutants_of(module):
                print(f"{describe(mutant)}  [{mutant.scope}] {mutant.code}")
        return
    named = named_survivors()

    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        trees = [Path(scratch) / f"job{job}" for job in range(args.jobs)]
        for tree in trees:
            copy_tree(tree)
        totals = []
        for module in modules:
            results = run_module(module, args, trees)
            killed = sum(outcome != "survived" for _m, outcome in results)
            survivors = [mutant for mutant, outcome in results if outcome == "survived"]
            unexplained = [mutant for mutant in survivors if mutant.key not in named]
            equivalent = sum(
                named.get(mutant.key, ("",))[0] == "equivalent" for mutant in survivors
            )
            counted = len(results) - equivalent
            score = killed / counted if counted else 1.0
            raw = killed / len(results) if results else 1.0
            totals.append((module, len(results), killed, equivalent, raw, score, len(unexplained)))
            database = "PostgreSQL" if args.database_url else "SQLite"
            print(
                f"\n{module} ({database}): {killed}/{len(results)} killed ({raw:.0%}), "
                f"{equivalent} equivalent, score {score:.0%}"
            )
            if module in POSTGRESQL_ONLY_PATHS and not args.database_url:
                print("  its PostgreSQL-only paths went untested: run with --database-url")
            for mutant in survivors:
                if mutant.key in named:
                    kind, reason = named[mutant.key]
                    print(f"  {kind:<11} {describe(mutant)}: {reason}")
            for mutant in unexplained:
                print(f"  SURVIVED    {describe(mutant)}  [{mutant.scope}] {mutant.code}")
            surviving = {mutant.key for mutant in survivors}
            ran = {mutant.key for mutant, _outcome in results}
            existing = {mutant.key for mutant in mutants_of(module)}
            for key in named:
                if key[0] == module and (key not in existing or key in ran - surviving):
                    print(f"  stale entry in {SURVIVORS_FILE.name} (killed or gone): {key}")
            sys.stdout.flush()
        print(f"\n{'module':<32}mutants  killed  equivalent   raw  score  unexplained")
        for module, count, killed, equivalent, raw, score, unexplained in totals:
            print(
                f"{module:<32}{count:>7}{killed:>8}{equivalent:>12}{raw:>6.0%}{score:>7.0%}"
                f"{unexplained:>13}"
            )
        if args.fail_under is not None and any(
            score * 100 < args.fail_under for *_rest, score, _u in totals
        ):
            sys.exit(1)


def describe(mutant):
    return f"{mutant.module}:{mutant.line} #{mutant.index} {mutant.description}"


if __name__ == "__main__":
    main()
