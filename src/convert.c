/* convert.c: Variant <-> Python conversion, by value (Packed arrays: packed.c).
 *
 * nil/bool/int/float/String map to None/bool/int/float/str; Array to list (a copy);
 * PackedByteArray to bytes (one copy each way); vectors, rects, colors, StringName, NodePath
 * and the other packed arrays to the classes in godot/_types.py; a Dictionary to
 * godot.Dictionary around the engine's own (Python's dict would fold keys Godot keeps apart);
 * Objects to their Python instance or an engine proxy (objects.c), a freed one to None; a
 * Callable made from a Python callable back to that callable, any other to godot.Callable.
 * Anything else travels as an opaque `_godot.Variant` (== and hash() are the engine's).
 * docs/decisions/0012-lossless-values-and-lifetimes.md says why.
 *
 * Also the typed-pointer side (ptrcall arguments and returns, virtual calls), which goes
 * through the same Variant path except for the POD types. */
#include "gd.h"

#include <string.h>

PyObject *GodotError;

static PyObject *class_for_type[VT_MAX]; /* owned: godot._types.BY_VARIANT_TYPE values */
static PyObject *type_for_class;         /* owned dict: class -> Variant type int */

/* ---- opaque Variant box ----------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    Variant value; /* owned */
} PyVariantBox;

static void box_dealloc(PyVariantBox *self) {
    gd.variant_destroy(&self->value);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *box_repr(PyVariantBox *self) {
    String s = {0};
    gd.variant_stringify(&self->value, &s);
    PyObject *text = string_to_python(&s);
    gd_string_destroy(&s);
    return text;
}

/* Calls `method` on the boxed Variant (e.g. "call" on a Callable). */
static PyObject *variant_call_method(Variant *self, const StringName *method, PyObject *const *args, Py_ssize_t nargs) {
    CallArgs a;
    PyObject *result = NULL;
    if (call_args_init(&a, NULL, args, nargs)) {
        Variant ret;
        GDExtensionCallError error = {0};
        Py_BEGIN_ALLOW_THREADS
        gd.variant_call(self, method, (GDExtensionConstVariantPtr *)a.ptrs, a.count, &ret, &error);
        Py_END_ALLOW_THREADS
        if (error.error != GDEXTENSION_CALL_OK) bridge_raise_call_error("Variant call", &error);
        else result = variant_to_python(&ret);
        gd.variant_destroy(&ret);
    }
    call_args_release(&a);
    return result;
}

static PyObject *box_call(PyVariantBox *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    if (kwnames && PyTuple_GET_SIZE(kwnames)) {
        PyErr_SetString(PyExc_TypeError, "Godot Callables take no keyword arguments");
        return NULL;
    }
    return variant_call_method(&self->value, gd_interned_name("call"), args, PyVectorcall_NARGS(nargsf));
}

static PyObject *box_tp_call(PyObject *self, PyObject *args, PyObject *kwargs) {
    return box_call((PyVariantBox *)self, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL);
}

static PyObject *box_method(PyVariantBox *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "call_method(name, *args): name must be a str");
        return NULL;
    }
    StringName name;
    if (!python_to_string_name(args[0], &name)) return NULL;
    PyObject *r = variant_call_method(&self->value, &name, args + 1, nargs - 1);
    gd_string_name_destroy(&name);
    return r;
}

static PyObject *box_get_type(PyVariantBox *self, void *closure) {
    return PyLong_FromLong(gd_variant_type(&self->value));
}

/* == and hash() of engine values are the engine's (Variant ==, Variant hash). */
static PyObject *box_richcompare(PyObject *a, PyObject *b, int op) {
    if (Py_TYPE(b) != Py_TYPE(a) || (op != Py_EQ && op != Py_NE)) Py_RETURN_NOTIMPLEMENTED;
    Variant result;
    GDExtensionBool valid = 0;
    gd.variant_evaluate(GDEXTENSION_VARIANT_OP_EQUAL, &((PyVariantBox *)a)->value, &((PyVariantBox *)b)->value, &result, &valid);
    GDExtensionBool equal = 0;
    if (valid && gd_variant_type(&result) == GDEXTENSION_VARIANT_TYPE_BOOL) gd.to_type[GDEXTENSION_VARIANT_TYPE_BOOL](&equal, &result);
    gd.variant_destroy(&result);
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

static Py_hash_t box_hash(PyVariantBox *self) {
    Py_hash_t h = (Py_hash_t)gd.variant_hash(&self->value);
    return h == -1 ? -2 : h;
}

static PyMethodDef box_methods[] = {
    {"call_method", (PyCFunction)(void (*)(void))box_method, METH_FASTCALL, "call_method(name, *args): call a method of the Godot value."},
    {NULL},
};
static PyGetSetDef box_getset[] = {
    {"variant_type", (getter)box_get_type, NULL, "The Variant.Type of the value.", NULL},
    {NULL},
};

static PyTypeObject PyVariantBox_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.Variant",
    .tp_doc = "A Godot value that has no Python shape (Callable, Signal, RID, Transform3D, ...).",
    .tp_basicsize = sizeof(PyVariantBox),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_dealloc = (destructor)box_dealloc,
    .tp_repr = (reprfunc)box_repr,
    .tp_str = (reprfunc)box_repr,
    .tp_call = box_tp_call,
    .tp_richcompare = box_richcompare,
    .tp_hash = (hashfunc)box_hash,
    .tp_vectorcall_offset = 0, /* set in convert_init */
    .tp_methods = box_methods,
    .tp_getset = box_getset,
};

typedef struct {
    PyVariantBox base;
    vectorcallfunc vectorcall;
} PyVariantBoxVC;

static PyObject *box_new(const Variant *v) {
    PyVariantBoxVC *box = PyObject_New(PyVariantBoxVC, &PyVariantBox_Type);
    if (!box) return NULL;
    gd.variant_new_copy(&box->base.value, v);
    box->vectorcall = (vectorcallfunc)box_call;
    return (PyObject *)box;
}

/* ---- Python callables as Godot Callables ------------------------------------------------ */

static void py_callable_call(void *userdata, const GDExtensionConstVariantPtr *args, GDExtensionInt argc,
                             GDExtensionVariantPtr r_return, GDExtensionCallError *r_error) {
    GilHold gil = gil_take();
    objects_enter();
    PyObject *func = userdata; /* borrowed: owned by the Callable */
    PyObject *stack[16];
    PyObject **pyargs = argc <= 16 ? stack : PyMem_Malloc(sizeof(PyObject *) * argc);
    GDExtensionInt made = 0;
    PyObject *result = NULL;
    for (; made < argc; made++) {
        pyargs[made] = variant_to_python(args[made]);
        if (!pyargs[made]) break;
    }
    if (made == argc) result = PyObject_Vectorcall(func, pyargs, (size_t)argc, NULL);
    for (GDExtensionInt i = 0; i < made; i++) Py_DECREF(pyargs[i]);
    if (pyargs != stack) PyMem_Free(pyargs);
    if (result && python_to_variant(result, r_return)) {
        r_error->error = GDEXTENSION_CALL_OK;
    } else {
        if (!result) gd.variant_new_nil(r_return);
        bridge_report_exception("Python callable raised");
        r_error->error = GDEXTENSION_CALL_ERROR_INVALID_ARGUMENT;
        r_error->argument = 0;
        r_error->expected = 0;
    }
    Py_XDECREF(result);
    objects_settle(NULL);
    gil_give(gil);
}

static void py_callable_free(void *userdata) {
    if (!Py_IsInitialized()) return; /* the interpreter already stopped: nothing to release */
    GilHold gil = gil_take();
    Py_DECREF((PyObject *)userdata);
    gil_give(gil);
}

static void py_callable_to_string(void *userdata, GDExtensionBool *r_is_valid, GDExtensionStringPtr r_out) {
    GilHold gil = gil_take();
    PyObject *repr = PyObject_Repr((PyObject *)userdata);
    Py_ssize_t len = 0;
    const char *text = repr ? PyUnicode_AsUTF8AndSize(repr, &len) : NULL;
    if (text) {
        gd.string_new_with_utf8_chars_and_len(r_out, text, len);
        *r_is_valid = 1;
    } else {
        PyErr_Clear();
        *r_is_valid = 0;
    }
    Py_XDECREF(repr);
    gil_give(gil);
}

/* Equality and hash of Python-made Callables are Python's own, so that the same bound method
 * (a new object at each attribute access) finds its connection in disconnect()/is_connected(),
 * and a callable class keeps its __eq__/__hash__. */
static uint32_t py_callable_hash(void *userdata) {
    if (!Py_IsInitialized()) return (uint32_t)(uintptr_t)userdata;
    GilHold gil = gil_take();
    Py_hash_t h = PyObject_Hash((PyObject *)userdata);
    if (h == -1) {
        PyErr_Clear(); /* unhashable: its identity */
        h = (Py_hash_t)(uintptr_t)userdata;
    }
    gil_give(gil);
    return (uint32_t)((uint64_t)h ^ ((uint64_t)h >> 32));
}

static GDExtensionBool py_callable_equal(void *a, void *b) {
    if (a == b) return 1;
    if (!Py_IsInitialized()) return 0;
    GilHold gil = gil_take();
    int eq = PyObject_RichCompareBool((PyObject *)a, (PyObject *)b, Py_EQ);
    if (eq < 0) {
        bridge_report_exception("Python exception comparing two Callables");
        eq = 0;
    }
    gil_give(gil);
    return (GDExtensionBool)eq;
}

static GDExtensionBool py_callable_less(void *a, void *b) {
    uint32_t ha = py_callable_hash(a), hb = py_callable_hash(b);
    return ha != hb ? ha < hb : (uintptr_t)a < (uintptr_t)b;
}

/* A method bound to a Godot object is valid while that object lives (as an engine Callable). */
static GDExtensionBool py_callable_is_valid(void *userdata) {
    PyObject *func = userdata;
    if (!Py_IsInitialized()) return 0;
    GilHold gil = gil_take();
    PyObject *bound_self = PyMethod_Check(func) ? PyMethod_GET_SELF(func) : NULL;
    bool valid = true;
    if (bound_self && PyObject_TypeCheck(bound_self, &PyGodotObject_Type)) {
        PyGodotObject *p = (PyGodotObject *)bound_self;
        valid = p->object && (p->holds_ref || gd.object_get_instance_from_id(p->id));
    }
    gil_give(gil);
    return valid;
}

static PyObject *argument_count_helper; /* owned: godot._callable.argument_count */

static GDExtensionInt py_callable_argument_count(void *userdata, GDExtensionBool *r_is_valid) {
    *r_is_valid = 0;
    if (!argument_count_helper) return 0;
    GilHold gil = gil_take();
    PyObject *n = PyObject_CallOneArg(argument_count_helper, (PyObject *)userdata);
    GDExtensionInt count = 0;
    if (n && n != Py_None) {
        count = PyLong_AsLongLong(n);
        *r_is_valid = !PyErr_Occurred();
    }
    Py_XDECREF(n);
    if (PyErr_Occurred()) bridge_report_exception("Python exception counting a Callable's arguments");
    gil_give(gil);
    return count;
}

static void callable_from_python(PyObject *func, Variant *out) {
    GDExtensionCallableCustomInfo2 info;
    memset(&info, 0, sizeof info);
    Py_INCREF(func);
    info.callable_userdata = func;
    info.token = gd.token;
    info.call_func = py_callable_call;
    info.free_func = py_callable_free;
    info.to_string_func = py_callable_to_string;
    info.hash_func = py_callable_hash;
    info.equal_func = py_callable_equal;
    info.less_than_func = py_callable_less;
    info.get_argument_count_func = py_callable_argument_count;
    info.is_valid_func = py_callable_is_valid;
    /* A method bound to a Godot object: the Callable names that object (get_object(); invalid
     * once it is freed, and its signal connections go with it), as the engine's own do. */
    PyObject *bound_self = PyMethod_Check(func) ? PyMethod_GET_SELF(func) : NULL;
    if (bound_self && PyObject_TypeCheck(bound_self, &PyGodotObject_Type) && ((PyGodotObject *)bound_self)->object)
        info.object_id = ((PyGodotObject *)bound_self)->id;
    uint8_t callable[16] = {0};
    gd.callable_custom_create2(callable, &info);
    gd.from_type[GDEXTENSION_VARIANT_TYPE_CALLABLE](out, callable);
    gd.destroy[GDEXTENSION_VARIANT_TYPE_CALLABLE](callable);
}

/* ---- strings ------------------------------------------------------------------------------ */

PyObject *string_to_python(const String *s) {
    GDExtensionInt len = gd.string_to_utf32_chars((GDExtensionConstStringPtr)s, NULL, 0);
    if (len == 0) return PyUnicode_New(0, 0);
    const char32_t *chars = gd.string_operator_index_const((GDExtensionConstStringPtr)s, 0);
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, len);
}

PyObject *string_name_to_python(const StringName *sn) {
    String s = {0};
    const void *args[1] = {sn};
    gd.string_from_string_name(&s, args);
    PyObject *r = string_to_python(&s);
    gd_string_destroy(&s);
    return r;
}

/* Makes a String from a str; false with an exception set. */
bool python_to_string(PyObject *obj, String *out) {
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(obj, &len);
    if (!utf8) return false;
    gd_string_new(out, utf8, len);
    return true;
}

bool python_to_string_name(PyObject *obj, StringName *out) {
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(obj, &len);
    if (!utf8) return false;
    out->ptr = NULL;
    gd.string_name_new_with_utf8_chars_and_len(out, utf8, len);
    return true;
}

/* ---- containers ------------------------------------------------------------------------------ */

int vector_components(int type, bool *is_int, bool *is_float32) {
    *is_int = false;
    *is_float32 = false;
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_VECTOR2: return 2;
    case GDEXTENSION_VARIANT_TYPE_VECTOR2I: *is_int = true; return 2;
    case GDEXTENSION_VARIANT_TYPE_VECTOR3: return 3;
    case GDEXTENSION_VARIANT_TYPE_VECTOR3I: *is_int = true; return 3;
    case GDEXTENSION_VARIANT_TYPE_VECTOR4: return 4;
    case GDEXTENSION_VARIANT_TYPE_VECTOR4I: *is_int = true; return 4;
    case GDEXTENSION_VARIANT_TYPE_RECT2: return 4;
    case GDEXTENSION_VARIANT_TYPE_RECT2I: *is_int = true; return 4;
    case GDEXTENSION_VARIANT_TYPE_PLANE: return 4;
    case GDEXTENSION_VARIANT_TYPE_QUATERNION: return 4;
    case GDEXTENSION_VARIANT_TYPE_COLOR: *is_float32 = true; return 4;
    default: return 0;
    }
}

PyObject *vector_from_memory(int type, const void *data) {
    bool is_int, is_float32;
    int n = vector_components(type, &is_int, &is_float32);
    PyObject *items[4] = {NULL};
    for (int i = 0; i < n; i++) {
        if (is_int) items[i] = PyLong_FromLong(((const int32_t *)data)[i]);
        else if (is_float32) items[i] = PyFloat_FromDouble(((const float *)data)[i]);
        else items[i] = PyFloat_FromDouble(((const real_t *)data)[i]);
    }
    for (int i = 0; i < n; i++) {
        if (!items[i]) {
            for (int j = 0; j < n; j++) Py_XDECREF(items[j]);
            return NULL;
        }
    }
    /* The value classes are tuple subclasses (godot/_types.py): made by tuple's own
     * constructor from the components, without running their Python __new__. */
    PyObject *components = PyTuple_New(n);
    if (!components) {
        for (int i = 0; i < n; i++) Py_DECREF(items[i]);
        return NULL;
    }
    for (int i = 0; i < n; i++) PyTuple_SET_ITEM(components, i, items[i]);
    PyObject *r = PyTuple_Type.tp_vectorcall((PyObject *)class_for_type[type], &components, 1, NULL);
    Py_DECREF(components);
    return r;
}

bool vector_to_memory(int type, PyObject *obj, void *data) {
    bool is_int, is_float32;
    int n = vector_components(type, &is_int, &is_float32);
    PyObject *seq = PyTuple_Check(obj) ? Py_NewRef(obj) : PySequence_Fast(obj, "expected a sequence of numbers");
    if (!seq) return false;
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "expected %d components, got %zd", n, PySequence_Fast_GET_SIZE(seq));
        Py_DECREF(seq);
        return false;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (is_int) {
            long v = PyLong_AsLong(item);
            ((int32_t *)data)[i] = (int32_t)v;
        } else {
            double v = PyFloat_AsDouble(item);
            if (is_float32) ((float *)data)[i] = (float)v;
            else ((real_t *)data)[i] = (real_t)v;
        }
        if (PyErr_Occurred()) {
            Py_DECREF(seq);
            return false;
        }
    }
    Py_DECREF(seq);
    return true;
}

static PyObject *array_to_python(GdArray *arr) {
    int64_t n = container_size(GDEXTENSION_VARIANT_TYPE_ARRAY, arr);
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (int64_t i = 0; i < n; i++) {
        PyObject *item = variant_to_python(gd.array_operator_index(arr, i));
        if (!item) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

static bool array_from_python(PyObject *obj, GdArray *arr) {
    PyObject *seq = PySequence_Fast(obj, "expected a sequence");
    if (!seq) return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    container_resize(GDEXTENSION_VARIANT_TYPE_ARRAY, arr, n);
    bool ok = true;
    for (Py_ssize_t i = 0; i < n && ok; i++) {
        Variant *slot = gd.array_operator_index(arr, i);
        gd.variant_destroy(slot);
        ok = python_to_variant(PySequence_Fast_GET_ITEM(seq, i), slot);
    }
    Py_DECREF(seq);
    return ok;
}

/* Engine values Python sees through a wrapper class of godot/ (a Dictionary, which a dict would
 * fold keys of, and a Callable): the class's `_wrap(box)` makes one around the engine value
 * itself (a reference, as in GDScript), and its `_value` converts back to it. */
static PyObject *wrapped_to_python(const Variant *v, int type) {
    PyObject *box = box_new(v);
    if (!box || !class_for_type[type]) return box;
    PyObject *r = PyObject_CallMethod(class_for_type[type], "_wrap", "O", box);
    Py_DECREF(box);
    return r;
}

static bool wrapper_to_variant(PyObject *obj, int type, Variant *out) {
    PyObject *box = PyObject_GetAttrString(obj, "_value");
    if (!box || Py_TYPE(box) != &PyVariantBox_Type || (int)gd_variant_type(&((PyVariantBox *)box)->value) != type) {
        Py_XDECREF(box);
        gd.variant_new_nil(out);
        if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "a %.100s without its engine value", Py_TYPE(obj)->tp_name);
        return false;
    }
    gd.variant_new_copy(out, &((PyVariantBox *)box)->value);
    Py_DECREF(box);
    return true;
}

static bool dictionary_from_python(PyObject *obj, GdDictionary *dict) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(obj, &pos, &key, &value)) {
        Variant k;
        if (!python_to_variant(key, &k)) return false;
        Variant *slot = gd.dictionary_operator_index(dict, &k);
        gd.variant_destroy(&k);
        gd.variant_destroy(slot);
        if (!python_to_variant(value, slot)) return false;
    }
    return true;
}

/* ---- Variant -> Python -------------------------------------------------------------------- */

PyObject *variant_to_python(const Variant *cv) {
    Variant *v = (Variant *)cv;
    int type = gd_variant_type(v);
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_NIL: Py_RETURN_NONE;
    case GDEXTENSION_VARIANT_TYPE_BOOL: {
        GDExtensionBool b;
        gd.to_type[type](&b, v);
        return PyBool_FromLong(b);
    }
    case GDEXTENSION_VARIANT_TYPE_INT: {
        int64_t i;
        gd.to_type[type](&i, v);
        return PyLong_FromLongLong(i);
    }
    case GDEXTENSION_VARIANT_TYPE_FLOAT: {
        double d;
        gd.to_type[type](&d, v);
        return PyFloat_FromDouble(d);
    }
    case GDEXTENSION_VARIANT_TYPE_STRING: {
        String s = {0};
        gd.to_type[type](&s, v);
        PyObject *r = string_to_python(&s);
        gd_string_destroy(&s);
        return r;
    }
    case GDEXTENSION_VARIANT_TYPE_STRING_NAME:
    case GDEXTENSION_VARIANT_TYPE_NODE_PATH: {
        uint8_t raw[8] = {0};
        gd.to_type[type](raw, v);
        String s = {0};
        const void *args[1] = {raw};
        (type == GDEXTENSION_VARIANT_TYPE_STRING_NAME ? gd.string_from_string_name : gd.string_from_node_path)(&s, args);
        gd.destroy[type](raw);
        PyObject *text = string_to_python(&s);
        gd_string_destroy(&s);
        if (!text) return NULL;
        PyObject *r = PyObject_CallOneArg(class_for_type[type], text);
        Py_DECREF(text);
        return r;
    }
    case GDEXTENSION_VARIANT_TYPE_OBJECT: {
        /* The Variant keeps the pointer of a freed object: only its ID is safe to read, and
         * ObjectDB says whether that ID still names a live object. A freed one is None. */
        GDObjectInstanceID id = gd.variant_get_object_instance_id(v);
        if (id == 0) Py_RETURN_NONE;
        return object_to_python(gd.object_get_instance_from_id(id));
    }
    case GDEXTENSION_VARIANT_TYPE_ARRAY: {
        GdArray arr;
        gd.to_type[type](&arr, v);
        PyObject *r = array_to_python(&arr);
        gd.destroy[type](&arr);
        return r;
    }
    case GDEXTENSION_VARIANT_TYPE_DICTIONARY: return wrapped_to_python(v, type);
    case GDEXTENSION_VARIANT_TYPE_CALLABLE: {
        uint8_t callable[16];
        gd.to_type[type](callable, v);
        PyObject *func = gd.callable_custom_get_user_data(callable, gd.token);
        gd.destroy[type](callable);
        if (func) { /* made from a Python callable: that callable again */
            Py_INCREF(func);
            return func;
        }
        return wrapped_to_python(v, type); /* godot.Callable */
    }
    default:
        break;
    }
    if (type >= GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY && type < VT_MAX) {
        PackedArray arr;
        gd.to_type[type](&arr, v);
        PyObject *r = packed_to_python(type, &arr);
        gd.destroy[type](&arr);
        return r;
    }
    bool is_int, is_float32;
    if (vector_components(type, &is_int, &is_float32)) {
        _Alignas(8) uint8_t raw[32];
        gd.to_type[type](raw, v);
        return vector_from_memory(type, raw);
    }
    return box_new(v);
}

/* ---- Python -> Variant -------------------------------------------------------------------- */

/* Builds a Variant of a container/packed/vector `type` from `obj`. */
static bool build_typed(int type, PyObject *obj, Variant *out) {
    bool ok;
    bool is_int, is_float32;
    if (vector_components(type, &is_int, &is_float32)) {
        _Alignas(8) uint8_t raw[32];
        if (!vector_to_memory(type, obj, raw)) return false;
        gd.from_type[type](out, raw);
        return true;
    }
    _Alignas(8) uint8_t value[16];
    gd.construct_default[type](value, NULL);
    if (type == GDEXTENSION_VARIANT_TYPE_ARRAY) ok = array_from_python(obj, (GdArray *)value);
    else if (type == GDEXTENSION_VARIANT_TYPE_DICTIONARY) ok = dictionary_from_python(obj, (GdDictionary *)value);
    else ok = packed_from_python(type, obj, (PackedArray *)value);
    if (ok) gd.from_type[type](out, value);
    gd.destroy[type](value);
    return ok;
}

static bool build_string_like(int type, PyObject *obj, Variant *out) {
    String s;
    if (!python_to_string(obj, &s)) return false;
    if (type == GDEXTENSION_VARIANT_TYPE_STRING) {
        gd.from_type[type](out, &s);
    } else {
        uint8_t raw[8] = {0};
        const void *args[1] = {&s};
        (type == GDEXTENSION_VARIANT_TYPE_STRING_NAME ? gd.string_name_from_string : gd.node_path_from_string)(raw, args);
        gd.from_type[type](out, raw);
        gd.destroy[type](raw);
    }
    gd_string_destroy(&s);
    return true;
}

bool python_to_variant(PyObject *obj, Variant *out) {
    PyTypeObject *t = Py_TYPE(obj);
    if (obj == Py_None) {
        gd.variant_new_nil(out);
        return true;
    }
    if (t == &PyBool_Type) {
        gd_variant_from_bool(out, obj == Py_True);
        return true;
    }
    if (t == &PyLong_Type) {
        int overflow = 0;
        long long i = PyLong_AsLongLongAndOverflow(obj, &overflow);
        if (overflow) {
            gd.variant_new_nil(out);
            PyErr_SetString(PyExc_OverflowError, "int does not fit in Godot's 64-bit int");
            return false;
        }
        gd_variant_from_int(out, i);
        return true;
    }
    if (t == &PyFloat_Type) {
        double d = PyFloat_AS_DOUBLE(obj);
        gd.from_type[GDEXTENSION_VARIANT_TYPE_FLOAT](out, &d);
        return true;
    }
    if (t == &PyUnicode_Type) {
        if (build_string_like(GDEXTENSION_VARIANT_TYPE_STRING, obj, out)) return true;
        gd.variant_new_nil(out);
        return false;
    }
    if (t == &PyByteBuffer_Type) return byte_buffer_move_to_variant(obj, out);
    if (PyObject_TypeCheck(obj, &PyPackedArray_Type) && packed_wrapper_to_variant(obj, VT_NIL, out)) return true;
    if (t == &PyBytes_Type || t == &PyByteArray_Type || t == &PyMemoryView_Type) {
        if (build_typed(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, obj, out)) return true;
        gd.variant_new_nil(out);
        return false;
    }
    if (PyObject_TypeCheck(obj, &PyGodotObject_Type)) {
        GDExtensionObjectPtr object = object_from_python(obj);
        if (!object) {
            gd.variant_new_nil(out);
            return false;
        }
        gd_variant_from_object(out, object);
        return true;
    }
    if (t == &PyVariantBox_Type) {
        gd.variant_new_copy(out, &((PyVariantBox *)obj)->value);
        return true;
    }
    PyObject *vt = PyDict_GetItemWithError(type_for_class, (PyObject *)t); /* borrowed */
    if (vt) {
        int type = (int)PyLong_AsLong(vt);
        if (type == GDEXTENSION_VARIANT_TYPE_DICTIONARY || type == GDEXTENSION_VARIANT_TYPE_CALLABLE)
            return wrapper_to_variant(obj, type, out);
        bool ok = (type == GDEXTENSION_VARIANT_TYPE_STRING_NAME || type == GDEXTENSION_VARIANT_TYPE_NODE_PATH)
                      ? build_string_like(type, obj, out)
                      : build_typed(type, obj, out);
        if (!ok) gd.variant_new_nil(out);
        return ok;
    }
    int type = VT_NIL;
    if (PyList_Check(obj) || PyTuple_Check(obj)) type = GDEXTENSION_VARIANT_TYPE_ARRAY;
    else if (PyDict_Check(obj)) type = GDEXTENSION_VARIANT_TYPE_DICTIONARY;
    else if (PyBool_Check(obj)) {
        gd_variant_from_bool(out, obj == Py_True);
        return true;
    } else if (PyLong_Check(obj)) { /* IntEnum members and other int subclasses */
        long long i = PyLong_AsLongLong(obj);
        if (i == -1 && PyErr_Occurred()) {
            gd.variant_new_nil(out);
            return false;
        }
        gd_variant_from_int(out, i);
        return true;
    } else if (PyFloat_Check(obj)) {
        double d = PyFloat_AsDouble(obj);
        gd.from_type[GDEXTENSION_VARIANT_TYPE_FLOAT](out, &d);
        return true;
    } else if (PyUnicode_Check(obj)) {
        type = GDEXTENSION_VARIANT_TYPE_STRING;
        if (build_string_like(type, obj, out)) return true;
        gd.variant_new_nil(out);
        return false;
    } else if (PyObject_CheckBuffer(obj)) type = GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY;
    else if (PyCallable_Check(obj)) {
        callable_from_python(obj, out);
        return true;
    }
    if (type != VT_NIL) {
        if (build_typed(type, obj, out)) return true;
        gd.variant_new_nil(out);
        return false;
    }
    gd.variant_new_nil(out);
    if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "cannot convert a Python %.100s to a Godot value", t->tp_name);
    return false;
}

static const char *type_name(int type) {
    static char names[VT_MAX][32];
    if (type < 0 || type >= VT_MAX) return "?";
    if (!names[type][0]) {
        String s = {0};
        gd.variant_get_type_name((GDExtensionVariantType)type, &s);
        gd.string_to_utf8_chars(&s, names[type], sizeof names[type] - 1);
        gd_string_destroy(&s);
    }
    return names[type];
}

bool python_to_variant_typed(PyObject *obj, int type, Variant *out) {
    if (type == GDEXTENSION_VARIANT_TYPE_NIL || Py_TYPE(obj) == &PyByteBuffer_Type) return python_to_variant(obj, out);
    if (PyObject_TypeCheck(obj, &PyPackedArray_Type) && packed_wrapper_to_variant(obj, type, out)) return true;
    /* Direct builds for the declared type: a list for a PackedStringArray, a str for a StringName. */
    if (type >= GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY || type == GDEXTENSION_VARIANT_TYPE_ARRAY ||
        type == GDEXTENSION_VARIANT_TYPE_DICTIONARY) {
        PyObject *vt = PyDict_GetItemWithError(type_for_class, (PyObject *)Py_TYPE(obj));
        bool generic = vt == NULL && (PyList_Check(obj) || PyTuple_Check(obj) ||
                                      (type >= GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY && PyObject_CheckBuffer(obj)) || /* packed.c copies once */
                                      (type == GDEXTENSION_VARIANT_TYPE_DICTIONARY && PyDict_Check(obj)));
        if (generic && !(type == GDEXTENSION_VARIANT_TYPE_DICTIONARY && !PyDict_Check(obj))) {
            if (build_typed(type, obj, out)) return true;
            gd.variant_new_nil(out);
            return false;
        }
    }
    if ((type == GDEXTENSION_VARIANT_TYPE_STRING_NAME || type == GDEXTENSION_VARIANT_TYPE_NODE_PATH) && PyUnicode_Check(obj)) {
        if (build_string_like(type, obj, out)) return true;
        gd.variant_new_nil(out);
        return false;
    }
    if (!python_to_variant(obj, out)) return false;
    int have = gd_variant_type(out);
    if (have == type) return true;
    if (type == GDEXTENSION_VARIANT_TYPE_OBJECT && have == GDEXTENSION_VARIANT_TYPE_NIL) {
        GDExtensionObjectPtr none = NULL; /* a null Object (as Ref<T>() gives), not a NIL Variant */
        gd.from_type[type](out, &none);
        return true;
    }
    /* Godot's own conversion rules, as a typed GDScript return or assignment applies them:
     * int <-> float, Vector2 -> Vector2i, Array -> Packed*Array, String -> StringName, ... */
    if (gd.variant_can_convert_strict((GDExtensionVariantType)have, (GDExtensionVariantType)type)) {
        Variant converted;
        GDExtensionCallError error = {0};
        const Variant *args[1] = {out};
        gd.variant_construct((GDExtensionVariantType)type, &converted, (GDExtensionConstVariantPtr *)args, 1, &error);
        if (error.error == GDEXTENSION_CALL_OK) {
            gd.variant_destroy(out);
            memcpy(out, &converted, sizeof converted);
            return true;
        }
        gd.variant_destroy(&converted);
    }
    gd.variant_destroy(out);
    gd.variant_new_nil(out);
    PyErr_Format(PyExc_TypeError, "expected %s, got Python %.100s (%s)", type_name(type), Py_TYPE(obj)->tp_name, type_name(have));
    return false;
}

/* Makes *v (an Array or Dictionary) typed as `ct` says, converting its elements the way the
 * engine's typed constructors do; false with TypeError set when they do not convert. */
bool variant_make_typed(Variant *v, const ContainerType *ct) {
    if (!ct || ct->count == 0) return true;
    int type = gd_variant_type(v);
    int want = ct->count == 1 ? GDEXTENSION_VARIANT_TYPE_ARRAY : GDEXTENSION_VARIANT_TYPE_DICTIONARY;
    if (type != want) return true; /* the caller's type check reports it */
    Variant parts[7];
    const Variant *args[7];
    int n = 0;
    gd.variant_new_copy(&parts[n++], v);
    for (int i = 0; i < ct->count; i++) {
        gd_variant_from_int(&parts[n++], ct->types[i]);
        gd.from_type[GDEXTENSION_VARIANT_TYPE_STRING_NAME](&parts[n++], (GDExtensionTypePtr)&ct->class_names[i]);
        gd.variant_new_nil(&parts[n++]); /* no script */
    }
    for (int i = 0; i < n; i++) args[i] = &parts[i];
    Variant typed;
    GDExtensionCallError error = {0};
    gd.variant_construct((GDExtensionVariantType)want, &typed, (GDExtensionConstVariantPtr *)args, n, &error);
    for (int i = 0; i < n; i++) gd.variant_destroy(&parts[i]);
    if (error.error != GDEXTENSION_CALL_OK) {
        PyErr_Format(PyExc_TypeError, "the %s does not convert to its declared element types", type_name(want));
        return false;
    }
    gd.variant_destroy(v);
    memcpy(v, &typed, sizeof typed);
    return true;
}

/* ---- typed pointers (ptrcall and virtuals) ---------------------------------------------------- */

PyObject *typed_ptr_to_python(int type, GDExtensionConstTypePtr ptr) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_NIL: return variant_to_python(ptr);
    case GDEXTENSION_VARIANT_TYPE_BOOL: return PyBool_FromLong(*(const uint8_t *)ptr);
    case GDEXTENSION_VARIANT_TYPE_INT: return PyLong_FromLongLong(*(const int64_t *)ptr);
    case GDEXTENSION_VARIANT_TYPE_FLOAT: return PyFloat_FromDouble(*(const double *)ptr);
    case GDEXTENSION_VARIANT_TYPE_STRING: return string_to_python(ptr);
    case GDEXTENSION_VARIANT_TYPE_OBJECT: {
        /* A null Object argument of a ptrcall is a NULL pointer, not a pointer to NULL. */
        if (!ptr) Py_RETURN_NONE;
        GDExtensionObjectPtr object = *(GDExtensionObjectPtr const *)ptr;
        if (!object) Py_RETURN_NONE;
        return object_to_python(object);
    }
    case TYPE_POINTER: return PyLong_FromVoidPtr(*(void *const *)ptr);
    default: {
        if (type < 0 || type >= VT_MAX) {
            PyErr_Format(PyExc_SystemError, "unknown Variant type %d", type);
            return NULL;
        }
        Variant v;
        gd.from_type[type](&v, (GDExtensionTypePtr)ptr);
        PyObject *r = variant_to_python(&v);
        gd.variant_destroy(&v);
        return r;
    }
    }
}

/* ---- argument converters, chosen once per argument at registration (ArgConverter in gd.h) ---- */

static PyObject *ptr_as_variant(int type, GDExtensionConstTypePtr ptr) { return variant_to_python(ptr); }
static PyObject *ptr_as_bool(int type, GDExtensionConstTypePtr ptr) { return PyBool_FromLong(*(const uint8_t *)ptr); }
static PyObject *ptr_as_int(int type, GDExtensionConstTypePtr ptr) { return PyLong_FromLongLong(*(const int64_t *)ptr); }
static PyObject *ptr_as_float(int type, GDExtensionConstTypePtr ptr) { return PyFloat_FromDouble(*(const double *)ptr); }
static PyObject *ptr_as_string(int type, GDExtensionConstTypePtr ptr) { return string_to_python(ptr); }
static PyObject *ptr_as_packed(int type, GDExtensionConstTypePtr ptr) { return packed_to_python(type, (PackedArray *)ptr); }
static PyObject *ptr_as_shared_packed(int type, GDExtensionConstTypePtr ptr) {
    return packed_share_to_python(type, (PackedArray *)ptr);
}
static PyObject *ptr_by_type(int type, GDExtensionConstTypePtr ptr) { return typed_ptr_to_python(type, ptr); }

/* The Python value of a Variant argument, converted to the declared type where Godot would. */
static PyObject *variant_as_float(int type, const Variant *v) {
    PyObject *value = variant_to_python(v);
    if (value && PyLong_Check(value)) Py_SETREF(value, PyNumber_Float(value));
    return value;
}
static PyObject *variant_as_int(int type, const Variant *v) {
    PyObject *value = variant_to_python(v);
    if (value && (PyFloat_Check(value) || PyBool_Check(value))) Py_SETREF(value, PyNumber_Long(value));
    return value;
}
static PyObject *variant_as_shared_packed(int type, const Variant *v) {
    if ((int)gd_variant_type(v) != type) return variant_to_python(v); /* a convertible value: the usual copy */
    PackedArray arr;
    gd.to_type[type](&arr, (Variant *)v);
    PyObject *r = packed_share_to_python(type, &arr);
    gd.destroy[type](&arr);
    return r;
}
static PyObject *variant_as_is(int type, const Variant *v) { return variant_to_python(v); }

ArgConverter convert_argument(int type, bool packed_bytes_as_bytes) {
    ArgConverter c = {type, variant_as_is, ptr_by_type};
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_NIL: c.from_ptr = ptr_as_variant; break;
    case GDEXTENSION_VARIANT_TYPE_BOOL: c.from_ptr = ptr_as_bool; break;
    case GDEXTENSION_VARIANT_TYPE_INT: c.from_ptr = ptr_as_int, c.from_variant = variant_as_int; break;
    case GDEXTENSION_VARIANT_TYPE_FLOAT: c.from_ptr = ptr_as_float, c.from_variant = variant_as_float; break;
    case GDEXTENSION_VARIANT_TYPE_STRING: c.from_ptr = ptr_as_string; break;
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY:
        if (packed_bytes_as_bytes) {
            c.from_ptr = ptr_as_packed; /* bytes, one copy */
        } else {
            c.from_ptr = ptr_as_shared_packed;
            c.from_variant = variant_as_shared_packed;
        }
        break;
    default:
        if (type > GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY && type < VT_MAX) c.from_ptr = ptr_as_packed;
        break;
    }
    return c;
}

bool python_to_typed_ptr(PyObject *obj, int type, const ContainerType *elements, GDExtensionTypePtr ret) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_NIL: {
        Variant v;
        if (!python_to_variant(obj, &v)) return false;
        gd.variant_destroy(ret);
        memcpy(ret, &v, sizeof v);
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_BOOL: {
        int truth = PyObject_IsTrue(obj);
        if (truth < 0) return false;
        *(uint8_t *)ret = (uint8_t)truth;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_INT: {
        if (!PyLong_Check(obj)) {
            /* Not an int: Godot's conversion rules (a float truncates, as in a typed return). */
            Variant v;
            if (!python_to_variant_typed(obj, type, &v)) return false;
            gd.to_type[type](ret, &v);
            gd.variant_destroy(&v);
            return true;
        }
        int64_t i = PyLong_AsLongLong(obj);
        if (i == -1 && PyErr_Occurred()) return false;
        *(int64_t *)ret = i;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_FLOAT: {
        double d = PyFloat_AsDouble(obj);
        if (d == -1.0 && PyErr_Occurred()) return false;
        *(double *)ret = d;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_OBJECT: {
        GDExtensionObjectPtr object = NULL;
        if (obj != Py_None) {
            object = object_from_python(obj);
            if (!object) return false;
        }
        if (object && gd.object_cast_to(object, gd.refcounted_tag)) gd.ref_set_object(ret, object);
        else *(GDExtensionObjectPtr *)ret = object;
        return true;
    }
    default: {
        if (type < 0 || type >= VT_MAX) {
            PyErr_Format(PyExc_SystemError, "cannot return Variant type %d", type);
            return false;
        }
        Variant v;
        if (!python_to_variant_typed(obj, type, &v)) return false;
        if (!variant_make_typed(&v, elements)) {
            gd.variant_destroy(&v);
            return false;
        }
        /* The slot holds a constructed value and to_type constructs in place: destroy first. */
        if (gd.destroy[type]) gd.destroy[type](ret);
        gd.to_type[type](ret, &v);
        gd.variant_destroy(&v);
        return true;
    }
    }
}

/* ---- engine call arguments ------------------------------------------------------------------ */

bool call_args_init(CallArgs *a, const StringName *first, PyObject *const *args, Py_ssize_t nargs) {
    Py_ssize_t total = nargs + (first ? 1 : 0);
    bool inline_storage = total <= CALL_ARGS_INLINE;
    a->values = inline_storage ? a->inline_values : PyMem_Malloc(sizeof(Variant) * total);
    a->ptrs = inline_storage ? a->inline_ptrs : PyMem_Malloc(sizeof(Variant *) * total);
    a->count = total;
    a->constructed = 0;
    if (first) {
        gd.from_type[GDEXTENSION_VARIANT_TYPE_STRING_NAME](&a->values[0], (GDExtensionTypePtr)first);
        a->ptrs[0] = &a->values[0];
        a->constructed = 1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Variant *slot = &a->values[a->constructed];
        bool ok = python_to_variant(args[i], slot); /* nil on failure: destroyed like the rest */
        a->ptrs[a->constructed++] = slot;
        if (!ok) return false;
    }
    return true;
}

void call_args_release(CallArgs *a) {
    for (Py_ssize_t i = 0; i < a->constructed; i++) gd.variant_destroy(&a->values[i]);
    if (a->values != a->inline_values) PyMem_Free(a->values);
    if (a->ptrs != a->inline_ptrs) PyMem_Free((void *)a->ptrs);
}

/* ---- set-up ------------------------------------------------------------------------------- */

bool convert_init(void) {
    PyVariantBox_Type.tp_basicsize = sizeof(PyVariantBoxVC);
    PyVariantBox_Type.tp_vectorcall_offset = offsetof(PyVariantBoxVC, vectorcall);
    if (PyType_Ready(&PyVariantBox_Type) < 0 || PyType_Ready(&PyByteBuffer_Type) < 0) return false;
    PyObject *types = PyImport_ImportModule("godot._types");
    if (!types) return false;
    PyObject *by_type = PyObject_GetAttrString(types, "BY_VARIANT_TYPE");
    Py_DECREF(types);
    if (!by_type) return false;
    type_for_class = PyDict_New();
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(by_type, &pos, &key, &value)) {
        long t = PyLong_AsLong(key);
        if (t <= 0 || t >= VT_MAX) continue;
        Py_INCREF(value);
        class_for_type[t] = value;
        PyDict_SetItem(type_for_class, value, key);
    }
    Py_DECREF(by_type);
    PyObject *callables = PyImport_ImportModule("godot._callable");
    if (!callables) return false;
    argument_count_helper = PyObject_GetAttrString(callables, "argument_count");
    Py_DECREF(callables);
    return argument_count_helper != NULL;
}

PyTypeObject *convert_variant_box_type(void) { return &PyVariantBox_Type; }

PyObject *convert_class_for_type_borrowed(int type) { return class_for_type[type]; }

/* _godot.construct(type, *args): Variant.construct, i.e. `Callable(obj, "method")` or
 * `Dictionary()`, kept as a _godot.Variant. */
PyObject *convert_construct(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    long type = nargs ? PyLong_AsLong(args[0]) : -1;
    if (type <= 0 || type >= VT_MAX) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "construct(type, *args): type must be a Variant type > 0");
        return NULL;
    }
    CallArgs a;
    PyObject *box = NULL;
    if (call_args_init(&a, NULL, args + 1, nargs - 1)) {
        Variant v;
        GDExtensionCallError error = {0};
        gd.variant_construct((GDExtensionVariantType)type, &v, (GDExtensionConstVariantPtr *)a.ptrs, a.count, &error);
        if (error.error != GDEXTENSION_CALL_OK) bridge_raise_call_error("constructing a Godot value", &error);
        else box = box_new(&v);
        gd.variant_destroy(&v);
    }
    call_args_release(&a);
    return box;
}

/* _godot.variant(value, type=0): the engine value of `value` (converted to Variant type `type`
 * unless 0) kept as a _godot.Variant, e.g. a new empty Dictionary for godot.Dictionary(). */
PyObject *convert_make_variant(PyObject *self, PyObject *args) {
    PyObject *value;
    int type = GDEXTENSION_VARIANT_TYPE_NIL;
    if (!PyArg_ParseTuple(args, "O|i:variant", &value, &type)) return NULL;
    if (type < 0 || type >= VT_MAX) return PyErr_Format(PyExc_ValueError, "no Variant type %d", type);
    Variant v;
    if (!python_to_variant_typed(value, type, &v)) return NULL;
    PyObject *box = box_new(&v);
    gd.variant_destroy(&v);
    return box;
}

void convert_release(void) {
    for (int t = 0; t < VT_MAX; t++) Py_CLEAR(class_for_type[t]);
    Py_CLEAR(type_for_class);
    Py_CLEAR(argument_count_helper);
}
