/* gd.h: what every part of the C bridge shares.
 *
 * The bridge is the only code that touches the GDExtension interface and the CPython C API.
 * Its parts: gd.c (interface table, strings), convert.c (Variant <-> Python), packed.c (Packed
 * arrays), receive.c (ByteBuffer and BodyReceiver: socket bytes into PackedByteArrays), errors.c (the two error boundaries), objects.c (Python proxies of Godot
 * objects, lifetime), methods.c (engine methods and properties as descriptors), classes.c (ClassDB registration and the engine -> Python trampolines),
 * module.c (the `_godot` module), entry.c (entry point, interpreter start/stop), gil.c (the
 * parked GIL of the main thread and its watcher).
 *
 * Rules, held everywhere:
 *
 * REFERENCES. A function returning `PyObject *` returns a NEW reference (NULL with a Python
 * exception set on failure) unless its name ends in `_borrowed`. A `PyObject *` parameter is
 * BORROWED unless the comment says "steals". A struct field holding a PyObject says in its
 * comment whether it owns it.
 *
 * VARIANTS. A `Variant *` out-parameter is uninitialised memory the callee constructs; the
 * caller destroys it with gd.variant_destroy. Every Variant the bridge constructs is destroyed
 * on every path (see the `cleanup:` labels).
 *
 * GIL. Released once the interpreter has started. Every engine -> Python callback takes it
 * with gil_take() and gives it back with gil_give() before returning (so any Godot thread
 * may call, and a callback on the thread that holds it re-enters); no other way in is allowed
 * (no PyGILState_Ensure in the bridge: see gil.c). On the thread that started the interpreter
 * (Godot's main thread) gil_take() takes back the GIL that the previous call parked (one
 * compare-and-swap), or PyEval_RestoreThread()s its cached thread state, or does nothing when
 * that thread holds the GIL already (a callback during a held engine call); the outermost
 * gil_give() parks it, and the watcher thread of gil.c releases a parked GIL after
 * GIL_LINGER_US (decision 0013); a nested one hands it back with PyEval_SaveThread. On any
 * other thread PyGILState_Ensure/Release. Python -> engine calls through the
 * native descriptors (methods.c) keep it, except for methods generated as blocking; calls
 * through the Variant/by-name paths (vararg methods, Object.call, utilities) release it
 * around the engine call (docs/decisions/0004-engine-calls-and-the-gil.md). The bridge's own
 * socket code (receive.c) keeps it too (non-blocking calls), except while a BodyReceiver read
 * waits for bytes (at most 100 us, decision 0018).
 *
 * ERRORS. Engine -> Python: every callback ends with bridge_report_exception() when Python
 * raised; it prints the traceback through Godot's error output and clears it, and the
 * callback reports a failed call and returns a default. Python -> engine: argument problems
 * raise TypeError/ValueError before the engine is called; engine call errors raise
 * godot.GodotError (a RuntimeError). Nothing ever aborts.
 */
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "api_hashes.h"
#include "gdextension_interface.h"

/* PYTHON VERSION. The bridge builds against the addon's own runtime (CPython 3.11, see
 * tools/runtime/README.md). The few newer C-API calls it uses are provided here, once, for
 * older headers; nothing else in src/ checks PY_VERSION_HEX. */
#if PY_VERSION_HEX < 0x030C0000
/* The raised exception (new reference, traceback attached) or NULL; the error indicator is cleared. */
static inline PyObject *PyErr_GetRaisedException(void) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (!type) return NULL;
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback && value) PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
}
/* Steals `exc` and makes it the raised exception; NULL clears the error indicator. */
static inline void PyErr_SetRaisedException(PyObject *exc) {
    if (!exc) {
        PyErr_Clear();
        return;
    }
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, PyException_GetTraceback(exc));
}
#endif

/* The interpreter's own thread state (the thread that started it), set while the GIL is
 * released between engine -> Python calls; NULL before start-up and after shutdown. */
extern PyThreadState *gd_main_thread_state;
extern pthread_t gd_main_thread;

/* THE PARKED GIL (gil.c, decision 0013). After the outermost engine -> Python call on the main
 * thread returns, that thread keeps the GIL ("parked") instead of handing it over: the next call
 * takes it back with one compare-and-swap instead of two mutex hand-overs. A watcher thread looks
 * once per GIL_LINGER_US while calls happen and releases a GIL it finds parked on the main
 * thread's behalf, so a thread that needs Python while the main thread runs engine code (or
 * waits for that very thread) waits that long at most. States of gd_gil_park: */
enum { GIL_UNPARKED = 0, GIL_PARKED = 1, GIL_RELEASING = 2 /* the watcher is releasing it */ };
extern int gd_gil_park; /* read and written with __atomic builtins only */
extern int gd_main_depth; /* engine -> Python calls in progress on the main thread (main thread only) */
void gil_park_taken(void); /* the outermost call's end after a RestoreThread: park (or release) */
void gil_wait_released(void);
void gil_hurry(void);      /* another thread waits for a parked GIL: the watcher releases it now */
bool gil_parking_start(void); /* after start-up (GIL released); false: calls hand the GIL over */
void gil_parking_stop(void);  /* before shutdown, on the main thread: the watcher stops, the GIL is taken */
PyObject *gil_measure_call_floors(PyObject *self, PyObject *args); /* _godot.measure_call_floors() */

/* How gil_take() took the GIL, for gil_give(). */
typedef struct {
    enum { GIL_WAS_HELD, GIL_MAIN_HELD, GIL_MAIN_UNPARKED, GIL_RESTORED_MAIN, GIL_ENSURED } how;
    PyGILState_STATE state;
} GilHold;

static inline GilHold gil_take(void) {
    GilHold h = {GIL_WAS_HELD, PyGILState_LOCKED};
    PyThreadState *main = gd_main_thread_state;
    if (main && pthread_equal(pthread_self(), gd_main_thread)) {
        gd_main_depth++;
        int parked = GIL_PARKED;
        if (__atomic_compare_exchange_n(&gd_gil_park, &parked, GIL_UNPARKED, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST)) {
            h.how = GIL_MAIN_UNPARKED; /* parked by the previous call: still this thread's */
            return h;
        }
        if (parked == GIL_RELEASING) gil_wait_released();
        /* Only this thread ever makes `main` current: equal means it holds the GIL already
         * (a callback during a held engine call). */
        if (_PyThreadState_UncheckedGet() != main) {
            PyEval_RestoreThread(main);
            h.how = GIL_RESTORED_MAIN;
        } else {
            h.how = GIL_MAIN_HELD;
        }
        return h;
    }
    h.how = GIL_ENSURED;
    if (__atomic_load_n(&gd_gil_park, __ATOMIC_RELAXED) == GIL_PARKED) gil_hurry();
    h.state = PyGILState_Ensure();
    return h;
}

static inline void gil_give(GilHold h) {
    switch (h.how) {
    case GIL_WAS_HELD: return;
    case GIL_ENSURED: PyGILState_Release(h.state); return;
    case GIL_MAIN_HELD: gd_main_depth--; return;
    case GIL_MAIN_UNPARKED:
        /* Outermost (a parked GIL is only taken back at depth 0), and inside a watcher episode. */
        gd_main_depth--;
        __atomic_store_n(&gd_gil_park, GIL_PARKED, __ATOMIC_RELEASE);
        return;
    case GIL_RESTORED_MAIN:
        if (--gd_main_depth == 0) gil_park_taken();
        else PyEval_SaveThread();
        return;
    }
}

/* Opaque engine values, sized for 64-bit single-precision builds (extension_api.json
 * builtin_class_sizes "float_64"); gd.c checks the engine's real sizes at start-up. */
typedef struct { _Alignas(8) uint8_t data[24]; } Variant;
typedef struct { void *ptr; } StringName;
typedef struct { void *ptr; } String;
typedef struct { void *ptr; } GdArray;
typedef struct { void *ptr; } GdDictionary;
typedef struct { _Alignas(8) uint8_t data[16]; } PackedArray;

#if GODOT_REAL_T_IS_DOUBLE
typedef double real_t;
#else
typedef float real_t;
#endif

enum {
    VT_NIL = GDEXTENSION_VARIANT_TYPE_NIL,
    VT_MAX = GDEXTENSION_VARIANT_TYPE_VARIANT_MAX,
    TYPE_POINTER = 100, /* a native pointer argument of an engine virtual (gen_api.py) */
};

/* The interface functions the bridge uses, loaded once by gd_load_interface(). */
typedef struct {
    GDExtensionInterfaceGetProcAddress get_proc_address;
    GDExtensionClassLibraryPtr library;
    void *token; /* identifies this extension to the engine (instance bindings, callables) */
    uint32_t version_major, version_minor;

    GDExtensionInterfacePrintError print_error;
    GDExtensionInterfacePrintWarning print_warning;
    GDExtensionInterfaceMemAlloc mem_alloc;
    GDExtensionInterfaceMemFree mem_free;

    GDExtensionInterfaceVariantNewCopy variant_new_copy;
    GDExtensionInterfaceVariantNewNil variant_new_nil;
    GDExtensionInterfaceVariantDestroy variant_destroy;
    GDExtensionInterfaceVariantCall variant_call;
    GDExtensionInterfaceVariantGetType variant_get_type;
    GDExtensionInterfaceVariantStringify variant_stringify;
    GDExtensionInterfaceVariantGetPtrConstructor variant_get_ptr_constructor;
    GDExtensionInterfaceVariantGetPtrDestructor variant_get_ptr_destructor;
    GDExtensionInterfaceVariantGetPtrBuiltinMethod variant_get_ptr_builtin_method;
    GDExtensionInterfaceVariantGetPtrUtilityFunction variant_get_ptr_utility_function;
    GDExtensionInterfaceGetVariantFromTypeConstructor get_variant_from_type_constructor;
    GDExtensionInterfaceGetVariantToTypeConstructor get_variant_to_type_constructor;
    GDExtensionInterfaceVariantGetObjectInstanceId variant_get_object_instance_id;
    GDExtensionInterfaceVariantConstruct variant_construct;
    GDExtensionInterfaceVariantGetTypeName variant_get_type_name;
    GDExtensionInterfaceVariantCanConvertStrict variant_can_convert_strict;
    GDExtensionInterfaceVariantEvaluate variant_evaluate;
    GDExtensionInterfaceVariantHash variant_hash;

    GDExtensionInterfaceStringNewWithUtf8CharsAndLen string_new_with_utf8_chars_and_len;
    GDExtensionInterfaceStringNewWithUtf32CharsAndLen string_new_with_utf32_chars_and_len;
    GDExtensionInterfaceStringNewWithLatin1CharsAndLen string_new_with_latin1_chars_and_len;
    GDExtensionInterfaceStringToUtf8Chars string_to_utf8_chars;
    GDExtensionInterfaceStringToUtf32Chars string_to_utf32_chars;
    GDExtensionInterfaceStringOperatorIndexConst string_operator_index_const;
    GDExtensionInterfaceStringNameNewWithUtf8CharsAndLen string_name_new_with_utf8_chars_and_len;

    GDExtensionInterfacePackedByteArrayOperatorIndex packed_byte_array_operator_index;
    GDExtensionInterfacePackedByteArrayOperatorIndexConst packed_byte_array_operator_index_const;
    GDExtensionInterfacePackedInt32ArrayOperatorIndex packed_int32_array_operator_index;
    GDExtensionInterfacePackedInt64ArrayOperatorIndex packed_int64_array_operator_index;
    GDExtensionInterfacePackedFloat32ArrayOperatorIndex packed_float32_array_operator_index;
    GDExtensionInterfacePackedFloat64ArrayOperatorIndex packed_float64_array_operator_index;
    GDExtensionInterfacePackedStringArrayOperatorIndex packed_string_array_operator_index;
    GDExtensionInterfacePackedVector2ArrayOperatorIndex packed_vector2_array_operator_index;
    GDExtensionInterfacePackedVector3ArrayOperatorIndex packed_vector3_array_operator_index;
    GDExtensionInterfacePackedVector4ArrayOperatorIndex packed_vector4_array_operator_index;
    GDExtensionInterfacePackedColorArrayOperatorIndex packed_color_array_operator_index;
    GDExtensionInterfacePackedInt32ArrayOperatorIndexConst packed_int32_array_operator_index_const;
    GDExtensionInterfacePackedInt64ArrayOperatorIndexConst packed_int64_array_operator_index_const;
    GDExtensionInterfacePackedFloat32ArrayOperatorIndexConst packed_float32_array_operator_index_const;
    GDExtensionInterfacePackedFloat64ArrayOperatorIndexConst packed_float64_array_operator_index_const;
    GDExtensionInterfacePackedStringArrayOperatorIndexConst packed_string_array_operator_index_const;
    GDExtensionInterfacePackedVector2ArrayOperatorIndexConst packed_vector2_array_operator_index_const;
    GDExtensionInterfacePackedVector3ArrayOperatorIndexConst packed_vector3_array_operator_index_const;
    GDExtensionInterfacePackedVector4ArrayOperatorIndexConst packed_vector4_array_operator_index_const;
    GDExtensionInterfacePackedColorArrayOperatorIndexConst packed_color_array_operator_index_const;
    GDExtensionInterfaceArrayOperatorIndex array_operator_index;
    GDExtensionInterfaceDictionaryOperatorIndex dictionary_operator_index;

    GDExtensionInterfaceObjectMethodBindCall object_method_bind_call;
    GDExtensionInterfaceObjectMethodBindPtrcall object_method_bind_ptrcall;
    GDExtensionInterfaceObjectDestroy object_destroy;
    GDExtensionInterfaceGlobalGetSingleton global_get_singleton;
    GDExtensionInterfaceObjectGetInstanceBinding object_get_instance_binding;
    GDExtensionInterfaceObjectSetInstanceBinding object_set_instance_binding;
    GDExtensionInterfaceObjectSetInstance object_set_instance;
    GDExtensionInterfaceObjectGetClassName object_get_class_name;
    GDExtensionInterfaceObjectCastTo object_cast_to;
    GDExtensionInterfaceObjectGetInstanceFromId object_get_instance_from_id;
    GDExtensionInterfaceObjectGetInstanceId object_get_instance_id;
    GDExtensionInterfaceRefGetObject ref_get_object;
    GDExtensionInterfaceRefSetObject ref_set_object;
    GDExtensionInterfaceCallableCustomCreate2 callable_custom_create2;
    GDExtensionInterfaceCallableCustomGetUserData callable_custom_get_user_data;

    GDExtensionInterfaceClassdbConstructObject classdb_construct_object;
    GDExtensionInterfaceClassdbGetMethodBind classdb_get_method_bind;
    GDExtensionInterfaceClassdbGetClassTag classdb_get_class_tag;
    GDExtensionInterfaceClassdbRegisterExtensionClass3 classdb_register_extension_class3;
    GDExtensionInterfaceClassdbRegisterExtensionClass4 classdb_register_extension_class4;
    GDExtensionInterfaceClassdbRegisterExtensionClassMethod classdb_register_extension_class_method;
    GDExtensionInterfaceClassdbRegisterExtensionClassIntegerConstant classdb_register_extension_class_integer_constant;
    GDExtensionInterfaceClassdbRegisterExtensionClassProperty classdb_register_extension_class_property;
    GDExtensionInterfaceClassdbRegisterExtensionClassSignal classdb_register_extension_class_signal;
    GDExtensionInterfaceClassdbUnregisterExtensionClass classdb_unregister_extension_class;
    GDExtensionInterfaceClassdbConstructObject2 classdb_construct_object2; /* 4.4+, else NULL */
    GDExtensionInterfaceClassdbRegisterExtensionClassPropertyGroup classdb_register_extension_class_property_group;
    GDExtensionInterfaceClassdbRegisterExtensionClassPropertySubgroup classdb_register_extension_class_property_subgroup;
    GDExtensionInterfaceClassdbRegisterExtensionClassVirtualMethod classdb_register_extension_class_virtual_method; /* 4.3+ */
    GDExtensionInterfaceObjectHasScriptMethod object_has_script_method; /* 4.3+ */
    GDExtensionInterfaceGetLibraryPath get_library_path;
    GDExtensionsInterfaceEditorHelpLoadXmlFromUtf8CharsAndLen editor_help_load_xml_from_utf8_chars_and_len;
    GDExtensionInterfaceRegisterMainLoopCallbacks register_main_loop_callbacks;
    GDExtensionInterfaceEditorAddPlugin editor_add_plugin;       /* NULL outside editor builds */
    GDExtensionInterfaceEditorRemovePlugin editor_remove_plugin; /* NULL outside editor builds */

    /* Builtin type helpers, indexed by Variant type. */
    GDExtensionVariantFromTypeConstructorFunc from_type[VT_MAX];
    GDExtensionTypeFromVariantConstructorFunc to_type[VT_MAX];
    GDExtensionPtrDestructor destroy[VT_MAX];
    GDExtensionPtrConstructor construct_default[VT_MAX];
    GDExtensionPtrBuiltInMethod size_of[VT_MAX];   /* Array, Dictionary, Packed*: size() */
    GDExtensionPtrBuiltInMethod resize_of[VT_MAX]; /* Array, Packed*: resize(n) */
    GDExtensionPtrBuiltInMethod dictionary_keys;
    GDExtensionPtrConstructor string_from_string_name, string_from_node_path;
    GDExtensionPtrConstructor string_name_from_string, node_path_from_string;

    GDExtensionMethodBindPtr mb_init_ref, mb_reference, mb_unreference, mb_get_reference_count;
    GDExtensionMethodBindPtr mb_call, mb_get, mb_set, mb_get_class, mb_emit_signal, mb_notification;
    GDExtensionPtrUtilityFunction util_print, util_printerr, util_push_error, util_push_warning, util_str;
    void *refcounted_tag;
} GodotApi;

extern GodotApi gd;

/* gd.c --------------------------------------------------------------------------------- */
bool gd_load_interface(GDExtensionInterfaceGetProcAddress get_proc_address, GDExtensionClassLibraryPtr library);
bool gd_load_builtins(void); /* after the core level: method binds, utilities, builtin methods */
void gd_print_error(const char *message, const char *function, const char *file, int line);
#define GD_ERR(msg) gd_print_error((msg), __func__, __FILE__, __LINE__)

/* StringName / String made from C text; destroy with gd_string_name_destroy/gd_string_destroy. */
void gd_string_name_new(StringName *out, const char *utf8);
void gd_string_name_destroy(StringName *name);
void gd_string_new(String *out, const char *utf8, Py_ssize_t len);
void gd_string_destroy(String *s);
/* Interned StringNames that live until deinitialisation. */
const StringName *gd_interned_name(const char *utf8);
void gd_free_interned_names(void);

/* Variant helpers. */
void gd_variant_from_int(Variant *out, int64_t value);
void gd_variant_from_bool(Variant *out, bool value);
void gd_variant_from_object(Variant *out, GDExtensionObjectPtr object);
void gd_variant_from_cstring(Variant *out, const char *utf8);
GDExtensionVariantType gd_variant_type(const Variant *v);
int64_t gd_ref_count(GDExtensionObjectPtr object);

/* convert.c ------------------------------------------------------------------------------ */
bool convert_init(void); /* imports godot._types, caches the value classes */
void convert_release(void);
PyObject *variant_to_python(const Variant *v);
/* Fills *out from a Python value. Returns false with TypeError/ValueError set. */
bool python_to_variant(PyObject *obj, Variant *out);
/* Same, but converted to `type` (an OBJECT, INT, ... Variant type; NIL = any). */
bool python_to_variant_typed(PyObject *obj, int type, Variant *out);
/* The element types of a typed Array (count 1) or Dictionary (count 2: key, value). */
typedef struct {
    int count;
    int types[2];
    StringName class_names[2]; /* owned; empty for builtin types */
} ContainerType;
bool variant_make_typed(Variant *v, const ContainerType *ct);
/* Typed pointers (ptrcall, virtuals): `type` is a Variant type, or TYPE_POINTER. */
PyObject *typed_ptr_to_python(int type, GDExtensionConstTypePtr ptr);
/* How one argument of a registered Python method becomes a Python value, chosen once at
 * registration (classes.c) for its declared Variant type: from a Variant (call) and from a typed
 * pointer (ptrcall). Both give the same value; a PackedByteArray declared `bytes` arrives as a
 * `bytes` copy, declared `PackedByteArray` as the shared godot.PackedByteArray. */
typedef struct {
    int type;
    PyObject *(*from_variant)(int type, const Variant *v);
    PyObject *(*from_ptr)(int type, GDExtensionConstTypePtr ptr);
} ArgConverter;
ArgConverter convert_argument(int type, bool packed_bytes_as_bytes);
/* `elements` (NULL = untyped) makes a returned Array/Dictionary typed. */
bool python_to_typed_ptr(PyObject *obj, int type, const ContainerType *elements, GDExtensionTypePtr ret);
PyObject *string_to_python(const String *s);
PyObject *string_name_to_python(const StringName *s);
bool python_to_string_name(PyObject *obj, StringName *out);
extern PyObject *GodotError; /* godot.GodotError */
PyObject *convert_class_for_type_borrowed(int type); /* godot._types class of a Variant type, or NULL */
bool python_to_string(PyObject *obj, String *out);  /* false with an exception set */
/* Vector-like values (Vector2..4[i], Rect2[i], Plane, Quaternion, Color) as raw memory: the
 * number of components (0 for other types), whether they are int32 (else real_t; Color float). */
int vector_components(int type, bool *is_int, bool *is_float32);
PyObject *vector_from_memory(int type, const void *data);
bool vector_to_memory(int type, PyObject *obj, void *data);

/* Arguments of an engine call: Python values converted to Variants, plus an optional first
 * Variant (a method name). Small calls use the inline storage. Always call_args_release(). */
#define CALL_ARGS_INLINE 9
typedef struct {
    Variant inline_values[CALL_ARGS_INLINE];
    const Variant *inline_ptrs[CALL_ARGS_INLINE];
    Variant *values;
    const Variant **ptrs;
    Py_ssize_t count;       /* pointers in ptrs */
    Py_ssize_t constructed; /* values to destroy */
} CallArgs;
/* False with a Python exception set (the args still need call_args_release). */
bool call_args_init(CallArgs *a, const StringName *first, PyObject *const *args, Py_ssize_t nargs);
void call_args_release(CallArgs *a);

/* errors.c ------------------------------------------------------------------------------- */
/* Prints the pending Python exception with its traceback through Godot's error output, file
 * and line of the innermost frame, prefixed by `context`; clears it. */
void bridge_report_exception(const char *context);
PyObject *bridge_exception_text(PyObject *exc); /* str(exc) with recursion headroom; NULL, error cleared, if it fails */
/* Sets a Python exception describing a failed engine call. */
void bridge_raise_call_error(const char *what, const GDExtensionCallError *error);

/* repeats.c ------------------------------------------------------------------------------ */
/* Whether to print this error message now: false for a repeat of a recent one, which is only
 * counted (`summary` is the one line its count is printed with). GIL held. */
bool repeats_should_print(const char *message, const char *summary, const char *file, int line);
void repeats_flush(void); /* prints the pending counts (at shutdown) */

/* objects.c ------------------------------------------------------------------------------ */
/* A registered Python class as the engine sees it (class_userdata). Owned by classes.c. */
typedef struct ClassInfo ClassInfo;

/* The per-object link between a Godot object and its Python instance (extension instance).
 * `py` is the Python instance; `py_owned` says whether this struct holds a strong reference
 * to it (see objects.c: the Godot object owns its Python instance while anything on the
 * engine side references it). */
typedef struct Instance {
    GDExtensionObjectPtr object;
    PyObject *py;
    bool py_owned;
    bool is_refcounted;
    ClassInfo *cls;
    struct Instance *prev, *next; /* live instances, detached before the interpreter stops */
} Instance;

typedef struct {
    PyObject_HEAD
    GDExtensionObjectPtr object; /* NULL once freed */
    GDObjectInstanceID id;
    Instance *instance;          /* for Python-class instances; NULL for engine proxies */
    bool holds_ref;              /* holds one Godot reference (RefCounted only) */
    PyObject *dict;
    PyObject *weakrefs;
} PyGodotObject;

extern PyTypeObject PyGodotObject_Type;
bool objects_init(PyObject *module);
/* The Python value for a Godot object (its Python instance, or a new engine proxy); None for NULL. */
PyObject *object_to_python(GDExtensionObjectPtr object);
/* The live object behind a Python wrapper, or NULL with ReferenceError set. */
GDExtensionObjectPtr object_from_python(PyObject *obj);
Instance *instance_new(ClassInfo *cls, GDExtensionObjectPtr object, PyObject *py, bool self_ref);
/* At the end of an engine -> Python call (GIL held): P's self references taken for the call are
 * kept if Python kept P, dropped otherwise; `self_instance` (or NULL) is the call's own. */
void objects_settle(Instance *self_instance);
void objects_enter(void); /* at the start of such a call, paired with objects_settle */
void instance_free(Instance *inst);
void instance_update_ownership(Instance *inst);
void instances_detach_all(void);
/* Runs the releases queued by instance_update_ownership (at safe points, GIL held). */
void objects_flush_releases(void);
bool objects_bind_engine_module(void); /* once godot._engine is importable */
void objects_release(void);
Py_ssize_t instances_live_count(void);
PyObject *engine_call(GDExtensionObjectPtr object, const StringName *method, PyObject *const *args, Py_ssize_t nargs);
/* Drops one Godot reference of a RefCounted (frees it when it was the last). */
void object_release_ref(GDExtensionObjectPtr object);

/* methods.c ------------------------------------------------------------------------------ */
/* Adds EngineMethod, EngineStaticMethod and EngineProperty (native descriptors) to `module`. */
bool methods_init(PyObject *module);

/* classes.c ------------------------------------------------------------------------------ */
PyObject *classes_register(PyObject *spec);
PyObject *classes_update(PyObject *spec, PyObject *property_overrides); /* hot reload: see classes.c */
PyObject *classes_set_frame_hook(PyObject *hook); /* a callable run once a frame, or None */
void classes_unregister_all(void);
void classes_load_docs(void); /* at the EDITOR level */
void classes_init_trampolines(void);
/* Set while Python itself constructs a registered class, so create_instance reuses it. */
extern _Thread_local PyObject *pending_python_instance;
GDExtensionObjectPtr classes_construct_internal(const char *name); /* NULL: use ClassDB */

/* module.c ------------------------------------------------------------------------------- */
PyObject *module_create(void);
bool module_add_late_types(PyObject *module); /* after convert_init() */
PyTypeObject *convert_variant_box_type(void);
PyObject *convert_make_variant(PyObject *self, PyObject *args); /* _godot.variant() */
PyObject *convert_construct(PyObject *self, PyObject *const *args, Py_ssize_t nargs); /* _godot.construct() */
PyObject *classes_has_script_method(PyObject *self, PyObject *args); /* _godot.has_script_method() */
PyObject *classes_library_path(PyObject *self, PyObject *unused);   /* _godot.library_path() */

/* packed.c ------------------------------------------------------------------------------- */
/* size() and resize() of an Array, Dictionary or Packed*Array held in `container`. */
int64_t container_size(int type, void *container);
void container_resize(int type, void *container, int64_t size);
PyObject *packed_to_python(int type, PackedArray *arr);
/* The same, but a PackedByteArray too arrives as the shared godot.PackedByteArray (not bytes). */
PyObject *packed_share_to_python(int type, PackedArray *arr);
/* Fills a default-constructed packed array of `type` from a Python sequence or buffer. */
bool packed_from_python(int type, PyObject *obj, PackedArray *arr);
extern PyTypeObject PyPackedArray_Type; /* _godot.PackedArray, base of godot's Packed*Array classes */
bool packed_wrapper_to_variant(PyObject *obj, int type, Variant *out); /* false: not handled, nothing written */
bool packed_init(PyObject *module); /* adds PackedArray to the _godot module */
/* receive.c ------------------------------------------------------------------------------ */
extern PyTypeObject PyByteBuffer_Type;   /* _godot.ByteBuffer */
extern PyTypeObject PyBodyReceiver_Type; /* _godot.BodyReceiver */
extern PyTypeObject PyClientCall_Type;   /* _godot.ClientCall */
/* Moves a ByteBuffer's array into *out (a new Variant); false with BufferError while lent. */
bool byte_buffer_move_to_variant(PyObject *buffer, Variant *out);
