"""Python shapes of Godot's value types.

The bridge converts Variants by value: bool, int, float, str, None, list (Array) and bytes
(PackedByteArray) map to Python's own types; a Dictionary stays the engine's own, wrapped as
`godot.Dictionary` (see _dictionary.py: Godot keys 1, true and 1.0 apart, Python does not); the types here carry
the rest so that a value keeps its Godot type on the way back. Vectors, rects and colors
are tuples (immutable, cheap, unpackable); StringName and NodePath are str subclasses;
inside Godot the numeric and vector packed arrays are `_godot.PackedArray` subclasses that
share the engine's memory (src/packed.c); PackedStringArray (and every packed array outside
Godot) is a list subclass. Each class names its Variant type
in `__variant_type__`, which the bridge (src/convert.c) and the annotation mapping read.
Anything else (Transform3D, RID, Callable, ...) arrives as an opaque `_godot.Variant`.
"""

from __future__ import annotations

from typing import Any

from . import _spec as vt
from ._callable import Callable
from ._dictionary import Dictionary


def _component(index: int) -> property:
    def get(self: tuple[Any, ...]) -> Any:
        return self[index]

    return property(get)


def _vector(name: str, fields: tuple[str, ...], variant_type: int, number: type) -> Any:
    """A tuple subclass with named components, e.g. Vector2(x, y)."""

    def __new__(cls: type, *values: Any) -> Any:
        if not values:
            values = (number(),) * len(fields)
        elif len(values) != len(fields):
            raise TypeError(f"{name} takes {len(fields)} components ({', '.join(fields)}), got {len(values)}")
        return tuple.__new__(cls, tuple(number(v) for v in values))

    def __repr__(self: tuple[Any, ...]) -> str:
        return f"{name}({', '.join(repr(v) for v in self)})"

    namespace: dict[str, Any] = {
        "__new__": __new__,
        "__repr__": __repr__,
        "__slots__": (),
        "__variant_type__": variant_type,
        "__doc__": f"Godot {name} ({', '.join(fields)}).",
    }
    for index, field in enumerate(fields):
        namespace[field] = _component(index)
    return type(name, (tuple,), namespace)


Vector2 = _vector("Vector2", ("x", "y"), vt.VECTOR2, float)
Vector2i = _vector("Vector2i", ("x", "y"), vt.VECTOR2I, int)
Vector3 = _vector("Vector3", ("x", "y", "z"), vt.VECTOR3, float)
Vector3i = _vector("Vector3i", ("x", "y", "z"), vt.VECTOR3I, int)
Vector4 = _vector("Vector4", ("x", "y", "z", "w"), vt.VECTOR4, float)
Vector4i = _vector("Vector4i", ("x", "y", "z", "w"), vt.VECTOR4I, int)
Rect2 = _vector("Rect2", ("x", "y", "width", "height"), vt.RECT2, float)
Rect2i = _vector("Rect2i", ("x", "y", "width", "height"), vt.RECT2I, int)
Plane = _vector("Plane", ("x", "y", "z", "d"), vt.PLANE, float)
Quaternion = _vector("Quaternion", ("x", "y", "z", "w"), vt.QUATERNION, float)
Color = _vector("Color", ("r", "g", "b", "a"), vt.COLOR, float)

for _cls in (Rect2, Rect2i):
    _cls.position = property(lambda self: (Vector2 if type(self) is Rect2 else Vector2i)(self[0], self[1]))
    _cls.size = property(lambda self: (Vector2 if type(self) is Rect2 else Vector2i)(self[2], self[3]))


class StringName(str):
    """Godot StringName: a str that converts back to a StringName."""

    __slots__ = ()
    __variant_type__ = vt.STRING_NAME


class NodePath(str):
    """Godot NodePath: a str that converts back to a NodePath."""

    __slots__ = ()
    __variant_type__ = vt.NODE_PATH


try:  # inside Godot: the bridge's packed array, which shares the engine's memory
    from _godot import PackedArray as _PackedArray
except ImportError:  # plain Python (tests, tools): list stand-ins
    _PackedArray = None


def _packed(name: str, variant_type: int) -> Any:
    if _PackedArray is not None and variant_type != vt.PACKED_STRING_ARRAY:
        return type(
            name,
            (_PackedArray,),
            {
                "__slots__": (),
                "__variant_type__": variant_type,
                "__module__": "godot",
                "__doc__": f"Godot {name}: a fixed-size sequence sharing the engine's memory through the buffer "
                "protocol (memoryview, numpy.asarray); read-only while shared with the engine, "
                "writable after copy() (src/packed.c).",
            },
        )
    return type(
        name,
        (list,),
        {
            "__slots__": (),
            "__variant_type__": variant_type,
            "__doc__": f"Godot {name}: a list that converts back to a {name}.",
        },
    )


PackedInt32Array = _packed("PackedInt32Array", vt.PACKED_INT32_ARRAY)
PackedInt64Array = _packed("PackedInt64Array", vt.PACKED_INT64_ARRAY)
PackedFloat32Array = _packed("PackedFloat32Array", vt.PACKED_FLOAT32_ARRAY)
PackedFloat64Array = _packed("PackedFloat64Array", vt.PACKED_FLOAT64_ARRAY)
PackedStringArray = _packed("PackedStringArray", vt.PACKED_STRING_ARRAY)
PackedVector2Array = _packed("PackedVector2Array", vt.PACKED_VECTOR2_ARRAY)
PackedVector3Array = _packed("PackedVector3Array", vt.PACKED_VECTOR3_ARRAY)
PackedVector4Array = _packed("PackedVector4Array", vt.PACKED_VECTOR4_ARRAY)
PackedColorArray = _packed("PackedColorArray", vt.PACKED_COLOR_ARRAY)


class _BytesMarker(bytes):
    """Annotation marker: PackedByteArray arrives as `bytes`; bytes-like values convert to it."""

    __variant_type__ = vt.PACKED_BYTE_ARRAY


# Inside Godot, PackedByteArray arguments still arrive as `bytes` (what Python code expects of
# bytes); the class builds one that Python can return to the engine without a copy.
PackedByteArray: type = _packed("PackedByteArray", vt.PACKED_BYTE_ARRAY) if _PackedArray is not None else _BytesMarker


# Read by src/convert.c: Variant type -> the class it builds for that type.
BY_VARIANT_TYPE = {
    cls.__variant_type__: cls
    for cls in (
        Vector2,
        Vector2i,
        Vector3,
        Vector3i,
        Vector4,
        Vector4i,
        Rect2,
        Rect2i,
        Plane,
        Quaternion,
        Color,
        StringName,
        NodePath,
        PackedInt32Array,
        PackedInt64Array,
        PackedFloat32Array,
        PackedFloat64Array,
        PackedStringArray,
        PackedVector2Array,
        PackedVector3Array,
        PackedVector4Array,
        PackedColorArray,
        Dictionary,
        Callable,
    )
}
if _PackedArray is not None:
    BY_VARIANT_TYPE[vt.PACKED_BYTE_ARRAY] = PackedByteArray

__all__ = [cls.__name__ for cls in BY_VARIANT_TYPE.values()] + ["PackedByteArray"]
