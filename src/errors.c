/* errors.c: the two error boundaries.
 *
 * Engine -> Python: bridge_report_exception() turns the pending Python exception into one
 * Godot error (message, traceback, file and line of the innermost Python frame) and clears
 * it. Every callback from the engine ends there when Python raised, so no exception ever
 * stays set and nothing aborts.
 *
 * Python -> engine: bridge_raise_call_error() turns a failed engine call into a Python
 * exception (godot.GodotError, or TypeError for argument problems). */
#include "gd.h"

#include <string.h>

void bridge_report_exception(const char *context) {
    if (!PyErr_Occurred()) return;
    PyObject *exc = PyErr_GetRaisedException(); /* owned */
    const char *file = "<python>";
    int line = 0;
    PyObject *file_obj = NULL, *text = NULL;

    /* The innermost frame is where Godot's "at:" line should point. */
    PyObject *tb = PyException_GetTraceback(exc);
    if (tb && PyTraceBack_Check(tb)) {
        PyTracebackObject *last = (PyTracebackObject *)tb;
        while (last->tb_next) last = last->tb_next;
        PyCodeObject *code = PyFrame_GetCode(last->tb_frame);
        line = PyFrame_GetLineNumber(last->tb_frame);
        file_obj = Py_NewRef(code->co_filename);
        Py_DECREF(code);
        const char *f = PyUnicode_AsUTF8(file_obj);
        if (f) file = f;
    }
    Py_XDECREF(tb);

    PyObject *traceback = PyImport_ImportModule("traceback");
    PyObject *lines = traceback ? PyObject_CallMethod(traceback, "format_exception", "O", exc) : NULL;
    PyObject *empty = PyUnicode_FromString("");
    if (lines && empty) text = PyUnicode_Join(empty, lines);
    Py_XDECREF(empty);
    Py_XDECREF(lines);
    Py_XDECREF(traceback);

    const char *body = text ? PyUnicode_AsUTF8(text) : NULL;
    if (!body) {
        PyErr_Clear();
        body = "(the traceback could not be formatted)\n";
    }
    size_t size = strlen(context) + strlen(body) + 4;
    char *message = PyMem_RawMalloc(size);
    snprintf(message, size, "%s\n%s", context, body);
    /* Strip the trailing newline: Godot adds its own "at:" line. */
    size_t len = strlen(message);
    while (len && message[len - 1] == '\n') message[--len] = 0;
    gd.print_error(message, context, file, line, 1);
    PyMem_RawFree(message);
    Py_XDECREF(text);
    Py_XDECREF(file_obj);
    Py_DECREF(exc);
    PyErr_Clear();
}

void bridge_raise_call_error(const char *what, const GDExtensionCallError *error) {
    switch (error->error) {
    case GDEXTENSION_CALL_ERROR_INVALID_METHOD:
        PyErr_Format(PyExc_AttributeError, "%s: no such method", what);
        break;
    case GDEXTENSION_CALL_ERROR_INVALID_ARGUMENT:
        PyErr_Format(PyExc_TypeError, "%s: argument %d has the wrong type (expected Variant type %d)", what,
                     (int)error->argument + 1, (int)error->expected);
        break;
    case GDEXTENSION_CALL_ERROR_TOO_MANY_ARGUMENTS:
        PyErr_Format(PyExc_TypeError, "%s: too many arguments (at most %d)", what, (int)error->expected);
        break;
    case GDEXTENSION_CALL_ERROR_TOO_FEW_ARGUMENTS:
        PyErr_Format(PyExc_TypeError, "%s: too few arguments (at least %d)", what, (int)error->expected);
        break;
    case GDEXTENSION_CALL_ERROR_INSTANCE_IS_NULL:
        PyErr_Format(PyExc_ReferenceError, "%s: the object is null or was freed", what);
        break;
    default:
        PyErr_Format(GodotError, "%s failed (call error %d)", what, (int)error->error);
        break;
    }
}
