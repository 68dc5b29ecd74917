/* methods.c: engine methods and properties as native descriptors.
 *
 * godot._engine builds, once per engine class, an `_godot.EngineMethod` for every method
 * and an `_godot.EngineProperty` for every property the class declares, from the records
 * tools/gen_api.py generates out of extension_api.json. A call then costs no name lookup:
 *
 * - the method bind is fetched once (classdb_get_method_bind with the generated hash);
 * - each argument is converted straight to its declared type into a stack slot, and the
 *   call is object_method_bind_ptrcall; the return slot is converted back by its type;
 * - vararg methods, calls that leave out an argument whose default only the engine knows,
 *   and methods this engine build lacks go through the engine's Variant call instead
 *   (object_method_bind_call, or Object.call by name when there is no bind), which fills
 *   in defaults and checks types itself;
 * - a property reads and writes through its getter and setter descriptors (with the
 *   property's index when it has one), or Object.get/set by name when it has none.
 *
 * GIL: held across the engine call, except for methods generated as blocking (threads,
 * locks, network and file waits, loaders) and the vararg dispatchers (call, emit_signal,
 * ...): see docs/decisions/0004-engine-calls-and-the-gil.md. A callback into Python on the
 * same thread during a held call re-enters (gil_take() in gd.h finds the GIL held).
 *
 * Method descriptors are method descriptors in CPython's sense (Py_TPFLAGS_METHOD_DESCRIPTOR):
 * `node.get_child_count()` calls the descriptor with the node first, without a bound object.
 * Static methods use a second type without that flag. Descriptors of singleton classes bind
 * to the singleton when read from the class (`godot.OS.get_name()`). */
#include "gd.h"

#include <string.h>

#include "structmember.h"

enum { MF_VARARG = 1, MF_STATIC = 2, MF_BLOCKING = 4 };
enum { MAX_PTR_ARGS = 16, SLOT_SIZE = 128 }; /* Projection in a double build is 128 bytes */
enum { RET_NONE = -1 };

typedef struct {
    int type;             /* Variant type; NIL = any Variant */
    PyObject *class_name; /* owned str for OBJECT arguments with a class, else NULL */
    void *class_tag;      /* looked up on first use */
    PyObject *fallback;   /* owned: the default value the bridge builds, or NULL */
} ArgSpec;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *name;       /* owned str */
    PyObject *class_name; /* owned str: the declaring class */
    StringName sn_name;
    int64_t hash;
    GDExtensionMethodBindPtr bind;
    bool bind_fetched;
    int flags;
    int argc;
    int required;         /* arguments without a default */
    bool engine_defaults; /* some default only the engine knows */
    ArgSpec *args;        /* argc entries */
    int ret_type;         /* Variant type, RET_NONE for void */
    bool ret_ref;         /* a Ref<T> return: the slot holds one reference for us */
    void *class_tag;      /* of the declaring class, looked up on first use */
    PyTypeObject *checked_type; /* borrowed: a Python type whose objects passed the class check */
    PyObject *singleton;  /* owned or NULL: bound when read from a singleton class */
    bool on_singleton;
} EngineMethod;

static PyTypeObject EngineMethod_Type, EngineStaticMethod_Type, EngineProperty_Type;

/* ---- helpers ------------------------------------------------------------------------------ */

static void *class_tag_of(PyObject *class_name, void **cache) {
    if (*cache) return *cache;
    StringName sn;
    if (!python_to_string_name(class_name, &sn)) {
        PyErr_Clear();
        return NULL;
    }
    *cache = gd.classdb_get_class_tag(&sn);
    gd_string_name_destroy(&sn);
    return *cache;
}

static GDExtensionMethodBindPtr method_bind(EngineMethod *m) {
    if (!m->bind_fetched) {
        StringName cls;
        if (!python_to_string_name(m->class_name, &cls)) return NULL;
        m->bind = gd.classdb_get_method_bind(&cls, &m->sn_name, m->hash);
        gd_string_name_destroy(&cls);
        m->bind_fetched = true;
    }
    return m->bind;
}

static PyObject *singleton_of(EngineMethod *m) {
    if (m->singleton) return m->singleton;
    StringName sn;
    if (!python_to_string_name(m->class_name, &sn)) return NULL;
    GDExtensionObjectPtr object = gd.global_get_singleton(&sn);
    gd_string_name_destroy(&sn);
    if (!object) return PyErr_Format(PyExc_LookupError, "Godot has no singleton named %R", m->class_name);
    m->singleton = object_to_python(object);
    return m->singleton;
}

/* The object a method runs on: `self` must be a live Godot object of the declaring class. */
static bool target_object(EngineMethod *m, PyObject *self, GDExtensionObjectPtr *out) {
    if (!PyObject_TypeCheck(self, &PyGodotObject_Type)) {
        PyErr_Format(PyExc_TypeError, "%U.%U() needs a Godot object, not %.100s", m->class_name, m->name, Py_TYPE(self)->tp_name);
        return false;
    }
    GDExtensionObjectPtr object = object_from_python(self);
    if (!object) return false;
    if (Py_TYPE(self) != m->checked_type) {
        void *tag = class_tag_of(m->class_name, &m->class_tag);
        if (tag && !gd.object_cast_to(object, tag)) {
            PyErr_Format(PyExc_TypeError, "%U.%U() called on an object that is not a %U (%R)", m->class_name, m->name,
                         m->class_name, self);
            return false;
        }
        /* A Python type stands for one Godot class (or a Python class on a fixed base). */
        m->checked_type = Py_TYPE(self);
    }
    *out = object;
    return true;
}

static void raise_call_error(EngineMethod *m, const GDExtensionCallError *error) {
    char what[200];
    const char *name = PyUnicode_AsUTF8(m->name);
    snprintf(what, sizeof what, "calling Godot method '%s'", name ? name : "?");
    if (!name) PyErr_Clear();
    bridge_raise_call_error(what, error);
}

/* ---- the engine's Variant call (varargs, engine-side defaults) ------------------------------------ */

static PyObject *variant_call(EngineMethod *m, GDExtensionMethodBindPtr bind, GDExtensionObjectPtr object,
                              PyObject *const *args, Py_ssize_t nargs) {
    CallArgs a;
    PyObject *result = NULL;
    if (call_args_init(&a, NULL, args, nargs)) {
        Variant ret;
        GDExtensionCallError error = {0};
        Py_BEGIN_ALLOW_THREADS /* the vararg dispatchers run arbitrary script code */
        gd.object_method_bind_call(bind, object, (GDExtensionConstVariantPtr *)a.ptrs, a.count, &ret, &error);
        Py_END_ALLOW_THREADS
        if (error.error != GDEXTENSION_CALL_OK) raise_call_error(m, &error);
        else result = variant_to_python(&ret);
        gd.variant_destroy(&ret);
    }
    call_args_release(&a);
    return result;
}

/* ---- typed slots (ptrcall) ---------------------------------------------------------------------- */

static bool slot_needs_destroy(int type) { return type == VT_NIL || (type < VT_MAX && gd.destroy[type] != NULL); }

static void slot_destroy(int type, void *slot) {
    if (type == VT_NIL) gd.variant_destroy(slot);
    else gd.destroy[type](slot);
}

static bool wrong_type(EngineMethod *m, int i, PyObject *value, const char *expected) {
    PyErr_Format(PyExc_TypeError, "%U.%U(): argument %d must be %s, not %.100s", m->class_name, m->name, i + 1, expected,
                 Py_TYPE(value)->tp_name);
    return false;
}

/* Converts `value` into the slot of argument i; false with an exception set (nothing built). */
static bool arg_to_slot(EngineMethod *m, int i, PyObject *value, void *slot) {
    ArgSpec *spec = &m->args[i];
    int type = spec->type;
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_BOOL:
        if (!PyBool_Check(value) && !PyLong_Check(value)) return wrong_type(m, i, value, "bool");
        *(uint8_t *)slot = PyObject_IsTrue(value) ? 1 : 0;
        return true;
    case GDEXTENSION_VARIANT_TYPE_INT: {
        int64_t v;
        if (PyLong_Check(value)) {
            int overflow = 0;
            v = PyLong_AsLongLongAndOverflow(value, &overflow);
            if (overflow) {
                PyErr_Format(PyExc_OverflowError, "%U.%U(): argument %d does not fit in Godot's 64-bit int", m->class_name, m->name, i + 1);
                return false;
            }
        } else if (PyFloat_Check(value)) {
            v = (int64_t)PyFloat_AS_DOUBLE(value); /* Godot's float -> int conversion */
        } else {
            return wrong_type(m, i, value, "int");
        }
        *(int64_t *)slot = v;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_FLOAT:
        if (PyFloat_Check(value)) *(double *)slot = PyFloat_AS_DOUBLE(value);
        else if (PyLong_Check(value)) {
            double d = PyLong_AsDouble(value);
            if (d == -1.0 && PyErr_Occurred()) return false;
            *(double *)slot = d;
        } else return wrong_type(m, i, value, "float");
        return true;
    case GDEXTENSION_VARIANT_TYPE_OBJECT: {
        GDExtensionObjectPtr object = NULL;
        if (value != Py_None) {
            if (!PyObject_TypeCheck(value, &PyGodotObject_Type)) return wrong_type(m, i, value, "a Godot object or None");
            object = object_from_python(value);
            if (!object) return false;
            void *tag = spec->class_name ? class_tag_of(spec->class_name, &spec->class_tag) : NULL;
            if (tag && !gd.object_cast_to(object, tag)) {
                PyErr_Format(PyExc_TypeError, "%U.%U(): argument %d must be a %U, not %R", m->class_name, m->name, i + 1,
                             spec->class_name, value);
                return false;
            }
        }
        *(GDExtensionObjectPtr *)slot = object; /* Object* and Ref<T> arguments: a pointer to the pointer */
        return true;
    }
    case VT_NIL:
        return python_to_variant(value, slot); /* a nil Variant on failure: nothing to destroy */
    default:
        break;
    }
    bool is_int, is_float32;
    if (vector_components(type, &is_int, &is_float32)) return vector_to_memory(type, value, slot);
    if (type == GDEXTENSION_VARIANT_TYPE_STRING && PyUnicode_Check(value)) return python_to_string(value, slot);
    Variant v;
    if (!python_to_variant_typed(value, type, &v)) {
        gd.variant_destroy(&v);
        return false;
    }
    gd.to_type[type](slot, &v);
    gd.variant_destroy(&v);
    return true;
}

static void init_return_slot(int type, void *slot) {
    memset(slot, 0, 16);
    if (type == VT_NIL) gd.variant_new_nil(slot);
    else if (type > 0 && type < VT_MAX && gd.destroy[type] && type != GDEXTENSION_VARIANT_TYPE_OBJECT)
        gd.construct_default[type](slot, NULL);
}

static PyObject *return_to_python(EngineMethod *m, void *slot) {
    int type = m->ret_type;
    switch (type) {
    case RET_NONE: Py_RETURN_NONE;
    case VT_NIL: return variant_to_python(slot);
    case GDEXTENSION_VARIANT_TYPE_BOOL: return PyBool_FromLong(*(uint8_t *)slot);
    case GDEXTENSION_VARIANT_TYPE_INT: return PyLong_FromLongLong(*(int64_t *)slot);
    case GDEXTENSION_VARIANT_TYPE_FLOAT: return PyFloat_FromDouble(*(double *)slot);
    case GDEXTENSION_VARIANT_TYPE_OBJECT: {
        GDExtensionObjectPtr object = *(GDExtensionObjectPtr *)slot;
        if (!object) Py_RETURN_NONE;
        PyObject *r = object_to_python(object);
        if (m->ret_ref) object_release_ref(object); /* the proxy holds its own reference */
        return r;
    }
    default:
        break;
    }
    bool is_int, is_float32;
    if (vector_components(type, &is_int, &is_float32)) return vector_from_memory(type, slot);
    return typed_ptr_to_python(type, slot);
}

/* ---- the call ------------------------------------------------------------------------------- */

static PyObject *method_call(EngineMethod *m, PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    GDExtensionObjectPtr object = NULL;
    if (!(m->flags & MF_STATIC) && !target_object(m, self, &object)) return NULL;
    GDExtensionMethodBindPtr bind = method_bind(m);
    if (!bind) {
        if (PyErr_Occurred()) return NULL;
        if (!object) return PyErr_Format(GodotError, "Godot has no method %U.%U", m->class_name, m->name);
        return engine_call(object, &m->sn_name, args, nargs); /* not in this engine build: by name */
    }
    if ((m->flags & MF_VARARG) || nargs > m->argc || m->argc > MAX_PTR_ARGS || nargs < m->required ||
        (nargs < m->argc && m->engine_defaults))
        return variant_call(m, bind, object, args, nargs);

    _Alignas(16) uint8_t slots[MAX_PTR_ARGS][SLOT_SIZE];
    _Alignas(16) uint8_t ret[SLOT_SIZE];
    const void *ptrs[MAX_PTR_ARGS];
    int built = 0;
    for (; built < m->argc; built++) {
        PyObject *value = built < nargs ? args[built] : m->args[built].fallback;
        if (!arg_to_slot(m, built, value, slots[built])) break;
        ptrs[built] = slots[built];
    }
    PyObject *result = NULL;
    if (built == m->argc) {
        init_return_slot(m->ret_type, ret);
        if (m->flags & MF_BLOCKING) {
            Py_BEGIN_ALLOW_THREADS
            gd.object_method_bind_ptrcall(bind, object, ptrs, ret);
            Py_END_ALLOW_THREADS
        } else {
            gd.object_method_bind_ptrcall(bind, object, ptrs, ret);
        }
        result = return_to_python(m, ret);
        if (m->ret_type != RET_NONE && m->ret_type != GDEXTENSION_VARIANT_TYPE_OBJECT && slot_needs_destroy(m->ret_type))
            slot_destroy(m->ret_type, ret);
    }
    for (int i = 0; i < built; i++)
        if (m->args[i].type != GDEXTENSION_VARIANT_TYPE_OBJECT && slot_needs_destroy(m->args[i].type)) slot_destroy(m->args[i].type, slots[i]);
    return result;
}

static PyObject *method_vectorcall(EngineMethod *m, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (kwnames && PyTuple_GET_SIZE(kwnames)) return PyErr_Format(PyExc_TypeError, "%U() takes no keyword arguments", m->name);
    if (m->flags & MF_STATIC) return method_call(m, NULL, args, nargs);
    if (nargs < 1) return PyErr_Format(PyExc_TypeError, "unbound method %U.%U() needs a Godot object", m->class_name, m->name);
    return method_call(m, args[0], args + 1, nargs - 1);
}

/* ---- EngineMethod: construction, descriptor, introspection ------------------------------------------ */

/* EngineMethod(class_name, name, hash, flags, ret, args, defaults, on_singleton):
 * ret None or (type, class_name or None, is_ref); args a tuple of (type, class_name or None);
 * defaults a tuple aligned with args: ... (no default), NotImplemented (only the engine knows
 * it) or the value. */
static PyObject *method_new(PyTypeObject *type, PyObject *a, PyObject *kw) {
    PyObject *class_name, *name, *ret, *args, *defaults;
    long long hash;
    int flags, on_singleton;
    if (!PyArg_ParseTuple(a, "UULiOO!O!p:EngineMethod", &class_name, &name, &hash, &flags, &ret, &PyTuple_Type, &args,
                          &PyTuple_Type, &defaults, &on_singleton))
        return NULL;
    Py_ssize_t argc = PyTuple_GET_SIZE(args);
    if (PyTuple_GET_SIZE(defaults) != argc) return PyErr_Format(PyExc_ValueError, "defaults must match args");
    if (flags & MF_STATIC) type = &EngineStaticMethod_Type;
    EngineMethod *m = (EngineMethod *)type->tp_alloc(type, 0);
    if (!m) return NULL;
    m->vectorcall = (vectorcallfunc)method_vectorcall;
    m->name = Py_NewRef(name);
    m->class_name = Py_NewRef(class_name);
    m->hash = hash;
    m->flags = flags;
    m->on_singleton = on_singleton;
    m->ret_type = RET_NONE;
    if (!python_to_string_name(name, &m->sn_name)) goto fail;
    if (ret != Py_None) {
        int is_ref = 0;
        PyObject *ret_class;
        if (!PyArg_ParseTuple(ret, "iOp", &m->ret_type, &ret_class, &is_ref)) goto fail;
        m->ret_ref = is_ref;
    }
    m->argc = (int)argc;
    m->required = (int)argc;
    m->args = PyMem_Calloc(argc ? argc : 1, sizeof *m->args);
    if (!m->args) goto fail;
    for (Py_ssize_t i = 0; i < argc; i++) {
        PyObject *arg_class;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(args, i), "iO", &m->args[i].type, &arg_class)) goto fail;
        if (m->args[i].type < 0 || m->args[i].type >= VT_MAX) {
            PyErr_Format(PyExc_ValueError, "bad Variant type %d", m->args[i].type);
            goto fail;
        }
        if (arg_class != Py_None) m->args[i].class_name = Py_NewRef(arg_class);
        PyObject *d = PyTuple_GET_ITEM(defaults, i);
        if (d == Py_Ellipsis) continue;
        if (m->required > i) m->required = (int)i;
        if (d == Py_NotImplemented) m->engine_defaults = true;
        else m->args[i].fallback = Py_NewRef(d);
    }
    return (PyObject *)m;
fail:
    Py_DECREF(m);
    return NULL;
}

static int method_traverse(EngineMethod *m, visitproc visit, void *arg) {
    Py_VISIT(m->singleton);
    for (int i = 0; m->args && i < m->argc; i++) Py_VISIT(m->args[i].fallback);
    return 0;
}

static int method_clear(EngineMethod *m) {
    Py_CLEAR(m->singleton);
    return 0;
}

static void method_dealloc(EngineMethod *m) {
    PyObject_GC_UnTrack(m);
    method_clear(m);
    if (m->args) {
        for (int i = 0; i < m->argc; i++) {
            Py_XDECREF(m->args[i].class_name);
            Py_XDECREF(m->args[i].fallback);
        }
        PyMem_Free(m->args);
    }
    if (m->sn_name.ptr && Py_IsInitialized()) gd_string_name_destroy(&m->sn_name);
    Py_XDECREF(m->name);
    Py_XDECREF(m->class_name);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyObject *method_descr_get(EngineMethod *m, PyObject *obj, PyObject *type) {
    if (m->flags & MF_STATIC) return Py_NewRef(m);
    if (obj == NULL || obj == Py_None) {
        if (!m->on_singleton) return Py_NewRef(m);
        obj = singleton_of(m);
        if (!obj) return NULL;
    }
    return PyMethod_New((PyObject *)m, obj);
}

static PyObject *method_repr(EngineMethod *m) {
    return PyUnicode_FromFormat("<engine method %U.%U>", m->class_name, m->name);
}

static PyObject *method_tp_call(PyObject *self, PyObject *args, PyObject *kwargs) {
    return PyVectorcall_Call(self, args, kwargs);
}

static PyMemberDef method_members[] = {
    {"__name__", T_OBJECT, offsetof(EngineMethod, name), READONLY, NULL},
    {"godot_class", T_OBJECT, offsetof(EngineMethod, class_name), READONLY, "The engine class that declares it."},
    {NULL},
};

#define ENGINE_METHOD_TYPE(var, tpname, extra_flags)                                                         \
    static PyTypeObject var = {                                                                               \
        PyVarObject_HEAD_INIT(NULL, 0)                                                                        \
        .tp_name = tpname,                                                                                    \
        .tp_doc = "An engine method: the method bind is fetched once, the call is a ptrcall (src/methods.c).", \
        .tp_basicsize = sizeof(EngineMethod),                                                                 \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | (extra_flags),      \
        .tp_new = method_new,                                                                                 \
        .tp_dealloc = (destructor)method_dealloc,                                                             \
        .tp_traverse = (traverseproc)method_traverse,                                                         \
        .tp_clear = (inquiry)method_clear,                                                                    \
        .tp_repr = (reprfunc)method_repr,                                                                     \
        .tp_call = method_tp_call,                                                                            \
        .tp_vectorcall_offset = offsetof(EngineMethod, vectorcall),                                           \
        .tp_descr_get = (descrgetfunc)method_descr_get,                                                       \
        .tp_members = method_members,                                                                         \
    }

ENGINE_METHOD_TYPE(EngineMethod_Type, "_godot.EngineMethod", Py_TPFLAGS_METHOD_DESCRIPTOR);
ENGINE_METHOD_TYPE(EngineStaticMethod_Type, "_godot.EngineStaticMethod", 0);

/* ---- EngineProperty ------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    PyObject *name;         /* owned str */
    EngineMethod *getter;   /* owned or NULL: then Object.get(name) */
    EngineMethod *setter;   /* owned or NULL: then Object.set(name, value) */
    PyObject *index;        /* owned int or NULL */
    PyObject *singleton_of; /* owned or NULL: an EngineMethod of the singleton class (binds the singleton) */
} EngineProperty;

/* EngineProperty(name, getter, setter, index, singleton_method): getter/setter EngineMethods or
 * None; index an int or -1; singleton_method an EngineMethod of a singleton class, or None. */
static PyObject *property_new(PyTypeObject *type, PyObject *a, PyObject *kw) {
    PyObject *name, *getter, *setter, *single;
    long index;
    if (!PyArg_ParseTuple(a, "UOOlO:EngineProperty", &name, &getter, &setter, &index, &single)) return NULL;
    for (int i = 0; i < 2; i++) {
        PyObject *f = i ? setter : getter;
        if (f != Py_None && Py_TYPE(f) != &EngineMethod_Type)
            return PyErr_Format(PyExc_TypeError, "EngineProperty accessors must be EngineMethods or None");
    }
    EngineProperty *p = (EngineProperty *)type->tp_alloc(type, 0);
    if (!p) return NULL;
    p->name = Py_NewRef(name);
    p->getter = getter == Py_None ? NULL : (EngineMethod *)Py_NewRef(getter);
    p->setter = setter == Py_None ? NULL : (EngineMethod *)Py_NewRef(setter);
    p->index = index >= 0 ? PyLong_FromLong(index) : NULL;
    p->singleton_of = single == Py_None ? NULL : Py_NewRef(single);
    return (PyObject *)p;
}

static void property_dealloc(EngineProperty *p) {
    Py_XDECREF(p->name);
    Py_XDECREF(p->getter);
    Py_XDECREF(p->setter);
    Py_XDECREF(p->index);
    Py_XDECREF(p->singleton_of);
    Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyObject *by_name(PyObject *obj, const char *accessor, PyObject *name, PyObject *value) {
    GDExtensionObjectPtr object = PyObject_TypeCheck(obj, &PyGodotObject_Type) ? object_from_python(obj) : NULL;
    if (!object) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "expected a Godot object, not %.100s", Py_TYPE(obj)->tp_name);
        return NULL;
    }
    PyObject *args[2] = {name, value};
    return engine_call(object, gd_interned_name(accessor), args, value ? 2 : 1);
}

static PyObject *property_get(EngineProperty *p, PyObject *obj, PyObject *type) {
    if (obj == NULL || obj == Py_None) {
        if (!p->singleton_of) return Py_NewRef(p);
        obj = singleton_of((EngineMethod *)p->singleton_of);
        if (!obj) return NULL;
    }
    if (!p->getter) return by_name(obj, "get", p->name, NULL);
    if (p->index) return method_call(p->getter, obj, &p->index, 1);
    return method_call(p->getter, obj, NULL, 0);
}

static int property_set(EngineProperty *p, PyObject *obj, PyObject *value) {
    if (!value) {
        PyErr_Format(PyExc_AttributeError, "the engine property %U cannot be deleted", p->name);
        return -1;
    }
    PyObject *r;
    if (!p->setter) r = by_name(obj, "set", p->name, value);
    else if (p->index) {
        PyObject *args[2] = {p->index, value};
        r = method_call(p->setter, obj, args, 2);
    } else r = method_call(p->setter, obj, &value, 1);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

static PyObject *property_repr(EngineProperty *p) { return PyUnicode_FromFormat("<engine property %U>", p->name); }

static PyMemberDef property_members[] = {
    {"__name__", T_OBJECT, offsetof(EngineProperty, name), READONLY, NULL},
    {NULL},
};

static PyTypeObject EngineProperty_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.EngineProperty",
    .tp_doc = "An engine property: reads and writes through its getter and setter binds (src/methods.c).",
    .tp_basicsize = sizeof(EngineProperty),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = property_new,
    .tp_dealloc = (destructor)property_dealloc,
    .tp_repr = (reprfunc)property_repr,
    .tp_descr_get = (descrgetfunc)property_get,
    .tp_descr_set = (descrsetfunc)property_set,
    .tp_members = property_members,
};

bool methods_init(PyObject *module) {
    PyTypeObject *types[] = {&EngineMethod_Type, &EngineStaticMethod_Type, &EngineProperty_Type};
    const char *names[] = {"EngineMethod", "EngineStaticMethod", "EngineProperty"};
    for (int i = 0; i < 3; i++) {
        if (PyType_Ready(types[i]) < 0) return false;
        if (PyModule_AddObjectRef(module, names[i], (PyObject *)types[i]) < 0) return false;
    }
    return true;
}
