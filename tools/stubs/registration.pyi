# The registration API (python/godot/_members.py, _hints.py, _typing.py, _register.py) as
# type checkers see it. Written by hand, kept beside its generator; tools/stubs/gen_stubs.py
# puts it at the top of the generated godot/__init__.pyi.
import enum as _enum
import typing as _t
from collections.abc import Callable as _Callable
from collections.abc import Sequence as _Sequence  # noqa: F401 - engine Array, Packed*Array args

_T = _t.TypeVar("_T")
_F = _t.TypeVar("_F", bound=_Callable[..., _t.Any])

# --- @method, Signal, Property, Constant ---------------------------------------------------

@_t.overload
def method(function: _F, /) -> _F: ...
@_t.overload
def method(*, const: bool = False, name: str = "") -> _Callable[[_F], _F]: ...
def virtual(function: _F, /) -> _F: ...
def library_path() -> str: ...
def register_singleton(name: str, instance: object) -> None: ...

class BoundSignal:
    """A signal of one object: `self.greeted.emit("Ada")`, `node.ready.connect(f)`."""
    def __init__(self, instance: _t.Any, name: str) -> None: ...
    def emit(self, *args: _t.Any) -> int: ...
    def connect(self, callable_: _Callable[..., _t.Any], flags: int = 0, /) -> int: ...
    def disconnect(self, callable_: _Callable[..., _t.Any], /) -> None: ...

class Signal:
    """A signal declaration: `greeted = Signal(name=str, times=int)`."""

    name: str
    arguments: list[tuple[str, _t.Any]]
    doc: str
    def __init__(self, *pairs: tuple[str, _t.Any], doc: str = "", **arguments: _t.Any) -> None: ...
    @_t.overload
    def __get__(self, instance: None, owner: type | None = None) -> Signal: ...
    @_t.overload
    def __get__(self, instance: object, owner: type | None = None) -> BoundSignal: ...

class Property(_t.Generic[_T]):
    """A property: `volume = Property(int, default=5)`; `self.volume` is an int."""

    name: str
    doc: str
    @_t.overload
    def __init__(
        self: Property[_T],
        type: type[_T],
        default: _T = ...,
        *,
        hint: Hint | None = None,
        usage: int = ...,
        setter: str = "",
        getter: str = "",
        doc: str = "",
        group: str = "",
        subgroup: str = "",
    ) -> None: ...
    @_t.overload
    def __init__(
        self: Property[_t.Any],
        type: object,
        default: _t.Any = ...,
        *,
        hint: Hint | None = None,
        usage: int = ...,
        setter: str = "",
        getter: str = "",
        doc: str = "",
        group: str = "",
        subgroup: str = "",
    ) -> None: ...
    @_t.overload
    def __get__(self, instance: None, owner: type | None = None) -> Property[_T]: ...
    @_t.overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __set__(self, instance: object, value: _T) -> None: ...
    def setter(self, function: _F) -> _F: ...
    def getter(self, function: _F) -> _F: ...
    def load(self, instance: object) -> _T: ...
    def store(self, instance: object, value: _T) -> None: ...

class Constant(int):
    """A class constant: `MAX_VOLUME = Constant(10, doc="...")`, an int in Python."""

    doc: str
    def __new__(cls, value: int, doc: str = "") -> Constant: ...

# --- enums ------------------------------------------------------------------------------

IntEnum = _enum.IntEnum
IntFlag = _enum.IntFlag

class EngineEnum:
    """An engine enum as an annotation: `EngineEnum("HTTPClient.Method")`."""

    name: str
    bitfield: bool
    def __init__(self, name: str, *, bitfield: bool = False) -> None: ...

def EngineBitfield(name: str) -> EngineEnum: ...  # noqa: N802

# --- property hints -----------------------------------------------------------------------

class Hint:
    kind: int
    text: str
    def __init__(self, kind: int, text: str = "") -> None: ...

def hint_range(
    minimum: float,
    maximum: float,
    step: float | None = None,
    *,
    or_greater: bool = False,
    or_less: bool = False,
    exp: bool = False,
    suffix: str = "",
) -> Hint: ...
def hint_enum(*names: str | tuple[str, int]) -> Hint: ...
def hint_flags(*names: str | tuple[str, int]) -> Hint: ...
def hint_multiline() -> Hint: ...
def hint_placeholder(text: str) -> Hint: ...
def hint_resource_type(class_name: str) -> Hint: ...
def hint_file(*patterns: str) -> Hint: ...
def hint_dir() -> Hint: ...
def custom_hint(kind: int, text: str = "") -> Hint: ...

HINT_NONE: int
HINT_RANGE: int
HINT_ENUM: int
HINT_FLAGS: int
HINT_FILE: int
HINT_DIR: int
HINT_RESOURCE_TYPE: int
HINT_MULTILINE_TEXT: int
HINT_PLACEHOLDER_TEXT: int
HINT_ARRAY_TYPE: int
HINT_NODE_TYPE: int
USAGE_NONE: int
USAGE_STORAGE: int
USAGE_EDITOR: int
USAGE_DEFAULT: int
USAGE_NO_EDITOR: int
USAGE_GROUP: int
USAGE_CLASS_IS_ENUM: int
USAGE_CLASS_IS_BITFIELD: int

# --- registration internals the package exports -------------------------------------------

class GodotClass:
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
        **kwargs: _t.Any,
    ) -> None: ...

def build_spec(cls: type) -> _t.Any: ...
def pending_classes() -> tuple[type, ...]: ...
def take_pending() -> tuple[type, ...]: ...

# --- the engine's output, errors and singletons (inside Godot) -----------------------------

class GodotError(RuntimeError): ...

def print(*args: object) -> None: ...  # noqa: A001
def printerr(*args: object) -> None: ...
def push_error(*args: object) -> None: ...
def push_warning(*args: object) -> None: ...
def stringify(value: object) -> str: ...
def singleton(name: str) -> Object: ...
