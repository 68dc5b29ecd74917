"""The class reference XML built from docstrings, in Godot's doc/classes format."""

import xml.etree.ElementTree as ET

from godot import EngineEnum, IntFlag, Node, Property, Signal, method
from godot._doc import gdscript_literal, help_text, split_docstring
from godot._register import build_spec
from greeter_example import Greeter


def parsed(cls):
    return ET.fromstring(build_spec(cls).doc_xml.encode())


def test_class_element_names_the_class_and_its_parent():
    root = parsed(Greeter)
    assert root.tag == "class"
    assert root.attrib == {"name": "Greeter", "inherits": "RefCounted"}
    assert [child.tag for child in root] == [
        "brief_description",
        "description",
        "tutorials",
        "methods",
        "members",
        "signals",
        "constants",
    ]


def test_brief_is_the_first_docstring_line_and_description_the_dedented_rest():
    root = parsed(Greeter)
    assert root.findtext("brief_description").strip() == "Greets people."
    assert root.findtext("description").strip() == "Longer description: becomes the class page in the editor help."


def test_split_docstring_dedents_multi_paragraph_descriptions():
    brief, description = split_docstring("""Brief.

        First paragraph.
            Indented code.
        """)
    assert brief == "Brief."
    assert description == "First paragraph.\n    Indented code."


def test_help_text_joins_wrapped_lines_and_keeps_paragraphs_and_list_items():
    text = help_text("""Line one
        continues here.

        - item one
          wraps
        - item two

        Next paragraph.""")
    assert text == "Line one continues here.\n- item one wraps\n- item two\nNext paragraph."


def test_methods_list_return_params_defaults_qualifiers_and_docstring():
    methods = {m.get("name"): m for m in parsed(Greeter).find("methods")}
    greet = methods["greet"]
    assert greet.find("return").attrib == {"type": "String"}
    assert [p.attrib for p in greet.findall("param")] == [
        {"index": "0", "name": "name", "type": "String"},
        {"index": "1", "name": "times", "type": "int", "default": "1"},
    ]
    assert greet.findtext("description").strip() == "Returns a greeting."
    assert methods["mood"].get("qualifiers") == "const"
    assert methods["version"].get("qualifiers") == "static"


def test_enum_types_use_int_with_enum_attribute_like_godot_docs():
    fetch = {m.get("name"): m for m in parsed(Greeter).find("methods")}["fetch"]
    assert fetch.find("return").attrib == {"type": "int", "enum": "Error"}
    assert fetch.find("param").attrib == {
        "index": "0",
        "name": "how",
        "type": "int",
        "enum": "HTTPClient.Method",
        "default": "0",
    }
    mood = {m.get("name"): m for m in parsed(Greeter).find("methods")}["mood"]
    assert mood.find("return").attrib == {"type": "int", "enum": "Greeter.Mood"}


def test_property_accessors_are_members_not_methods():
    root = parsed(Greeter)
    method_names = {m.get("name") for m in root.find("methods")}
    assert not method_names & {"set_volume", "get_volume", "set_speed", "get_speed"}
    members = {m.get("name"): m for m in root.find("members")}
    assert members["volume"].attrib == {
        "name": "volume",
        "type": "int",
        "setter": "set_volume",
        "getter": "get_volume",
        "default": "5",
    }
    assert members["volume"].text.strip() == "How loud."


def test_signals_have_params_and_description():
    signals = {s.get("name"): s for s in parsed(Greeter).find("signals")}
    assert [p.attrib for p in signals["greeted"].findall("param")] == [
        {"index": "0", "name": "name", "type": "String"},
        {"index": "1", "name": "times", "type": "int"},
    ]
    assert signals["greeted"].findtext("description").strip() == "Emitted after each greeting."
    assert signals["finished"].findall("param") == []


def test_constants_carry_value_enum_and_doc():
    constants = [c.attrib for c in parsed(Greeter).find("constants")]
    assert constants == [
        {"name": "HAPPY", "value": "0", "enum": "Mood"},
        {"name": "SAD", "value": "1", "enum": "Mood"},
        {"name": "MAX_VOLUME", "value": "10"},
    ]


def test_bitfields_objects_variants_and_typed_arrays_use_godot_type_names():
    class Panel(Node):
        """Panel."""

        class Side(IntFlag):
            LEFT = 1
            RIGHT = 2

        title = Property(str, default='say "hi"', doc="Escaped <title> & more.")
        changed = Signal(node=Node, value=object)

        @method
        def sides(
            self, which: Side, flags: EngineEnum("TextServer.JustificationFlag", bitfield=True)
        ) -> list[Node]: ...

        @method
        def nothing(self) -> None: ...

    root = parsed(Panel)
    methods = {m.get("name"): m for m in root.find("methods")}
    assert methods["sides"].find("return").attrib == {"type": "Node[]"}
    assert [p.attrib for p in methods["sides"].findall("param")] == [
        {"index": "0", "name": "which", "type": "int", "enum": "Panel.Side", "is_bitfield": "true"},
        {"index": "1", "name": "flags", "type": "int", "enum": "TextServer.JustificationFlag", "is_bitfield": "true"},
    ]
    assert methods["nothing"].find("return").attrib == {"type": "void"}
    params = root.find("signals/signal").findall("param")
    assert [p.get("type") for p in params] == ["Node", "Variant"]
    title = root.find("members/member")
    assert title.get("default") == '"say \\"hi\\""'
    assert title.text.strip() == "Escaped <title> & more."
    assert [c.get("is_bitfield") for c in root.find("constants")] == ["true", "true"]


def test_class_without_docstring_or_members_still_gives_valid_xml():
    class Bare(Node):
        pass

    root = parsed(Bare)
    assert root.findtext("brief_description").strip() == ""
    assert root.find("methods") is None


def test_default_values_are_written_as_gdscript_literals():
    assert [gdscript_literal(v) for v in (None, True, 3, 0.5, "a", [1, "b"], {"k": 2}, b"\x01\x02")] == [
        "null",
        "true",
        "3",
        "0.5",
        '"a"',
        '[1, "b"]',
        '{"k": 2}',
        "PackedByteArray(1, 2)",
    ]
