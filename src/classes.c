/* classes.c: Python classes registered in ClassDB, and the engine -> Python trampolines.
 *
 * classes_register() reads a godot._spec.ClassSpec and makes the ClassDB calls: the class
 * (creation info with create/free, reference hooks, virtual lookup), its methods (call and
 * ptrcall trampolines), properties, signals, integer constants and the XML help page.
 *
 * Every trampoline is an engine -> Python error boundary: it takes the GIL, runs queued
 * releases (objects.c), calls Python, and on an exception prints the traceback through
 * Godot (errors.c), reports a failed call where the engine offers a channel for it, and
 * returns a default. */
#include "gd.h"

#include <string.h>


_Thread_local PyObject *pending_python_instance;

typedef struct MethodInfo {
    ClassInfo *cls;
    PyObject *function;      /* owned: the plain Python function */
    char *name;              /* for messages */
    int argc, required;
    int *arg_types;          /* Variant types; NIL = any */
    ArgConverter *convert;   /* per argument, chosen at registration: both call paths use it */
    void **arg_class_tags;   /* for OBJECT arguments with a class; NULL = any object */
    PyObject **defaults;     /* owned, argc entries; NULL for required arguments */
    int return_type;         /* Variant type, or -1 for none */
    ContainerType return_elements; /* a typed Array/Dictionary return: its element types */
    bool is_static;
    bool is_vararg;          /* extra arguments go to the function's *args */
    /* Hot reload (classes_update). ClassDB cannot drop or rebind a method of a class with live
     * objects, so the bind stays and these say what its calls do now: */
    bool removed;            /* gone from the class: a call reports an error naming it */
    struct MethodInfo *reshaped; /* owned or NULL: the new signature, when it differs from the
                                  * bound one above (Variant calls use it; ptrcalls, which
                                  * arrive in the bound shape, are converted to it) */
    struct MethodInfo *owner;    /* of a reshaped one: the bound method it belongs to */
    struct MethodInfo *next;
} MethodInfo;

typedef struct VirtualInfo {
    char *name;
    PyObject *function;      /* owned */
    int argc;
    int arg_types[16];
    int return_type;         /* -1 = none */
    struct VirtualInfo *next;
} VirtualInfo;

struct ClassInfo {
    StringName name, engine_base;
    char *name_utf8, *engine_base_utf8;
    PyTypeObject *pyclass;   /* owned */
    PyObject *to_string;     /* owned or NULL: the class's _to_string */
    PyObject *notification_chain; /* owned tuple: the _notification of each Python class, base first */
    /* Owned or NULL: the property hooks (_get, _set, _get_property_list (the class's own),
     * _validate_property, _property_can_revert, _property_get_revert). */
    PyObject *hook_get, *hook_set, *hook_property_list, *hook_validate, *hook_can_revert, *hook_get_revert;
    MethodInfo *methods;
    VirtualInfo *virtuals;   /* looked up lazily, cached */
    PyObject *virtual_signature; /* owned: godot._engine.virtual_signature */
    char *doc_xml;           /* the help page, loaded at the EDITOR level; NULL = none */
    /* Owned dict or NULL (hot reload): property name -> None (removed: hidden from the
     * inspector and storage) or its new godot._spec.TypeSpec (re-typed: the inspector edits
     * the new type), applied by hook_validate; ClassDB keeps the bound entries. */
    PyObject *property_overrides;
    ClassInfo *python_parent; /* the registered Python class it derives from, or NULL */
    bool is_exposed;         /* false: internal (ClassDB will not instantiate it for anyone) */
    ClassInfo *next;
};

static ClassInfo *classes; /* most recent first: unregistered in that order */
static PyObject *str_init;  /* owned: the interned "__init__" (classes_init_trampolines) */
static bool docs_loaded;   /* the editor's help database exists: reloaded pages go there at once */


#define ENTER()                   \
    GilHold gil_ = gil_take();    \
    objects_flush_releases()
#define LEAVE() gil_give(gil_)

/* ---- instance binding callbacks: the binding is the Instance; lifetime is managed by
 * the extension instance callbacks below, so these only satisfy the engine. ------------- */

static void *binding_create(void *token, void *instance) { return NULL; }
static void binding_free(void *token, void *instance, void *binding) {}
static GDExtensionBool binding_reference(void *token, void *binding, GDExtensionBool reference) { return 1; }
static const GDExtensionInstanceBindingCallbacks binding_callbacks = {binding_create, binding_free, binding_reference};

/* ---- create / free / reference ------------------------------------------------------------------ */

static GDExtensionObjectPtr create_instance(void *class_userdata, GDExtensionBool notify_postinitialize) {
    ClassInfo *ci = class_userdata;
    /* construct_object2 (4.4+) leaves NOTIFICATION_POSTINITIALIZE to us: it is sent below, once
     * the Python instance exists, to the whole class chain (the engine base included). */
    GDExtensionObjectPtr object = gd.classdb_construct_object2 ? gd.classdb_construct_object2(&ci->engine_base)
                                                               : gd.classdb_construct_object(&ci->engine_base);
    if (!object) {
        GD_ERR("Godot Python: could not construct the engine base class.");
        return NULL;
    }
    ENTER();
    PyObject *py = pending_python_instance;
    bool from_python = py && PyObject_TypeCheck(py, ci->pyclass);
    if (from_python) {
        pending_python_instance = NULL;
        Py_INCREF(py);
    } else {
        py = ci->pyclass->tp_alloc(ci->pyclass, 0);
    }
    if (!py) {
        bridge_report_exception("Godot Python: allocating a Python instance");
        LEAVE();
        return object; /* a bare engine object; the engine keeps running */
    }
    Instance *inst = instance_new(ci, object, py, from_python);
    gd.object_set_instance(object, &ci->name, inst);
    gd.object_set_instance_binding(object, gd.token, inst, &binding_callbacks);
    if (!from_python) {
        /* No bound method and no name string made per instance (ClassDB.instantiate() is how
         * GDScript makes a PyHTTPClient): the interned name, the method found in the type. */
        PyObject *r = str_init ? PyObject_CallMethodNoArgs(py, str_init) : PyObject_CallMethod(py, "__init__", NULL);
        if (!r) {
            char context[256];
            snprintf(context, sizeof context, "Python exception in %s.__init__()", ci->name_utf8);
            bridge_report_exception(context);
        }
        Py_XDECREF(r);
    }
    if (notify_postinitialize && gd.classdb_construct_object2) {
        int64_t what = 0; /* Object::NOTIFICATION_POSTINITIALIZE */
        GDExtensionBool reversed = 0;
        const void *args[2] = {&what, &reversed};
        gd.object_method_bind_ptrcall(gd.mb_notification, object, args, NULL);
    }
    LEAVE();
    return object;
}

static GDExtensionObjectPtr create_instance_v1(void *class_userdata) { return create_instance(class_userdata, 1); }

static void free_instance(void *class_userdata, GDExtensionClassInstancePtr instance) {
    if (!instance) return;
    if (!Py_IsInitialized()) {
        PyMem_RawFree(instance); /* detached at shutdown: nothing Python left to release */
        return;
    }
    ENTER();
    instance_free(instance);
    LEAVE();
}

static void reference_changed(GDExtensionClassInstancePtr instance) {
    if (!instance || !Py_IsInitialized()) return;
    GilHold gil = gil_take();
    instance_update_ownership(instance);
    gil_give(gil);
}

static void to_string(GDExtensionClassInstancePtr instance, GDExtensionBool *r_is_valid, GDExtensionStringPtr out) {
    Instance *inst = instance;
    *r_is_valid = 0;
    if (!inst || !inst->py || !inst->cls->to_string) return;
    ENTER();
    if (!inst->cls->to_string) { /* removed by a hot reload */
        LEAVE();
        return;
    }
    PyObject *r = PyObject_CallOneArg(inst->cls->to_string, inst->py);
    if (r && PyUnicode_Check(r)) {
        Py_ssize_t len;
        const char *text = PyUnicode_AsUTF8AndSize(r, &len);
        if (text) {
            gd.string_new_with_utf8_chars_and_len(out, text, len);
            *r_is_valid = 1;
        }
    } else if (r) {
        PyErr_Format(PyExc_TypeError, "_to_string() must return str, not %.80s", Py_TYPE(r)->tp_name);
    }
    Py_XDECREF(r);
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _to_string()");
    LEAVE();
}

/* Each Python class's own _notification, base first; derived first when the engine sends the
 * notification reversed (NOTIFICATION_PREDELETE), as GDScript runs a script chain. */
static void notification(GDExtensionClassInstancePtr instance, int32_t what, GDExtensionBool reversed) {
    Instance *inst = instance;
    if (!inst || !inst->py || !inst->cls->notification_chain) return;
    ENTER();
    PyObject *chain = Py_XNewRef(inst->cls->notification_chain); /* a hot reload may replace it */
    if (!chain) {
        LEAVE();
        return;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(chain);
    PyObject *w = PyLong_FromLong(what);
    for (Py_ssize_t k = 0; w && k < n && inst->py; k++) {
        PyObject *f = PyTuple_GET_ITEM(chain, reversed ? n - 1 - k : k);
        PyObject *args[2] = {inst->py, w};
        PyObject *r = PyObject_Vectorcall(f, args, 2, NULL);
        if (!r) bridge_report_exception("Python exception in _notification()");
        Py_XDECREF(r);
    }
    Py_XDECREF(w);
    Py_DECREF(chain);
    LEAVE();
}

/* ---- property hooks: _get, _set, _get_property_list, _validate_property, _property_can_revert,
 * _property_get_revert (the shapes GDScript gives them) ------------------------------------- */

/* Calls hook(instance, *args); NULL when there is no hook or it raised (reported). GIL held. */
static PyObject *call_hook(Instance *inst, PyObject *hook, const char *what, PyObject *a, PyObject *b) {
    if (!inst || !inst->py || !hook) return NULL;
    PyObject *args[3] = {inst->py, a, b};
    PyObject *r = PyObject_Vectorcall(hook, args, 1 + (a ? 1 : 0) + (b ? 1 : 0), NULL);
    if (!r) {
        char context[256];
        snprintf(context, sizeof context, "Python exception in %s.%s()", inst->cls->name_utf8, what);
        bridge_report_exception(context);
    }
    return r;
}

/* Replaces the (constructed) Variant *slot with the Python value; false when it does not convert. */
static bool assign_variant(GDExtensionVariantPtr slot, PyObject *value) {
    Variant v;
    if (!python_to_variant(value, &v)) return false;
    gd.variant_destroy(slot);
    memcpy(slot, &v, sizeof v);
    return true;
}

static GDExtensionBool hook_get(GDExtensionClassInstancePtr instance, GDExtensionConstStringNamePtr name, GDExtensionVariantPtr r_ret) {
    Instance *inst = instance;
    if (!inst || !inst->cls->hook_get) return 0;
    ENTER();
    PyObject *pyname = string_name_to_python(name);
    PyObject *r = pyname ? call_hook(inst, inst->cls->hook_get, "_get", pyname, NULL) : NULL;
    bool handled = r && r != Py_None && assign_variant(r_ret, r); /* None: not handled, as in GDScript */
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _get()");
    Py_XDECREF(r);
    Py_XDECREF(pyname);
    LEAVE();
    return handled;
}

static GDExtensionBool hook_set(GDExtensionClassInstancePtr instance, GDExtensionConstStringNamePtr name, GDExtensionConstVariantPtr value) {
    Instance *inst = instance;
    if (!inst || !inst->cls->hook_set) return 0;
    ENTER();
    PyObject *pyname = string_name_to_python(name);
    PyObject *pyvalue = pyname ? variant_to_python(value) : NULL;
    PyObject *r = pyvalue ? call_hook(inst, inst->cls->hook_set, "_set", pyname, pyvalue) : NULL;
    int handled = r ? PyObject_IsTrue(r) : 0;
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _set()");
    Py_XDECREF(r);
    Py_XDECREF(pyvalue);
    Py_XDECREF(pyname);
    LEAVE();
    return handled > 0;
}

static GDExtensionBool hook_can_revert(GDExtensionClassInstancePtr instance, GDExtensionConstStringNamePtr name) {
    Instance *inst = instance;
    if (!inst || !inst->cls->hook_can_revert) return 0;
    ENTER();
    PyObject *pyname = string_name_to_python(name);
    PyObject *r = pyname ? call_hook(inst, inst->cls->hook_can_revert, "_property_can_revert", pyname, NULL) : NULL;
    int can = r ? PyObject_IsTrue(r) : 0;
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _property_can_revert()");
    Py_XDECREF(r);
    Py_XDECREF(pyname);
    LEAVE();
    return can > 0;
}

static GDExtensionBool hook_get_revert(GDExtensionClassInstancePtr instance, GDExtensionConstStringNamePtr name, GDExtensionVariantPtr r_ret) {
    Instance *inst = instance;
    if (!inst || !inst->cls->hook_get_revert) return 0;
    ENTER();
    PyObject *pyname = string_name_to_python(name);
    PyObject *r = pyname ? call_hook(inst, inst->cls->hook_get_revert, "_property_get_revert", pyname, NULL) : NULL;
    bool handled = r && r != Py_None && assign_variant(r_ret, r);
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _property_get_revert()");
    Py_XDECREF(r);
    Py_XDECREF(pyname);
    LEAVE();
    return handled;
}

typedef struct {
    StringName name, class_name;
    String hint_string;
} PropertyNames;

/* A property list handed to the engine: the infos, then the names they point to. */
typedef struct {
    uint32_t count;
    PropertyNames *names;
    GDExtensionPropertyInfo infos[];
} PropertyListBlock;

static long dict_long(PyObject *d, const char *key, long fallback) {
    PyObject *v = PyMapping_GetItemString(d, key);
    if (!v) {
        PyErr_Clear();
        return fallback;
    }
    long r = PyLong_AsLong(v);
    Py_DECREF(v);
    if (r == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return fallback;
    }
    return r;
}

static char *dict_utf8(PyObject *d, const char *key) {
    PyObject *v = PyMapping_GetItemString(d, key);
    if (!v) {
        PyErr_Clear();
        return strdup("");
    }
    PyObject *text = PyObject_Str(v);
    Py_DECREF(v);
    const char *utf8 = text ? PyUnicode_AsUTF8(text) : NULL;
    char *r = strdup(utf8 ? utf8 : "");
    Py_XDECREF(text);
    PyErr_Clear();
    return r;
}

static const GDExtensionPropertyInfo *hook_property_list(GDExtensionClassInstancePtr instance, uint32_t *r_count) {
    Instance *inst = instance;
    *r_count = 0;
    if (!inst || !inst->cls->hook_property_list) return NULL;
    ENTER();
    PropertyListBlock *block = NULL;
    PyObject *r = call_hook(inst, inst->cls->hook_property_list, "_get_property_list", NULL, NULL);
    PyObject *fast = r ? PySequence_Fast(r, "_get_property_list() must return a list of dicts") : NULL;
    if (fast) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
        block = PyMem_RawCalloc(1, sizeof *block + (size_t)n * sizeof(GDExtensionPropertyInfo));
        block->names = PyMem_RawCalloc(n ? (size_t)n : 1, sizeof(PropertyNames));
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *d = PySequence_Fast_GET_ITEM(fast, i);
            if (!PyMapping_Check(d)) continue;
            char *name = dict_utf8(d, "name"), *class_name = dict_utf8(d, "class_name"), *hint_string = dict_utf8(d, "hint_string");
            PropertyNames *pn = &block->names[block->count];
            gd_string_name_new(&pn->name, name);
            gd_string_name_new(&pn->class_name, class_name);
            gd_string_new(&pn->hint_string, hint_string, (Py_ssize_t)strlen(hint_string));
            GDExtensionPropertyInfo *info = &block->infos[block->count++];
            info->type = (GDExtensionVariantType)dict_long(d, "type", 0);
            info->name = &pn->name;
            info->class_name = &pn->class_name;
            info->hint = (uint32_t)dict_long(d, "hint", 0);
            info->hint_string = &pn->hint_string;
            info->usage = (uint32_t)dict_long(d, "usage", 6 /* PROPERTY_USAGE_DEFAULT */);
            free(name);
            free(class_name);
            free(hint_string);
        }
        Py_DECREF(fast);
    }
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _get_property_list()");
    Py_XDECREF(r);
    LEAVE();
    if (!block) return NULL;
    *r_count = block->count;
    return block->infos;
}

static void hook_free_property_list(GDExtensionClassInstancePtr instance, const GDExtensionPropertyInfo *list, uint32_t count) {
    if (!list) return;
    PropertyListBlock *block = (PropertyListBlock *)((char *)list - offsetof(PropertyListBlock, infos));
    for (uint32_t i = 0; i < block->count; i++) {
        gd_string_name_destroy(&block->names[i].name);
        gd_string_name_destroy(&block->names[i].class_name);
        gd_string_destroy(&block->names[i].hint_string);
    }
    PyMem_RawFree(block->names);
    PyMem_RawFree(block);
}

static long attr_long(PyObject *obj, const char *name);
static char *attr_utf8(PyObject *obj, const char *name);

/* Hot reload: a property the class no longer has is hidden (no editor, no storage usage); one
 * whose type changed shows its new type, hint and usage. True when `property` was changed. */
static bool apply_property_override(ClassInfo *ci, PyObject *name, GDExtensionPropertyInfo *property) {
    for (; ci; ci = ci->python_parent) {
        PyObject *o = ci->property_overrides ? PyDict_GetItemWithError(ci->property_overrides, name) : NULL;
        if (!o) continue;
        if (o == Py_None) {
            property->usage = 0; /* PROPERTY_USAGE_NONE */
            return true;
        }
        char *class_name = attr_utf8(o, "class_name"), *hint_string = attr_utf8(o, "hint_string");
        long type = attr_long(o, "variant_type"), hint = attr_long(o, "hint"), usage = attr_long(o, "usage");
        bool ok = class_name && hint_string && !PyErr_Occurred();
        if (ok) {
            property->type = (GDExtensionVariantType)type;
            property->hint = (uint32_t)hint;
            property->usage = (uint32_t)usage;
            gd_string_destroy(property->hint_string);
            gd_string_new(property->hint_string, hint_string, (Py_ssize_t)strlen(hint_string));
            gd_string_name_destroy(property->class_name);
            gd_string_name_new(property->class_name, class_name);
        }
        free(class_name);
        free(hint_string);
        return ok;
    }
    return false;
}

static bool has_property_overrides(ClassInfo *ci) {
    for (; ci; ci = ci->python_parent)
        if (ci->property_overrides) return true;
    return false;
}

/* _validate_property(self, property: dict): the dict (name, class_name, type, hint,
 * hint_string, usage) may be changed in place; the changes go back to the engine. Registered
 * for every class (a hot reload may need it later); without a hook or an override it returns
 * at once, without the GIL. */
static GDExtensionBool hook_validate(GDExtensionClassInstancePtr instance, GDExtensionPropertyInfo *property) {
    Instance *inst = instance;
    if (!inst || !(inst->cls->hook_validate || has_property_overrides(inst->cls))) return 0;
    ENTER();
    GDExtensionBool changed = 0;
    PyObject *name = string_name_to_python(property->name);
    if (name && has_property_overrides(inst->cls)) changed = apply_property_override(inst->cls, name, property);
    if (PyErr_Occurred()) bridge_report_exception("Godot Python: applying a reloaded property");
    if (!inst->cls->hook_validate) {
        Py_XDECREF(name);
        LEAVE();
        return changed;
    }
    PyObject *class_name = name ? string_name_to_python(property->class_name) : NULL;
    PyObject *hint_string = class_name ? string_to_python(property->hint_string) : NULL;
    PyObject *d = hint_string ? Py_BuildValue("{sOsOsIsIsOsI}", "name", name, "class_name", class_name,
                                              "type", (unsigned)property->type, "hint", property->hint,
                                              "hint_string", hint_string, "usage", property->usage)
                              : NULL;
    PyObject *r = d ? call_hook(inst, inst->cls->hook_validate, "_validate_property", d, NULL) : NULL;
    if (r) {
        property->type = (GDExtensionVariantType)dict_long(d, "type", property->type);
        property->hint = (uint32_t)dict_long(d, "hint", property->hint);
        property->usage = (uint32_t)dict_long(d, "usage", property->usage);
        char *text = dict_utf8(d, "hint_string");
        gd_string_destroy(property->hint_string);
        gd_string_new(property->hint_string, text, (Py_ssize_t)strlen(text));
        free(text);
        changed = 1;
    }
    if (PyErr_Occurred()) bridge_report_exception("Python exception in _validate_property()");
    Py_XDECREF(r);
    Py_XDECREF(d);
    Py_XDECREF(hint_string);
    Py_XDECREF(class_name);
    Py_XDECREF(name);
    LEAVE();
    return changed;
}

/* ---- methods ------------------------------------------------------------------------------------ */

static bool argument_matches(MethodInfo *m, int i, const Variant *v) {
    int want = m->arg_types[i];
    if (want == VT_NIL) return true;
    int have = gd_variant_type(v);
    if (have == want) {
        if (want != GDEXTENSION_VARIANT_TYPE_OBJECT || !m->arg_class_tags[i]) return true;
        GDExtensionObjectPtr object = NULL;
        if (gd.variant_get_object_instance_id((Variant *)v) == 0) return true; /* null */
        gd.to_type[GDEXTENSION_VARIANT_TYPE_OBJECT](&object, (Variant *)v);
        return gd.object_cast_to(object, m->arg_class_tags[i]) != NULL;
    }
    if (want == GDEXTENSION_VARIANT_TYPE_OBJECT) return have == GDEXTENSION_VARIANT_TYPE_NIL;
    return gd.variant_can_convert_strict((GDExtensionVariantType)have, (GDExtensionVariantType)want);
}

static void set_call_failure(GDExtensionVariantPtr r_return, GDExtensionCallError *r_error, const char *why) {
    /* INVALID_METHOD with a String return is how the engine carries a reason: GDScript prints
     * "Invalid call <method>: <reason>" and stops the function. */
    gd_variant_from_cstring(r_return, why);
    r_error->error = GDEXTENSION_CALL_ERROR_INVALID_METHOD;
    r_error->argument = 0;
    r_error->expected = 0;
}

/* Where the arguments of a call come from: Variants (call) or typed pointers (ptrcall). */
typedef enum { ARGS_FROM_VARIANTS, ARGS_FROM_TYPED_POINTERS } ArgSource;

static PyObject *argument_value(MethodInfo *m, int i, ArgSource source, const void *const *args, int argc) {
    if (i >= argc) return Py_NewRef(m->defaults[i]);
    const ArgConverter *c = &m->convert[i];
    return source == ARGS_FROM_VARIANTS ? c->from_variant(c->type, args[i]) : c->from_ptr(c->type, args[i]);
}

static void report_wrong_return(MethodInfo *m) {
    char context[256];
    snprintf(context, sizeof context, "%s.%s() returned a value of the wrong type", m->cls->name_utf8, m->name);
    bridge_report_exception(context);
}

/* The call's own instance for objects_settle(): a RefCounted one, which the caller's reference
 * keeps alive through the call (a Node may free itself inside its own method). */
static Instance *settled_instance(GDExtensionClassInstancePtr instance) {
    Instance *inst = instance;
    return inst && inst->is_refcounted ? inst : NULL;
}

/* A method a hot reload removed: the engine keeps its bind, a call gets this error. */
static void report_removed(MethodInfo *m, char *why, size_t why_size) {
    snprintf(why, why_size, "Godot Python: %s.%s() was removed by a hot reload; ClassDB keeps it until a restart",
             m->cls->name_utf8, m->name);
    GD_ERR(why);
}

/* PyObject_Vectorcall without its result check (a NULL result without an exception, which only
 * a broken C callable gives, becomes a SystemError here) and thread state lookup: a call into
 * Python starts here, and every nanosecond of it is paid per GDScript call. */
static inline PyObject *call_python(PyObject *function, PyObject *const *args, size_t nargs) {
    PyTypeObject *type = Py_TYPE(function); /* PyVectorcall_Function(), without its call */
    if (!PyType_HasFeature(type, Py_TPFLAGS_HAVE_VECTORCALL)) return PyObject_Vectorcall(function, args, nargs, NULL);
    vectorcallfunc call = *(vectorcallfunc *)((char *)function + type->tp_vectorcall_offset);
    if (!call) return PyObject_Vectorcall(function, args, nargs, NULL);
    PyObject *result = call(function, args, nargs, NULL);
    if (!result && !PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "a method returned NULL without an exception");
    return result;
}

/* Converts the arguments, calls the Python function with the instance first (unless static)
 * and returns its result (a new reference), or NULL with the exception reported and `why`
 * filled in for the caller. The GIL is held. */
static PyObject *invoke(MethodInfo *m, Instance *inst, ArgSource source, const void *const *args, int argc,
                        char *why, size_t why_size) {
    if (!m->is_static && (!inst || !inst->py)) {
        snprintf(why, why_size, "the Python instance is gone");
        GD_ERR("Godot Python: the Python instance is gone.");
        return NULL;
    }
    if (!m->function) { /* a hot reload removed it while this call waited for the GIL */
        report_removed(m, why, why_size);
        return NULL;
    }
    PyObject *stack[17];
    int offset = m->is_static ? 0 : 1;
    int total = m->is_vararg && argc > m->argc ? argc : m->argc; /* varargs: the extras follow */
    PyObject **pyargs = total + 1 <= 17 ? stack : PyMem_Malloc(sizeof(PyObject *) * (total + 1));
    if (!m->is_static) pyargs[0] = inst->py;
    int made = 0;
    for (; made < total; made++) {
        PyObject *value = made < m->argc ? argument_value(m, made, source, args, argc) : variant_to_python(args[made]);
        if (!value) break;
        pyargs[offset + made] = value;
    }
    PyObject *result = NULL;
    if (made < total) {
        snprintf(why, why_size, "could not convert the arguments (traceback above)");
        bridge_report_exception("Godot Python: converting the arguments");
    } else if (!(result = call_python(m->function, pyargs, (size_t)(offset + total)))) {
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *text = bridge_exception_text(exc);
        snprintf(why, why_size, "Python raised %s: %s (traceback above)", Py_TYPE(exc)->tp_name,
                 text && PyUnicode_AsUTF8(text) ? PyUnicode_AsUTF8(text) : "?");
        Py_XDECREF(text);
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
        char context[256];
        snprintf(context, sizeof context, "Python exception in %s.%s()", m->cls->name_utf8, m->name);
        bridge_report_exception(context);
    }
    for (int i = 0; i < made; i++) Py_DECREF(pyargs[offset + i]);
    if (pyargs != stack) PyMem_Free(pyargs);
    return result;
}

static void method_call(void *userdata, GDExtensionClassInstancePtr instance, const GDExtensionConstVariantPtr *args,
                        GDExtensionInt argc, GDExtensionVariantPtr r_return, GDExtensionCallError *r_error) {
    MethodInfo *m = userdata;
    if (m->removed) {
        char why[512];
        report_removed(m, why, sizeof why);
        set_call_failure(r_return, r_error, why);
        return;
    }
    if (m->reshaped) m = m->reshaped; /* a Variant call checks and converts by the new signature */
    if (argc > m->argc && !m->is_vararg) {
        r_error->error = GDEXTENSION_CALL_ERROR_TOO_MANY_ARGUMENTS;
        r_error->expected = m->argc;
        return;
    }
    if (argc < m->required) {
        r_error->error = GDEXTENSION_CALL_ERROR_TOO_FEW_ARGUMENTS;
        r_error->expected = m->required;
        return;
    }
    for (int i = 0; i < argc && i < m->argc; i++) { /* varargs beyond the declared ones: any type */
        if (!argument_matches(m, i, args[i])) {
            r_error->error = GDEXTENSION_CALL_ERROR_INVALID_ARGUMENT;
            r_error->argument = i;
            r_error->expected = m->arg_types[i];
            return;
        }
    }
    ENTER();
    /* A hot reload changed the method while the call waited for the GIL (the checks above ran
     * without it): the call starts again as the method is now. */
    MethodInfo *now = m->owner ? (m->function ? NULL : m->owner) : (m->reshaped || m->removed ? m : NULL);
    if (now) {
        LEAVE();
        method_call(now, instance, args, argc, r_return, r_error);
        return;
    }
    Instance *settle = settled_instance(instance);
    objects_enter();
    char why[512];
    PyObject *result = invoke(m, instance, ARGS_FROM_VARIANTS, (const void *const *)args, (int)argc, why, sizeof why);
    if (!result) {
        set_call_failure(r_return, r_error, why);
    } else if (m->return_type < 0 || (python_to_variant_typed(result, m->return_type, r_return) &&
                                      variant_make_typed(r_return, &m->return_elements))) {
        r_error->error = GDEXTENSION_CALL_OK;
    } else {
        report_wrong_return(m);
        gd.variant_destroy(r_return);
        set_call_failure(r_return, r_error, "the Python method returned a value of the wrong type (traceback above)");
    }
    Py_XDECREF(result);
    objects_settle(settle);
    LEAVE();
}

/* A statically typed call: the engine gives it no error channel, so a failure is printed and
 * the return slot keeps its default value (docs/decisions/0001-bridge-shape.md). */
static void reshaped_ptrcall(MethodInfo *m, GDExtensionClassInstancePtr instance, const GDExtensionConstTypePtr *args,
                             GDExtensionTypePtr r_ret);

static void method_ptrcall(void *userdata, GDExtensionClassInstancePtr instance, const GDExtensionConstTypePtr *args, GDExtensionTypePtr r_ret) {
    MethodInfo *m = userdata;
    if (m->removed) {
        char why[512];
        report_removed(m, why, sizeof why);
        return;
    }
    if (m->reshaped) {
        reshaped_ptrcall(m, instance, args, r_ret);
        return;
    }
    ENTER();
    if (m->removed || m->reshaped) { /* a hot reload while the call waited for the GIL */
        LEAVE();
        method_ptrcall(userdata, instance, args, r_ret);
        return;
    }
    Instance *settle = settled_instance(instance);
    objects_enter();
    char why[512];
    PyObject *result = invoke(m, instance, ARGS_FROM_TYPED_POINTERS, (const void *const *)args, m->argc, why, sizeof why);
    if (result && m->return_type >= 0 && !python_to_typed_ptr(result, m->return_type, &m->return_elements, r_ret))
        report_wrong_return(m);
    Py_XDECREF(result);
    objects_settle(settle);
    LEAVE();
}

/* A typed caller (GDScript compiled against the bound signature, a validated call) passes the
 * bound argument types and expects the bound return type, whatever the reloaded method now
 * declares: the arguments become Variants and go through the new signature's Variant call (its
 * checks, conversions and defaults), and the result is converted back to the bound return type.
 * A call the new signature refuses is reported, naming both; the return slot keeps its default. */
static void reshaped_ptrcall(MethodInfo *m, GDExtensionClassInstancePtr instance, const GDExtensionConstTypePtr *args,
                             GDExtensionTypePtr r_ret) {
    Variant values[17];
    const Variant *ptrs[17];
    int made = 0, argc = m->argc > 17 ? 17 : m->argc;
    GilHold gil = gil_take();
    for (; made < argc; made++) {
        PyObject *value = typed_ptr_to_python(m->arg_types[made], args[made]);
        bool ok = value && python_to_variant(value, &values[made]);
        Py_XDECREF(value);
        if (!ok) break;
        ptrs[made] = &values[made];
    }
    if (made < argc) bridge_report_exception("Godot Python: converting the arguments of a reloaded method");
    gil_give(gil);
    if (made == argc) {
        Variant ret;
        GDExtensionCallError error = {GDEXTENSION_CALL_OK, 0, 0};
        gd.variant_new_nil(&ret);
        method_call(m->reshaped, instance, (const GDExtensionConstVariantPtr *)ptrs, argc, &ret, &error);
        gil = gil_take();
        if (error.error != GDEXTENSION_CALL_OK && error.error != GDEXTENSION_CALL_ERROR_INVALID_METHOD) {
            /* (INVALID_METHOD: the method ran and raised; its traceback is printed already.) */
            const char *what = error.error == GDEXTENSION_CALL_ERROR_TOO_MANY_ARGUMENTS ? "too many arguments"
                               : error.error == GDEXTENSION_CALL_ERROR_TOO_FEW_ARGUMENTS ? "too few arguments"
                                                                                          : "an argument of the wrong type";
            char why[640];
            snprintf(why, sizeof why,
                     "Godot Python: %s.%s() changed its signature in a hot reload; this caller was compiled against "
                     "the old one (%d argument%s, still in ClassDB until a restart) and passes %s for the new one "
                     "(argument %d)",
                     m->cls->name_utf8, m->name, m->argc, m->argc == 1 ? "" : "s", what, (int)error.argument + 1);
            GD_ERR(why);
        } else if (error.error == GDEXTENSION_CALL_OK && m->return_type >= 0) {
            PyObject *result = variant_to_python(&ret);
            if (!result || !python_to_typed_ptr(result, m->return_type, &m->return_elements, r_ret)) {
                char context[256];
                snprintf(context, sizeof context,
                         "%s.%s() changed its return type in a hot reload; this caller expects the old one",
                         m->cls->name_utf8, m->name);
                bridge_report_exception(context);
            }
            Py_XDECREF(result);
        }
        gd.variant_destroy(&ret);
        gil_give(gil);
    }
    for (int i = 0; i < made; i++) gd.variant_destroy(&values[i]);
}

/* ---- virtuals ------------------------------------------------------------------------------------ */

/* A Python function of the virtual's name in the class (or a Python parent) overrides it; the
 * engine's own signature says how to convert. Sets v->function (owned) or leaves it NULL. Called
 * again after a hot reload: the engine keeps `v` as call data of existing objects. */
static void virtual_resolve(ClassInfo *ci, VirtualInfo *v) {
    Py_CLEAR(v->function);
    PyObject *func = PyObject_GetAttrString((PyObject *)ci->pyclass, v->name);
    if (!func || !PyFunction_Check(func)) {
        PyErr_Clear();
        Py_XDECREF(func);
        return;
    }
    PyObject *sig = PyObject_CallFunction(ci->virtual_signature, "ss", ci->engine_base_utf8, v->name);
    if (!sig || sig == Py_None) {
        if (!sig) bridge_report_exception("Godot Python: looking up a virtual signature");
        Py_XDECREF(sig);
        Py_DECREF(func);
        return;
    }
    PyObject *arg_types = PyTuple_GetItem(sig, 0), *ret = PyTuple_GetItem(sig, 1);
    v->argc = (int)PyTuple_Size(arg_types);
    if (v->argc > 16) v->argc = 16;
    for (int i = 0; i < v->argc; i++) v->arg_types[i] = (int)PyLong_AsLong(PyTuple_GetItem(arg_types, i));
    v->return_type = ret == Py_None ? -1 : (int)PyLong_AsLong(ret);
    Py_DECREF(sig);
    v->function = func; /* owned */
}

static void *get_virtual_call_data(void *class_userdata, GDExtensionConstStringNamePtr name, uint32_t hash) {
    ClassInfo *ci = class_userdata;
    ENTER();
    void *found = NULL;
    PyObject *pyname = string_name_to_python(name);
    const char *utf8 = pyname ? PyUnicode_AsUTF8(pyname) : NULL;
    if (!utf8) goto done;
    for (VirtualInfo *v = ci->virtuals; v; v = v->next) {
        if (strcmp(v->name, utf8) == 0) {
            found = v->function ? v : NULL;
            goto done;
        }
    }
    /* First time this name is asked: remember the answer (a function or none) for the class. */
    VirtualInfo *v = PyMem_RawCalloc(1, sizeof *v);
    v->name = strdup(utf8);
    v->return_type = -1;
    v->next = ci->virtuals;
    ci->virtuals = v;
    virtual_resolve(ci, v);
    found = v->function ? v : NULL;
done:
    if (PyErr_Occurred()) bridge_report_exception("Godot Python: virtual lookup");
    Py_XDECREF(pyname);
    LEAVE();
    return found;
}

static void *get_virtual_call_data_v1(void *class_userdata, GDExtensionConstStringNamePtr name) {
    return get_virtual_call_data(class_userdata, name, 0);
}

static void call_virtual(GDExtensionClassInstancePtr instance, GDExtensionConstStringNamePtr name, void *userdata,
                         const GDExtensionConstTypePtr *args, GDExtensionTypePtr r_ret) {
    VirtualInfo *v = userdata;
    Instance *inst = instance;
    if (!inst) return;
    ENTER();
    if (!inst->py || !v->function) { /* a hot reload may have removed the override */
        LEAVE();
        return;
    }
    Instance *settle = settled_instance(inst);
    objects_enter();
    PyObject *pyargs[17];
    pyargs[0] = inst->py;
    int made = 0;
    for (; made < v->argc; made++) {
        pyargs[1 + made] = typed_ptr_to_python(v->arg_types[made], args[made]);
        if (!pyargs[1 + made]) break;
    }
    PyObject *result = made == v->argc ? call_python(v->function, pyargs, 1 + (size_t)v->argc) : NULL;
    for (int i = 0; i < made; i++) Py_DECREF(pyargs[1 + i]);
    if (result && v->return_type >= 0 && !python_to_typed_ptr(result, v->return_type, NULL, r_ret)) Py_CLEAR(result);
    if (!result) {
        char context[256];
        snprintf(context, sizeof context, "Python exception in %s.%s()", inst->cls->name_utf8, v->name);
        bridge_report_exception(context);
    }
    Py_XDECREF(result);
    objects_settle(settle);
    LEAVE();
}

static PyObject *frame_hook; /* owned or NULL: called once a frame (godot/_reload.py's poll) */

static void frame_callback(void) {
    if (!Py_IsInitialized()) return;
    GilHold gil = gil_take();
    objects_flush_releases();
    if (frame_hook) {
        PyObject *r = PyObject_CallNoArgs(frame_hook);
        if (!r) bridge_report_exception("Godot Python: the frame hook (hot reload) failed");
        Py_XDECREF(r);
    }
    gil_give(gil);
}

PyObject *classes_set_frame_hook(PyObject *hook) {
    if (hook != Py_None && !PyCallable_Check(hook)) return PyErr_Format(PyExc_TypeError, "the frame hook must be callable or None");
    Py_XSETREF(frame_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

void classes_init_trampolines(void) {
    str_init = PyUnicode_InternFromString("__init__");
    if (!str_init) bridge_report_exception("Godot Python: interning a name");
    if (gd.register_main_loop_callbacks) {
        static GDExtensionMainLoopCallbacks callbacks;
        callbacks.frame_func = frame_callback;
        gd.register_main_loop_callbacks(gd.library, &callbacks);
    }
}

/* ---- reading specs ----------------------------------------------------------------------------- */

static long attr_long(PyObject *obj, const char *name) {
    PyObject *v = PyObject_GetAttrString(obj, name);
    long r = v ? PyLong_AsLong(v) : -1;
    Py_XDECREF(v);
    return r;
}

/* A true attribute; false when it is missing or false. */
static bool attr_flag(PyObject *obj, const char *name) {
    PyObject *v = PyObject_GetAttrString(obj, name);
    int truth = v ? PyObject_IsTrue(v) : 0;
    Py_XDECREF(v);
    if (truth < 0 || !v) PyErr_Clear();
    return truth > 0;
}

static char *attr_utf8(PyObject *obj, const char *name) {
    PyObject *v = PyObject_GetAttrString(obj, name);
    const char *s = v ? PyUnicode_AsUTF8(v) : NULL;
    char *r = s ? strdup(s) : NULL;
    Py_XDECREF(v);
    return r;
}

typedef struct {
    StringName name, class_name;
    String hint_string;
    GDExtensionPropertyInfo info;
} PropStorage;

/* Fills a PropertyInfo from a TypeSpec; false with an exception set. */
static bool prop_from_spec(PyObject *type_spec, const char *name, PropStorage *out) {
    char *class_name = attr_utf8(type_spec, "class_name");
    char *hint_string = attr_utf8(type_spec, "hint_string");
    long vt = attr_long(type_spec, "variant_type"), hint = attr_long(type_spec, "hint"), usage = attr_long(type_spec, "usage");
    bool ok = class_name && hint_string && !PyErr_Occurred();
    if (ok) {
        gd_string_name_new(&out->name, name);
        gd_string_name_new(&out->class_name, class_name);
        gd_string_new(&out->hint_string, hint_string, (Py_ssize_t)strlen(hint_string));
        out->info.type = (GDExtensionVariantType)vt;
        out->info.name = &out->name;
        out->info.class_name = &out->class_name;
        out->info.hint = (uint32_t)hint;
        out->info.hint_string = &out->hint_string;
        out->info.usage = (uint32_t)usage;
    }
    free(class_name);
    free(hint_string);
    return ok;
}

static void prop_destroy(PropStorage *s) {
    gd_string_name_destroy(&s->name);
    gd_string_name_destroy(&s->class_name);
    gd_string_destroy(&s->hint_string);
}

static void *class_tag_for(PyObject *type_spec) {
    if (attr_long(type_spec, "variant_type") != GDEXTENSION_VARIANT_TYPE_OBJECT) return NULL;
    char *cls = attr_utf8(type_spec, "class_name");
    void *tag = NULL;
    if (cls && cls[0]) {
        StringName sn;
        gd_string_name_new(&sn, cls);
        tag = gd.classdb_get_class_tag(&sn);
        gd_string_name_destroy(&sn);
    }
    free(cls);
    return tag;
}

/* Reads TypeSpec.elements ((variant type, class name) pairs) into *out; false with an exception. */
static bool container_from_spec(PyObject *type_spec, ContainerType *out) {
    memset(out, 0, sizeof *out);
    PyObject *elements = PyObject_GetAttrString(type_spec, "elements");
    PyObject *fast = elements ? PySequence_Fast(elements, "TypeSpec.elements must be a sequence") : NULL;
    Py_XDECREF(elements);
    if (!fast) return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    bool ok = n <= 2;
    if (!ok) PyErr_SetString(PyExc_ValueError, "TypeSpec.elements has at most two entries");
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        int type = 0;
        const char *class_name = NULL;
        ok = PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "is", &type, &class_name);
        if (ok) {
            out->types[i] = type;
            gd_string_name_new(&out->class_names[i], class_name);
            out->count = (int)i + 1;
        }
    }
    Py_DECREF(fast);
    return ok;
}

static void container_destroy(ContainerType *ct) {
    for (int i = 0; i < ct->count; i++) gd_string_name_destroy(&ct->class_names[i]);
    ct->count = 0;
}

static void free_method(MethodInfo *m);

/* The MethodInfo of a MethodSpec. `bind`: also bind it in ClassDB (and list it in ci->methods,
 * even when a part failed: the error says what); else only build it (NULL on failure). */
static MethodInfo *method_from_spec(ClassInfo *ci, PyObject *mspec, bool bind) {
    char *name = attr_utf8(mspec, "name");
    PyObject *function = PyObject_GetAttrString(mspec, "function");
    PyObject *args = PyObject_GetAttrString(mspec, "args");
    PyObject *ret = PyObject_GetAttrString(mspec, "return_type");
    long flags = attr_long(mspec, "flags");
    if (!name || !function || !args || !ret || PyErr_Occurred()) {
        free(name);
        Py_XDECREF(function);
        Py_XDECREF(args);
        Py_XDECREF(ret);
        return NULL;
    }
    int argc = (int)PyTuple_Size(args);
    MethodInfo *m = PyMem_RawCalloc(1, sizeof *m);
    m->cls = ci;
    m->function = function;
    m->name = name;
    m->argc = argc;
    m->required = argc;
    m->is_static = (flags & GDEXTENSION_METHOD_FLAG_STATIC) != 0;
    m->is_vararg = (flags & GDEXTENSION_METHOD_FLAG_VARARG) != 0;
    m->arg_types = PyMem_RawCalloc(argc ? argc : 1, sizeof(int));
    m->convert = PyMem_RawCalloc(argc ? argc : 1, sizeof(ArgConverter));
    m->arg_class_tags = PyMem_RawCalloc(argc ? argc : 1, sizeof(void *));
    m->defaults = PyMem_RawCalloc(argc ? argc : 1, sizeof(PyObject *));
    if (bind) {
        m->next = ci->methods;
        ci->methods = m;
    }

    PropStorage *props = PyMem_RawCalloc(argc + 1, sizeof(PropStorage));
    GDExtensionPropertyInfo *infos = PyMem_RawCalloc(argc + 1, sizeof(GDExtensionPropertyInfo));
    GDExtensionClassMethodArgumentMetadata *meta = PyMem_RawCalloc(argc + 1, sizeof(*meta));
    Variant *defaults = PyMem_RawCalloc(argc + 1, sizeof(Variant));
    GDExtensionVariantPtr *default_ptrs = PyMem_RawCalloc(argc + 1, sizeof(GDExtensionVariantPtr));
    int made_props = 0, default_count = 0;
    bool ok = true;
    for (int i = 0; i < argc && ok; i++) {
        PyObject *arg = PyTuple_GetItem(args, i);
        PyObject *type = PyObject_GetAttrString(arg, "type");
        char *arg_name = attr_utf8(arg, "name");
        ok = type && arg_name && prop_from_spec(type, arg_name, &props[i]);
        if (ok) {
            made_props++;
            infos[i] = props[i].info;
            m->arg_types[i] = (int)attr_long(type, "variant_type");
            m->convert[i] = convert_argument(m->arg_types[i], attr_flag(arg, "as_bytes"));
            m->arg_class_tags[i] = class_tag_for(type);
            PyObject *has_default = PyObject_GetAttrString(arg, "has_default");
            if (has_default && PyObject_IsTrue(has_default)) {
                PyObject *dv = PyObject_GetAttrString(arg, "default");
                if (dv && python_to_variant_typed(dv, m->arg_types[i], &defaults[default_count])) {
                    m->defaults[i] = dv; /* owned */
                    default_ptrs[default_count] = &defaults[default_count];
                    default_count++;
                    if (m->required == argc) m->required = i;
                } else {
                    Py_XDECREF(dv);
                    ok = false;
                }
            } else if (m->required != argc) {
                PyErr_Format(PyExc_TypeError, "%s.%s: argument '%s' without a default follows one with a default", ci->name_utf8, name, arg_name);
                ok = false;
            }
            Py_XDECREF(has_default);
        }
        Py_XDECREF(type);
        free(arg_name);
    }
    PropStorage ret_prop;
    bool has_return = false;
    if (ok) {
        long rvt = attr_long(ret, "variant_type"), rusage = attr_long(ret, "usage");
        has_return = !(rvt == 0 && rusage == 0); /* godot._spec.VOID */
        m->return_type = has_return ? (int)rvt : -1;
        ok = !has_return || (container_from_spec(ret, &m->return_elements) && prop_from_spec(ret, "", &ret_prop));
    }
    if (ok && !bind && has_return) prop_destroy(&ret_prop);
    if (ok && bind) {
        StringName method_name;
        gd_string_name_new(&method_name, name);
        GDExtensionClassMethodInfo info = {
            .name = &method_name,
            .method_userdata = m,
            .call_func = method_call,
            .ptrcall_func = method_ptrcall,
            .method_flags = (uint32_t)flags,
            .has_return_value = has_return,
            .return_value_info = has_return ? &ret_prop.info : NULL,
            .return_value_metadata = GDEXTENSION_METHOD_ARGUMENT_METADATA_NONE,
            .argument_count = (uint32_t)argc,
            .arguments_info = infos,
            .arguments_metadata = meta,
            .default_argument_count = (uint32_t)default_count,
            .default_arguments = default_ptrs,
        };
        gd.classdb_register_extension_class_method(gd.library, &ci->name, &info);
        gd_string_name_destroy(&method_name);
        if (has_return) prop_destroy(&ret_prop);
    }
    for (int i = 0; i < made_props; i++) prop_destroy(&props[i]);
    for (int i = 0; i < default_count; i++) gd.variant_destroy(&defaults[i]);
    PyMem_RawFree(props);
    PyMem_RawFree(infos);
    PyMem_RawFree(meta);
    PyMem_RawFree(defaults);
    PyMem_RawFree(default_ptrs);
    Py_DECREF(args);
    Py_DECREF(ret);
    if (ok) return m;
    if (!bind) free_method(m);
    return NULL;
}

static bool register_method(ClassInfo *ci, PyObject *mspec) { return method_from_spec(ci, mspec, true) != NULL; }


/* The inspector group and subgroup the previous property was registered under. */
typedef struct {
    char *group, *subgroup; /* owned */
} GroupState;

static void register_group(ClassInfo *ci, const char *name, bool subgroup) {
    String g, prefix;
    gd_string_new(&g, name, (Py_ssize_t)strlen(name));
    gd_string_new(&prefix, "", 0);
    (subgroup ? gd.classdb_register_extension_class_property_subgroup : gd.classdb_register_extension_class_property_group)(
        gd.library, &ci->name, &g, &prefix);
    gd_string_destroy(&g);
    gd_string_destroy(&prefix);
}

/* Opens the property's group/subgroup when it differs from the previous one's (an empty group
 * after a named one ends it, as ADD_GROUP("", "") does). */
static bool enter_group(ClassInfo *ci, PyObject *pspec, GroupState *state) {
    char *group = attr_utf8(pspec, "group"), *subgroup = attr_utf8(pspec, "subgroup");
    if (!group || !subgroup) {
        free(group);
        free(subgroup);
        return false;
    }
    bool new_group = strcmp(group, state->group ? state->group : "") != 0;
    if (new_group) register_group(ci, group, false);
    if (new_group || strcmp(subgroup, state->subgroup ? state->subgroup : "") != 0) {
        if (subgroup[0] || !new_group) register_group(ci, subgroup, true);
    }
    free(state->group);
    free(state->subgroup);
    state->group = group;
    state->subgroup = subgroup;
    return true;
}

static bool register_property(ClassInfo *ci, PyObject *pspec, GroupState *groups) {
    char *name = attr_utf8(pspec, "name"), *setter = attr_utf8(pspec, "setter"), *getter = attr_utf8(pspec, "getter");
    PyObject *type = PyObject_GetAttrString(pspec, "type");
    PropStorage prop;
    bool ok = name && setter && getter && type && enter_group(ci, pspec, groups) && prop_from_spec(type, name, &prop);
    if (ok) {
        StringName s, g;
        gd_string_name_new(&s, setter);
        gd_string_name_new(&g, getter);
        gd.classdb_register_extension_class_property(gd.library, &ci->name, &prop.info, &s, &g);
        gd_string_name_destroy(&s);
        gd_string_name_destroy(&g);
        prop_destroy(&prop);
    }
    free(name);
    free(setter);
    free(getter);
    Py_XDECREF(type);
    return ok;
}

/* A virtual the class declares for scripts (@godot.virtual): its signature goes to ClassDB. */
static bool register_virtual_method(ClassInfo *ci, PyObject *mspec) {
    if (!gd.classdb_register_extension_class_virtual_method) return true; /* 4.2: the Python dispatch still works */
    char *name = attr_utf8(mspec, "name");
    PyObject *args = PyObject_GetAttrString(mspec, "args");
    PyObject *ret = PyObject_GetAttrString(mspec, "return_type");
    long flags = attr_long(mspec, "flags");
    bool ok = name && args && ret && !PyErr_Occurred();
    int argc = ok ? (int)PyTuple_Size(args) : 0;
    PropStorage *props = PyMem_RawCalloc(argc + 1, sizeof(PropStorage));
    GDExtensionPropertyInfo *infos = PyMem_RawCalloc(argc + 1, sizeof(GDExtensionPropertyInfo));
    GDExtensionClassMethodArgumentMetadata *meta = PyMem_RawCalloc(argc + 1, sizeof(*meta));
    int made = 0;
    for (int i = 0; ok && i < argc; i++) {
        PyObject *arg = PyTuple_GetItem(args, i);
        PyObject *type = PyObject_GetAttrString(arg, "type");
        char *arg_name = attr_utf8(arg, "name");
        ok = type && arg_name && prop_from_spec(type, arg_name, &props[i]);
        if (ok) infos[made++] = props[i].info;
        Py_XDECREF(type);
        free(arg_name);
    }
    PropStorage ret_prop;
    bool has_ret = false;
    if (ok) {
        has_ret = !(attr_long(ret, "variant_type") == 0 && attr_long(ret, "usage") == 0);
        ok = prop_from_spec(ret, "", &ret_prop);
    }
    if (ok) {
        StringName method_name;
        gd_string_name_new(&method_name, name);
        GDExtensionClassVirtualMethodInfo info = {
            .name = &method_name,
            .method_flags = (uint32_t)flags,
            .return_value = ret_prop.info,
            .return_value_metadata = GDEXTENSION_METHOD_ARGUMENT_METADATA_NONE,
            .argument_count = (uint32_t)argc,
            .arguments = infos,
            .arguments_metadata = meta,
        };
        if (!has_ret) info.return_value.usage = 6; /* void: NIL with default usage, as ClassDB shows it */
        gd.classdb_register_extension_class_virtual_method(gd.library, &ci->name, &info);
        gd_string_name_destroy(&method_name);
        prop_destroy(&ret_prop);
    }
    for (int i = 0; i < made; i++) prop_destroy(&props[i]);
    PyMem_RawFree(props);
    PyMem_RawFree(infos);
    PyMem_RawFree(meta);
    free(name);
    Py_XDECREF(args);
    Py_XDECREF(ret);
    return ok;
}

static bool register_signal(ClassInfo *ci, PyObject *sspec) {
    char *name = attr_utf8(sspec, "name");
    PyObject *args = PyObject_GetAttrString(sspec, "args");
    if (!name || !args) {
        free(name);
        Py_XDECREF(args);
        return false;
    }
    int argc = (int)PyTuple_Size(args);
    PropStorage *props = PyMem_RawCalloc(argc + 1, sizeof(PropStorage));
    GDExtensionPropertyInfo *infos = PyMem_RawCalloc(argc + 1, sizeof(GDExtensionPropertyInfo));
    int made = 0;
    bool ok = true;
    for (int i = 0; i < argc && ok; i++) {
        PyObject *arg = PyTuple_GetItem(args, i);
        PyObject *type = PyObject_GetAttrString(arg, "type");
        char *arg_name = attr_utf8(arg, "name");
        ok = type && arg_name && prop_from_spec(type, arg_name, &props[i]);
        if (ok) infos[made++] = props[i].info;
        Py_XDECREF(type);
        free(arg_name);
    }
    if (ok) {
        StringName sn;
        gd_string_name_new(&sn, name);
        gd.classdb_register_extension_class_signal(gd.library, &ci->name, &sn, infos, argc);
        gd_string_name_destroy(&sn);
    }
    for (int i = 0; i < made; i++) prop_destroy(&props[i]);
    PyMem_RawFree(props);
    PyMem_RawFree(infos);
    free(name);
    Py_DECREF(args);
    return ok;
}

static bool register_constant(ClassInfo *ci, PyObject *cspec) {
    char *name = attr_utf8(cspec, "name"), *enum_name = attr_utf8(cspec, "enum");
    PyObject *value = PyObject_GetAttrString(cspec, "value");
    PyObject *bitfield = PyObject_GetAttrString(cspec, "is_bitfield");
    bool ok = name && enum_name && value && bitfield;
    if (ok) {
        long long v = PyLong_AsLongLong(value);
        ok = !PyErr_Occurred();
        if (ok) {
            StringName e, n;
            gd_string_name_new(&e, enum_name);
            gd_string_name_new(&n, name);
            gd.classdb_register_extension_class_integer_constant(gd.library, &ci->name, &e, &n, v, PyObject_IsTrue(bitfield));
            gd_string_name_destroy(&e);
            gd_string_name_destroy(&n);
        }
    }
    free(name);
    free(enum_name);
    Py_XDECREF(value);
    Py_XDECREF(bitfield);
    return ok;
}

static ClassInfo *find_class(const char *name) {
    for (ClassInfo *c = classes; c; c = c->next)
        if (strcmp(c->name_utf8, name) == 0) return c;
    return NULL;
}

/* A function the class itself defines (not inherited), or NULL. */
static PyObject *own_class_attr(PyTypeObject *cls, const char *name) {
    PyObject *f = PyDict_GetItemString(cls->tp_dict, name); /* borrowed */
    return f && PyFunction_Check(f) ? Py_NewRef(f) : NULL;
}

static PyObject *optional_class_attr(PyTypeObject *cls, const char *name) {
    PyObject *f = PyObject_GetAttrString((PyObject *)cls, name);
    if (f && PyFunction_Check(f)) return f;
    PyErr_Clear();
    Py_XDECREF(f);
    return NULL;
}

#define FOR_EACH_IN(spec, attr, item, body)                                    \
    do {                                                                       \
        PyObject *seq_ = PyObject_GetAttrString(spec, attr);                   \
        PyObject *fast_ = seq_ ? PySequence_Fast(seq_, attr) : NULL;           \
        Py_XDECREF(seq_);                                                      \
        if (!fast_) goto fail;                                                 \
        for (Py_ssize_t i_ = 0; i_ < PySequence_Fast_GET_SIZE(fast_); i_++) {  \
            PyObject *item = PySequence_Fast_GET_ITEM(fast_, i_);              \
            if (!(body)) {                                                     \
                Py_DECREF(fast_);                                              \
                goto fail;                                                     \
            }                                                                  \
        }                                                                      \
        Py_DECREF(fast_);                                                      \
    } while (0)

PyObject *classes_register(PyObject *spec) {
    char *name = attr_utf8(spec, "name"), *parent = attr_utf8(spec, "parent"), *doc = attr_utf8(spec, "doc_xml");
    PyObject *pyclass = PyObject_GetAttrString(spec, "python_class");
    PyObject *abstract = PyObject_GetAttrString(spec, "is_abstract");
    if (!name || !parent || !doc || !pyclass || !abstract) goto bad_spec;
    if (!PyType_Check(pyclass) || !PyType_IsSubtype((PyTypeObject *)pyclass, &PyGodotObject_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: python_class must subclass a Godot class", name);
        goto bad_spec;
    }
    if (find_class(name)) {
        PyErr_Format(PyExc_ValueError, "a Python class named '%s' is already registered", name);
        goto bad_spec;
    }
    PyObject *engine_module = PyImport_ImportModule("godot._engine");
    PyObject *signature = engine_module ? PyObject_GetAttrString(engine_module, "virtual_signature") : NULL;
    Py_XDECREF(engine_module);
    if (!signature) goto bad_spec;

    ClassInfo *ci = PyMem_RawCalloc(1, sizeof *ci);
    ClassInfo *python_parent = find_class(parent);
    ci->python_parent = python_parent;
    ci->name_utf8 = name;
    ci->engine_base_utf8 = strdup(python_parent ? python_parent->engine_base_utf8 : parent);
    gd_string_name_new(&ci->name, name);
    gd_string_name_new(&ci->engine_base, ci->engine_base_utf8);
    ci->pyclass = (PyTypeObject *)pyclass; /* owned */
    ci->to_string = optional_class_attr(ci->pyclass, "_to_string");
    ci->notification_chain = PyObject_GetAttrString(spec, "notification_chain");
    if (ci->notification_chain && !PyTuple_Check(ci->notification_chain)) Py_SETREF(ci->notification_chain, PySequence_Tuple(ci->notification_chain));
    if (!ci->notification_chain) PyErr_Clear();
    else if (PyTuple_GET_SIZE(ci->notification_chain) == 0) Py_CLEAR(ci->notification_chain);
    ci->hook_get = optional_class_attr(ci->pyclass, "_get");
    ci->hook_set = optional_class_attr(ci->pyclass, "_set");
    ci->hook_property_list = own_class_attr(ci->pyclass, "_get_property_list"); /* the engine asks each level */
    ci->hook_validate = optional_class_attr(ci->pyclass, "_validate_property");
    ci->hook_can_revert = optional_class_attr(ci->pyclass, "_property_can_revert");
    ci->hook_get_revert = optional_class_attr(ci->pyclass, "_property_get_revert");
    ci->virtual_signature = signature;
    ci->is_exposed = attr_long(spec, "is_exposed") != 0;
    PyErr_Clear();
    ci->next = classes;
    classes = ci;

    StringName parent_name;
    gd_string_name_new(&parent_name, parent);
    GDExtensionBool is_abstract = (GDExtensionBool)PyObject_IsTrue(abstract);
    GDExtensionBool is_runtime = (GDExtensionBool)(attr_long(spec, "is_runtime") == 1);
    GDExtensionBool is_exposed = (GDExtensionBool)(attr_long(spec, "is_exposed") != 0);
    GDExtensionBool is_virtual = (GDExtensionBool)(attr_long(spec, "is_virtual") == 1);
    char *icon = attr_utf8(spec, "icon_path");
    PyErr_Clear();
    /* Info4 (4.4+) and Info3 (4.3) differ in the create and virtual-lookup signatures only. */
#define FILL_COMMON_CREATION_FIELDS(info)                                    \
    info.is_abstract = is_abstract;                                          \
    info.is_exposed = is_exposed;                                            \
    info.is_runtime = is_runtime;                                            \
    info.is_virtual = is_virtual;                                            \
    info.notification_func = ci->notification_chain ? notification : NULL;  \
    info.get_func = ci->hook_get ? hook_get : NULL;                          \
    info.set_func = ci->hook_set ? hook_set : NULL;                          \
    info.get_property_list_func = ci->hook_property_list ? hook_property_list : NULL; \
    info.free_property_list_func = hook_free_property_list;                  \
    info.validate_property_func = hook_validate;                             \
    info.property_can_revert_func = ci->hook_can_revert ? hook_can_revert : NULL; \
    info.property_get_revert_func = ci->hook_get_revert ? hook_get_revert : NULL; \
    info.to_string_func = ci->to_string ? to_string : NULL;                  \
    info.reference_func = reference_changed;                                 \
    info.unreference_func = reference_changed;                               \
    info.free_instance_func = free_instance;                                 \
    info.call_virtual_with_data_func = call_virtual;                         \
    info.class_userdata = ci
    if (gd.classdb_register_extension_class4) {
        GDExtensionClassCreationInfo4 info = {0};
        FILL_COMMON_CREATION_FIELDS(info);
        String icon_path;
        gd_string_new(&icon_path, icon ? icon : "", icon ? (Py_ssize_t)strlen(icon) : 0);
        info.icon_path = &icon_path;
        info.create_instance_func = create_instance;
        info.get_virtual_call_data_func = get_virtual_call_data;
        gd.classdb_register_extension_class4(gd.library, &ci->name, &parent_name, &info);
        gd_string_destroy(&icon_path);
    } else {
        /* Godot 4.3's creation info has no icon: say so rather than drop it without a word. */
        if (icon && *icon) {
            char why[256];
            snprintf(why, sizeof why, "Godot Python: class %s: icons (icon=) need Godot 4.4 or later; it has none", name);
            GD_ERR(why);
        }
        GDExtensionClassCreationInfo3 info = {0};
        FILL_COMMON_CREATION_FIELDS(info);
        info.create_instance_func = create_instance_v1;
        info.get_virtual_call_data_func = get_virtual_call_data_v1;
        gd.classdb_register_extension_class3(gd.library, &ci->name, &parent_name, &info);
    }
#undef FILL_COMMON_CREATION_FIELDS
    free(icon);
    gd_string_name_destroy(&parent_name);
    free(parent);
    parent = NULL;
    Py_DECREF(abstract);
    abstract = NULL;

    FOR_EACH_IN(spec, "methods", item, register_method(ci, item));
    GroupState groups = {NULL, NULL};
    FOR_EACH_IN(spec, "properties", item, register_property(ci, item, &groups));
    free(groups.group);
    free(groups.subgroup);
    FOR_EACH_IN(spec, "virtual_methods", item, register_virtual_method(ci, item));
    FOR_EACH_IN(spec, "signals", item, register_signal(ci, item));
    FOR_EACH_IN(spec, "constants", item, register_constant(ci, item));
    /* The editor's help database only exists from the EDITOR level on: keep the page. */
    if (doc[0]) ci->doc_xml = doc;
    else free(doc);
    if (ci->doc_xml && docs_loaded) /* registered later (a new class of a reloaded module) */
        gd.editor_help_load_xml_from_utf8_chars_and_len(ci->doc_xml, (GDExtensionInt)strlen(ci->doc_xml));
    Py_RETURN_NONE;

fail:
    free(doc);
    if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "malformed class spec for '%s'", name);
    return NULL; /* the class stays registered with what succeeded; the error says what failed */

bad_spec:
    free(name);
    free(parent);
    free(doc);
    Py_XDECREF(pyclass);
    Py_XDECREF(abstract);
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "malformed class spec");
    return NULL;
}

/* ---- hot reload ------------------------------------------------------------------------------------ */

/* THE place where the Python code behind a bound method changes (hot reload): anything derived
 * from m->function and cached for calls must be dropped or rebuilt here. Steals `function`. */
static void method_set_function(MethodInfo *m, PyObject *function) { Py_XSETREF(m->function, function); }

/* Replaced signatures, kept until shutdown without their function: a call on another thread
 * may have read m->reshaped (without the GIL) just before a reload replaced it; it then runs
 * through the owner (method_call). */
static MethodInfo *retired_methods;

static void retire_reshaped(MethodInfo *m) {
    MethodInfo *r = m->reshaped;
    if (!r) return;
    m->reshaped = NULL;
    method_set_function(r, NULL); /* method_call() sends a call that comes too late to the owner */
    r->next = retired_methods;
    retired_methods = r;
}

/* Whether ClassDB's bind of `a` describes `b` too: same arguments (count, types, classes),
 * return type and static/vararg kind. Default values may differ: calls fill them in here. */
static bool same_signature(const MethodInfo *a, const MethodInfo *b) {
    if (a->argc != b->argc || a->return_type != b->return_type || a->is_static != b->is_static ||
        a->is_vararg != b->is_vararg || a->return_elements.count != b->return_elements.count)
        return false;
    for (int i = 0; i < a->return_elements.count; i++)
        if (a->return_elements.types[i] != b->return_elements.types[i]) return false;
    for (int i = 0; i < a->argc; i++)
        if (a->arg_types[i] != b->arg_types[i] || a->arg_class_tags[i] != b->arg_class_tags[i]) return false;
    return true;
}

/* A method still in the class. New: bound in ClassDB. Bound with the same signature: it takes
 * the new function and defaults. Bound with another signature: the bind stays (the engine cannot
 * rebind a method), `reshaped` holds the new one (see method_call and reshaped_ptrcall). */
static bool update_method(ClassInfo *ci, PyObject *mspec) {
    char *name = attr_utf8(mspec, "name");
    if (!name) return false;
    MethodInfo *m = ci->methods;
    while (m && strcmp(m->name, name) != 0) m = m->next;
    free(name);
    if (!m) return register_method(ci, mspec);
    MethodInfo *fresh = method_from_spec(ci, mspec, false);
    if (!fresh) return false;
    m->removed = false;
    retire_reshaped(m);
    method_set_function(m, Py_NewRef(fresh->function));
    if (!same_signature(m, fresh)) {
        fresh->owner = m;
        m->reshaped = fresh;
        return true;
    }
    PyObject **defaults = m->defaults; /* the new default values (same count: same argc) */
    m->defaults = fresh->defaults;
    fresh->defaults = defaults;
    memcpy(m->convert, fresh->convert, sizeof(ArgConverter) * (size_t)m->argc); /* bytes <-> PackedByteArray */
    m->required = fresh->required;
    free_method(fresh);
    return true;
}

/* A bound method the class no longer has: its bind stays in ClassDB, a call reports it. */
static void remove_method(MethodInfo *m) {
    m->removed = true;
    method_set_function(m, NULL);
    retire_reshaped(m);
}

/* Marks removed every bound method whose name is not in the spec's methods. */
static bool remove_missing_methods(ClassInfo *ci, PyObject *spec) {
    PyObject *methods = PyObject_GetAttrString(spec, "methods");
    PyObject *fast = methods ? PySequence_Fast(methods, "methods must be a sequence") : NULL;
    Py_XDECREF(methods);
    if (!fast) return false;
    for (MethodInfo *m = ci->methods; m; m = m->next) {
        bool present = false;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast) && !present; i++) {
            char *name = attr_utf8(PySequence_Fast_GET_ITEM(fast, i), "name");
            present = name && strcmp(name, m->name) == 0;
            free(name);
        }
        if (PyErr_Occurred()) break;
        if (!present && !m->removed) remove_method(m);
    }
    Py_DECREF(fast);
    return !PyErr_Occurred();
}

/* Every class's virtual overrides, _to_string and _notification, looked up again: a reloaded
 * parent changes what its Python subclasses inherit. */
static void refresh_overrides(void) {
    for (ClassInfo *c = classes; c; c = c->next) {
        for (VirtualInfo *v = c->virtuals; v; v = v->next) virtual_resolve(c, v);
        Py_XSETREF(c->to_string, optional_class_attr(c->pyclass, "_to_string"));
        Py_XSETREF(c->hook_get, optional_class_attr(c->pyclass, "_get"));
        Py_XSETREF(c->hook_set, optional_class_attr(c->pyclass, "_set"));
        Py_XSETREF(c->hook_validate, optional_class_attr(c->pyclass, "_validate_property"));
        Py_XSETREF(c->hook_can_revert, optional_class_attr(c->pyclass, "_property_can_revert"));
        Py_XSETREF(c->hook_get_revert, optional_class_attr(c->pyclass, "_property_get_revert"));
        Py_XSETREF(c->hook_property_list, own_class_attr(c->pyclass, "_get_property_list"));
    }
}

/* classes_update(spec, property_overrides): the new version of a registered class, after
 * godot/_reload.py patched the Python class in place (so live instances run the new code). The
 * spec's methods are all of the class's methods (a bound one missing from them is marked
 * removed); its properties, virtual methods, signals and constants only the new ones (ClassDB
 * refuses to bind a member twice and cannot drop one from a live class: property_overrides
 * hides removed properties and re-types changed ones where an object lists them, and
 * _reload.py reports the rest). */
PyObject *classes_update(PyObject *spec, PyObject *property_overrides) {
    char *name = attr_utf8(spec, "name"), *doc = attr_utf8(spec, "doc_xml");
    ClassInfo *ci = name ? find_class(name) : NULL;
    if (!ci) {
        if (name) PyErr_Format(PyExc_LookupError, "no Python class named '%s' is registered", name);
        goto fail;
    }
    if (property_overrides != Py_None && !PyDict_Check(property_overrides)) {
        PyErr_SetString(PyExc_TypeError, "property_overrides must be a dict or None");
        goto fail;
    }
    if (!remove_missing_methods(ci, spec)) goto fail;
    FOR_EACH_IN(spec, "methods", item, update_method(ci, item));
    Py_XSETREF(ci->property_overrides, property_overrides == Py_None || PyDict_GET_SIZE(property_overrides) == 0
                                           ? NULL
                                           : Py_NewRef(property_overrides));
    GroupState groups = {NULL, NULL};
    FOR_EACH_IN(spec, "properties", item, register_property(ci, item, &groups));
    free(groups.group);
    free(groups.subgroup);
    FOR_EACH_IN(spec, "virtual_methods", item, register_virtual_method(ci, item));
    FOR_EACH_IN(spec, "signals", item, register_signal(ci, item));
    FOR_EACH_IN(spec, "constants", item, register_constant(ci, item));
    refresh_overrides();
    PyObject *chain = PyObject_GetAttrString(spec, "notification_chain");
    if (chain && !PyTuple_Check(chain)) Py_SETREF(chain, PySequence_Tuple(chain));
    if (!chain) PyErr_Clear();
    else if (PyTuple_GET_SIZE(chain) == 0) Py_CLEAR(chain);
    Py_XSETREF(ci->notification_chain, chain);
    if (doc[0]) {
        free(ci->doc_xml);
        ci->doc_xml = doc;
        doc = NULL;
        if (docs_loaded) gd.editor_help_load_xml_from_utf8_chars_and_len(ci->doc_xml, (GDExtensionInt)strlen(ci->doc_xml));
    }
    free(name);
    free(doc);
    Py_RETURN_NONE;
fail:
    free(name);
    free(doc);
    if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "malformed class spec");
    return NULL;
}

static void free_method(MethodInfo *m) {
    if (m->reshaped) free_method(m->reshaped);
    Py_XDECREF(m->function);
    container_destroy(&m->return_elements);
    for (int i = 0; i < m->argc; i++) Py_XDECREF(m->defaults[i]);
    PyMem_RawFree(m->defaults);
    PyMem_RawFree(m->arg_types);
    PyMem_RawFree(m->convert);
    PyMem_RawFree(m->arg_class_tags);
    free(m->name);
    PyMem_RawFree(m);
}

void classes_load_docs(void) {
    if (!gd.editor_help_load_xml_from_utf8_chars_and_len) return;
    docs_loaded = true;
    for (ClassInfo *ci = classes; ci; ci = ci->next) {
        if (ci->doc_xml) gd.editor_help_load_xml_from_utf8_chars_and_len(ci->doc_xml, (GDExtensionInt)strlen(ci->doc_xml));
    }
}

/* Children were registered after their parents, and `classes` is newest first: unregistering
 * in list order always removes a child before its parent. */
void classes_unregister_all(void) {
    Py_CLEAR(frame_hook);
    Py_CLEAR(str_init);
    while (retired_methods) {
        MethodInfo *r = retired_methods;
        retired_methods = r->next;
        free_method(r);
    }
    while (classes) {
        ClassInfo *ci = classes;
        classes = ci->next;
        gd.classdb_unregister_extension_class(gd.library, &ci->name);
        while (ci->methods) {
            MethodInfo *m = ci->methods;
            ci->methods = m->next;
            free_method(m);
        }
        while (ci->virtuals) {
            VirtualInfo *v = ci->virtuals;
            ci->virtuals = v->next;
            Py_XDECREF(v->function);
            free(v->name);
            PyMem_RawFree(v);
        }
        gd_string_name_destroy(&ci->name);
        gd_string_name_destroy(&ci->engine_base);
        Py_XDECREF(ci->pyclass);
        Py_XDECREF(ci->to_string);
        Py_XDECREF(ci->notification_chain);
        Py_XDECREF(ci->hook_get);
        Py_XDECREF(ci->hook_set);
        Py_XDECREF(ci->hook_property_list);
        Py_XDECREF(ci->hook_validate);
        Py_XDECREF(ci->hook_can_revert);
        Py_XDECREF(ci->hook_get_revert);
        Py_XDECREF(ci->property_overrides);
        Py_XDECREF(ci->virtual_signature);
        free(ci->name_utf8);
        free(ci->engine_base_utf8);
        free(ci->doc_xml);
        PyMem_RawFree(ci);
    }
}

/* ---- _godot functions of this part ----------------------------------------------------------- */

/* has_script_method(obj, name): whether the object's script defines `name` (@godot.virtual). */
PyObject *classes_has_script_method(PyObject *self, PyObject *args) {
    PyObject *obj, *name;
    if (!PyArg_ParseTuple(args, "O!U:has_script_method", &PyGodotObject_Type, &obj, &name)) return NULL;
    GDExtensionObjectPtr object = object_from_python(obj);
    if (!object) return NULL;
    if (!gd.object_has_script_method) Py_RETURN_FALSE; /* before 4.3: no script dispatch */
    StringName sn;
    if (!python_to_string_name(name, &sn)) return NULL;
    GDExtensionBool has = gd.object_has_script_method(object, &sn);
    gd_string_name_destroy(&sn);
    return PyBool_FromLong(has);
}

PyObject *classes_library_path(PyObject *self, PyObject *unused) {
    String path = {0};
    gd.get_library_path(gd.library, &path);
    PyObject *r = string_to_python(&path);
    gd_string_destroy(&path);
    return r;
}

/* Python constructing an internal class of its own: ClassDB refuses to instantiate classes
 * that are not exposed, so the bridge creates it as ClassDB would (create_instance). NULL for
 * every other class (construct it through ClassDB). */
GDExtensionObjectPtr classes_construct_internal(const char *name) {
    ClassInfo *ci = find_class(name);
    if (!ci || ci->is_exposed) return NULL;
    return create_instance(ci, 1);
}
