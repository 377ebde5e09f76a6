"""Type map, names, literals and layout."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import naming
from codegen.meta import object_meta
from codegen.plan import plan_object
from codegen.pysource import Call, Code, Kw, Sub, Tup, flat, layout, lit, string_literal
from codegen.typemap import TYPE_MAP, rule_for
from sfschema.describe.models import FIELD_TYPES
from sfschema.errors import CodegenError, DescribeError
from sfschema.runtime.meta import FieldMeta, ObjectMeta, RecordTypeMeta
from sfschema.schema import OrgSchema
from tests.support.codegen_helpers import BIN, PYPROJECT, REAL, run_tool

# The partner WSDL's fieldType enum, complete (SOAP API Developer Guide: Field Types)
FACTS_TYPES = [
    "string",
    "picklist",
    "multipicklist",
    "combobox",
    "reference",
    "base64",
    "boolean",
    "currency",
    "textarea",
    "int",
    "double",
    "percent",
    "phone",
    "id",
    "date",
    "datetime",
    "time",
    "url",
    "email",
    "encryptedstring",
    "datacategorygroupreference",
    "location",
    "address",
    "anyType",
    "complexvalue",
    "long",
]


def test_type_map_covers_exactly_the_documented_types() -> None:
    assert set(TYPE_MAP) == set(FACTS_TYPES) == set(FIELD_TYPES)


def test_unknown_type_fails_naming_it() -> None:
    with pytest.raises(CodegenError, match=r"Account\.Spot__c: describe type 'geolocation'"):
        rule_for("geolocation", "Account.Spot__c")


def test_unknown_type_in_a_describe_fails_generation() -> None:
    raw = {
        "name": "X__c",
        "fields": [{"name": "Id", "type": "id"}, {"name": "V", "type": "vector"}],
    }
    with pytest.raises(DescribeError, match=r"X__c\.V has unknown describe type 'vector'"):
        plan_object(OrgSchema({"X__c": raw}), "X__c")


@pytest.mark.parametrize(
    ("api_name", "expected"),
    [
        ("StageName", ("StageName", None)),
        ("ns__Field__c", ("ns__Field__c", None)),
        ("class", ("class_", "class")),
        ("None", ("None_", "None")),
        ("match", ("match_", "match")),
        ("model_config", ("f_model_config", "model_config")),
        ("copy", ("copy_", "copy")),
        ("t", ("t_", "t")),
        ("_private", ("private", "_private")),
        ("1st", ("f_1st", "1st")),
        ("with-dash", ("with_dash", "with-dash")),
        ("Ünïcode", ("n_code", "Ünïcode")),
    ],
)
def test_field_names(api_name: str, expected: tuple[str, str | None]) -> None:
    assert naming.field_name(api_name) == expected


def test_field_names_never_collide() -> None:
    taken = {"class_", "class__"}
    assert naming.field_name("class", taken) == ("class___", "class")
    assert naming.field_name("Name", {"Name"}) == ("Name_", "Name")


def test_module_and_class_names() -> None:
    assert naming.module_name("Opportunity") == "opportunity"
    assert naming.module_name("ns__Orders__x") == "ns__orders__x"
    assert naming.module_name("Account", {"account"}) == "account_"
    assert naming.module_name("t") == "t_"
    assert naming.class_name("Setting__mdt") == "Setting__mdt"
    assert naming.class_name("ObjectMeta", {"ObjectMeta"}) == "ObjectMeta_"


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_string_literals_round_trip(value: str) -> None:
    literal = string_literal(value)
    assert ast.literal_eval(literal) == value
    assert literal[0] == '"' or '"' in value


def test_string_literals_are_what_ruff_format_writes(tmp_path: Path) -> None:
    values = [
        "",
        "a",
        "it's",
        'say "hi"',
        "both ' and \"",
        'more "" than \'',
        "\\",
        "\n\t\x00",
        "ünï ✓ 漢字",
        "\u200b",
        "'''",
        '"""',
        "\\'",
        '\\"',
    ]
    source = "".join(f"X{i} = {string_literal(v)}\n" for i, v in enumerate(values))
    path = tmp_path / "literals.py"
    path.write_text(source)
    result = run_tool(BIN / "ruff", "format", "--diff", "--config", PYPROJECT, path)
    assert result.returncode == 0, result.stdout


def test_layout_keeps_short_lines_and_splits_long_ones() -> None:
    short = Sub("t.Annotated", (Code("str"), Call("sf.Text", (lit("A"), Kw("max_length", lit(5))))))
    assert layout("_T_A = ", short) == '_T_A = t.Annotated[str, sf.Text("A", max_length=5)]'
    long = Call("f", tuple(lit("x" * 40) for _ in range(3)))
    assert layout("V = ", long, indent=4) == "\n".join(
        ["    V = f(", *[f'        "{"x" * 40}",'] * 3, "    )"]
    )
    one = Sub("t.Literal", (lit("y" * 120),))
    assert layout("L = ", one) == 'L = t.Literal[\n    "' + "y" * 120 + '"\n]'
    assert flat(Tup((lit(1),))) == "(1,)" and flat(Tup(())) == "()"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in REAL.glob("*/*.json") if p.stem != "_global"),
    ids=lambda p: p.parent.name + "/" + p.stem,
)
def test_meta_literals_evaluate_to_the_same_object(path: Path) -> None:
    payload = json.loads(path.read_text())
    schema = OrgSchema({payload["name"]: payload})
    meta = object_meta(schema, payload["name"])
    names = {"FieldMeta": FieldMeta, "ObjectMeta": ObjectMeta, "RecordTypeMeta": RecordTypeMeta}
    assert eval(flat(lit(meta)), names) == meta
