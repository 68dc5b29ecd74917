/* module.c: the `_godot` built-in module, the low-level Python face of the bridge.
 *
 * Users import `godot`, which wraps this. What lives here: the native types (Object,
 * Variant), class registration, singletons, Godot's print/push_error/push_warning/str, the
 * exception reporter the loader uses, debug counters for the lifetime tests, and the call-cost
 * measurements of tools/bench (measure_call_floors, in gil.c). */
#include "gd.h"


/* Calls a vararg utility function (print, push_error, ...) with Python values. */
static PyObject *call_utility(GDExtensionPtrUtilityFunction func, PyObject *const *args, Py_ssize_t nargs) {
    CallArgs a;
    bool ok = call_args_init(&a, NULL, args, nargs);
    if (ok) {
        Variant ret;
        gd.variant_new_nil(&ret);
        Py_BEGIN_ALLOW_THREADS
        func(&ret, (GDExtensionConstTypePtr *)a.ptrs, (int32_t)a.count);
        Py_END_ALLOW_THREADS
        gd.variant_destroy(&ret);
    }
    call_args_release(&a);
    if (!ok) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_print(PyObject *self, PyObject *const *args, Py_ssize_t nargs) { return call_utility(gd.util_print, args, nargs); }
static PyObject *m_printerr(PyObject *self, PyObject *const *args, Py_ssize_t nargs) { return call_utility(gd.util_printerr, args, nargs); }
static PyObject *m_push_error(PyObject *self, PyObject *const *args, Py_ssize_t nargs) { return call_utility(gd.util_push_error, args, nargs); }
static PyObject *m_push_warning(PyObject *self, PyObject *const *args, Py_ssize_t nargs) { return call_utility(gd.util_push_warning, args, nargs); }

static PyObject *m_stringify(PyObject *self, PyObject *value) {
    Variant v;
    if (!python_to_variant(value, &v)) return NULL;
    String s = {0};
    gd.variant_stringify(&v, &s);
    PyObject *r = string_to_python(&s);
    gd_string_destroy(&s);
    gd.variant_destroy(&v);
    return r;
}

typedef void (*EnginePrinter)(const char *, const char *, const char *, int32_t, GDExtensionBool);

/* (message, function='', file='', line=0): one engine error or warning line. */
static PyObject *print_through(EnginePrinter printer, PyObject *args) {
    const char *message, *function = "", *file = "";
    int line = 0;
    if (!PyArg_ParseTuple(args, "s|ssi", &message, &function, &file, &line)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    printer(message, function, file, line, 1);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *m_print_error(PyObject *self, PyObject *args) { return print_through(gd.print_error, args); }
static PyObject *m_print_warning(PyObject *self, PyObject *args) { return print_through(gd.print_warning, args); }

static PyObject *m_singleton(PyObject *self, PyObject *name) {
    StringName sn;
    if (!python_to_string_name(name, &sn)) return NULL;
    GDExtensionObjectPtr object = gd.global_get_singleton(&sn);
    gd_string_name_destroy(&sn);
    if (!object) return PyErr_Format(PyExc_LookupError, "Godot has no singleton named %R", name);
    return object_to_python(object);
}

static PyObject *m_register_class(PyObject *self, PyObject *spec) { return classes_register(spec); }
static PyObject *m_update_class(PyObject *self, PyObject *args) {
    PyObject *spec, *overrides = Py_None;
    if (!PyArg_ParseTuple(args, "O|O:update_class", &spec, &overrides)) return NULL;
    return classes_update(spec, overrides);
}
static PyObject *m_set_frame_hook(PyObject *self, PyObject *hook) { return classes_set_frame_hook(hook); }

/* report_exception(context, exc): print a caught exception the way callbacks do. */
static PyObject *m_report_exception(PyObject *self, PyObject *args) {
    const char *context;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "sO", &context, &exc)) return NULL;
    if (!PyExceptionInstance_Check(exc)) return PyErr_Format(PyExc_TypeError, "expected an exception instance");
    PyErr_SetRaisedException(Py_NewRef(exc));
    bridge_report_exception(context);
    Py_RETURN_NONE;
}

/* editor_add_plugin(class_name) / editor_remove_plugin(class_name): the editor instantiates
 * the (registered, EditorPlugin-derived) class when it starts, as for any extension's plugin.
 * False when this engine has no editor (export templates). */
static PyObject *editor_plugin_call(void (*func)(GDExtensionConstStringNamePtr), PyObject *name) {
    if (!func) Py_RETURN_FALSE;
    StringName sn;
    if (!python_to_string_name(name, &sn)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    func(&sn);
    Py_END_ALLOW_THREADS
    gd_string_name_destroy(&sn);
    Py_RETURN_TRUE;
}

static PyObject *m_editor_add_plugin(PyObject *self, PyObject *name) { return editor_plugin_call(gd.editor_add_plugin, name); }
static PyObject *m_editor_remove_plugin(PyObject *self, PyObject *name) { return editor_plugin_call(gd.editor_remove_plugin, name); }

static PyObject *m_live_instances(PyObject *self, PyObject *unused) {
    objects_flush_releases();
    return PyLong_FromSsize_t(instances_live_count());
}

static PyObject *m_flush_releases(PyObject *self, PyObject *unused) {
    objects_flush_releases();
    Py_RETURN_NONE;
}

static PyObject *m_engine_version(PyObject *self, PyObject *unused) {
    return Py_BuildValue("(II)", gd.version_major, gd.version_minor);
}

static PyMethodDef module_methods[] = {
    {"print", (PyCFunction)(void (*)(void))m_print, METH_FASTCALL, "Godot's print(): arguments joined without separators."},
    {"printerr", (PyCFunction)(void (*)(void))m_printerr, METH_FASTCALL, "Godot's printerr()."},
    {"push_error", (PyCFunction)(void (*)(void))m_push_error, METH_FASTCALL, "Godot's push_error()."},
    {"push_warning", (PyCFunction)(void (*)(void))m_push_warning, METH_FASTCALL, "Godot's push_warning()."},
    {"stringify", m_stringify, METH_O, "Godot's str() of a value (Variant-to-String conversion)."},
    {"print_error", m_print_error, METH_VARARGS, "print_error(message, function='', file='', line=0)."},
    {"print_warning", m_print_warning, METH_VARARGS, "print_warning(message, function='', file='', line=0)."},
    {"singleton", m_singleton, METH_O, "The engine singleton of that name (OS, Engine, ...)."},
    {"register_class", m_register_class, METH_O, "Register a godot._spec.ClassSpec in ClassDB."},
    {"update_class", m_update_class, METH_VARARGS,
     "update_class(spec, property_overrides=None): hot reload, the new version of a registered class (godot/_reload.py)."},
    {"set_frame_hook", m_set_frame_hook, METH_O, "A callable the bridge runs once a frame on the main thread, or None."},
    {"report_exception", m_report_exception, METH_VARARGS, "report_exception(context, exc): print it through Godot."},
    {"editor_add_plugin", m_editor_add_plugin, METH_O, "editor_add_plugin(class_name): the editor will instantiate this EditorPlugin class."},
    {"editor_remove_plugin", m_editor_remove_plugin, METH_O, "editor_remove_plugin(class_name): undo editor_add_plugin."},
    {"live_instances", m_live_instances, METH_NOARGS, "Number of live Python-class instances (debug)."},
    {"flush_releases", m_flush_releases, METH_NOARGS, "Release Python instances whose Godot objects are unreferenced."},
    {"construct", (PyCFunction)(void (*)(void))convert_construct, METH_FASTCALL, "construct(type, *args): a new Godot value (Variant constructor) as a _godot.Variant."},
    {"has_script_method", classes_has_script_method, METH_VARARGS, "has_script_method(obj, name): whether the object's script defines that method."},
    {"library_path", classes_library_path, METH_NOARGS, "The path of this extension's own library (the .so Godot loaded)."},
    {"variant", convert_make_variant, METH_VARARGS, "variant(value, type=0): the engine value of value as a _godot.Variant."},
    {"engine_version", m_engine_version, METH_NOARGS, "(major, minor) of the running engine."},
    {"measure_call_floors", gil_measure_call_floors, METH_VARARGS,
     "measure_call_floors(function, argument, count): ns per GIL hand-over pair, per C call of function(argument), per parked-GIL take and park (tools/bench)."},
    {NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_godot",
    .m_doc = "The C bridge between CPython and Godot (use the `godot` package).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyObject *module_create(void) {
    PyObject *module = PyModule_Create(&module_def);
    if (!module) return NULL;
    GodotError = PyErr_NewExceptionWithDoc("_godot.GodotError", "An engine call failed.", PyExc_RuntimeError, NULL);
    if (!GodotError || PyModule_AddObjectRef(module, "GodotError", GodotError) < 0 || !objects_init(module) ||
        !methods_init(module) || !packed_init(module)) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

/* Called after convert_init(): the Variant box type exists then. */
bool module_add_late_types(PyObject *module) {
    return PyModule_AddObjectRef(module, "Variant", (PyObject *)convert_variant_box_type()) == 0 &&
           PyModule_AddObjectRef(module, "ByteBuffer", (PyObject *)&PyByteBuffer_Type) == 0 &&
           PyType_Ready(&PyBodyReceiver_Type) == 0 &&
           PyModule_AddObjectRef(module, "BodyReceiver", (PyObject *)&PyBodyReceiver_Type) == 0 &&
           PyType_Ready(&PyClientCall_Type) == 0 &&
           PyModule_AddObjectRef(module, "ClientCall", (PyObject *)&PyClientCall_Type) == 0;
}
