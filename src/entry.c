/* entry.c: the GDExtension entry point, and the interpreter's start and stop.
 *
 * At the SCENE level the bridge starts the addon's own CPython runtime (never the machine's:
 * tools/runtime/README.md), puts the addon's lib/ folder first on sys.path, and lets
 * godot._loader import the class modules (the addon's classes/ folder, then the project's
 * res://python/), registering each class it finds. The GIL is released afterwards. At
 * deinitialisation everything is undone in reverse order.
 *
 * Finding the runtime: the library links libpython3.11.so.1.0 with an RPATH relative to its
 * own file ($ORIGIN/../runtime/lib in the addon, $ORIGIN/godot_python/runtime/lib beside an
 * exported game's library), so the dynamic loader has already loaded the runtime's libpython when
 * the entry point runs. The interpreter's home is the folder above the libpython actually
 * loaded (dladdr), so home, standard library and libpython always belong together. */
#include "gd.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define PY_STDLIB "python3.11"

PyThreadState *gd_main_thread_state; /* gd.h: set while the GIL is released between calls */
pthread_t gd_main_thread;
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

/* The parent of the folder holding `path` (a new string), e.g. .../bin/x.so -> ... */
static char *grandparent(const char *path) {
    char *copy = strdup(path);
    char *parent = strdup(dirname(copy));
    char *result = strdup(dirname(parent));
    free(parent);
    free(copy);
    return result;
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

/* The runtime folder (a new string): .../runtime/lib/libpython3.11.so.1.0 -> .../runtime.
 * Also makes libpython's symbols global: Godot loads extensions with local visibility, and
 * CPython's own extension modules (_ssl, _socket, ...) need libpython's symbols global. */
static char *runtime_home(void) {
    Dl_info info;
    if (!dladdr((void *)&Py_InitializeFromConfig, &info) || !info.dli_fname) {
        GD_ERR("Godot Python: cannot tell where libpython was loaded from");
        return NULL;
    }
    if (!dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD)) {
        char message[PATH_MAX + 128];
        snprintf(message, sizeof message, "Godot Python: cannot make %s global: %s", info.dli_fname, dlerror());
        GD_ERR(message);
        return NULL;
    }
    char resolved[PATH_MAX];
    return grandparent(realpath(info.dli_fname, resolved) ? resolved : info.dli_fname);
}

static bool config_status_ok(PyStatus status, const char *what) {
    if (!PyStatus_Exception(status)) return true;
    char message[512];
    snprintf(message, sizeof message, "Godot Python: %s: %s", what, status.err_msg ? status.err_msg : "?");
    GD_ERR(message);
    return false;
}

static bool set_path(PyConfig *config, wchar_t **field, const char *home, const char *suffix) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", home, suffix);
    return config_status_ok(PyConfig_SetBytesString(config, field, path), "configuring the interpreter");
}

static bool append_search_path(PyConfig *config, const char *base, const char *suffix) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", base, suffix);
    wchar_t *wide = Py_DecodeLocale(path, NULL);
    if (!wide) return false;
    PyStatus status = PyWideStringList_Append(&config->module_search_paths, wide);
    PyMem_RawFree(wide);
    return config_status_ok(status, "configuring sys.path");
}

/* An isolated interpreter: home inside the addon's runtime, sys.path only the runtime and the
 * addon (the loader adds the project's folders), no user site, no PYTHON* environment
 * variables, no current folder on sys.path, UTF-8 whatever the machine's locale. */
static bool init_interpreter(const char *home, const char *addon) {
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.utf8_mode = 1;
    if (!config_status_ok(Py_PreInitialize(&preconfig), "the interpreter did not pre-initialize")) return false;

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.install_signal_handlers = 0; /* the engine owns signals */
    config.parse_argv = 0;
    config.buffered_stdio = 0;
    config.user_site_directory = 0;
    config.use_environment = 0;
    config.safe_path = 1;
    config.module_search_paths_set = 1;
    bool ok = set_path(&config, &config.home, home, "") &&
              set_path(&config, &config.program_name, home, "/bin/" PY_STDLIB) &&
              set_path(&config, &config.executable, home, "/bin/" PY_STDLIB) &&
              append_search_path(&config, addon, "/lib") &&
              append_search_path(&config, home, "/lib/" PY_STDLIB) &&
              append_search_path(&config, home, "/lib/" PY_STDLIB "/lib-dynload") &&
              append_search_path(&config, home, "/lib/python3/dist-packages") &&
              config_status_ok(Py_InitializeFromConfig(&config), "the interpreter did not start");
    PyConfig_Clear(&config);
    return ok;
}

static bool start_python(void) {
    if (PyImport_AppendInittab("_godot", init_godot_module) < 0) return false;
    char *home = runtime_home();
    if (!home) return false;
    char *addon = library_dir();
    if (!init_interpreter(home, addon)) {
        free(home);
        free(addon);
        return false;
    }
    free(home);
    python_running = true;

    PyObject *module = PyImport_ImportModule("_godot");
    bool ok = module && convert_init() && module_add_late_types(module) && objects_bind_engine_module();
    Py_XDECREF(module);
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
    gd_main_thread = pthread_self();
    gd_main_thread_state = PyEval_SaveThread();
    gil_parking_start();
    return ok;
}

static void stop_python(void) {
    if (!python_running) return;
    gil_parking_stop(); /* the GIL is this thread's from here on */
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
    gd_main_thread_state = NULL;
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
        GilHold gil = gil_take();
        call_loader("load_editor", "Godot Python: loading the editor's Python classes failed");
        classes_load_docs();
        gil_give(gil);
        return;
    }
    if (level != GDEXTENSION_INITIALIZATION_SCENE) return;
    if (!gd_load_builtins()) return;
    start_python();
}

static void deinitialize(void *userdata, GDExtensionInitializationLevel level) {
    if (level == GDEXTENSION_INITIALIZATION_EDITOR && python_running) {
        GilHold gil = gil_take();
        call_loader("unload_editor", "Godot Python: removing the Python editor plugins failed");
        gil_give(gil);
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
