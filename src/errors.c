/* errors.c: the two error boundaries.
 *
 * Engine -> Python: bridge_report_exception() turns the pending Python exception into one
 * Godot error (message, traceback, file and line of the innermost Python frame) and clears
 * it. Every callback from the engine ends there when Python raised, so no exception ever
 * stays set and nothing aborts. The same error raised again and again (every frame) prints
 * once, then as a count (repeats.c).
 *
 * Python -> engine: bridge_raise_call_error() turns a failed engine call into a Python
 * exception (godot.GodotError, or TypeError for argument problems). */
#include "gd.h"

#include <string.h>

enum { TRACEBACK_HEADROOM = 200 }; /* frames formatting a traceback may use past the limit */

/* Where Godot's "at:" line points: the innermost frame of the traceback, or for a SyntaxError
 * the file and line of the mistake (its traceback ends in the importer). Sets *file_obj (owned,
 * may stay NULL) and returns the line. */
static int error_location(PyObject *exc, PyObject **file_obj) {
    int line = 0;
    if (PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_SyntaxError)) {
        PyObject *filename = PyObject_GetAttrString(exc, "filename");
        PyObject *lineno = PyObject_GetAttrString(exc, "lineno");
        if (filename && PyUnicode_Check(filename) && lineno && PyLong_Check(lineno)) {
            *file_obj = Py_NewRef(filename);
            line = (int)PyLong_AsLong(lineno);
        }
        Py_XDECREF(filename);
        Py_XDECREF(lineno);
        PyErr_Clear();
        if (*file_obj) return line;
    }
    PyObject *tb = PyException_GetTraceback(exc);
    if (tb && PyTraceBack_Check(tb)) {
        PyTracebackObject *last = (PyTracebackObject *)tb;
        while (last->tb_next) last = last->tb_next;
        PyCodeObject *code = PyFrame_GetCode(last->tb_frame);
        line = PyFrame_GetLineNumber(last->tb_frame);
        *file_obj = Py_NewRef(code->co_filename);
        Py_DECREF(code);
    }
    Py_XDECREF(tb);
    return line;
}

/* traceback.format_exception(exc) joined, or NULL. A RecursionError is reported from deep in
 * the stack: formatting gets some headroom above the recursion limit, then it is restored. */
static PyObject *format_traceback(PyObject *exc) {
    int limit = Py_GetRecursionLimit();
    Py_SetRecursionLimit(limit + TRACEBACK_HEADROOM);
    PyObject *traceback = PyImport_ImportModule("traceback");
    PyObject *lines = traceback ? PyObject_CallMethod(traceback, "format_exception", "O", exc) : NULL;
    PyObject *empty = PyUnicode_FromString("");
    PyObject *text = lines && empty ? PyUnicode_Join(empty, lines) : NULL;
    Py_XDECREF(empty);
    Py_XDECREF(lines);
    Py_XDECREF(traceback);
    Py_SetRecursionLimit(limit);
    return text;
}

/* str(exc) (a new reference, or NULL with the error cleared). At the recursion limit str()
 * itself would raise on 3.11, where C calls count against the same limit: it gets headroom. */
PyObject *bridge_exception_text(PyObject *exc) {
    int limit = Py_GetRecursionLimit();
    Py_SetRecursionLimit(limit + TRACEBACK_HEADROOM);
    PyObject *text = PyObject_Str(exc);
    Py_SetRecursionLimit(limit);
    if (!text) PyErr_Clear();
    return text;
}

/* The last non-empty line of the traceback ("KeyError: 'x'"), for the repeat counter. */
static void last_line(const char *text, char *out, size_t size) {
    size_t end = strlen(text);
    while (end && (text[end - 1] == '\n' || text[end - 1] == ' ')) end--;
    size_t start = end;
    while (start && text[start - 1] != '\n') start--;
    snprintf(out, size, "%.*s", (int)(end - start), text + start);
}

void bridge_report_exception(const char *context) {
    if (!PyErr_Occurred()) return;
    PyObject *exc = PyErr_GetRaisedException(); /* owned */
    PyObject *file_obj = NULL;
    int line = error_location(exc, &file_obj);
    const char *file = file_obj ? PyUnicode_AsUTF8(file_obj) : NULL;
    if (!file) {
        PyErr_Clear();
        file = "<python>";
    }

    PyObject *text = format_traceback(exc);
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
    char summary[512], exception_line[384];
    last_line(body, exception_line, sizeof exception_line);
    snprintf(summary, sizeof summary, "%s: %s", context, exception_line);
    if (repeats_should_print(message, summary, file, line)) gd.print_error(message, context, file, line, 1);
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
