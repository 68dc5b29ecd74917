"""Class registration: the registry of Python classes and `build_spec(cls) -> ClassSpec`.

Theory of operation
-------------------
Every engine-class stand-in (`godot.Node`, `godot.RefCounted`, ...) derives from
`EngineClassBase` (= `GodotClass` + the native `_godot.Object`) and carries its engine name
as `__godot_class__` in its own class dict. A class statement deriving from one of them
runs `GodotClass.__init_subclass__`, which

1. records the Godot name (`__godot_name__`: the Python name, or `godot_name="..."`) and
   whether the class is abstract (`abstract=True`),
2. names its nested IntEnum/IntFlag classes "Class.Enum" so annotations can refer to them,
3. builds the spec once to report mistakes at the class statement (annotations naming
   something not yet defined are left for later: they resolve when the loader builds
   the spec),
4. appends the class to the pending list, in definition order, so parents (which must be
   defined first in Python too) come before their children.

The loader (`godot._loader`) calls `take_pending()` and registers `build_spec(cls)` for
each class in that order. `build_spec` is pure: it reads the class, never changes it.

Only a class's own members go into its spec; Godot finds inherited ones on the parent.
"""

from __future__ import annotations

import enum
import inspect
import keyword
import sys
import typing
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from godot import _spec
from godot._members import Constant, MethodOptions, Property, Signal, method_options, virtual_function
from godot._native import NativeObject
from godot._typing import (
    ROLE_ARG,
    ROLE_PROPERTY,
    ROLE_RETURN,
    godot_class_name,
    resolve,
    resolved_annotations,
    signature_of,
    type_spec,
)


class UnresolvedAnnotation(TypeError):
    """An annotation names something that does not exist (yet)."""


# --- the registry ------------------------------------------------------------------------

_registry: dict[str, type] = {}  # Godot name -> class, every class ever registered
_pending: list[type] = []  # registered but not yet taken by the loader


def registered_classes() -> dict[str, type]:
    """Every registered Python class by Godot name, in definition order."""
    return dict(_registry)


def pending_classes() -> tuple[type, ...]:
    """Classes defined since the last `take_pending()`, parents before children."""
    return tuple(_pending)


def take_pending() -> tuple[type, ...]:
    """`pending_classes()`, and forget them (the loader registers each exactly once)."""
    taken = tuple(_pending)
    _pending.clear()
    return taken


def forget(cls: type) -> None:
    """Remove a class from the registry (tests; unloading a module)."""
    name = vars(cls).get("__godot_name__")
    if isinstance(name, str) and _registry.get(name) is cls:
        del _registry[name]
    if cls in _pending:
        _pending.remove(cls)


def _record(cls: type, name: str) -> None:
    previous = _registry.get(name)
    if previous is not None and previous is not cls:
        same_definition = (previous.__module__, previous.__qualname__) == (cls.__module__, cls.__qualname__)
        if not same_definition:  # a reloaded module may define the same class again
            raise TypeError(
                f"class {cls.__module__}.{cls.__qualname__}: the Godot class name {name!r} is "
                f"already used by {previous.__module__}.{previous.__qualname__}; pass "
                f"godot_name='...' in the class statement to choose another"
            )
        if previous in _pending:
            _pending.remove(previous)
    _registry[name] = cls
    _pending.append(cls)


# --- the base classes --------------------------------------------------------------------


class GodotClass:
    """Mixin of every Godot class in Python. Subclassing registers the subclass:

    class Greeter(RefCounted): ...                       # Godot name "Greeter"
    class Foo(RefCounted, godot_name="PyFoo"): ...       # Godot name "PyFoo"
    class Shape(Node, abstract=True): ...                # not instantiable from Godot
    class Helper(Node, register=False): ...              # a Python-only base class
    class Enemy(Node, runtime=True): ...                 # not run in the editor
    class Tool(Node, tool=True): ...                     # runs in the editor (the default)
    class Secret(Node, internal=True): ...               # not exposed to scripts/editor
    class Base(Node, virtual=True): ...                  # extended, never instantiated
    class Gem(Node, icon="res://gem.svg"): ...           # its icon in the editor
    """

    __godot_name__: ClassVar[str]  # set by __init_subclass__ on each registered class
    __godot_abstract__: ClassVar[bool]

    __slots__ = ()  # no layout of its own: it is mixed with the native _godot.Object

    def __init_subclass__(
        cls,
        *,
        godot_name: str | None = None,
        abstract: bool = False,
        register: bool = True,
        runtime: bool = False,
        tool: bool = False,
        internal: bool = False,
        virtual: bool = False,
        icon: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if "__godot_class__" in vars(cls):
            return  # an engine-class stand-in, made by godot._engine
        if not register:
            if godot_name is not None or abstract or runtime or tool or internal or virtual or icon:
                raise TypeError(f"class {cls.__qualname__}: register=False cannot be combined with other class options")
            return
        if runtime and tool:
            raise TypeError(f"class {cls.__qualname__}: runtime=True (not run in the editor) contradicts tool=True")
        if abstract and virtual:
            raise TypeError(f"class {cls.__qualname__}: choose abstract=True or virtual=True, not both")
        if not isinstance(icon, str):
            raise TypeError(f"class {cls.__qualname__}: icon must be a res:// path, not {icon!r}")
        name = cls.__name__ if godot_name is None else godot_name
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise TypeError(f"class {cls.__qualname__}: godot_name must be an identifier, not {name!r}")
        cls.__godot_name__ = name
        cls.__godot_abstract__ = bool(abstract)
        setattr(
            cls,
            "__godot_kind__",
            {"runtime": bool(runtime), "internal": bool(internal), "virtual": bool(virtual), "icon": icon},
        )
        for attribute in vars(cls).values():
            if isinstance(attribute, type) and issubclass(attribute, enum.Enum) and issubclass(attribute, int):
                setattr(attribute, "__godot_enum__", f"{name}.{attribute.__name__}")
        try:
            build_spec(cls)
        except UnresolvedAnnotation:
            pass  # e.g. the return type names this class: resolvable once it is bound
        _record(cls, name)


class EngineClassBase(GodotClass, NativeObject):  # type: ignore[misc,unused-ignore]  # NativeObject: the C bridge's type
    """Base of every engine-class stand-in: `type("Node", (EngineClassBase,), {"__godot_class__": "Node"})`
    (with the stand-in of the engine parent class instead of EngineClassBase where there is one)."""

    __godot_class__ = "Object"


def make_engine_class(name: str, parent: type = EngineClassBase, namespace: dict[str, Any] | None = None) -> type:
    """A stand-in for engine class `name` deriving from `parent`'s stand-in (for godot._engine)."""
    return type(name, (parent,), {"__module__": "godot", **(namespace or {}), "__godot_class__": name})


# --- build_spec --------------------------------------------------------------------------


def godot_parent_of(cls: type) -> str:
    """The Godot name of the nearest Godot base class of `cls`."""
    for base in cls.__mro__[1:]:
        own = vars(base)
        if "__godot_name__" in own or "__godot_class__" in own:
            return godot_class_name(base)  # type: ignore[return-value]
    raise TypeError(f"class {cls.__qualname__} does not derive from a Godot class")


def build_spec(cls: type) -> _spec.ClassSpec:
    """The ClassSpec of a registered class (pure: reads `cls`, changes nothing)."""
    name = vars(cls).get("__godot_name__")
    if not isinstance(name, str):
        raise TypeError(f"{cls!r} is not a registered Godot class (derive it from a godot engine class)")
    builder = _SpecBuilder(cls, name)
    spec = builder.build()
    from godot._doc import class_doc_xml  # late: _doc imports this module's helpers

    return _replace_doc(spec, class_doc_xml(spec, cls))


def _replace_doc(spec: _spec.ClassSpec, doc_xml: str) -> _spec.ClassSpec:
    from dataclasses import replace

    return replace(spec, doc_xml=doc_xml)


def is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


class _SpecBuilder:
    """Collects one class's own members, in definition order, into a ClassSpec."""

    def __init__(self, cls: type, name: str) -> None:
        self.cls = cls
        self.name = name
        self.methods: list[_spec.MethodSpec] = []
        self.properties: list[_spec.PropertySpec] = []
        self.signals: list[_spec.SignalSpec] = []
        self.constants: list[_spec.ConstantSpec] = []
        self.virtuals: dict[str, Callable[..., Any]] = {}
        self.virtual_methods: list[_spec.MethodSpec] = []
        self.property_declarations: list[Property] = []

    def where(self, member: str = "") -> str:
        return f"{self.cls.__qualname__}.{member}" if member else f"class {self.cls.__qualname__}"

    def build(self) -> _spec.ClassSpec:
        for attribute_name, attribute in vars(self.cls).items():
            self.add_member(attribute_name, attribute)
        for declaration in self.property_declarations:  # after all methods are known
            self.add_property(declaration)
        self.check_unique_names()
        kind = vars(self.cls).get("__godot_kind__", {})
        return _spec.ClassSpec(
            name=self.name,
            parent=godot_parent_of(self.cls),
            python_class=self.cls,
            methods=tuple(self.methods),
            properties=tuple(self.properties),
            signals=tuple(self.signals),
            constants=tuple(self.constants),
            virtuals=dict(self.virtuals),
            is_abstract=bool(vars(self.cls).get("__godot_abstract__", False)),
            virtual_methods=tuple(self.virtual_methods),
            is_runtime=bool(kind.get("runtime", False)),
            is_exposed=not kind.get("internal", False),
            is_virtual=bool(kind.get("virtual", False)),
            icon_path=str(kind.get("icon", "")),
            notification_chain=notification_chain(self.cls),
        )

    def add_member(self, attribute_name: str, attribute: Any) -> None:
        options = method_options(attribute)
        default = virtual_function(attribute)
        if default is not None:
            spec = self.method_spec(attribute_name, default, MethodOptions())
            self.virtual_methods.append(replace(spec, flags=spec.flags | _spec.METHOD_FLAG_VIRTUAL))
        elif options is not None:
            self.methods.append(self.method_spec(attribute_name, attribute, options))
        elif isinstance(attribute, Property):
            self.property_declarations.append(attribute)
        elif isinstance(attribute, Signal):
            self.signals.append(self.signal_spec(attribute))
        elif isinstance(attribute, Constant):
            self.constants.append(_spec.ConstantSpec(attribute_name, int(attribute)))
        elif (
            isinstance(attribute, type)
            and issubclass(attribute, enum.Enum)
            and getattr(attribute, "__godot_enum__", None) == f"{self.name}.{attribute.__name__}"
        ):
            bitfield = issubclass(attribute, enum.Flag)
            for member in attribute:
                self.constants.append(_spec.ConstantSpec(member.name, int(member.value), attribute.__name__, bitfield))
        elif inspect.isfunction(attribute) and self.is_virtual_name(attribute_name):
            self.check_hook(attribute_name, attribute)
            self.virtuals[attribute_name] = attribute

    def check_hook(self, attribute_name: str, function: Any) -> None:
        """The engine calls these hooks with fixed arguments (as GDScript's own): a function of
        that name with another shape is a mistake, reported at the class statement."""
        expected = PROPERTY_HOOKS.get(attribute_name)
        if expected is None:
            return
        parameters = list(signature_of(function).parameters.values())
        positional = [
            p
            for p in parameters
            if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        ]
        required = [p for p in positional if p.default is inspect.Parameter.empty]
        if len(required) > expected[0] or len(positional) < expected[0]:
            raise TypeError(
                f"{self.where(attribute_name)}(): the engine calls {attribute_name}{expected[1]}; "
                f"rename the function if it is not that hook"
            )

    def is_virtual_name(self, attribute_name: str) -> bool:
        mangled_private = attribute_name.startswith(f"_{self.cls.__name__.lstrip('_')}__")
        return attribute_name.startswith("_") and not is_dunder(attribute_name) and not mangled_private

    # methods
    def method_spec(self, attribute_name: str, attribute: Any, options: MethodOptions) -> _spec.MethodSpec:
        static = isinstance(attribute, staticmethod)
        function = attribute.__func__ if static else attribute
        godot_name = options.name or attribute_name
        where = f"{self.where(godot_name)}()"
        if options.const and static:
            raise TypeError(f"{where}: a static method cannot also be const")
        parameters = list(signature_of(function).parameters.values())
        if not static:
            if not parameters or parameters[0].kind not in (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
            ):
                raise TypeError(f"{where}: a method needs `self` as its first argument (or use @staticmethod)")
            parameters = parameters[1:]
        annotations = self.annotations(function, where)
        vararg = bool(parameters) and parameters[-1].kind == inspect.Parameter.VAR_POSITIONAL
        if vararg:  # def f(self, a, *rest): a vararg method (godot-cpp's bind_vararg_method)
            parameters = parameters[:-1]
        args = tuple(self.arg_spec(parameter, annotations, where) for parameter in parameters)
        return_type = type_spec(
            annotations.get("return", inspect.Parameter.empty), role=ROLE_RETURN, where=f"{where}, return type"
        )
        flags = _spec.METHOD_FLAG_NORMAL
        if options.const:
            flags |= _spec.METHOD_FLAG_CONST
        if static:
            flags |= _spec.METHOD_FLAG_STATIC
        if vararg:
            flags |= _spec.METHOD_FLAG_VARARG
        # A method may name a callable the engine calls instead (`__godot_call__`, same arguments).
        call = getattr(function, "__godot_call__", function)
        return _spec.MethodSpec(godot_name, call, args, return_type, flags)

    def annotations(self, function: Any, where: str) -> dict[str, Any]:
        try:
            return resolved_annotations(function, owner=self.cls, where=where)
        except TypeError as error:
            if "cannot resolve annotation" in str(error):
                raise UnresolvedAnnotation(str(error)) from None
            raise

    def arg_spec(self, parameter: inspect.Parameter, annotations: dict[str, Any], where: str) -> _spec.ArgSpec:
        if parameter.kind not in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            raise TypeError(
                f"{where}: argument {parameter.name!r} is {parameter.kind.description}; Godot "
                f"methods take positional arguments only"
            )
        annotation = annotations.get(parameter.name, inspect.Parameter.empty)
        arg_type = type_spec(annotation, role=ROLE_ARG, where=f"{where}, argument {parameter.name!r}")
        # Annotated[bytes, godot.PackedByteArray]: bytes is what Python holds, so a copy too.
        held = typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation
        as_bytes = held is bytes
        if parameter.default is inspect.Parameter.empty:
            return _spec.ArgSpec(parameter.name, arg_type, as_bytes=as_bytes)
        return _spec.ArgSpec(parameter.name, arg_type, True, plain_default(parameter.default), as_bytes)

    # signals
    def signal_spec(self, signal: Signal) -> _spec.SignalSpec:
        where = f"{self.where(signal.name)} (signal)"
        args = []
        for arg_name, annotation in signal.arguments:
            arg_where = f"{where}, argument {arg_name!r}"
            resolved = self.resolve_declared(annotation, arg_where)
            args.append(_spec.ArgSpec(arg_name, type_spec(resolved, role=ROLE_ARG, where=arg_where)))
        return _spec.SignalSpec(signal.name, tuple(args))

    def resolve_declared(self, annotation: Any, where: str) -> Any:
        module_globals = vars(sys.modules[self.cls.__module__]) if self.cls.__module__ in sys.modules else {}
        try:
            return resolve(annotation, owner=self.cls, module_globals=module_globals, where=where)
        except TypeError as error:
            if "cannot resolve annotation" in str(error):
                raise UnresolvedAnnotation(str(error)) from None
            raise

    # properties
    def add_property(self, declaration: Property) -> None:
        where = f"{self.where(declaration.name)} (property)"
        resolved = self.resolve_declared(declaration.type, where)
        property_type = type_spec(resolved, role=ROLE_PROPERTY, where=where)
        kept_flags = property_type.usage & (
            _spec.USAGE_CLASS_IS_ENUM | _spec.USAGE_CLASS_IS_BITFIELD | _spec.USAGE_NIL_IS_VARIANT
        )
        hint, hint_string = property_type.hint, property_type.hint_string
        if declaration.hint is not None:
            hint, hint_string = declaration.hint.kind, declaration.hint.text
        property_type = _spec.TypeSpec(
            property_type.variant_type, property_type.class_name, hint, hint_string, declaration.usage | kept_flags
        )
        value_type = type_spec(resolved, role=ROLE_ARG, where=where)
        setter = declaration.setter_name or self.add_accessor(declaration, "set", value_type, where, resolved)
        getter = declaration.getter_name or self.add_accessor(declaration, "get", value_type, where, resolved)
        self.check_accessor(setter, 1, where)
        self.check_accessor(getter, 0, where)
        self.properties.append(
            _spec.PropertySpec(declaration.name, property_type, setter, getter, declaration.group, declaration.subgroup)
        )

    def add_accessor(
        self, declaration: Property, kind: str, value_type: _spec.TypeSpec, where: str, resolved: Any = None
    ) -> str:
        accessor_name = f"{kind}_{declaration.name}"
        if accessor_name in vars(self.cls) or any(m.name == accessor_name for m in self.methods):
            raise TypeError(
                f"{where}: the class already defines {accessor_name}; name it as the property's "
                f"accessor ({kind}ter={accessor_name!r} or @{declaration.name}.{kind}ter) or rename it"
            )
        if kind == "set":

            def setter(self: Any, value: Any, _property: Property = declaration) -> None:
                _property.store(self, value)

            accessor: Callable[..., Any] = setter
            value = _spec.ArgSpec("value", value_type, as_bytes=resolved is bytes)
            spec = _spec.MethodSpec(accessor_name, accessor, (value,))
        else:

            def getter(self: Any, _property: Property = declaration) -> Any:
                return _property.load(self)

            accessor = getter

            spec = _spec.MethodSpec(
                accessor_name, accessor, (), value_type, _spec.METHOD_FLAG_NORMAL | _spec.METHOD_FLAG_CONST
            )
        accessor.__name__ = accessor_name
        accessor.__qualname__ = f"{self.cls.__qualname__}.{accessor_name}"
        self.methods.append(spec)
        return accessor_name

    def check_accessor(self, accessor_name: str, argument_count: int, where: str) -> None:
        own = next((m for m in self.methods if m.name == accessor_name), None)
        if own is None:
            if accessor_name in inherited_method_names(self.cls):
                return
            raise TypeError(
                f"{where}: accessor {accessor_name!r} is not a method of this class; mark it "
                f"with @method (or let the property generate set_/get_ accessors)"
            )
        if own.flags & _spec.METHOD_FLAG_STATIC or len(own.args) != argument_count:
            kind = "setter takes one argument" if argument_count else "getter takes no argument"
            raise TypeError(f"{where}: {accessor_name}() cannot be its accessor: a {kind} besides self")

    def check_unique_names(self) -> None:
        seen: set[str] = set()
        for kind, names in (
            ("method", [m.name for m in self.methods]),
            ("signal", [s.name for s in self.signals]),
            ("constant", [c.name for c in self.constants]),
        ):
            for member_name in names:
                if member_name in seen:
                    raise TypeError(f"{self.where()}: {kind} name {member_name!r} is used twice")
                seen.add(member_name)


# The hooks the engine calls with fixed arguments: name -> (positional count with self, shape).
PROPERTY_HOOKS: dict[str, tuple[int, str]] = {
    "_get": (2, "(self, name) -> value, or None when not handled"),
    "_set": (3, "(self, name, value) -> bool (handled)"),
    "_get_property_list": (1, "(self) -> list of property dicts"),
    "_validate_property": (2, "(self, property: dict) (changed in place)"),
    "_property_can_revert": (2, "(self, name) -> bool"),
    "_property_get_revert": (2, "(self, name) -> value, or None"),
    "_notification": (2, "(self, what: int)"),
}


def notification_chain(cls: type) -> tuple[Callable[..., Any], ...]:
    """The `_notification` functions defined by the Python classes of `cls`'s MRO, base first
    (engine-class stand-ins have none of their own)."""
    chain = []
    for klass in reversed(cls.__mro__):
        function = vars(klass).get("_notification")
        if function is not None and "__godot_class__" not in vars(klass) and callable(function):
            chain.append(function)
    return tuple(chain)


def inherited_method_names(cls: type) -> set[str]:
    """Godot names of methods registered by the Python ancestors of `cls`."""
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if "__godot_name__" in vars(base):
            for attribute_name, attribute in vars(base).items():
                options = method_options(attribute)
                if options is not None:
                    names.add(options.name or attribute_name)
                elif isinstance(attribute, Property):
                    names.add(attribute.setter_name or f"set_{attribute.name}")
                    names.add(attribute.getter_name or f"get_{attribute.name}")
    return names


def plain_default(value: Any) -> Any:
    """A default argument as the bridge converts it: enum members become plain ints."""
    if isinstance(value, enum.Enum) and isinstance(value, int):
        return int(value)
    return value
