/* entry.c: the GDExtension entry point, and the interpreter's start and stop.
 *
 * At the SCENE level the bridge starts CPython, puts the addon's lib/ folder first on
 * sys.path, and lets godot._loader import the class modules (the addon's classes/ folder,
 * then the project's res://python/), registering each class it finds. The GIL is released
 * afterwards. At deinitialisation everything is undone in reverse order. */
#include "gd.h"

#include <dlfcn.h>
#include <libgen.h>
#include <string.h>


static PyThreadState *main_thread_state;
static bool python_running;

static PyObject *init_godot_module(void) { return module_create(); }

/* The addon folder (a new string), from the library's own path:
 *   .../addons/godot_python/bin/libgodot_python...so -> .../addons/godot_python
 *   .../game/libgodot_python...so (an export) -> .../game/godot_python
 * An export puts the library beside the game's executable, where the engine looks for it,
 * and the addon's files in godot_python/ beside it (docs/decisions/0005-export-layout.md). */
static char *addon_dir_of_library(const char *library_path) {
    char *copy = strdup(library_path);
    char *folder = strdup(dirname(copy));
    free(copy);
    copy = strdup(folder);
    bool in_bin = strcmp(basename(copy), "bin") == 0;
    free(copy);
    char *addon;
    if (in_bin) {
        copy = strdup(folder);
        addon = strdup(dirname(copy));
        free(copy);
    } else {
        size_t size = strlen(folder) + sizeof "/godot_python";
        addon = malloc(size);
        snprintf(addon, size, "%s/godot_python", folder);
    }
    free(folder);
    return addon;
}

static char *library_dir(void) {
    String path = {0};
    gd.get_library_path(gd.library, &path);
    GDExtensionInt len = gd.string_to_utf8_chars(&path, NULL, 0);
    char *buffer = calloc(1, (size_t)len + 1);
    gd.string_to_utf8_chars(&path, buffer, len);
    gd_string_destroy(&path);
    char *addon = addon_dir_of_library(buffer);
    free(buffer);
    return addon;
}

static bool start_python(void) {
    /* Godot loads extensions with local symbol visibility; CPython's own extension modules
     * (_ssl, _socket, ...) need libpython's symbols global. */
    if (!dlopen(PYTHON_SONAME, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) && !dlopen(PYTHON_SONAME, RTLD_NOW | RTLD_GLOBAL)) {
        char message[512];
        snprintf(message, sizeof message, "Godot Python: cannot load %s: %s", PYTHON_SONAME, dlerror());
        GD_ERR(message);
        return false;
    }
    if (PyImport_AppendInittab("_godot", init_godot_module) < 0) return false;

    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.install_signal_handlers = 0; /* the engine owns signals */
    config.parse_argv = 0;
    config.buffered_stdio = 0;
    PyStatus status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        char message[512];
        snprintf(message, sizeof message, "Godot Python: the interpreter did not start: %s", status.err_msg ? status.err_msg : "?");
        GD_ERR(message);
        return false;
    }
    python_running = true;

    char *addon = library_dir();
    bool ok = false;
    PyObject *sys_path = PySys_GetObject("path"); /* borrowed */
    PyObject *lib = PyUnicode_FromFormat("%s/lib", addon);
    if (sys_path && lib && PyList_Insert(sys_path, 0, lib) == 0) {
        PyObject *module = PyImport_ImportModule("_godot");
        ok = module && convert_init() && module_add_late_types(module) && objects_bind_engine_module();
        Py_XDECREF(module);
    }
    Py_XDECREF(lib);
    if (!ok) {
        bridge_report_exception("Godot Python: the bridge could not start (is the addon's lib/ folder complete?)");
    } else {
        classes_init_trampolines();
        PyObject *loader = PyImport_ImportModule("godot._loader");
        PyObject *r = loader ? PyObject_CallMethod(loader, "load_all", "s", addon) : NULL;
        if (!r) bridge_report_exception("Godot Python: loading the Python class modules failed");
        Py_XDECREF(r);
        Py_XDECREF(loader);
    }
    free(addon);
    main_thread_state = PyEval_SaveThread();
    return ok;
}

static void stop_python(void) {
    if (!python_running) return;
    PyEval_RestoreThread(main_thread_state);
    PyObject *loader = PyImport_ImportModule("godot._loader");
    PyObject *r = loader ? PyObject_CallMethod(loader, "shutdown", NULL) : NULL;
    if (!r) bridge_report_exception("Godot Python: shutting down the Python side");
    Py_XDECREF(r);
    Py_XDECREF(loader);
    instances_detach_all();
    PyGC_Collect();
    repeats_flush();
    classes_unregister_all();
    convert_release();
    objects_release();
    Py_FinalizeEx();
    python_running = false;
}

/* Calls godot._loader.<function>() with the GIL held; a failure is reported, never raised. */
static void call_loader(const char *function, const char *context) {
    PyObject *loader = PyImport_ImportModule("godot._loader");
    PyObject *r = loader ? PyObject_CallMethod(loader, function, NULL) : NULL;
    if (!r) bridge_report_exception(context);
    Py_XDECREF(r);
    Py_XDECREF(loader);
}

static void initialize(void *userdata, GDExtensionInitializationLevel level) {
    if (level == GDEXTENSION_INITIALIZATION_EDITOR && python_running) {
        /* Editor classes exist from this level on: classes deriving from them (editor plugins,
         * the export plugin) register now, then every help page loads. */
        PyGILState_STATE gil = PyGILState_Ensure();
        call_loader("load_editor", "Godot Python: loading the editor's Python classes failed");
        classes_load_docs();
        PyGILState_Release(gil);
        return;
    }
    if (level != GDEXTENSION_INITIALIZATION_SCENE) return;
    if (!gd_load_builtins()) return;
    start_python();
}

static void deinitialize(void *userdata, GDExtensionInitializationLevel level) {
    if (level == GDEXTENSION_INITIALIZATION_EDITOR && python_running) {
        PyGILState_STATE gil = PyGILState_Ensure();
        call_loader("unload_editor", "Godot Python: removing the Python editor plugins failed");
        PyGILState_Release(gil);
        return;
    }
    if (level != GDEXTENSION_INITIALIZATION_SCENE) return;
    stop_python();
    gd_free_interned_names();
}

__attribute__((visibility("default"))) GDExtensionBool godot_python_init(GDExtensionInterfaceGetProcAddress get_proc_address,
                                                                          GDExtensionClassLibraryPtr library,
                                                                          GDExtensionInitialization *r_initialization) {
    if (!gd_load_interface(get_proc_address, library)) return 0;
    r_initialization->initialize = initialize;
    r_initialization->deinitialize = deinitialize;
    r_initialization->userdata = NULL;
    r_initialization->minimum_initialization_level = GDEXTENSION_INITIALIZATION_SCENE;
    return 1;
}
