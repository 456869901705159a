import ast
import csv
import io
from pathlib import Path

import pytest

from core.csvexport import csv_response, safe_cell

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "centiro_site",
    "core",
    "pages",
    "pagecache",
    "accounts",
    "policy",
    "consent",
    "visits",
    "registrations",
)


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"],
)
def test_a_cell_starting_with_a_formula_character_is_neutralised(hostile):
    response = csv_response([("value",), (hostile,)], "x.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1] == ["'" + hostile]


def test_plain_text_and_numbers_pass_unchanged():
    assert safe_cell("centiro.se") == "centiro.se"
    assert safe_cell(-3) == -3
    assert safe_cell(None) == ""


def test_no_application_code_writes_csv_except_through_the_one_writer():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or path.name == "csvexport.py":
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in {"writer", "DictWriter"}
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
