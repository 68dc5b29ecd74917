"""Class specs: the plain description of a Python class that the C bridge registers.

This module is the contract between the two layers. `godot._register` turns a decorated
Python class into a `ClassSpec`; the C bridge (`src/register.c`) reads these objects
attribute by attribute and calls ClassDB. Nothing here imports `_godot`, so specs are
built and unit-tested without Godot.

Every field is a plain Python value (str, int, tuple, callable) so the C side never has
to understand Python typing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- Variant.Type (values from Godot's extension_api.json, stable since 4.0) -----------
NIL, BOOL, INT, FLOAT, STRING = 0, 1, 2, 3, 4
VECTOR2, VECTOR2I, RECT2, RECT2I, VECTOR3, VECTOR3I = 5, 6, 7, 8, 9, 10
TRANSFORM2D, VECTOR4, VECTOR4I, PLANE, QUATERNION, AABB = 11, 12, 13, 14, 15, 16
BASIS, TRANSFORM3D, PROJECTION, COLOR, STRING_NAME, NODE_PATH = 17, 18, 19, 20, 21, 22
RID, OBJECT, CALLABLE, SIGNAL, DICTIONARY, ARRAY = 23, 24, 25, 26, 27, 28
PACKED_BYTE_ARRAY, PACKED_INT32_ARRAY, PACKED_INT64_ARRAY = 29, 30, 31
PACKED_FLOAT32_ARRAY, PACKED_FLOAT64_ARRAY, PACKED_STRING_ARRAY = 32, 33, 34
PACKED_VECTOR2_ARRAY, PACKED_VECTOR3_ARRAY, PACKED_COLOR_ARRAY = 35, 36, 37
PACKED_VECTOR4_ARRAY = 38
VARIANT_MAX = 39

# --- PropertyHint / PropertyUsageFlags (the ones the API uses) ------------------------
HINT_NONE = 0
HINT_RANGE = 1
HINT_ENUM = 2
HINT_FLAGS = 6
HINT_RESOURCE_TYPE = 17
HINT_MULTILINE_TEXT = 18
HINT_PLACEHOLDER_TEXT = 20
HINT_ARRAY_TYPE = 31
HINT_DICTIONARY_TYPE = 38

USAGE_NONE = 0
USAGE_STORAGE = 2
USAGE_EDITOR = 4
USAGE_DEFAULT = 6
USAGE_CLASS_IS_BITFIELD = 512
USAGE_CLASS_IS_ENUM = 65536
USAGE_NIL_IS_VARIANT = 131072

# --- GDExtensionClassMethodFlags ---------------------------------------------------------
METHOD_FLAG_NORMAL = 1
METHOD_FLAG_CONST = 4
METHOD_FLAG_VIRTUAL = 8
METHOD_FLAG_VARARG = 16
METHOD_FLAG_STATIC = 32


@dataclass(frozen=True)
class TypeSpec:
    """One GDExtensionPropertyInfo minus the name.

    `variant_type` is a Variant.Type above (NIL with USAGE_NIL_IS_VARIANT = any Variant).
    `class_name` is the Godot class for OBJECT, or "Class.Enum" for an enum-typed INT
    (then `usage` carries USAGE_CLASS_IS_ENUM or USAGE_CLASS_IS_BITFIELD).
    """

    variant_type: int = NIL
    class_name: str = ""
    hint: int = HINT_NONE
    hint_string: str = ""
    usage: int = USAGE_DEFAULT
    # Element types of a typed Array (one) or Dictionary (key, value): (Variant type, class
    # name) pairs the bridge uses to make returned containers typed, as the engine does.
    elements: tuple[tuple[int, str], ...] = ()


VARIANT = TypeSpec(NIL, usage=USAGE_DEFAULT | USAGE_NIL_IS_VARIANT)
VOID = TypeSpec(NIL, usage=USAGE_NONE)  # a method returning nothing


@dataclass(frozen=True)
class ArgSpec:
    name: str
    type: TypeSpec
    has_default: bool = False
    default: Any = None  # converted to a Variant by the bridge
    # A PackedByteArray argument annotated `bytes` arrives as a `bytes` copy; annotated
    # `PackedByteArray`, as the engine's shared array, like the other Packed arrays
    # (docs/packed-arrays.md). The bridge picks each argument's conversion once, at registration.
    as_bytes: bool = False


@dataclass(frozen=True)
class MethodSpec:
    """A method GDScript can call. `function` is the plain Python function: the bridge calls
    `function(instance, *args)` (or `function(*args)` for static methods)."""

    name: str
    function: Callable[..., Any]
    args: tuple[ArgSpec, ...] = ()
    return_type: TypeSpec = VOID
    flags: int = METHOD_FLAG_NORMAL  # | METHOD_FLAG_CONST | METHOD_FLAG_STATIC


@dataclass(frozen=True)
class PropertySpec:
    """A property: `setter`/`getter` name methods registered in the same class ("" = none)."""

    name: str
    type: TypeSpec
    setter: str = ""
    getter: str = ""
    group: str = ""  # inspector group it opens under ("" = none)
    subgroup: str = ""


@dataclass(frozen=True)
class SignalSpec:
    name: str
    args: tuple[ArgSpec, ...] = ()


@dataclass(frozen=True)
class ConstantSpec:
    """An integer constant; `enum` groups it ("" = a plain class constant)."""

    name: str
    value: int
    enum: str = ""
    is_bitfield: bool = False


@dataclass(frozen=True)
class ClassSpec:
    """Everything ClassDB needs about one Python class.

    `parent` is the Godot name of the base class (an engine class or another Python class,
    which must be registered first). `python_class` is what the bridge instantiates:
    `python_class.__new__(python_class)` then `__init__()` with no arguments.
    `virtuals` maps an engine virtual's Godot name (`_ready`, `_get_data`, ...) to the
    Python function overriding it; the bridge learns the signature from the engine.
    `doc_xml` is the class reference page in Godot's XML doc format ("" = none).
    """

    name: str
    parent: str
    python_class: type
    methods: tuple[MethodSpec, ...] = ()
    properties: tuple[PropertySpec, ...] = ()
    signals: tuple[SignalSpec, ...] = ()
    constants: tuple[ConstantSpec, ...] = ()
    virtuals: dict[str, Callable[..., Any]] = field(default_factory=dict)
    is_abstract: bool = False
    doc_xml: str = ""
    # Virtual methods this class declares for scripts to override (@godot.virtual): their
    # signatures, registered as ClassDB virtuals; `function` is the Python default.
    virtual_methods: tuple[MethodSpec, ...] = ()
    # Class kinds: runtime classes do not run in the editor (placeholders there), internal
    # ones are not exposed to scripts and the editor, virtual ones are extended but never
    # instantiated by the engine, abstract ones are not instantiable at all.
    is_runtime: bool = False
    is_exposed: bool = True
    is_virtual: bool = False
    icon_path: str = ""
    # The `_notification` functions of the Python classes in the MRO, base first: the bridge
    # calls each (reversed for notifications the engine sends in reverse), as GDScript does.
    notification_chain: tuple[Callable[..., Any], ...] = ()
