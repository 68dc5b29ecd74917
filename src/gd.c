/* gd.c: the GDExtension interface table, and small helpers for engine strings and Variants.
 *
 * Every interface function the bridge uses is looked up once here by name; a missing
 * required one stops the load with a message naming it (the engine is too old). */
#include "gd.h"

#include <string.h>

GodotApi gd;

#define LOAD(field, name)                                                  \
    do {                                                                   \
        gd.field = (void *)get_proc_address(name);                         \
        if (!gd.field) {                                                   \
            missing = name;                                                \
            goto fail;                                                     \
        }                                                                  \
    } while (0)
#define LOAD_OPTIONAL(field, name) gd.field = (void *)get_proc_address(name)

bool gd_load_interface(GDExtensionInterfaceGetProcAddress get_proc_address, GDExtensionClassLibraryPtr library) {
    const char *missing = NULL;
    gd.get_proc_address = get_proc_address;
    gd.library = library;
    gd.token = library;

    LOAD(print_error, "print_error");
    LOAD(print_warning, "print_warning");
    LOAD(mem_alloc, "mem_alloc");
    LOAD(mem_free, "mem_free");
    LOAD(variant_new_copy, "variant_new_copy");
    LOAD(variant_new_nil, "variant_new_nil");
    LOAD(variant_destroy, "variant_destroy");
    LOAD(variant_call, "variant_call");
    LOAD(variant_get_type, "variant_get_type");
    LOAD(variant_stringify, "variant_stringify");
    LOAD(variant_get_ptr_constructor, "variant_get_ptr_constructor");
    LOAD(variant_get_ptr_destructor, "variant_get_ptr_destructor");
    LOAD(variant_get_ptr_builtin_method, "variant_get_ptr_builtin_method");
    LOAD(variant_get_ptr_utility_function, "variant_get_ptr_utility_function");
    LOAD(get_variant_from_type_constructor, "get_variant_from_type_constructor");
    LOAD(get_variant_to_type_constructor, "get_variant_to_type_constructor");
    LOAD(variant_get_object_instance_id, "variant_get_object_instance_id");
    LOAD(variant_construct, "variant_construct");
    LOAD(variant_get_type_name, "variant_get_type_name");
    LOAD(variant_can_convert_strict, "variant_can_convert_strict");
    LOAD(variant_evaluate, "variant_evaluate");
    LOAD(variant_hash, "variant_hash");
    LOAD(string_new_with_utf8_chars_and_len, "string_new_with_utf8_chars_and_len");
    LOAD(string_new_with_utf32_chars_and_len, "string_new_with_utf32_chars_and_len");
    LOAD(string_new_with_latin1_chars_and_len, "string_new_with_latin1_chars_and_len");
    LOAD(string_to_utf8_chars, "string_to_utf8_chars");
    LOAD(string_to_utf32_chars, "string_to_utf32_chars");
    LOAD(string_operator_index_const, "string_operator_index_const");
    LOAD(string_name_new_with_utf8_chars_and_len, "string_name_new_with_utf8_chars_and_len");
    LOAD(packed_byte_array_operator_index, "packed_byte_array_operator_index");
    LOAD(packed_byte_array_operator_index_const, "packed_byte_array_operator_index_const");
    LOAD(packed_int32_array_operator_index, "packed_int32_array_operator_index");
    LOAD(packed_int64_array_operator_index, "packed_int64_array_operator_index");
    LOAD(packed_float32_array_operator_index, "packed_float32_array_operator_index");
    LOAD(packed_float64_array_operator_index, "packed_float64_array_operator_index");
    LOAD(packed_string_array_operator_index, "packed_string_array_operator_index");
    LOAD(packed_vector2_array_operator_index, "packed_vector2_array_operator_index");
    LOAD(packed_vector3_array_operator_index, "packed_vector3_array_operator_index");
    LOAD(packed_vector4_array_operator_index, "packed_vector4_array_operator_index");
    LOAD(packed_color_array_operator_index, "packed_color_array_operator_index");
    LOAD(packed_int32_array_operator_index_const, "packed_int32_array_operator_index_const");
    LOAD(packed_int64_array_operator_index_const, "packed_int64_array_operator_index_const");
    LOAD(packed_float32_array_operator_index_const, "packed_float32_array_operator_index_const");
    LOAD(packed_float64_array_operator_index_const, "packed_float64_array_operator_index_const");
    LOAD(packed_string_array_operator_index_const, "packed_string_array_operator_index_const");
    LOAD(packed_vector2_array_operator_index_const, "packed_vector2_array_operator_index_const");
    LOAD(packed_vector3_array_operator_index_const, "packed_vector3_array_operator_index_const");
    LOAD(packed_vector4_array_operator_index_const, "packed_vector4_array_operator_index_const");
    LOAD(packed_color_array_operator_index_const, "packed_color_array_operator_index_const");
    LOAD(array_operator_index, "array_operator_index");
    LOAD(dictionary_operator_index, "dictionary_operator_index");
    LOAD(object_method_bind_call, "object_method_bind_call");
    LOAD(object_method_bind_ptrcall, "object_method_bind_ptrcall");
    LOAD(object_destroy, "object_destroy");
    LOAD(global_get_singleton, "global_get_singleton");
    LOAD(object_get_instance_binding, "object_get_instance_binding");
    LOAD(object_set_instance_binding, "object_set_instance_binding");
    LOAD(object_set_instance, "object_set_instance");
    LOAD(object_get_class_name, "object_get_class_name");
    LOAD(object_cast_to, "object_cast_to");
    LOAD(object_get_instance_from_id, "object_get_instance_from_id");
    LOAD(object_get_instance_id, "object_get_instance_id");
    LOAD(ref_get_object, "ref_get_object");
    LOAD(ref_set_object, "ref_set_object");
    LOAD(callable_custom_create2, "callable_custom_create2");
    LOAD(callable_custom_get_user_data, "callable_custom_get_userdata");
    LOAD(classdb_construct_object, "classdb_construct_object");
    LOAD(classdb_get_method_bind, "classdb_get_method_bind");
    LOAD(classdb_get_class_tag, "classdb_get_class_tag");
    LOAD_OPTIONAL(classdb_register_extension_class4, "classdb_register_extension_class5");
    if (!gd.classdb_register_extension_class4) {
        LOAD_OPTIONAL(classdb_register_extension_class4, "classdb_register_extension_class4");
    }
    LOAD_OPTIONAL(classdb_register_extension_class3, "classdb_register_extension_class3");
    if (!gd.classdb_register_extension_class4 && !gd.classdb_register_extension_class3) {
        missing = "classdb_register_extension_class3";
        goto fail;
    }
    LOAD(classdb_register_extension_class_method, "classdb_register_extension_class_method");
    LOAD(classdb_register_extension_class_integer_constant, "classdb_register_extension_class_integer_constant");
    LOAD(classdb_register_extension_class_property, "classdb_register_extension_class_property");
    LOAD(classdb_register_extension_class_signal, "classdb_register_extension_class_signal");
    LOAD(classdb_unregister_extension_class, "classdb_unregister_extension_class");
    LOAD_OPTIONAL(classdb_construct_object2, "classdb_construct_object2");
    LOAD(classdb_register_extension_class_property_group, "classdb_register_extension_class_property_group");
    LOAD(classdb_register_extension_class_property_subgroup, "classdb_register_extension_class_property_subgroup");
    LOAD_OPTIONAL(classdb_register_extension_class_virtual_method, "classdb_register_extension_class_virtual_method");
    LOAD_OPTIONAL(object_has_script_method, "object_has_script_method");
    LOAD(get_library_path, "get_library_path");
    LOAD_OPTIONAL(editor_help_load_xml_from_utf8_chars_and_len, "editor_help_load_xml_from_utf8_chars_and_len");
    LOAD_OPTIONAL(register_main_loop_callbacks, "register_main_loop_callbacks");
    LOAD_OPTIONAL(editor_add_plugin, "editor_add_plugin");
    LOAD_OPTIONAL(editor_remove_plugin, "editor_remove_plugin");

    GDExtensionInterfaceGetGodotVersion get_version = (void *)get_proc_address("get_godot_version");
    if (get_version) {
        GDExtensionGodotVersion v;
        get_version(&v);
        gd.version_major = v.major;
        gd.version_minor = v.minor;
    }

    for (int t = 1; t < VT_MAX; t++) {
        gd.from_type[t] = gd.get_variant_from_type_constructor((GDExtensionVariantType)t);
        gd.to_type[t] = gd.get_variant_to_type_constructor((GDExtensionVariantType)t);
        gd.destroy[t] = gd.variant_get_ptr_destructor((GDExtensionVariantType)t);
        gd.construct_default[t] = gd.variant_get_ptr_constructor((GDExtensionVariantType)t, 0);
    }
    gd.string_from_string_name = gd.variant_get_ptr_constructor(GDEXTENSION_VARIANT_TYPE_STRING, 2);
    gd.string_from_node_path = gd.variant_get_ptr_constructor(GDEXTENSION_VARIANT_TYPE_STRING, 3);
    gd.string_name_from_string = gd.variant_get_ptr_constructor(GDEXTENSION_VARIANT_TYPE_STRING_NAME, 2);
    gd.node_path_from_string = gd.variant_get_ptr_constructor(GDEXTENSION_VARIANT_TYPE_NODE_PATH, 2);
    return true;

fail:
    if (gd.print_error) {
        char message[256];
        snprintf(message, sizeof message, "Godot Python: this engine lacks the GDExtension function '%s' (Godot 4.3 or newer is required).", missing);
        gd.print_error(message, __func__, __FILE__, __LINE__, 1);
    }
    return false;
}

static GDExtensionPtrBuiltInMethod builtin_method(GDExtensionVariantType type, const char *name, GDExtensionInt hash) {
    StringName sn;
    gd_string_name_new(&sn, name);
    GDExtensionPtrBuiltInMethod m = gd.variant_get_ptr_builtin_method(type, &sn, hash);
    gd_string_name_destroy(&sn);
    return m;
}

static GDExtensionMethodBindPtr method_bind(const char *cls, const char *name, GDExtensionInt hash) {
    StringName c, n;
    gd_string_name_new(&c, cls);
    gd_string_name_new(&n, name);
    GDExtensionMethodBindPtr mb = gd.classdb_get_method_bind(&c, &n, hash);
    gd_string_name_destroy(&c);
    gd_string_name_destroy(&n);
    return mb;
}

static GDExtensionPtrUtilityFunction utility(const char *name, GDExtensionInt hash) {
    StringName n;
    gd_string_name_new(&n, name);
    GDExtensionPtrUtilityFunction f = gd.variant_get_ptr_utility_function(&n, hash);
    gd_string_name_destroy(&n);
    return f;
}

bool gd_load_builtins(void) {
#define SIZED(vt, Name, NAME)                                                            \
    gd.size_of[GDEXTENSION_VARIANT_TYPE_##vt] = builtin_method(GDEXTENSION_VARIANT_TYPE_##vt, "size", HASH_##NAME##_SIZE); \
    gd.resize_of[GDEXTENSION_VARIANT_TYPE_##vt] = builtin_method(GDEXTENSION_VARIANT_TYPE_##vt, "resize", HASH_##NAME##_RESIZE);
    SIZED(ARRAY, Array, ARRAY)
    SIZED(PACKED_BYTE_ARRAY, PackedByteArray, PACKEDBYTEARRAY)
    SIZED(PACKED_INT32_ARRAY, PackedInt32Array, PACKEDINT32ARRAY)
    SIZED(PACKED_INT64_ARRAY, PackedInt64Array, PACKEDINT64ARRAY)
    SIZED(PACKED_FLOAT32_ARRAY, PackedFloat32Array, PACKEDFLOAT32ARRAY)
    SIZED(PACKED_FLOAT64_ARRAY, PackedFloat64Array, PACKEDFLOAT64ARRAY)
    SIZED(PACKED_STRING_ARRAY, PackedStringArray, PACKEDSTRINGARRAY)
    SIZED(PACKED_VECTOR2_ARRAY, PackedVector2Array, PACKEDVECTOR2ARRAY)
    SIZED(PACKED_VECTOR3_ARRAY, PackedVector3Array, PACKEDVECTOR3ARRAY)
    SIZED(PACKED_COLOR_ARRAY, PackedColorArray, PACKEDCOLORARRAY)
    SIZED(PACKED_VECTOR4_ARRAY, PackedVector4Array, PACKEDVECTOR4ARRAY)
#undef SIZED
    gd.size_of[GDEXTENSION_VARIANT_TYPE_DICTIONARY] = builtin_method(GDEXTENSION_VARIANT_TYPE_DICTIONARY, "size", HASH_DICTIONARY_SIZE);
    gd.dictionary_keys = builtin_method(GDEXTENSION_VARIANT_TYPE_DICTIONARY, "keys", HASH_DICTIONARY_KEYS);

    gd.mb_init_ref = method_bind("RefCounted", "init_ref", HASH_REFCOUNTED_INIT_REF);
    gd.mb_reference = method_bind("RefCounted", "reference", HASH_REFCOUNTED_REFERENCE);
    gd.mb_unreference = method_bind("RefCounted", "unreference", HASH_REFCOUNTED_UNREFERENCE);
    gd.mb_get_reference_count = method_bind("RefCounted", "get_reference_count", HASH_REFCOUNTED_GET_REFERENCE_COUNT);
    gd.mb_call = method_bind("Object", "call", HASH_OBJECT_CALL);
    gd.mb_get = method_bind("Object", "get", HASH_OBJECT_GET);
    gd.mb_set = method_bind("Object", "set", HASH_OBJECT_SET);
    gd.mb_get_class = method_bind("Object", "get_class", HASH_OBJECT_GET_CLASS);
    gd.mb_emit_signal = method_bind("Object", "emit_signal", HASH_OBJECT_EMIT_SIGNAL);
    gd.mb_notification = method_bind("Object", "notification", HASH_OBJECT_NOTIFICATION);
    gd.util_print = utility("print", HASH_UTILITY_PRINT);
    gd.util_printerr = utility("printerr", HASH_UTILITY_PRINTERR);
    gd.util_push_error = utility("push_error", HASH_UTILITY_PUSH_ERROR);
    gd.util_push_warning = utility("push_warning", HASH_UTILITY_PUSH_WARNING);
    gd.util_str = utility("str", HASH_UTILITY_STR);
    StringName rc;
    gd_string_name_new(&rc, "RefCounted");
    gd.refcounted_tag = gd.classdb_get_class_tag(&rc);
    gd_string_name_destroy(&rc);

    if (!gd.mb_init_ref || !gd.mb_unreference || !gd.mb_call || !gd.util_print || !gd.dictionary_keys ||
        !gd.size_of[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY]) {
        GD_ERR("Godot Python: engine methods the bridge needs were not found (hash mismatch: rebuild the addon against this engine).");
        return false;
    }
    return true;
}

void gd_print_error(const char *message, const char *function, const char *file, int line) {
    gd.print_error(message, function, file, line, 1);
}

void gd_string_name_new(StringName *out, const char *utf8) {
    out->ptr = NULL;
    gd.string_name_new_with_utf8_chars_and_len(out, utf8, (GDExtensionInt)strlen(utf8));
}

void gd_string_name_destroy(StringName *name) {
    gd.destroy[GDEXTENSION_VARIANT_TYPE_STRING_NAME](name);
}

void gd_string_new(String *out, const char *utf8, Py_ssize_t len) {
    out->ptr = NULL;
    gd.string_new_with_utf8_chars_and_len(out, utf8, (GDExtensionInt)len);
}

void gd_string_destroy(String *s) {
    gd.destroy[GDEXTENSION_VARIANT_TYPE_STRING](s);
}

/* A small open list: the bridge interns a few dozen names (methods it calls by name). */
typedef struct InternedName {
    char *text;
    StringName name;
    struct InternedName *next;
} InternedName;
static InternedName *interned;

const StringName *gd_interned_name(const char *utf8) {
    for (InternedName *n = interned; n; n = n->next) {
        if (strcmp(n->text, utf8) == 0) return &n->name;
    }
    InternedName *n = PyMem_RawMalloc(sizeof *n);
    n->text = strdup(utf8);
    gd_string_name_new(&n->name, utf8);
    n->next = interned;
    interned = n;
    return &n->name;
}

void gd_free_interned_names(void) {
    while (interned) {
        InternedName *n = interned;
        interned = n->next;
        gd_string_name_destroy(&n->name);
        free(n->text);
        PyMem_RawFree(n);
    }
}

void gd_variant_from_int(Variant *out, int64_t value) {
    gd.from_type[GDEXTENSION_VARIANT_TYPE_INT](out, &value);
}

void gd_variant_from_bool(Variant *out, bool value) {
    GDExtensionBool b = value;
    gd.from_type[GDEXTENSION_VARIANT_TYPE_BOOL](out, &b);
}

void gd_variant_from_object(Variant *out, GDExtensionObjectPtr object) {
    gd.from_type[GDEXTENSION_VARIANT_TYPE_OBJECT](out, &object);
}

void gd_variant_from_cstring(Variant *out, const char *utf8) {
    String s;
    gd_string_new(&s, utf8, (Py_ssize_t)strlen(utf8));
    gd.from_type[GDEXTENSION_VARIANT_TYPE_STRING](out, &s);
    gd_string_destroy(&s);
}

GDExtensionVariantType gd_variant_type(const Variant *v) {
    return gd.variant_get_type(v);
}

int64_t gd_ref_count(GDExtensionObjectPtr object) {
    int64_t count = 0;
    gd.object_method_bind_ptrcall(gd.mb_get_reference_count, object, NULL, &count);
    return count;
}
