"""query_string_from_dict byte-exact against the spec's confirmed examples (spec 9)."""

import pytest
from godot_http import HTTPClient
from godot_http._querystring import godot_float_str


class Key:
    """A hashable stand-in for a Godot Array key ([1]), which Python cannot hash."""

    def __init__(self, text):
        self.text = text

    def __hash__(self):
        return hash(self.text)


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({}, ""),
        ({"key": "value"}, "key=value"),
        (
            {"key1": "value", "key2": 123, "key3": [1, 2, 3], "key4": None},
            "key1=value&key2=123&key3=1&key3=2&key3=3&key4",
        ),
        ({"username": "user", "password": "pass"}, "username=user&password=pass"),
        (
            {"single": 123, "not_valued": None, "multiple": [22, 33, 44]},
            "single=123&not_valued&multiple=22&multiple=33&multiple=44",
        ),
        ({"a b": "c d&e=f", "ü": "é/?#"}, "a%20b=c%20d%26e%3Df&%C3%BC=%C3%A9%2F%3F%23"),
        ({"sp": "~-_.!*'()"}, "sp=~-_.%21%2A%27%28%29"),
        (
            {"plus": "a+b", "pct": "100%", "emoji": "😀", "nl": "a\nb", "empty": ""},
            "plus=a%2Bb&pct=100%25&emoji=%F0%9F%98%80&nl=a%0Ab&empty=",
        ),
        ({"n": [None, "", 2.0]}, "n=%3Cnull%3E&n=&n=2.0"),
        ({"z": []}, ""),
        ({5: "intkey"}, "5=intkey"),
        ({1.5: "a", True: "b", None: "c"}, "1.5=a&true=b&%3Cnull%3E=c"),
        ({"d": {"k": 1}}, "d=%7B%20%22k%22%3A%201%20%7D"),
        ({"big": 9223372036854775807, "neg": -3}, "big=9223372036854775807&neg=-3"),
    ],
)
def test_query_string_from_dict_matches_builtin(env, fields, expected):
    assert HTTPClient(env).query_string_from_dict(fields) == expected


@pytest.mark.parametrize(
    "x,s",
    [
        (2.0, "2.0"),
        (1e20, "100000000000000000000.0"),
        (-0.0, "0.0"),
        (1.0 / 3.0, "0.33333333333333"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (123.456, "123.456"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (-2.5, "-2.5"),
    ],
)
def test_godot_float_str(x, s):
    assert godot_float_str(x) == s


def test_stringify_is_injectable(env):
    env.stringify = lambda v: "X" if isinstance(v, int) else str(v)
    assert HTTPClient(env).query_string_from_dict({"a": 1}) == "a=X"


def test_stringify_failure_is_reported_not_raised(env, messages):
    env.stringify = lambda v: 1 / 0
    assert HTTPClient(env).query_string_from_dict({"a": 1}) == ""
    assert "ZeroDivisionError" in messages.errors[-1]


class Vector2(tuple):
    """Like godot._types' value types: a tuple subclass marked with __variant_type__."""

    __variant_type__ = 5

    def __str__(self):
        return "(%s)" % ", ".join(f"{float(c)}" for c in self)


class PackedInt32Array(list):
    __variant_type__ = 30

    def __str__(self):
        return "[" + ", ".join(str(c) for c in self) + "]"


def test_variant_value_types_are_single_values_not_arrays():
    # Found by the differential suite (test_query_string_from_dict): Godot expands only an
    # Array; Vector2 / Packed*Array values are stringified whole.
    fields = {"v": Vector2((1, 2)), "p": PackedInt32Array([3, 4]), "a": [5, 6], "t": (7, 8)}
    from godot_http._querystring import query_string

    # str stands in for Godot's own Variant-to-String (the wrapper's Environment.stringify).
    assert query_string(fields, stringify=str) == "v=%281.0%2C%202.0%29&p=%5B3%2C%204%5D&a=5&a=6&t=7&t=8"
