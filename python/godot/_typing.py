"""Python annotations -> `TypeSpec`: how a Python type appears to Godot.

Theory of operation
-------------------
`type_spec(annotation, role=..., owner=..., where=...)` maps one (already resolved)
annotation to the `TypeSpec` the bridge hands to ClassDB. `resolved_annotations(fn, owner)`
reads a function's annotations, evaluating string and forward references (written with
`from __future__ import annotations`, or naming the class being defined) against the
owning class and its module.

The defaults copy what ClassDB reports for the engine's own classes, so that a Python
class can be made indistinguishable from an engine class in
`ClassDB.class_get_method_list()` / `class_get_property_list()`. Evidence (Godot 4.6.3,
printed by tests/python/registration/classdb_conventions.gd):

* every argument and return:         usage 6 (DEFAULT), hint 0
      HTTPClient.poll() -> {type INT, class_name "Error", usage 65542}
* enum-typed argument/return:        type INT, class_name "Error" / "HTTPClient.Method",
                                     usage 65542 = CLASS_IS_ENUM | DEFAULT, hint 0
* bitfield argument:                 class_name "TextServer.JustificationFlag",
                                     usage 518 = CLASS_IS_BITFIELD | DEFAULT
* Object argument/return of a RefCounted class (the engine binds them as Ref<T>):
      HTTPClient.connect_to_host(tls_options) -> {type OBJECT, class_name "TLSOptions",
                                     hint 17 RESOURCE_TYPE, hint_string "TLSOptions"}
      HTTPClient.get_connection() -> class_name/hint_string "StreamPeer", hint 17
  Object argument/return of any other class (bound as T*): hint 0
      Node.add_child(node) -> {type OBJECT, class_name "Node", hint 0}
* any-Variant argument/return:       type NIL, usage 131078 = NIL_IS_VARIANT | DEFAULT
      Object.get() -> {type 0, usage 131078}   (== _spec.VARIANT)
* void return:                       {type NIL, usage 6}; the engine shows this when the
  method is registered with `has_return_value = false`. The spec marks it with
  `_spec.VOID` (usage NONE), which the bridge turns into "no return value".
* typed array:                       Node.get_children() -> {type ARRAY, hint 31
                                     ARRAY_TYPE, hint_string "Node"}
* properties: RefCounted object      HTTPClient.connection -> hint 17 "StreamPeer";
              range                  HTTPClient.read_chunk_size -> hint 1 "256,16777216";
              enum (GDScript @export) {class_name "X.Mood", hint 2 ENUM,
                                     hint_string "Happy:0,Sad:1", usage CLASS_IS_ENUM|...};
              Node (GDScript @export) {class_name "Node", hint 34 NODE_TYPE "Node"}
  The accessor methods of a property carry the plain argument type (the setter
  `set_read_chunk_size(bytes)` shows hint 0), the property itself carries the hint.
"""

from __future__ import annotations

import builtins
import enum
import inspect
import sys
import types
import typing
from typing import Any, cast

from godot import _spec
from godot._hints import HINT_ARRAY_TYPE, HINT_NODE_TYPE

IntEnum = enum.IntEnum
IntFlag = enum.IntFlag

ROLE_ARG = "argument"
ROLE_RETURN = "return"
ROLE_PROPERTY = "property"

# Variant.Type -> the type's name in GDScript and in the class reference XML.
VARIANT_TYPE_NAMES: tuple[str, ...] = (
    "Nil",
    "bool",
    "int",
    "float",
    "String",
    "Vector2",
    "Vector2i",
    "Rect2",
    "Rect2i",
    "Vector3",
    "Vector3i",
    "Transform2D",
    "Vector4",
    "Vector4i",
    "Plane",
    "Quaternion",
    "AABB",
    "Basis",
    "Transform3D",
    "Projection",
    "Color",
    "StringName",
    "NodePath",
    "RID",
    "Object",
    "Callable",
    "Signal",
    "Dictionary",
    "Array",
    "PackedByteArray",
    "PackedInt32Array",
    "PackedInt64Array",
    "PackedFloat32Array",
    "PackedFloat64Array",
    "PackedStringArray",
    "PackedVector2Array",
    "PackedVector3Array",
    "PackedColorArray",
    "PackedVector4Array",
)
assert len(VARIANT_TYPE_NAMES) == _spec.VARIANT_MAX

# Plain Python types with a direct Variant equivalent.
BUILTIN_VARIANT_TYPES: dict[Any, int] = {
    bool: _spec.BOOL,
    int: _spec.INT,
    float: _spec.FLOAT,
    str: _spec.STRING,
    bytes: _spec.PACKED_BYTE_ARRAY,
    list: _spec.ARRAY,
    dict: _spec.DICTIONARY,
}


class EngineEnum:
    """An annotation naming an engine enum: `EngineEnum("HTTPClient.Method")`,
    `EngineEnum("Error")` (a global enum), or a bitfield with `bitfield=True`.

    Maps to an INT whose class_name is that name, as the engine's own methods do.
    """

    __slots__ = ("name", "bitfield")

    def __init__(self, name: str, *, bitfield: bool = False) -> None:
        if not isinstance(name, str) or not all(part.isidentifier() for part in name.split(".")) or name.count(".") > 1:
            raise ValueError(f"EngineEnum needs 'Enum' or 'Class.Enum', got {name!r}")
        self.name = name
        self.bitfield = bitfield

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EngineEnum) and (other.name, other.bitfield) == (self.name, self.bitfield)

    def __hash__(self) -> int:
        return hash((EngineEnum, self.name, self.bitfield))

    def __repr__(self) -> str:
        return f"EngineEnum({self.name!r}{', bitfield=True' if self.bitfield else ''})"


def EngineBitfield(name: str) -> EngineEnum:  # noqa: N802 - reads like a type in annotations
    """An engine bitfield enum: `EngineBitfield("TextServer.JustificationFlag")`."""
    return EngineEnum(name, bitfield=True)


# --- what kind of class is this? ---------------------------------------------------------


def godot_class_name(cls: Any) -> str | None:
    """The Godot name of an engine stand-in or registered Python class (walking its
    bases), or None when `cls` is not a Godot class at all."""
    if not isinstance(cls, type):
        return None
    for klass in cls.__mro__:
        own = vars(klass)
        if isinstance(own.get("__godot_name__"), str):
            return str(own["__godot_name__"])
        if isinstance(own.get("__godot_class__"), str):
            return str(own["__godot_class__"])
    return None


def inherits_godot_class(cls: type, name: str) -> bool:
    """True when `cls` is, or derives from, the engine class `name` (by Python bases;
    a stand-in may also say so itself with `__godot_ancestors__ = ("RefCounted", ...)`)."""
    for klass in cls.__mro__:
        own = vars(klass)
        if own.get("__godot_class__") == name or own.get("__godot_name__") == name:
            return True
        if name in own.get("__godot_ancestors__", ()):
            return True
    return False


def enum_class_name(enum_cls: type) -> str:
    """ "Greeter.Mood" for an enum nested in a registered class (set at registration)."""
    name = getattr(enum_cls, "__godot_enum__", None)
    if not isinstance(name, str):
        raise TypeError(
            f"enum {enum_cls.__qualname__} is not part of a Godot class: define it inside a "
            f"registered class (class Mood(IntEnum) in its body) or use EngineEnum('Class.Enum')"
        )
    return name


def enum_hint_string(enum_cls: type[enum.Enum]) -> str:
    """ "Happy:0,Sad:1": GDScript's @export hint for an enum (names capitalised by Godot's
    String.capitalize rules: HAPPY -> Happy, WHEN_PAUSED -> When Paused)."""
    return ",".join(f"{_capitalize(m.name)}:{int(m.value)}" for m in enum_cls)


def _capitalize(constant_name: str) -> str:
    return " ".join(word.capitalize() for word in constant_name.split("_") if word)


# --- annotations -> TypeSpec --------------------------------------------------------------


def type_spec(annotation: Any, *, role: str, where: str) -> _spec.TypeSpec:
    """The TypeSpec for a resolved annotation used as `role` (ROLE_ARG, ROLE_RETURN or
    ROLE_PROPERTY). `where` names the place in errors, e.g. "Greeter.greet(), argument 'name'"."""
    if isinstance(annotation, _spec.TypeSpec):
        return annotation
    if annotation is inspect.Parameter.empty:
        return _spec.VOID if role == ROLE_RETURN else _spec.VARIANT
    if annotation is None or annotation is type(None):
        if role == ROLE_RETURN:
            return _spec.VOID
        raise TypeError(f"{where}: None is not a Godot type for a {role}; use typing.Any for any Variant")
    if annotation is typing.Any or annotation is object:
        return _spec.VARIANT
    if isinstance(annotation, EngineEnum):
        flag = _spec.USAGE_CLASS_IS_BITFIELD if annotation.bitfield else _spec.USAGE_CLASS_IS_ENUM
        return _spec.TypeSpec(_spec.INT, annotation.name, usage=_spec.USAGE_DEFAULT | flag)

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _annotated(annotation, role=role, where=where)
    if origin is typing.Union or origin is types.UnionType:
        return _optional_object(annotation, role=role, where=where)
    if origin is list:
        return _typed_array(annotation, where=where)
    if origin is dict:
        return _typed_dictionary(annotation, where=where)

    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return _enum_type(annotation, role=role, where=where)
        if annotation in BUILTIN_VARIANT_TYPES:
            return _spec.TypeSpec(BUILTIN_VARIANT_TYPES[annotation])
        variant_type = getattr(annotation, "__variant_type__", None)
        if isinstance(variant_type, int) and not isinstance(variant_type, bool):
            return _spec.TypeSpec(variant_type)
        class_name = godot_class_name(annotation)
        if class_name is not None:
            return _object_type(annotation, class_name, role=role)

    raise TypeError(
        f"{where}: cannot map annotation {annotation!r} to a Godot type; use bool, int, float, "
        f"str, bytes, list, dict, typing.Any, a godot value type (Vector2, ...), a Godot class, "
        f"an IntEnum nested in a registered class, an engine enum (godot.Error, godot.HTTPClient.Method), "
        f"Annotated[int, <such an enum>] or EngineEnum('Class.Enum')"
    )


def _gives_godot_type(item: Any) -> bool:
    """Metadata of `Annotated[...]` that names the Godot type: an enum, EngineEnum, TypeSpec or
    value type (a class with `__variant_type__`, such as godot.PackedByteArray)."""
    if isinstance(item, (EngineEnum, _spec.TypeSpec)):
        return True
    if not isinstance(item, type):
        return False
    return issubclass(item, enum.Enum) or isinstance(getattr(item, "__variant_type__", None), int)


def _annotated(annotation: Any, *, role: str, where: str) -> _spec.TypeSpec:
    """`Annotated[T, G]`: T for Python and its checkers (what the code really holds or returns),
    G for Godot: `Annotated[int, godot.Error]` (the bridge passes enum values as ints),
    `Annotated[bytes | BodyBuffer, godot.PackedByteArray]` (a buffer the bridge hands over as the
    PackedByteArray). Metadata that names no Godot type is ignored: `Annotated[T, other]` is T."""
    base, *metadata = typing.get_args(annotation)
    named = [item for item in metadata if _gives_godot_type(item)]
    if not named:
        return type_spec(base, role=role, where=where)
    if len(named) > 1:
        raise TypeError(f"{where}: {annotation!r} names more than one Godot type: {named!r}")
    godot_type = type_spec(named[0], role=role, where=where)
    if godot_type.variant_type == _spec.INT and base is not int:
        raise TypeError(f"{where}: {annotation!r}: an enum's Python type is int, not {base!r}")
    return godot_type


def _object_type(cls: type, class_name: str, *, role: str) -> _spec.TypeSpec:
    refcounted = inherits_godot_class(cls, "RefCounted")
    if role == ROLE_PROPERTY:
        if refcounted:
            return _spec.TypeSpec(_spec.OBJECT, class_name, _spec.HINT_RESOURCE_TYPE, class_name)
        if inherits_godot_class(cls, "Node"):
            return _spec.TypeSpec(_spec.OBJECT, class_name, HINT_NODE_TYPE, class_name)
        return _spec.TypeSpec(_spec.OBJECT, class_name)
    if refcounted:  # bound as Ref<T> by the engine
        return _spec.TypeSpec(_spec.OBJECT, class_name, _spec.HINT_RESOURCE_TYPE, class_name)
    return _spec.TypeSpec(_spec.OBJECT, class_name)


def _enum_type(enum_cls: type, *, role: str, where: str) -> _spec.TypeSpec:
    if not issubclass(enum_cls, int):
        raise TypeError(
            f"{where}: enum {enum_cls.__qualname__} must be an IntEnum or IntFlag (Godot enums are integers)"
        )
    try:
        class_name = enum_class_name(enum_cls)
    except TypeError as error:
        raise TypeError(f"{where}: {error}") from None
    bitfield = issubclass(enum_cls, enum.Flag)
    flag = _spec.USAGE_CLASS_IS_BITFIELD if bitfield else _spec.USAGE_CLASS_IS_ENUM
    if role == ROLE_PROPERTY:
        hint = _spec.HINT_FLAGS if bitfield else _spec.HINT_ENUM
        return _spec.TypeSpec(
            _spec.INT, class_name, hint, enum_hint_string(cast("type[enum.Enum]", enum_cls)), _spec.USAGE_DEFAULT | flag
        )
    return _spec.TypeSpec(_spec.INT, class_name, usage=_spec.USAGE_DEFAULT | flag)


def _optional_object(annotation: Any, *, role: str, where: str) -> _spec.TypeSpec:
    members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if len(members) == 1 and len(typing.get_args(annotation)) == 2:
        inner = type_spec(members[0], role=role, where=where)
        if inner.variant_type == _spec.OBJECT:
            return inner  # an Object argument is nullable in Godot anyway
    raise TypeError(
        f"{where}: {annotation!r}: only `SomeGodotClass | None` is supported as a union "
        f"(Godot objects may be null); use typing.Any for a value of several types"
    )


def _element(annotation: Any, *, where: str) -> tuple[str, tuple[int, str]]:
    """A container element type: its name in a hint string ("int", "Node", "Variant") and
    its (Variant type, class name) pair."""
    element_spec = type_spec(annotation, role=ROLE_ARG, where=where)
    if element_spec.variant_type == _spec.NIL:
        return "Variant", (_spec.NIL, "")
    if element_spec.variant_type == _spec.OBJECT:
        return element_spec.class_name, (_spec.OBJECT, element_spec.class_name)
    return VARIANT_TYPE_NAMES[element_spec.variant_type], (element_spec.variant_type, "")


def _typed_array(annotation: Any, *, where: str) -> _spec.TypeSpec:
    (element,) = typing.get_args(annotation) or (typing.Any,)
    name, pair = _element(element, where=f"{where} (list element)")
    if pair[0] == _spec.NIL:
        return _spec.TypeSpec(_spec.ARRAY)
    return _spec.TypeSpec(_spec.ARRAY, hint=HINT_ARRAY_TYPE, hint_string=name, elements=(pair,))


def _typed_dictionary(annotation: Any, *, where: str) -> _spec.TypeSpec:
    """`dict[K, V]`: Godot's typed Dictionary (`Dictionary[K, V]` in GDScript), hint
    DICTIONARY_TYPE with "K;V" as the engine reports it; `dict` alone is untyped."""
    arguments = typing.get_args(annotation)
    if not arguments:
        return _spec.TypeSpec(_spec.DICTIONARY)
    if len(arguments) != 2:
        raise TypeError(f"{where}: dict[...] takes a key and a value type, got {len(arguments)}")
    key_name, key = _element(arguments[0], where=f"{where} (dict key)")
    value_name, value = _element(arguments[1], where=f"{where} (dict value)")
    if key[0] == _spec.NIL and value[0] == _spec.NIL:
        return _spec.TypeSpec(_spec.DICTIONARY)
    return _spec.TypeSpec(
        _spec.DICTIONARY, hint=_spec.HINT_DICTIONARY_TYPE, hint_string=f"{key_name};{value_name}", elements=(key, value)
    )


# --- resolving annotations ---------------------------------------------------------------


def raw_annotations(function: Any) -> dict[str, Any]:
    """A function's annotations, unevaluated names left as strings or ForwardRefs."""
    try:
        import annotationlib  # type: ignore[import-not-found,unused-ignore]  # Python 3.14+: lazy annotations
    except ImportError:
        return dict(getattr(function, "__annotations__", None) or {})
    try:
        return dict(annotationlib.get_annotations(function, format=annotationlib.Format.VALUE))
    except Exception:  # a name not defined yet: keep it as a ForwardRef and resolve below
        return dict(annotationlib.get_annotations(function, format=annotationlib.Format.FORWARDREF))


def resolve(annotation: Any, *, owner: type, module_globals: dict[str, Any], where: str) -> Any:
    """Evaluate a string or forward-reference annotation in the owner class's namespace,
    then its module's globals, then the godot package (so "Node" works without an import)."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__forward_arg__", None)
    if not isinstance(text, str):
        return annotation
    local_names: dict[str, Any] = {}
    for klass in reversed(owner.__mro__):
        local_names.update(vars(klass))
    local_names[owner.__name__] = owner
    try:
        value = eval(text, dict(module_globals), local_names)  # noqa: S307 - the user's own annotation
        if isinstance(value, str) and value != text:
            # A quoted annotation under `from __future__ import annotations` ("'X.Mood'"):
            # the first evaluation only removes the quotes, as typing.get_type_hints does.
            return resolve(value, owner=owner, module_globals=module_globals, where=where)
        return value
    except NameError as error:
        first = text.split(".")[0].split("[")[0]
        if first.isidentifier() and first[:1].isupper():
            import godot

            try:
                return eval(text, {**vars(builtins), first: getattr(godot, first)}, local_names)  # noqa: S307
            except Exception:
                pass
        raise TypeError(f"{where}: cannot resolve annotation {text!r}: {error}") from None
    except Exception as error:
        raise TypeError(f"{where}: cannot evaluate annotation {text!r}: {error}") from None


def resolved_annotations(function: Any, *, owner: type, where: str) -> dict[str, Any]:
    """`raw_annotations(function)` with every string/forward reference evaluated."""
    module_globals = getattr(function, "__globals__", None) or vars(sys.modules.get(owner.__module__, builtins))
    return {
        name: resolve(value, owner=owner, module_globals=module_globals, where=f"{where}, annotation of {name!r}")
        for name, value in raw_annotations(function).items()
    }


def signature_of(function: Any) -> inspect.Signature:
    """inspect.signature without evaluating annotations (they are resolved separately)."""
    try:
        import annotationlib
    except ImportError:
        return inspect.signature(function)
    return inspect.signature(function, annotation_format=annotationlib.Format.FORWARDREF)  # type: ignore[call-arg,unused-ignore]
