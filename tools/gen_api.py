"""Reads the engine's extension_api.json (dumped at build time) and writes what the bridge
needs from it: method and utility-function hashes as a C header, and as a Python module the
signatures of engine virtual methods and, per engine class, its methods (hash, argument and
return types, defaults), properties (getter/setter) and integer constants, from which
godot._engine builds native descriptors (src/methods.c), and the engine's enums (global ones
such as Error, and each class's, such as HTTPClient.Method) with their values, from which
godot._enums builds `godot.Error` and `godot.HTTPClient.Method`. Nothing generated here is committed."""

import json
import sys

# (builtin type, method) pairs the bridge calls through ptr builtin methods.
BUILTIN_METHODS = [
    ("Array", "size"),
    ("Array", "resize"),
    ("Dictionary", "keys"),
    ("Dictionary", "size"),
    ("PackedByteArray", "size"),
    ("PackedByteArray", "resize"),
    ("PackedInt32Array", "size"),
    ("PackedInt32Array", "resize"),
    ("PackedInt64Array", "size"),
    ("PackedInt64Array", "resize"),
    ("PackedFloat32Array", "size"),
    ("PackedFloat32Array", "resize"),
    ("PackedFloat64Array", "size"),
    ("PackedFloat64Array", "resize"),
    ("PackedStringArray", "size"),
    ("PackedStringArray", "resize"),
    ("PackedVector2Array", "size"),
    ("PackedVector2Array", "resize"),
    ("PackedVector3Array", "size"),
    ("PackedVector3Array", "resize"),
    ("PackedColorArray", "size"),
    ("PackedColorArray", "resize"),
    ("PackedVector4Array", "size"),
    ("PackedVector4Array", "resize"),
]
# (class, method) pairs the bridge calls through method binds.
CLASS_METHODS = [
    ("RefCounted", "init_ref"),
    ("RefCounted", "reference"),
    ("RefCounted", "unreference"),
    ("RefCounted", "get_reference_count"),
    ("Object", "call"),
    ("Object", "get"),
    ("Object", "set"),
    ("Object", "get_class"),
    ("Object", "emit_signal"),
    ("Object", "connect"),
    ("Object", "notification"),
    ("Object", "has_method"),
    ("Object", "callv"),
]
UTILITIES = ["print", "printerr", "push_error", "push_warning", "str", "print_rich"]

POINTER = 100  # a native pointer argument (`uint8_t *`, `int32_t *`) of a virtual


def c_name(*parts):
    return "HASH_" + "_".join(p.upper() for p in parts)


def variant_type_of(type_name, enums):
    """Maps an extension_api type string to (Variant.Type, class_name)."""
    if type_name.endswith("*"):
        return POINTER, ""
    if type_name.startswith(("enum::", "bitfield::")):
        return 2, type_name.split("::", 1)[1]
    if type_name.startswith("typedarray::"):
        return 28, ""
    if type_name.startswith("typeddictionary::"):
        return 27, ""
    if type_name == "Variant":
        return 0, ""
    if type_name in enums:
        return enums[type_name], ""
    return 24, type_name  # an engine class


# Engine methods that can block until another thread (which may run Python) is done: the
# bridge releases the GIL around them (docs/decisions: engine calls and the GIL). Whole
# classes, then single methods.
BLOCKING_CLASSES = {
    "Thread",
    "Mutex",
    "Semaphore",
    "WorkerThreadPool",
    "ResourceLoader",
    "ResourceSaver",
    "HTTPClient",
    "TCPServer",
    "PacketPeerUDP",
    "UDPServer",
    "StreamPeerTLS",
    "DTLSServer",
    "PacketPeerDTLS",
    "WebSocketPeer",
    "WebRTCPeerConnection",
    "ENetConnection",
    "ENetMultiplayerPeer",
    "IP",
    "FileAccess",
    "DirAccess",
    "HTTPRequest",
}
BLOCKING_METHODS = {
    # StreamPeerTCP's other methods return at once (status, ports, a non-blocking poll and
    # close): the GIL stays held for them (a PyHTTPClient connection makes five such calls).
    ("StreamPeerTCP", "connect_to_host"),  # resolves a host name
    ("OS", "delay_msec"),
    ("OS", "delay_usec"),
    ("OS", "execute"),
    ("OS", "execute_with_pipe"),
    ("OS", "read_string_from_stdin"),
    ("OS", "read_buffer_from_stdin"),
    ("OS", "shell_open"),
    ("OS", "create_process"),
    ("OS", "create_instance"),
    ("OS", "kill"),
    ("SceneTree", "change_scene_to_file"),
    ("Node", "propagate_call"),
}
# Flags of a generated method record.
FLAG_VARARG, FLAG_STATIC, FLAG_BLOCKING = 1, 2, 4
NIL, BOOL, INT, FLOAT, STRING = 0, 1, 2, 3, 4
STRING_NAME, NODE_PATH, DICTIONARY, ARRAY = 21, 22, 27, 28


def member_type(type_name, type_ids, refcounted):
    """The record token of an argument or return type: a Variant type number (0 = Variant),
    "o<Class>" an object pointer, "r<Class>" a Ref<Class> (RefCounted), "p" a native pointer."""
    if type_name.endswith("*"):
        return "p"
    if type_name.startswith(("enum::", "bitfield::")):
        return str(INT)
    if type_name.startswith("typedarray::"):
        return str(ARRAY)
    if type_name.startswith("typeddictionary::"):
        return str(DICTIONARY)
    if type_name == "Variant":
        return str(NIL)
    if type_name in type_ids:
        return str(type_ids[type_name])
    return ("r" if refcounted.get(type_name) else "o") + type_name


def default_token(token, text):
    """A default value the bridge can build itself, as "<kind>:<value>": i int, f float, b bool,
    s str, n None, v vector components, l empty list, d empty dict; "?" when only the engine
    knows it (the call then goes through the engine, which fills it in)."""
    try:
        if token in (str(INT),):
            return "i:%d" % int(text)
        if token == str(FLOAT):
            return "f:%r" % float(text)
        if token == str(BOOL) and text in ("true", "false"):
            return "b:%d" % (text == "true")
    except ValueError:
        return "?"
    if text == "null":
        return "n:"
    for prefix, suffix in (('"', '"'), ('&"', '"'), ('NodePath("', '")')):
        if text.startswith(prefix) and text.endswith(suffix) and len(text) >= len(prefix) + len(suffix):
            inner = text[len(prefix) : len(text) - len(suffix)]
            if not any(c in inner for c in ';|\\"\n'):
                return "s:" + inner
    if text == "[]" or (text.startswith("Packed") and text.endswith("Array()")):
        return "l:"
    if text == "{}":
        return "d:"
    for vector in (
        "Vector2",
        "Vector2i",
        "Vector3",
        "Vector3i",
        "Vector4",
        "Vector4i",
        "Color",
        "Rect2",
        "Rect2i",
        "Quaternion",
        "Plane",
    ):
        if text.startswith(vector + "(") and text.endswith(")"):
            parts = text[len(vector) + 1 : -1].split(",")
            try:
                return "v:" + ",".join(repr(float(p)) for p in parts)
            except ValueError:
                return "?"
    return "?"


def class_members(cls, type_ids, refcounted):
    """The generated record of one class: method lines, then "@" property lines, then "#"
    constant lines, separated by newlines. Method: name;hash;flags;return;arg,...;default|...
    Property: @name;getter;setter;index. Constant: #name;value."""
    lines = []
    for m in cls.get("methods", []):
        if m.get("is_virtual"):
            continue
        args = [member_type(a["type"], type_ids, refcounted) for a in m.get("arguments", [])]
        ret = m.get("return_value")
        ret_token = member_type(ret["type"], type_ids, refcounted) if ret else ""
        if "p" in args or ret_token == "p":
            continue  # native pointers: only the engine's Variant call path handles them
        flags = (FLAG_VARARG if m.get("is_vararg") else 0) | (FLAG_STATIC if m.get("is_static") else 0)
        if cls["name"] in BLOCKING_CLASSES or (cls["name"], m["name"]) in BLOCKING_METHODS:
            flags |= FLAG_BLOCKING
        defaults = [
            default_token(t, a["default_value"]) if "default_value" in a else ""
            for t, a in zip(args, m.get("arguments", []))
        ]
        lines.append(";".join([m["name"], str(m["hash"]), str(flags), ret_token, ",".join(args), "|".join(defaults)]))
    for p in cls.get("properties", []):
        lines.append("@" + ";".join([p["name"], p.get("getter", ""), p.get("setter", ""), str(p.get("index", -1))]))
    for c in cls.get("constants", []):
        lines.append("#%s;%d" % (c["name"], c["value"]))
    for e in cls.get("enums", []):
        for v in e["values"]:
            lines.append("#%s;%d" % (v["name"], v["value"]))
    return "\n".join(lines)


def engine_enums(api):
    """ "Error" / "HTTPClient.Method" -> (is a bitfield, ((name, value), ...)), global enums first.
    Global enums with a dot in their name (Variant.Type, Variant.Operator) name no Python attribute
    and are left out."""
    enums = {}
    for e in api["global_enums"]:
        if "." not in e["name"]:
            enums[e["name"]] = (bool(e.get("is_bitfield")), tuple((v["name"], v["value"]) for v in e["values"]))
    for c in api["classes"]:
        for e in c.get("enums", []):
            values = tuple((v["name"], v["value"]) for v in e["values"])
            enums[f"{c['name']}.{e['name']}"] = (bool(e.get("is_bitfield")), values)
    return enums


def main(api_path, header_out, python_out):
    api = json.load(open(api_path))
    enums = {
        v["name"][len("TYPE_") :].replace("_", "").lower(): v["value"]
        for e in api["global_enums"]
        if e["name"] == "Variant.Type"
        for v in e["values"]
    }
    # Every built-in value type (Object is a class, not a builtin) by its Variant.Type value.
    type_ids = {c["name"]: enums[c["name"].lower()] for c in api["builtin_classes"] if c["name"].lower() in enums}
    type_ids["Nil"] = 0

    lines = ["/* Generated by tools/gen_api.py from the engine's extension_api.json. */", "#pragma once"]
    builtins = {c["name"]: c for c in api["builtin_classes"]}
    for cls, meth in BUILTIN_METHODS:
        m = next(m for m in builtins[cls]["methods"] if m["name"] == meth)
        lines.append(f"#define {c_name(cls, meth)} {m['hash']}u")
    classes = {c["name"]: c for c in api["classes"]}
    for cls, meth in CLASS_METHODS:
        m = next(m for m in classes[cls]["methods"] if m["name"] == meth)
        lines.append(f"#define {c_name(cls, meth)} {m['hash']}u")
    utilities = {u["name"]: u for u in api["utility_functions"]}
    for name in UTILITIES:
        lines.append(f"#define {c_name('utility', name)} {utilities[name]['hash']}u")
    header = api["header"]
    lines.append(f"#define GODOT_API_VERSION_MAJOR {header['version_major']}")
    lines.append(f"#define GODOT_API_VERSION_MINOR {header['version_minor']}")
    lines.append(f"#define GODOT_REAL_T_IS_DOUBLE {1 if header.get('precision') == 'double' else 0}")
    open(header_out, "w").write("\n".join(lines) + "\n")

    virtuals = {}
    for c in api["classes"]:
        for m in c.get("methods", []):
            if not m.get("is_virtual"):
                continue
            args = tuple(variant_type_of(a["type"], type_ids) for a in m.get("arguments", []))
            ret = m.get("return_value")
            ret_t = variant_type_of(ret["type"], type_ids) if ret else None
            virtuals.setdefault(c["name"], {})[m["name"]] = (args, ret_t)
    parents = {c["name"]: c.get("inherits", "") for c in api["classes"]}
    refcounted = {c["name"]: bool(c.get("is_refcounted")) for c in api["classes"]}
    members = {c["name"]: class_members(c, type_ids, refcounted) for c in api["classes"]}
    singletons = sorted(s["name"] for s in api.get("singletons", []))
    with open(python_out, "w") as out:
        out.write(
            '"""Generated by tools/gen_api.py from the engine\'s extension_api.json.\n\n'
            "VIRTUALS: class -> virtual name -> (argument (type, class) pairs, return\n"
            '(type, class) or None). Type 100 marks a native pointer argument."""\n\n'
        )
        out.write(f"ENGINE_VERSION = {header['version_full_name']!r}\n")
        out.write(f"POINTER = {POINTER}\n")
        out.write(f"PARENTS = {parents!r}\n")
        out.write(f"VIRTUALS = {virtuals!r}\n")
        out.write(f"SINGLETONS = frozenset({singletons!r})\n")
        out.write("# Engine class -> its own members, one record a line (tools/gen_api.py class_members).\n")
        out.write(f"MEMBERS = {members!r}\n")
        out.write('# Engine enum ("Error", "HTTPClient.Method") -> (is a bitfield, ((name, value), ...)).\n')
        out.write(f"ENUMS = {engine_enums(api)!r}\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
