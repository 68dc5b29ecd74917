"""Docstrings -> the class reference page, in Godot's class XML format.

The format is the one of Godot's own doc/classes/*.xml, which the editor loads for
extension classes (`editor_help_load_xml_from_utf8_chars`, Godot 4.3+):

    <class name="Greeter" inherits="RefCounted">
        <brief_description>first docstring line</brief_description>
        <description>the rest of the docstring, dedented</description>
        <methods><method name qualifiers="const|static">
            <return type="int" enum="Error"/> <param index name type [enum] [default]/>
            <description/></method></methods>
        <members><member name type setter getter [enum] [default]>doc</member></members>
        <signals><signal name><param .../><description/></signal></signals>
        <constants><constant name value [enum] [is_bitfield]>doc</constant></constants>
    </class>

Types are written as Godot writes them: "int" with enum="Class.Enum" for enums, the class
name for objects, "Variant" for any value, "void" for no return value, "Node[]" for typed
arrays. Property setters and getters are left out of <methods>, as in Godot's own pages.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from godot import _spec
from godot._hints import HINT_ARRAY_TYPE
from godot._members import Constant, Property, Signal
from godot._typing import VARIANT_TYPE_NAMES

LIST_ITEM_PREFIXES = ("- ", "* ", "[codeblock]", "[/codeblock]")


def help_text(docstring: str | None) -> str:
    """A docstring as Godot's help shows text: every newline is a line break there, so lines
    wrapped inside a paragraph or a list item are joined; paragraphs, list items, indented
    (code) lines and [codeblock]s keep their own lines."""
    lines: list[str] = []
    joinable = in_list_item = in_codeblock = False
    for raw in inspect.cleandoc(docstring or "").splitlines():
        line = raw.strip()
        if in_codeblock or line.startswith("[codeblock]"):
            in_codeblock = not line.startswith("[/codeblock]")
            lines.append(raw.rstrip())
            joinable = False
            continue
        if not line:
            joinable = in_list_item = False
            continue
        indented = raw.startswith(" ")
        if line.startswith(LIST_ITEM_PREFIXES):
            lines.append(line)
            in_list_item = True
        elif joinable and (not indented or in_list_item):
            lines[-1] += " " + line
        else:
            lines.append(raw.rstrip() if indented else line)
        joinable = not indented or in_list_item
    return "\n".join(lines)


def split_docstring(docstring: str | None) -> tuple[str, str]:
    """(brief, description): the first paragraph line, and the rest as help text."""
    text = inspect.cleandoc(docstring or "")
    if not text:
        return "", ""
    brief, _, rest = text.partition("\n")
    return brief.strip(), help_text(rest)


def type_attributes(type_spec: _spec.TypeSpec, *, is_return: bool = False) -> dict[str, str]:
    """The type="..." (and enum="...", is_bitfield="true") attributes for a TypeSpec."""
    if type_spec.usage & (_spec.USAGE_CLASS_IS_ENUM | _spec.USAGE_CLASS_IS_BITFIELD) and type_spec.class_name:
        attributes = {"type": "int", "enum": type_spec.class_name}
        if type_spec.usage & _spec.USAGE_CLASS_IS_BITFIELD:
            attributes["is_bitfield"] = "true"
        return attributes
    if type_spec.variant_type == _spec.NIL:
        if type_spec.usage & _spec.USAGE_NIL_IS_VARIANT or not is_return:
            return {"type": "Variant"}
        return {"type": "void"}
    if type_spec.variant_type == _spec.OBJECT:
        return {"type": type_spec.class_name or "Object"}
    if type_spec.variant_type == _spec.ARRAY and type_spec.hint == HINT_ARRAY_TYPE and type_spec.hint_string:
        return {"type": f"{type_spec.hint_string}[]"}
    return {"type": VARIANT_TYPE_NAMES[type_spec.variant_type]}


def gdscript_literal(value: Any) -> str:
    """A default value written as GDScript would show it: null, true, "text", [1, 2]."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum) and isinstance(value, int):
        return str(int(value))
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (bytes, bytearray)):
        return f"PackedByteArray({', '.join(str(b) for b in value)})"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(gdscript_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{gdscript_literal(k)}: {gdscript_literal(v)}" for k, v in value.items()) + "}"
    return str(value)


class _XmlWriter:
    """Tab-indented XML in the layout of Godot's doc/classes files."""

    def __init__(self) -> None:
        self.lines = ['<?xml version="1.0" encoding="UTF-8" ?>']
        self.depth = 0

    def open(self, tag: str, attributes: dict[str, str] | None = None) -> None:
        self.lines.append("\t" * self.depth + f"<{tag}{self._attributes(attributes)}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append("\t" * self.depth + f"</{tag}>")

    def empty(self, tag: str, attributes: dict[str, str] | None = None) -> None:
        self.lines.append("\t" * self.depth + f"<{tag}{self._attributes(attributes)} />")

    def text_element(self, tag: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.open(tag, attributes)
        self.text(text)
        self.close(tag)

    def text(self, text: str) -> None:
        for line in text.splitlines():
            self.lines.append(("\t" * self.depth + escape(line)) if line.strip() else "")

    @staticmethod
    def _attributes(attributes: dict[str, str] | None) -> str:
        return "".join(f" {key}={quoteattr(value)}" for key, value in (attributes or {}).items())

    def result(self) -> str:
        return "\n".join(self.lines) + "\n"


def class_doc_xml(spec: _spec.ClassSpec, cls: type) -> str:
    """The class reference page of `spec` (docstrings read from `cls`)."""
    own = vars(cls)
    writer = _XmlWriter()
    writer.open("class", {"name": spec.name, "inherits": spec.parent})
    brief, description = split_docstring(own.get("__doc__"))
    writer.text_element("brief_description", brief)
    writer.text_element("description", description)
    writer.open("tutorials")
    writer.close("tutorials")

    accessors = {p.setter for p in spec.properties} | {p.getter for p in spec.properties}
    documented_methods = [m for m in spec.methods if m.name not in accessors]
    if documented_methods:
        writer.open("methods")
        for method_spec in sorted(documented_methods, key=lambda m: m.name):
            _write_method(writer, method_spec)
        writer.close("methods")

    if spec.properties:
        writer.open("members")
        for property_spec in sorted(spec.properties, key=lambda p: p.name):
            declaration = own.get(property_spec.name)
            attributes = {"name": property_spec.name, **type_attributes(property_spec.type)}
            attributes = _member_attribute_order(attributes, property_spec)
            if isinstance(declaration, Property) and declaration.has_default:
                attributes["default"] = gdscript_literal(declaration.default)
            doc = declaration.doc if isinstance(declaration, Property) else ""
            writer.text_element("member", help_text(doc), attributes)
        writer.close("members")

    if spec.signals:
        writer.open("signals")
        for signal_spec in sorted(spec.signals, key=lambda s: s.name):
            declaration = own.get(signal_spec.name)
            writer.open("signal", {"name": signal_spec.name})
            _write_params(writer, signal_spec.args)
            doc = declaration.doc if isinstance(declaration, Signal) else ""
            writer.text_element("description", help_text(doc))
            writer.close("signal")
        writer.close("signals")

    if spec.constants:
        writer.open("constants")
        for constant in spec.constants:
            attributes = {"name": constant.name, "value": str(constant.value)}
            if constant.enum:
                attributes["enum"] = constant.enum
                if constant.is_bitfield:
                    attributes["is_bitfield"] = "true"
            declaration = own.get(constant.name)
            doc = declaration.doc if isinstance(declaration, Constant) else ""
            writer.text_element("constant", help_text(doc), attributes)
        writer.close("constants")

    writer.close("class")
    return writer.result()


def _member_attribute_order(type_attrs: dict[str, str], property_spec: _spec.PropertySpec) -> dict[str, str]:
    """name, type, setter, getter, [enum, is_bitfield]: Godot's attribute order."""
    ordered = {"name": type_attrs["name"], "type": type_attrs["type"]}
    ordered["setter"] = property_spec.setter
    ordered["getter"] = property_spec.getter
    for key in ("enum", "is_bitfield"):
        if key in type_attrs:
            ordered[key] = type_attrs[key]
    return ordered


def _write_method(writer: _XmlWriter, method_spec: _spec.MethodSpec) -> None:
    qualifiers = []
    if method_spec.flags & _spec.METHOD_FLAG_CONST:
        qualifiers.append("const")
    if method_spec.flags & _spec.METHOD_FLAG_STATIC:
        qualifiers.append("static")
    attributes = {"name": method_spec.name}
    if qualifiers:
        attributes["qualifiers"] = " ".join(qualifiers)
    writer.open("method", attributes)
    writer.empty("return", type_attributes(method_spec.return_type, is_return=True))
    _write_params(writer, method_spec.args)
    writer.text_element("description", help_text(getattr(method_spec.function, "__doc__", None)))
    writer.close("method")


def _write_params(writer: _XmlWriter, args: tuple[_spec.ArgSpec, ...]) -> None:
    for index, arg in enumerate(args):
        attributes = {"index": str(index), "name": arg.name, **type_attributes(arg.type)}
        if arg.has_default:
            attributes["default"] = gdscript_literal(arg.default)
        writer.empty("param", attributes)
