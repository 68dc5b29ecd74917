/* objects.c: Godot objects seen from Python, and who keeps whom alive.
 *
 * `_godot.Object` is the base of every Python value that stands for a Godot object: engine
 * proxies (a Node from get_node(), the OS singleton) and the instances of Python-registered
 * classes (their `self`).
 *
 * LIFETIME RULES
 * - Engine proxy of a RefCounted: holds one Godot reference (holds_ref); released when the
 *   proxy dies. Proxy of any other object: holds its ObjectID only; using it after the object
 *   was freed raises ReferenceError, never touches freed memory.
 * - Python-class instance P of a Godot object O, linked by an Instance (the extension
 *   instance). O owns P: Instance.py is a strong reference while anything on the engine
 *   side needs O. For a RefCounted O, P holds one Godot reference to O (its self reference)
 *   whenever Python code may keep P, so that keeping P keeps O alive: from its creation when
 *   Python made it, from the moment P is handed to Python code otherwise (object_to_python).
 *   An object GDScript makes starts without one, so GDScript reads a count of 1 as for an
 *   engine class; when a call into Python returns, P's self reference is dropped again if
 *   Python did not keep P and the engine still holds O (objects_settle, called by the
 *   trampolines: never inside O's own reference counting). The engine tells us when O's count
 *   crosses 1<->2 (class reference/unreference callbacks): with count - 1 engine holders,
 *   Instance.py is strong iff there is at least one. When the last engine holder goes,
 *   Instance.py is dropped; if nothing in Python holds P either, P dies and releases its
 *   self reference, which frees O. That release must not run inside O's own unreference()
 *   (the engine is still using O there), so it is queued and done at the next safe point
 *   (the next bridge call, the next frame, or shutdown): see release_queue below.
 * - A freed O (a Node's free(), or a RefCounted's last reference) detaches P: P.object is
 *   NULL afterwards and any use raises ReferenceError. */
#include "gd.h"

#include <string.h>

static const char TRACEBACK_ABOVE[] = " (traceback above)"; /* classes.c ends a failed call's reason so */

static PyObject *proxy_class_cache; /* owned dict: Godot class name (str) -> Python class */
static PyObject *make_proxy_class;  /* owned: godot._engine.proxy_class */
static Instance *live_instances;
static Py_ssize_t live_count;

/* ---- references -------------------------------------------------------------------------- */

static bool is_refcounted(GDExtensionObjectPtr object) {
    return gd.object_cast_to(object, gd.refcounted_tag) != NULL;
}

static void take_ref(GDExtensionObjectPtr object) {
    GDExtensionBool ok = 0;
    gd.object_method_bind_ptrcall(gd.mb_reference, object, NULL, &ok);
}

static void claim_initial_ref(GDExtensionObjectPtr object) {
    GDExtensionBool ok = 0;
    gd.object_method_bind_ptrcall(gd.mb_init_ref, object, NULL, &ok);
}

/* Drops one reference; frees the object when it was the last. */
static void release_ref(GDExtensionObjectPtr object) {
    GDExtensionBool die = 0;
    gd.object_method_bind_ptrcall(gd.mb_unreference, object, NULL, &die);
    if (die) gd.object_destroy(object);
}

void object_release_ref(GDExtensionObjectPtr object) { release_ref(object); }

/* ---- deferred releases ------------------------------------------------------------------------- */

typedef struct Pending {
    Instance *inst;
    struct Pending *next;
} Pending;
static Pending *release_queue;

static void queue_release(Instance *inst) {
    for (Pending *p = release_queue; p; p = p->next)
        if (p->inst == inst) return;
    Pending *p = PyMem_RawMalloc(sizeof *p);
    p->inst = inst;
    p->next = release_queue;
    release_queue = p;
}

static void unqueue_release(Instance *inst) {
    for (Pending **pp = &release_queue; *pp; pp = &(*pp)->next) {
        if ((*pp)->inst == inst) {
            Pending *dead = *pp;
            *pp = dead->next;
            PyMem_RawFree(dead);
            return;
        }
    }
}

/* ---- self references taken while Python code has P ------------------------------------------ */

/* Instances whose P got a self reference when handed to Python during the current call;
 * objects_settle() decides whether Python kept them. GIL-protected. Past the limit the self
 * reference simply stays until P dies (the count GDScript reads is then one higher). */
#define TOUCHED_MAX 64
static struct {
    Instance *inst;
    int depth; /* the call (nesting level) that handed P to Python */
} touched[TOUCHED_MAX];
static int touched_count;
static int call_depth; /* engine -> Python calls in progress (objects_enter/objects_settle) */

static void untouch(Instance *inst) {
    for (int i = 0; i < touched_count; i++) {
        if (touched[i].inst == inst) touched[i--] = touched[--touched_count];
    }
}

void objects_enter(void) { call_depth++; }

static bool python_holds(Instance *inst) {
    return inst->py && Py_REFCNT(inst->py) > (inst->py_owned ? 1 : 0);
}

static void take_self_ref(Instance *inst) {
    PyGodotObject *p = (PyGodotObject *)inst->py;
    p->holds_ref = true; /* first: the reference callbacks count engine holders without it */
    take_ref(inst->object);
}

static int64_t engine_holders(Instance *inst);

void objects_settle(Instance *self_instance) {
    /* The instance a method ran on: Python code may have kept `self`. */
    if (self_instance && self_instance->is_refcounted && self_instance->py &&
        !((PyGodotObject *)self_instance->py)->holds_ref && python_holds(self_instance))
        take_self_ref(self_instance);
    int depth = call_depth > 0 ? call_depth-- : 0;
    for (int i = 0; i < touched_count; i++) {
        if (touched[i].depth < depth) continue; /* an outer call's: settled when it returns */
        Instance *inst = touched[i].inst;
        PyGodotObject *p = (PyGodotObject *)inst->py;
        if (p && p->holds_ref && python_holds(inst)) {
            /* Still held: by an outer call's frame (look again when it returns) or kept. */
            if (depth > 1) {
                touched[i].depth = depth - 1;
                continue;
            }
        } else if (p && p->holds_ref && engine_holders(inst) >= 1) {
            p->holds_ref = false; /* Python let go and the engine holds O: its own count again */
            release_ref(inst->object);
        }
        touched[i--] = touched[--touched_count];
    }
}

static int64_t engine_holders(Instance *inst) {
    PyGodotObject *p = (PyGodotObject *)inst->py;
    return gd_ref_count(inst->object) - (p && p->holds_ref ? 1 : 0);
}

/* Called with the GIL at safe points: not inside any object's reference counting. */
void objects_flush_releases(void) {
    while (release_queue) {
        Pending *p = release_queue;
        release_queue = p->next;
        Instance *inst = p->inst;
        PyMem_RawFree(p);
        if (inst->py && inst->py_owned && engine_holders(inst) <= 0) {
            inst->py_owned = false;
            Py_DECREF(inst->py); /* may free P, then O and inst: do not touch inst after this */
        }
    }
}

void instance_update_ownership(Instance *inst) {
    if (!inst->is_refcounted || !inst->py) return;
    bool want_owned = engine_holders(inst) > 0;
    if (want_owned && !inst->py_owned) {
        Py_INCREF(inst->py);
        inst->py_owned = true;
        unqueue_release(inst);
    } else if (!want_owned && inst->py_owned) {
        if (Py_REFCNT(inst->py) > 1) {
            /* Python still holds P elsewhere: dropping ours cannot free anything now. */
            inst->py_owned = false;
            Py_DECREF(inst->py);
        } else {
            queue_release(inst);
        }
    }
}

/* ---- instances ----------------------------------------------------------------------------- */

Instance *instance_new(ClassInfo *cls, GDExtensionObjectPtr object, PyObject *py, bool self_ref) {
    Instance *inst = PyMem_RawCalloc(1, sizeof *inst);
    inst->object = object;
    inst->cls = cls;
    inst->py = py; /* the caller's reference becomes ours */
    inst->py_owned = true;
    inst->is_refcounted = is_refcounted(object);
    inst->next = live_instances;
    if (live_instances) live_instances->prev = inst;
    live_instances = inst;
    live_count++;
    PyGodotObject *p = (PyGodotObject *)py;
    p->object = object;
    p->id = gd.object_get_instance_id(object);
    p->instance = inst;
    if (inst->is_refcounted && self_ref) {
        take_ref(object); /* P's self reference (Python made it); the initial one stays for the creator */
        p->holds_ref = true;
    }
    return inst;
}

void instance_free(Instance *inst) {
    unqueue_release(inst);
    untouch(inst);
    if (inst->prev) inst->prev->next = inst->next;
    else live_instances = inst->next;
    if (inst->next) inst->next->prev = inst->prev;
    live_count--;
    PyObject *py = inst->py;
    if (py) {
        PyGodotObject *p = (PyGodotObject *)py;
        p->object = NULL;
        p->instance = NULL;
        p->holds_ref = false; /* the object is gone: nothing left to release */
        inst->py = NULL;
        if (inst->py_owned) Py_DECREF(py);
    }
    PyMem_RawFree(inst);
}

/* Before the interpreter stops: no engine callback may reach a Python object afterwards. */
void instances_detach_all(void) {
    objects_flush_releases();
    /* Objects that only Python keeps alive (its self references) are released now, while
     * both sides still run; the engine frees them and their instances leave the list. */
    Py_ssize_t count = 0;
    for (Instance *inst = live_instances; inst; inst = inst->next) count++;
    GDExtensionObjectPtr *self_held = PyMem_RawCalloc(count + 1, sizeof *self_held);
    Py_ssize_t n = 0;
    for (Instance *inst = live_instances; inst; inst = inst->next) {
        PyGodotObject *p = (PyGodotObject *)inst->py;
        if (p && p->holds_ref) {
            p->holds_ref = false;
            self_held[n++] = inst->object;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) release_ref(self_held[i]);
    PyMem_RawFree(self_held);
    for (Instance *inst = live_instances; inst; inst = inst->next) {
        PyObject *py = inst->py;
        if (!py) continue;
        PyGodotObject *p = (PyGodotObject *)py;
        p->instance = NULL;
        p->holds_ref = false; /* the engine frees what is left itself */
        inst->py = NULL;
        if (inst->py_owned) Py_DECREF(py);
        inst->py_owned = false;
    }
}

Py_ssize_t instances_live_count(void) { return live_count; }

/* ---- Python values for objects ---------------------------------------------------------------- */

static PyObject *proxy_class_for(GDExtensionObjectPtr object) {
    StringName name = {0};
    gd.object_get_class_name(object, gd.library, &name);
    PyObject *key = string_name_to_python(&name);
    gd_string_name_destroy(&name);
    if (!key) return NULL;
    PyObject *cls = PyDict_GetItemWithError(proxy_class_cache, key); /* borrowed */
    if (cls) {
        Py_DECREF(key);
        return Py_NewRef(cls);
    }
    cls = PyObject_CallOneArg(make_proxy_class, key);
    if (cls) PyDict_SetItem(proxy_class_cache, key, cls);
    Py_DECREF(key);
    return cls;
}

PyObject *object_to_python(GDExtensionObjectPtr object) {
    if (!object) Py_RETURN_NONE;
    Instance *inst = gd.object_get_instance_binding(object, gd.token, NULL);
    if (inst && inst->py) {
        /* Python code gets P: it may keep it, so P keeps O (settled when the call returns). */
        if (inst->is_refcounted && !((PyGodotObject *)inst->py)->holds_ref) {
            take_self_ref(inst);
            if (touched_count < TOUCHED_MAX) {
                touched[touched_count].inst = inst;
                touched[touched_count++].depth = call_depth;
            }
        }
        return Py_NewRef(inst->py);
    }
    PyObject *cls = proxy_class_for(object);
    if (!cls) return NULL;
    PyGodotObject *p = (PyGodotObject *)((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    Py_DECREF(cls);
    if (!p) return NULL;
    p->object = object;
    p->id = gd.object_get_instance_id(object);
    if (is_refcounted(object)) {
        take_ref(object);
        p->holds_ref = true;
    }
    return (PyObject *)p;
}

GDExtensionObjectPtr object_from_python(PyObject *obj) {
    PyGodotObject *p = (PyGodotObject *)obj;
    if (!p->object) {
        PyErr_SetString(PyExc_ReferenceError, "this Godot object was freed");
        return NULL;
    }
    if (!p->holds_ref && !gd.object_get_instance_from_id(p->id)) {
        p->object = NULL;
        PyErr_SetString(PyExc_ReferenceError, "this Godot object was freed");
        return NULL;
    }
    return p->object;
}

/* ---- calling the engine ----------------------------------------------------------------------- */

PyObject *engine_call(GDExtensionObjectPtr object, const StringName *method, PyObject *const *args, Py_ssize_t nargs) {
    CallArgs a;
    PyObject *result = NULL;
    if (call_args_init(&a, method, args, nargs)) {
        Variant ret;
        GDExtensionCallError error = {0};
        Py_BEGIN_ALLOW_THREADS
        gd.object_method_bind_call(gd.mb_call, object, (GDExtensionConstVariantPtr *)a.ptrs, a.count, &ret, &error);
        Py_END_ALLOW_THREADS
        if (error.error != GDEXTENSION_CALL_OK) {
            PyObject *name = string_name_to_python(method);
            char what[160];
            snprintf(what, sizeof what, "calling Godot method '%s'", name ? PyUnicode_AsUTF8(name) : "?");
            Py_XDECREF(name);
            /* Object.call reports the callee's errors shifted by one (the method name). */
            GDExtensionCallError shifted = error;
            if (shifted.error == GDEXTENSION_CALL_ERROR_INVALID_ARGUMENT) shifted.argument -= 1;
            /* A method that exists but failed (a Python callee that raised) carries its reason
             * as a String return: say that, not "no such method". */
            PyObject *reason = error.error == GDEXTENSION_CALL_ERROR_INVALID_METHOD &&
                                       gd_variant_type(&ret) == GDEXTENSION_VARIANT_TYPE_STRING
                                   ? variant_to_python(&ret)
                                   : NULL;
            PyErr_Clear();
            const char *why = reason && PyUnicode_Check(reason) ? PyUnicode_AsUTF8(reason) : NULL;
            if (why && *why) {
                /* Through nested calls (Python -> engine -> Python ...) keep the innermost cause. */
                for (const char *next; (next = strstr(why + 1, "Python raised "));) why = next;
                const char *tail = strstr(why, TRACEBACK_ABOVE);
                int keep = tail ? (int)(tail - why) : (int)strlen(why);
                PyObject *cause = PyUnicode_FromStringAndSize(why, keep); /* no %.*s before 3.12 */
                if (cause) PyErr_Format(GodotError, "%s failed: %U%s", what, cause, tail ? TRACEBACK_ABOVE : "");
                Py_XDECREF(cause);
            } else {
                bridge_raise_call_error(what, &shifted);
            }
            Py_XDECREF(reason);
        } else {
            result = variant_to_python(&ret);
        }
        gd.variant_destroy(&ret);
    }
    call_args_release(&a);
    return result;
}

/* ---- the _godot.Object type ------------------------------------------------------------------ */

static PyObject *object_call(PyGodotObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "call(method: str, *args)");
        return NULL;
    }
    GDExtensionObjectPtr object = object_from_python((PyObject *)self);
    if (!object) return NULL;
    StringName method;
    if (!python_to_string_name(args[0], &method)) return NULL;
    PyObject *r = engine_call(object, &method, args + 1, nargs - 1);
    gd_string_name_destroy(&method);
    return r;
}

static PyObject *object_free(PyGodotObject *self, PyObject *unused) {
    GDExtensionObjectPtr object = object_from_python((PyObject *)self);
    if (!object) return NULL;
    if (is_refcounted(object)) {
        PyErr_SetString(PyExc_TypeError, "RefCounted objects are freed by dropping their references, not free()");
        return NULL;
    }
    gd.object_destroy(object);
    self->object = NULL;
    Py_RETURN_NONE;
}

static PyObject *object_get_id(PyGodotObject *self, PyObject *unused) {
    return PyLong_FromUnsignedLongLong(self->id);
}

static PyObject *object_is_alive(PyGodotObject *self, PyObject *unused) {
    if (!self->object) Py_RETURN_FALSE;
    if (self->holds_ref) Py_RETURN_TRUE;
    return PyBool_FromLong(gd.object_get_instance_from_id(self->id) != NULL);
}

static PyObject *object_repr(PyGodotObject *self) {
    if (!self->object) return PyUnicode_FromFormat("<%s (freed)>", Py_TYPE(self)->tp_name);
    return PyUnicode_FromFormat("<%s#%llu>", Py_TYPE(self)->tp_name, (unsigned long long)self->id);
}

static Py_hash_t object_hash(PyGodotObject *self) {
    Py_hash_t h = (Py_hash_t)self->id;
    return h == -1 ? -2 : h;
}

static PyObject *object_richcompare(PyObject *a, PyObject *b, int op) {
    if (!PyObject_TypeCheck(b, &PyGodotObject_Type) || (op != Py_EQ && op != Py_NE)) Py_RETURN_NOTIMPLEMENTED;
    bool same = ((PyGodotObject *)a)->id == ((PyGodotObject *)b)->id;
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static int object_traverse(PyGodotObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->dict); /* the (heap) type is visited by subtype_traverse */
    return 0;
}

static int object_clear(PyGodotObject *self) {
    Py_CLEAR(self->dict);
    return 0;
}

static void object_dealloc(PyGodotObject *self) {
    PyObject_GC_UnTrack(self);
    if (self->weakrefs) PyObject_ClearWeakRefs((PyObject *)self);
    Instance *inst = self->instance;
    if (inst) {
        inst->py = NULL; /* P dies first; the object may outlive it only when unreferenced */
        inst->py_owned = false;
        self->instance = NULL;
    }
    object_clear(self);
    GDExtensionObjectPtr object = self->object;
    bool release = self->holds_ref && object;
    self->object = NULL;
    Py_TYPE(self)->tp_free((PyObject *)self); /* subtype_dealloc drops the type reference */
    if (release) release_ref(object);
}

static PyObject *str_godot_name, *str_godot_class; /* interned "__godot_name__", "__godot_class__" */

/* The engine's StringName of each Godot class name Python makes objects of, made once: building
 * one from UTF-8 hashes the text and looks it up in the engine's table under a lock, and
 * destroying it locks again, on every `StreamPeerTCP()` (docs/decisions/0019). Keyed by the name
 * object itself (the str in the class's dict, held here, so its address is not reused while
 * cached); a slot taken by another name is replaced. Emptied by objects_release(). GIL-protected. */
#define NAME_CACHE_SLOTS 32
static struct {
    PyObject *key; /* owned or NULL */
    StringName name;
} name_cache[NAME_CACHE_SLOTS];

static const StringName *cached_class_name(PyObject *godot_name) {
    size_t slot = ((uintptr_t)godot_name >> 4) % NAME_CACHE_SLOTS;
    if (name_cache[slot].key == godot_name) return &name_cache[slot].name;
    StringName name;
    if (!python_to_string_name(godot_name, &name)) return NULL;
    if (name_cache[slot].key) {
        gd_string_name_destroy(&name_cache[slot].name);
        Py_DECREF(name_cache[slot].key);
    }
    name_cache[slot].key = Py_NewRef(godot_name);
    name_cache[slot].name = name;
    return &name_cache[slot].name;
}

/* `SomeClass()` from Python: make the Godot object too. */
static PyObject *object_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    /* A registered Python class names itself (__godot_name__ in its own dict); a subclass of
     * one inherits the name; an engine class has __godot_class__. Looked up in the MRO's dicts
     * (the type attribute cache): an engine class's metaclass __getattr__ never runs (it raises
     * AttributeError for a missing name, ~1-2 us for every engine object made from Python). */
    PyObject *own = PyDict_GetItemWithError(type->tp_dict, str_godot_name); /* borrowed */
    if (!own && PyErr_Occurred()) return NULL;
    bool python_class = own != NULL;
    PyObject *godot_name = own ? own : _PyType_Lookup(type, str_godot_name);
    if (!godot_name) godot_name = _PyType_Lookup(type, str_godot_class);
    if (!godot_name) {
        return PyErr_Format(PyExc_TypeError, "'%s' is not a Godot class (no __godot_name__ or __godot_class__)",
                            type->tp_name);
    }
    Py_INCREF(godot_name);
    const StringName *name = cached_class_name(godot_name);
    if (!name) {
        Py_DECREF(godot_name);
        return NULL;
    }
    PyObject *self = type->tp_alloc(type, 0);
    if (!self) {
        Py_DECREF(godot_name);
        return NULL;
    }
    GDExtensionObjectPtr object;
    if (python_class) {
        pending_python_instance = self; /* create_instance adopts it instead of making one */
        object = classes_construct_internal(PyUnicode_AsUTF8(godot_name));
        if (!object) object = gd.classdb_construct_object(name);
        pending_python_instance = NULL;
    } else {
        object = gd.classdb_construct_object(name);
    }
    if (!object) {
        PyErr_Format(PyExc_TypeError, "Godot cannot instantiate class '%U' (abstract, editor-only or unknown)", godot_name);
        Py_DECREF(godot_name);
        Py_DECREF(self);
        return NULL;
    }
    Py_DECREF(godot_name);
    PyGodotObject *p = (PyGodotObject *)self;
    if (p->instance) {
        /* The Instance owns a strong reference and P a self reference; the creator here is
         * Python: the initial reference is claimed and given back, so P alone keeps O. */
        Py_INCREF(self);
        if (p->instance->is_refcounted) {
            claim_initial_ref(object);
            release_ref(object);
            instance_update_ownership(p->instance);
        }
        Py_DECREF(self);
        return self;
    }
    p->object = object;
    p->id = gd.object_get_instance_id(object);
    if (is_refcounted(object)) {
        claim_initial_ref(object);
        p->holds_ref = true;
    }
    return self;
}

static PyMethodDef object_methods[] = {
    {"call", (PyCFunction)(void (*)(void))object_call, METH_FASTCALL, "call(method, *args): call any method of the Godot object by name."},
    {"free", (PyCFunction)object_free, METH_NOARGS, "Free a non-RefCounted object now (Object.free())."},
    {"get_instance_id", (PyCFunction)object_get_id, METH_NOARGS, "The object's instance ID."},
    {"is_alive", (PyCFunction)object_is_alive, METH_NOARGS, "False once the Godot object was freed."},
    {NULL},
};

static PyGetSetDef object_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL},
};

PyTypeObject PyGodotObject_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.Object",
    .tp_doc = "A Godot object seen from Python: an engine object's proxy, or a Python class instance.",
    .tp_basicsize = sizeof(PyGodotObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = object_new,
    .tp_dealloc = (destructor)object_dealloc,
    .tp_traverse = (traverseproc)object_traverse,
    .tp_clear = (inquiry)object_clear,
    .tp_repr = (reprfunc)object_repr,
    .tp_hash = (hashfunc)object_hash,
    .tp_richcompare = object_richcompare,
    .tp_methods = object_methods,
    .tp_getset = object_getset,
    .tp_dictoffset = offsetof(PyGodotObject, dict),
    .tp_weaklistoffset = offsetof(PyGodotObject, weakrefs),
};

bool objects_init(PyObject *module) {
    if (PyType_Ready(&PyGodotObject_Type) < 0) return false;
    if (PyModule_AddObjectRef(module, "Object", (PyObject *)&PyGodotObject_Type) < 0) return false;
    str_godot_name = PyUnicode_InternFromString("__godot_name__");
    str_godot_class = PyUnicode_InternFromString("__godot_class__");
    proxy_class_cache = PyDict_New();
    return proxy_class_cache != NULL && str_godot_name && str_godot_class;
}

/* Called once godot._engine is importable (after the module exists). */
bool objects_bind_engine_module(void) {
    PyObject *engine = PyImport_ImportModule("godot._engine");
    if (!engine) return false;
    make_proxy_class = PyObject_GetAttrString(engine, "proxy_class");
    Py_DECREF(engine);
    return make_proxy_class != NULL;
}

void objects_release(void) {
    for (int i = 0; i < NAME_CACHE_SLOTS; i++) {
        if (!name_cache[i].key) continue;
        gd_string_name_destroy(&name_cache[i].name);
        Py_CLEAR(name_cache[i].key);
    }
    Py_CLEAR(str_godot_name);
    Py_CLEAR(str_godot_class);
    Py_CLEAR(proxy_class_cache);
    Py_CLEAR(make_proxy_class);
}
