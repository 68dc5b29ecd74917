/* packed.c: Packed*Array values between Godot and Python.
 *
 * `_godot.PackedArray` holds a Godot packed array (the engine's copy-on-write value: holding
 * it costs a reference, not a copy). godot/_types.py derives PackedInt32Array,
 * PackedInt64Array, PackedFloat32Array, PackedFloat64Array, PackedVector2/3/4Array,
 * PackedColorArray and PackedByteArray from it. They are fixed-size sequences (len, index,
 * slices, iteration, ==) and export their memory through the buffer protocol, so
 * memoryview(a), numpy.asarray(a) and numpy.frombuffer(a, ...) share the engine's memory.
 *
 * Who may write (the engine's copy-on-write rules, docs/benchmarks.md "Packed arrays"):
 * - an array that came from the engine (an argument, a return value) or that Python gave
 *   to the engine is SHARED: buffers are read-only, and `a[i] = v` copies it first (as a
 *   GDScript write to a shared array does) unless a buffer of it is still exported;
 * - an array Python built (`PackedFloat32Array(data)`, `a.copy()`) is Python's alone until
 *   it is given to the engine: its buffers are writable. Giving it to the engine shares it
 *   (no copy) unless a writable buffer is still exported, then the engine gets a copy.
 *
 * Conversions: a Variant packed array reaches Python as such an object (no copy), except
 * PackedByteArray, which arrives as `bytes` (one copy; Python code expects bytes there) and
 * PackedStringArray, a list of str. Python -> engine: these objects are shared, not copied;
 * bytes, bytearray, memoryview, array.array or numpy arrays of the element type are copied
 * once (memcpy); other sequences element by element.
 *
 * Also `_godot.ByteBuffer`, the receive buffer that becomes a PackedByteArray without a
 * copy, and the container helpers (size, resize) that Array and Dictionary use too. */
#include "gd.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* ---- packed arrays and containers ----------------------------------------------------------- */

int64_t container_size(int type, void *container) {
    int64_t size = 0;
    gd.size_of[type](container, NULL, &size, 0);
    return size;
}

void container_resize(int type, void *container, int64_t size) {
    int64_t ret = 0;
    const void *args[1] = {&size};
    gd.resize_of[type](container, args, &ret, 1);
}

static void *packed_index(int type, void *arr, int64_t i) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY: return gd.packed_byte_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: return gd.packed_int32_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: return gd.packed_int64_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: return gd.packed_float32_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: return gd.packed_float64_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY: return gd.packed_string_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR2_ARRAY: return gd.packed_vector2_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR3_ARRAY: return gd.packed_vector3_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR4_ARRAY: return gd.packed_vector4_array_operator_index(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_COLOR_ARRAY: return gd.packed_color_array_operator_index(arr, i);
    default: return NULL;
    }
}

/* Read-only element pointer: never copies shared data (packed_index may: copy-on-write). */
static const void *packed_index_const(int type, const void *arr, int64_t i) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY: return gd.packed_byte_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: return gd.packed_int32_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: return gd.packed_int64_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: return gd.packed_float32_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: return gd.packed_float64_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY: return gd.packed_string_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR2_ARRAY: return gd.packed_vector2_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR3_ARRAY: return gd.packed_vector3_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR4_ARRAY: return gd.packed_vector4_array_operator_index_const(arr, i);
    case GDEXTENSION_VARIANT_TYPE_PACKED_COLOR_ARRAY: return gd.packed_color_array_operator_index_const(arr, i);
    default: return NULL;
    }
}

static size_t packed_element_size(int type) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR2_ARRAY: return 2 * sizeof(real_t);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR3_ARRAY: return 3 * sizeof(real_t);
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR4_ARRAY: return 4 * sizeof(real_t);
    case GDEXTENSION_VARIANT_TYPE_PACKED_COLOR_ARRAY: return 4 * sizeof(float);
    default: return 0;
    }
}

static int packed_vector_element_type(int type) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR2_ARRAY: return GDEXTENSION_VARIANT_TYPE_VECTOR2;
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR3_ARRAY: return GDEXTENSION_VARIANT_TYPE_VECTOR3;
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR4_ARRAY: return GDEXTENSION_VARIANT_TYPE_VECTOR4;
    case GDEXTENSION_VARIANT_TYPE_PACKED_COLOR_ARRAY: return GDEXTENSION_VARIANT_TYPE_COLOR;
    default: return 0;
    }
}

/* ---- the PackedArray type ------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    PackedArray array; /* owned: a reference to the engine's copy-on-write data */
    int type;          /* Variant type */
    int64_t size;      /* fixed while the object lives */
    Py_ssize_t exports, writable_exports;
    bool shared;       /* the engine may hold the same data: writes copy first */
} PyPackedArray;

/* Element layout of the buffer-exportable packed types: item format and components. */
static bool packed_layout(int type, const char **format, Py_ssize_t *itemsize, int *components) {
    *components = 1;
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY: *format = "B"; *itemsize = 1; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: *format = "i"; *itemsize = 4; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: *format = "q"; *itemsize = 8; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: *format = "f"; *itemsize = 4; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: *format = "d"; *itemsize = 8; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_COLOR_ARRAY: *format = "f"; *itemsize = 4; *components = 4; return true;
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR2_ARRAY: *components = 2; break;
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR3_ARRAY: *components = 3; break;
    case GDEXTENSION_VARIANT_TYPE_PACKED_VECTOR4_ARRAY: *components = 4; break;
    default: return false;
    }
    *format = sizeof(real_t) == 8 ? "d" : "f";
    *itemsize = sizeof(real_t);
    return true;
}

static bool is_wrapper_type(int type) {
    const char *f = "B";
    Py_ssize_t size = 0;
    int comps = 1;
    return packed_layout(type, &f, &size, &comps);
}

static const void *read_pointer(PyPackedArray *self) {
    if (!self->size) return "";
    return self->type == GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY
               ? gd.packed_byte_array_operator_index_const(&self->array, 0)
               : (const void *)packed_index_const(self->type, &self->array, 0);
}

/* The writable memory: copies the data first when it is shared (copy-on-write). */
static void *write_pointer(PyPackedArray *self) {
    if (!self->size) return (void *)"";
    void *p = packed_index(self->type, &self->array, 0);
    self->shared = false;
    return p;
}

static GDExtensionPtrConstructor copy_constructor(int type) {
    static GDExtensionPtrConstructor ctors[VT_MAX];
    if (!ctors[type]) ctors[type] = gd.variant_get_ptr_constructor((GDExtensionVariantType)type, 1);
    return ctors[type];
}

static PyObject *wrap(PyTypeObject *cls, int type, PackedArray *arr, bool shared) {
    PyPackedArray *self = (PyPackedArray *)cls->tp_alloc(cls, 0);
    if (!self) return NULL;
    const void *args[1] = {arr};
    copy_constructor(type)(&self->array, args);
    self->type = type;
    self->size = container_size(type, &self->array);
    self->shared = shared;
    return (PyObject *)self;
}

static PyObject *packed_copy(PyPackedArray *self, PyObject *unused);
bool packed_wrapper_fill(PyObject *obj, int type, PackedArray *arr);

PyObject *packed_to_python(int type, PackedArray *arr) {
    if (type != GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY && is_wrapper_type(type)) {
        PyObject *cls = convert_class_for_type_borrowed(type);
        if (cls && PyType_IsSubtype((PyTypeObject *)cls, &PyPackedArray_Type)) return wrap((PyTypeObject *)cls, type, arr, true);
    }
    int64_t n = container_size(type, arr);
    if (type == GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY) {
        if (n == 0) return PyBytes_FromStringAndSize(NULL, 0);
        return PyBytes_FromStringAndSize((const char *)gd.packed_byte_array_operator_index_const(arr, 0), n);
    }
    PyObject *list = PyObject_CallNoArgs(convert_class_for_type_borrowed(type));
    if (!list) return NULL;
    for (int64_t i = 0; i < n; i++) {
        const void *item = packed_index_const(type, arr, i);
        PyObject *value;
        switch (type) {
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: value = PyLong_FromLong(*(const int32_t *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: value = PyLong_FromLongLong(*(const int64_t *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: value = PyFloat_FromDouble(*(const float *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: value = PyFloat_FromDouble(*(const double *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY: value = string_to_python(item); break;
        default: value = vector_from_memory(packed_vector_element_type(type), item); break;
        }
        if (!value || PyList_Append(list, value) < 0) {
            Py_XDECREF(value);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(value);
    }
    return list;
}

PyObject *packed_share_to_python(int type, PackedArray *arr) {
    PyObject *cls = convert_class_for_type_borrowed(type);
    if (is_wrapper_type(type) && cls && PyType_IsSubtype((PyTypeObject *)cls, &PyPackedArray_Type))
        return wrap((PyTypeObject *)cls, type, arr, true);
    return packed_to_python(type, arr);
}

/* One element as a Python value. */
static PyObject *element_to_python(int type, const void *item) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY: return PyLong_FromLong(*(const uint8_t *)item);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: return PyLong_FromLong(*(const int32_t *)item);
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: return PyLong_FromLongLong(*(const int64_t *)item);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: return PyFloat_FromDouble(*(const float *)item);
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: return PyFloat_FromDouble(*(const double *)item);
    default: return vector_from_memory(packed_vector_element_type(type), item);
    }
}

static bool element_from_python(int type, PyObject *value, void *slot) {
    switch (type) {
    case GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY: {
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred()) return false;
        if (v < 0 || v > 255) {
            PyErr_Format(PyExc_ValueError, "a byte must be in 0..255, not %ld", v);
            return false;
        }
        *(uint8_t *)slot = (uint8_t)v;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: {
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred()) return false;
        *(int32_t *)slot = (int32_t)v;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: {
        long long v = PyLong_AsLongLong(value);
        if (v == -1 && PyErr_Occurred()) return false;
        *(int64_t *)slot = v;
        return true;
    }
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY:
    case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: {
        double d = PyFloat_AsDouble(value);
        if (d == -1.0 && PyErr_Occurred()) return false;
        if (type == GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY) *(float *)slot = (float)d;
        else *(double *)slot = d;
        return true;
    }
    default: return vector_to_memory(packed_vector_element_type(type), value, slot);
    }
}

static int class_variant_type(PyTypeObject *cls) {
    PyObject *vt = PyObject_GetAttrString((PyObject *)cls, "__variant_type__");
    if (!vt) return -1;
    long t = PyLong_AsLong(vt);
    Py_DECREF(vt);
    if (t == -1 && PyErr_Occurred()) return -1;
    if (!is_wrapper_type((int)t)) {
        PyErr_Format(PyExc_TypeError, "%.100s: __variant_type__ %ld is not a packed numeric type", cls->tp_name, t);
        return -1;
    }
    return (int)t;
}

/* PackedXArray(data=()): a new array Python owns, from a buffer or any iterable (one copy). */
static PyObject *packed_new(PyTypeObject *cls, PyObject *args, PyObject *kwargs) {
    PyObject *data = NULL;
    static char *kwlist[] = {"data", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:PackedArray", kwlist, &data)) return NULL;
    int type = class_variant_type(cls);
    if (type < 0) return NULL;
    PackedArray arr;
    gd.construct_default[type](&arr, NULL);
    bool ok = true;
    if (data) {
        PyObject *source = data;
        if (!PyObject_CheckBuffer(data) && !PyList_Check(data) && !PyTuple_Check(data)) {
            source = PySequence_List(data); /* generators and other iterables */
            if (!source) ok = false;
        } else {
            Py_INCREF(source);
        }
        if (ok) ok = packed_from_python(type, source, &arr);
        Py_XDECREF(source);
    }
    PyObject *self = ok ? wrap(cls, type, &arr, false) : NULL;
    gd.destroy[type](&arr);
    return self;
}

static void packed_dealloc(PyPackedArray *self) {
    if (self->type) gd.destroy[self->type](&self->array);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t packed_length(PyPackedArray *self) { return (Py_ssize_t)self->size; }

static size_t element_bytes(int type) {
    const char *f = "B";
    Py_ssize_t itemsize = 0;
    int comps = 1;
    packed_layout(type, &f, &itemsize, &comps);
    return (size_t)itemsize * comps;
}

static PyObject *packed_item(PyPackedArray *self, Py_ssize_t i) {
    if (i < 0 || i >= self->size) {
        PyErr_SetString(PyExc_IndexError, "packed array index out of range");
        return NULL;
    }
    const uint8_t *base = read_pointer(self);
    return element_to_python(self->type, base + (size_t)i * element_bytes(self->type));
}

static PyObject *packed_tolist(PyPackedArray *self, PyObject *unused) {
    PyObject *list = PyList_New((Py_ssize_t)self->size);
    if (!list) return NULL;
    const uint8_t *base = read_pointer(self);
    size_t step = element_bytes(self->type);
    for (Py_ssize_t i = 0; i < self->size; i++) {
        PyObject *v = element_to_python(self->type, base + (size_t)i * step);
        if (!v) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

static PyObject *packed_subscript(PyPackedArray *self, PyObject *key) {
    if (PyIndex_Check(key)) {
        Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) return NULL;
        if (i < 0) i += (Py_ssize_t)self->size;
        return packed_item(self, i);
    }
    if (PySlice_Check(key)) { /* a slice is a list (a copy of those elements) */
        PyObject *all = packed_tolist(self, NULL);
        if (!all) return NULL;
        PyObject *r = PyObject_GetItem(all, key);
        Py_DECREF(all);
        return r;
    }
    return PyErr_Format(PyExc_TypeError, "packed array indices must be integers or slices, not %.100s", Py_TYPE(key)->tp_name);
}

static int packed_ass_subscript(PyPackedArray *self, PyObject *key, PyObject *value) {
    if (!value) {
        PyErr_SetString(PyExc_TypeError, "packed arrays have a fixed size in Python: build a list, then convert it");
        return -1;
    }
    if (!PyIndex_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "packed array assignment takes an integer index");
        return -1;
    }
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred()) return -1;
    if (i < 0) i += (Py_ssize_t)self->size;
    if (i < 0 || i >= self->size) {
        PyErr_SetString(PyExc_IndexError, "packed array assignment index out of range");
        return -1;
    }
    if (self->shared && self->exports) {
        PyErr_SetString(PyExc_BufferError, "this packed array is shared with the engine and a buffer of it is still exported: "
                                           "release the memoryview (or write into a.copy())");
        return -1;
    }
    uint8_t tmp[64];
    if (!element_from_python(self->type, value, tmp)) return -1;
    uint8_t *base = write_pointer(self); /* copies a shared array first */
    memcpy(base + (size_t)i * element_bytes(self->type), tmp, element_bytes(self->type));
    return 0;
}

static int packed_getbuffer(PyPackedArray *self, Py_buffer *view, int flags) {
    const char *format = "B";
    Py_ssize_t itemsize = 1;
    int comps = 1;
    packed_layout(self->type, &format, &itemsize, &comps);
    bool writable = !self->shared;
    if ((flags & PyBUF_WRITABLE) && !writable) {
        PyErr_SetString(PyExc_BufferError, "this packed array is shared with the engine (copy-on-write): its buffer is "
                                           "read-only; a.copy() gives one Python may write");
        view->obj = NULL;
        return -1;
    }
    view->buf = writable ? write_pointer(self) : (void *)read_pointer(self);
    view->obj = Py_NewRef(self);
    view->len = (Py_ssize_t)self->size * itemsize * comps;
    view->readonly = !writable;
    view->itemsize = itemsize;
    view->format = (flags & PyBUF_FORMAT) ? (char *)format : NULL;
    view->ndim = comps > 1 ? 2 : 1;
    view->shape = NULL;
    view->strides = NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    if (flags & PyBUF_ND) {
        Py_ssize_t *dims = PyMem_Malloc(4 * sizeof(Py_ssize_t));
        if (!dims) {
            Py_CLEAR(view->obj);
            PyErr_NoMemory();
            return -1;
        }
        dims[0] = (Py_ssize_t)self->size;
        dims[1] = comps;
        dims[2] = itemsize * comps;
        dims[3] = itemsize;
        view->shape = dims;
        if ((flags & PyBUF_STRIDES) == PyBUF_STRIDES) view->strides = dims + 2;
        view->internal = dims;
    } else if (comps > 1) {
        view->ndim = 1; /* a flat view of the components */
    }
    self->exports++;
    if (writable) self->writable_exports++;
    return 0;
}

static void packed_releasebuffer(PyPackedArray *self, Py_buffer *view) {
    PyMem_Free(view->internal);
    self->exports--;
    if (!view->readonly) self->writable_exports--;
}

static PyObject *packed_copy(PyPackedArray *self, PyObject *unused) {
    PackedArray arr;
    gd.construct_default[self->type](&arr, NULL);
    container_resize(self->type, &arr, self->size);
    if (self->size) memcpy(packed_index(self->type, &arr, 0), read_pointer(self), (size_t)self->size * element_bytes(self->type));
    PyObject *r = wrap(Py_TYPE(self), self->type, &arr, false);
    gd.destroy[self->type](&arr);
    return r;
}

static PyObject *packed_tobytes(PyPackedArray *self, PyObject *unused) {
    return PyBytes_FromStringAndSize(read_pointer(self), (Py_ssize_t)(self->size * element_bytes(self->type)));
}

static PyObject *packed_is_shared(PyPackedArray *self, void *closure) { return PyBool_FromLong(self->shared); }

static PyObject *packed_repr(PyPackedArray *self) {
    PyObject *list = packed_tolist(self, NULL);
    if (!list) return NULL;
    PyObject *r = PyUnicode_FromFormat("%s(%R)", _PyType_Name(Py_TYPE(self)), list);
    Py_DECREF(list);
    return r;
}

static PyObject *packed_richcompare(PyObject *a, PyObject *b, int op) {
    if (op != Py_EQ && op != Py_NE) Py_RETURN_NOTIMPLEMENTED;
    if (!PySequence_Check(b) || PyUnicode_Check(b)) Py_RETURN_NOTIMPLEMENTED;
    PyObject *left = packed_tolist((PyPackedArray *)a, NULL);
    if (!left) return NULL;
    PyObject *right = PyObject_TypeCheck(b, &PyPackedArray_Type) ? packed_tolist((PyPackedArray *)b, NULL) : PySequence_List(b);
    if (!right) {
        Py_DECREF(left);
        return NULL;
    }
    PyObject *r = PyObject_RichCompare(left, right, op);
    Py_DECREF(left);
    Py_DECREF(right);
    return r;
}

/* Moves nothing: the Variant shares the array (no copy), unless Python still has a writable
 * buffer of it, then the engine gets a copy. */
bool packed_wrapper_fill(PyObject *obj, int type, PackedArray *arr) {
    PyPackedArray *self = (PyPackedArray *)obj;
    if (self->type != type) return false;
    gd.destroy[type](arr);
    if (self->writable_exports) {
        gd.construct_default[type](arr, NULL);
        container_resize(type, arr, self->size);
        if (self->size) memcpy(packed_index(type, arr, 0), read_pointer(self), (size_t)self->size * element_bytes(type));
        return true;
    }
    const void *args[1] = {&self->array};
    copy_constructor(type)(arr, args);
    self->shared = true;
    return true;
}

static PyBufferProcs packed_as_buffer = {(getbufferproc)packed_getbuffer, (releasebufferproc)packed_releasebuffer};
static PySequenceMethods packed_as_sequence = {
    .sq_length = (lenfunc)packed_length,
    .sq_item = (ssizeargfunc)packed_item,
};
static PyMappingMethods packed_as_mapping = {
    .mp_length = (lenfunc)packed_length,
    .mp_subscript = (binaryfunc)packed_subscript,
    .mp_ass_subscript = (objobjargproc)packed_ass_subscript,
};
static PyMethodDef packed_methods[] = {
    {"tolist", (PyCFunction)packed_tolist, METH_NOARGS, "The elements as a list."},
    {"copy", (PyCFunction)packed_copy, METH_NOARGS, "A copy Python owns alone (its buffer is writable)."},
    {"tobytes", (PyCFunction)packed_tobytes, METH_NOARGS, "A copy of the memory as bytes."},
    {NULL},
};
static PyGetSetDef packed_getset[] = {
    {"shared", (getter)packed_is_shared, NULL, "True while the engine may hold the same data (buffers are read-only).", NULL},
    {NULL},
};

PyTypeObject PyPackedArray_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.PackedArray",
    .tp_doc = "A Godot packed array: a fixed-size sequence that shares the engine's memory through the buffer protocol.",
    .tp_basicsize = sizeof(PyPackedArray),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_SEQUENCE,
    .tp_new = packed_new,
    .tp_dealloc = (destructor)packed_dealloc,
    .tp_repr = (reprfunc)packed_repr,
    .tp_richcompare = packed_richcompare,
    .tp_as_buffer = &packed_as_buffer,
    .tp_as_sequence = &packed_as_sequence,
    .tp_as_mapping = &packed_as_mapping,
    .tp_methods = packed_methods,
    .tp_getset = packed_getset,
};

/* A buffer whose items are the element type (array.array('f'), a numpy float32 array, a
 * memoryview of one, ...) is copied with one memcpy: 1 done, 0 not such a buffer, -1 error. */
static int packed_from_buffer(int type, PyObject *obj, PackedArray *arr) {
    const char *format = "B";
    Py_ssize_t itemsize = 1;
    int comps = 1;
    packed_layout(type, &format, &itemsize, &comps);
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        return 0;
    }
    const char *f = view.format ? view.format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    int result = 0;
    if (view.itemsize == itemsize && strcmp(f, format) == 0 && view.len % (itemsize * comps) == 0) {
        int64_t n = view.len / (itemsize * comps);
        container_resize(type, arr, n);
        if (n) memcpy(packed_index(type, arr, 0), view.buf, (size_t)view.len);
        result = 1;
    }
    PyBuffer_Release(&view);
    return result;
}

/* Fills a default-constructed packed array of `type` from a Python sequence or buffer. */
bool packed_from_python(int type, PyObject *obj, PackedArray *arr) {
    if (PyObject_TypeCheck(obj, &PyPackedArray_Type) && packed_wrapper_fill(obj, type, arr)) return true;
    if (type != GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY && is_wrapper_type(type) && PyObject_CheckBuffer(obj)) {
        int copied = packed_from_buffer(type, obj, arr);
        if (copied != 0) return copied > 0;
    }
    if (type == GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY) {
        Py_buffer view;
        if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) return false;
        container_resize(type, arr, view.len);
        if (view.len) memcpy(gd.packed_byte_array_operator_index(arr, 0), view.buf, view.len);
        PyBuffer_Release(&view);
        return true;
    }
    PyObject *seq = PySequence_Fast(obj, "expected a sequence");
    if (!seq) return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    container_resize(type, arr, n);
    bool ok = true;
    for (Py_ssize_t i = 0; i < n && ok; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        void *slot = packed_index(type, arr, i);
        switch (type) {
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: *(int32_t *)slot = (int32_t)PyLong_AsLong(item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: *(int64_t *)slot = PyLong_AsLongLong(item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: *(float *)slot = (float)PyFloat_AsDouble(item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: *(double *)slot = PyFloat_AsDouble(item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY: {
            if (!PyUnicode_Check(item)) {
                PyErr_Format(PyExc_TypeError, "PackedStringArray items must be str, not %.80s", Py_TYPE(item)->tp_name);
                ok = false;
                break;
            }
            String s;
            if (!python_to_string(item, &s)) { ok = false; break; }
            gd_string_destroy((String *)slot);
            memcpy(slot, &s, sizeof s); /* moves s into the array */
            break;
        }
        default:
            (void)packed_element_size;
            ok = vector_to_memory(packed_vector_element_type(type), item, slot);
            break;
        }
        if (PyErr_Occurred()) ok = false;
    }
    Py_DECREF(seq);
    return ok;
}

/* ---- receive buffers that become PackedByteArrays without a copy --------------------------------
 *
 * `_godot.ByteBuffer(n)` owns a Godot PackedByteArray of n bytes and lends its memory through
 * the buffer protocol, so `sock.recv_into(buffer)` writes straight into engine memory. When the
 * buffer is converted to a Variant its array MOVES into the Variant (the buffer is left empty):
 * the bytes reach GDScript with no copy, and Python cannot write into an array GDScript holds.
 *
 * A buffer that received with recv_chunk() is a RECYCLING receive buffer (decision 0015):
 * converted, it still looks empty to Python, but keeps a reference to the array it gave the
 * engine (`spent`), and renew() hands that array to a new buffer for the next read. GDScript
 * usually drops a body chunk at once (`n += chunk.size()`, `file.store_buffer(chunk)`), so the
 * next read writes into the same memory again: no allocation, and above all no zero-fill (the
 * engine's script-visible resize() zero-fills new bytes: 1.5 us for 64 KiB, 21 us for 1 MiB,
 * more than the copy from the socket; HTTPClientTCP's C++ resize does not). If GDScript kept
 * the chunk, the write goes through the engine's copy-on-write (a private copy first): what
 * GDScript holds never changes. */

typedef struct {
    PyObject_HEAD
    PackedArray array; /* owned */
    int64_t size;
    Py_ssize_t exports;
    int recv_error;    /* why the last recv_chunk() stopped short: 0 (socket empty), -1 (peer closed), errno */
    bool recycling;    /* set by recv_chunk(): a conversion keeps `spent` */
    bool has_spent, has_reserve;
    PackedArray spent;   /* owned when has_spent: the array last given to the engine */
    PackedArray reserve; /* owned when has_reserve: a larger array kept back (see recv_chunk) */
} PyByteBuffer;

static void byte_buffer_dealloc(PyByteBuffer *self) {
    gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array);
    if (self->has_spent) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->spent);
    if (self->has_reserve) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->reserve);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyByteBuffer *byte_buffer_alloc(PyTypeObject *type) {
    PyByteBuffer *self = (PyByteBuffer *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    gd.construct_default[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array, NULL);
    return self;
}

static PyObject *byte_buffer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    Py_ssize_t size = 0;
    if (!PyArg_ParseTuple(args, "n:ByteBuffer", &size)) return NULL;
    if (size < 0) return PyErr_Format(PyExc_ValueError, "ByteBuffer size must be >= 0, not %zd", size);
    PyByteBuffer *self = byte_buffer_alloc(type);
    if (!self) return NULL;
    if (size) container_resize(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array, size);
    self->size = container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array);
    if (self->size != size) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

static int byte_buffer_getbuffer(PyByteBuffer *self, Py_buffer *view, int flags) {
    void *data = self->size ? gd.packed_byte_array_operator_index(&self->array, 0) : (void *)"";
    if (PyBuffer_FillInfo(view, (PyObject *)self, data, (Py_ssize_t)self->size, 0, flags) < 0) return -1;
    self->exports++;
    return 0;
}

static void byte_buffer_releasebuffer(PyByteBuffer *self, Py_buffer *view) { self->exports--; }

static bool byte_buffer_set_size(PyByteBuffer *self, int64_t size) {
    container_resize(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array, size);
    self->size = container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array);
    return self->size == size;
}

static PyObject *byte_buffer_resize(PyByteBuffer *self, PyObject *arg) {
    Py_ssize_t size = PyLong_AsSsize_t(arg);
    if (size == -1 && PyErr_Occurred()) return NULL;
    if (size < 0) return PyErr_Format(PyExc_ValueError, "size must be >= 0, not %zd", size);
    if (self->exports) {
        PyErr_SetString(PyExc_BufferError, "ByteBuffer.resize(): the memory is still lent (release the memoryview)");
        return NULL;
    }
    if (!byte_buffer_set_size(self, size)) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

static Py_ssize_t byte_buffer_length(PyByteBuffer *self) { return (Py_ssize_t)self->size; }

/* One recv() of up to `want` bytes into data; >0 bytes, 0 socket empty (EAGAIN), -1 stopped
 * (recv_error set: -1 the peer closed, else the errno). */
static ssize_t recv_some(PyByteBuffer *self, int fd, uint8_t *data, size_t want, int flags) {
    for (;;) {
        ssize_t got = recv(fd, data, want, MSG_DONTWAIT | flags);
        if (got > 0) return got;
        if (got == 0) {
            self->recv_error = -1;
            return -1;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        self->recv_error = errno;
        return -1;
    }
}

/* recv_chunk(fd, max) -> n: receive what socket `fd` holds now, up to `max` bytes, straight into
 * the buffer's PackedByteArray, without blocking, as HTTPClientTCP::read_response_body_chunk fills
 * its array (recv() until `max` bytes or the socket is empty or closed); the buffer is then cut to
 * the n bytes received (when n > 0; with n == 0 it keeps its memory for the next call). The
 * buffer's own array is filled first (after renew(): the array the previous read gave the
 * engine); when that fills up and `max` allows more, it grows by what FIONREAD says is waiting,
 * so new memory is zero-filled only where bytes are about to land.
 * When it stops short, `recv_error` says why: 0 the socket is empty, -1 the peer closed (a 0-byte
 * recv), else the errno of the failed recv, kept for the caller to report after it has taken the
 * bytes that came before (the kernel reports a reset once). An empty socket costs one recv() and
 * no Python exception. The GIL stays held: the socket is non-blocking (MSG_DONTWAIT), so the call
 * never waits; it costs the copy of what the socket holds, like any Python call that copies bytes. */
#define FIRST_CHUNK 65536

static PyObject *byte_buffer_recv_chunk(PyByteBuffer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "ByteBuffer.recv_chunk() takes 2 arguments (fd, max)");
        return NULL;
    }
    long fd = PyLong_AsLong(args[0]);
    if (fd == -1 && PyErr_Occurred()) return NULL;
    Py_ssize_t max = PyLong_AsSsize_t(args[1]);
    if (max == -1 && PyErr_Occurred()) return NULL;
    if (fd < 0 || fd > INT32_MAX) return PyErr_Format(PyExc_ValueError, "ByteBuffer.recv_chunk(): invalid descriptor %ld", fd);
    if (max <= 0) return PyErr_Format(PyExc_ValueError, "ByteBuffer.recv_chunk(): max must be > 0, not %zd", max);
    if (self->exports) {
        PyErr_SetString(PyExc_BufferError, "ByteBuffer.recv_chunk(): the memory is still lent (release the memoryview)");
        return NULL;
    }
    self->recycling = true;
    self->recv_error = 0;
    if (self->size > max && !byte_buffer_set_size(self, max)) return PyErr_NoMemory();
    /* A new buffer starts at up to 64 KiB (zero-filled once; renewed buffers keep their array), so
     * an empty socket costs one recv() from the first call on. */
    if (self->size == 0 && !byte_buffer_set_size(self, max < FIRST_CHUNK ? max : FIRST_CHUNK)) return PyErr_NoMemory();
    int64_t got = 0;
    for (;;) {
        if (got == self->size) {
            /* Full: grow by what is waiting, up to max. A 1-byte peek first tells an empty
             * socket from a closed one, as the built-in's last recv() does (a close-delimited
             * body ends in the read that took its last bytes); FIONREAD then says how much. */
            if (got >= max) break;
            uint8_t probe;
            if (recv_some(self, (int)fd, &probe, 1, MSG_PEEK) <= 0) break;
            int waiting = 0;
            if (ioctl((int)fd, FIONREAD, &waiting) < 0 || waiting <= 0) waiting = 1;
            int64_t size = got + waiting < max ? got + waiting : max;
            if (!byte_buffer_set_size(self, size)) return PyErr_NoMemory();
        }
        uint8_t *data = gd.packed_byte_array_operator_index(&self->array, 0); /* copy-on-write if shared */
        ssize_t n = recv_some(self, (int)fd, data + got, (size_t)(self->size - got), 0);
        if (n <= 0) break;
        got += n;
    }
    if (got && got < self->size) {
        if (got * 3 < self->size && !self->has_reserve) {
            /* A few bytes in a large array: hand out a copy of them and keep the array for the
             * next read, instead of cutting it and zero-filling it again when it grows back. */
            PackedArray small;
            gd.construct_default[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&small, NULL);
            container_resize(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &small, got);
            if (container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &small) != got) {
                gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&small);
                return PyErr_NoMemory();
            }
            memcpy(gd.packed_byte_array_operator_index(&small, 0),
                   gd.packed_byte_array_operator_index_const(&self->array, 0), (size_t)got);
            self->reserve = self->array; /* moves the reference */
            self->has_reserve = true;
            self->array = small;
            self->size = got;
        } else if (!byte_buffer_set_size(self, got)) {
            return PyErr_NoMemory();
        }
    }
    return PyLong_FromLongLong((long long)got);
}

/* renew() -> ByteBuffer: a new buffer holding the array this one kept back (recv_chunk) or last
 * gave the engine (see the section comment), or an empty one; this buffer lets go of both. */
static PyObject *byte_buffer_renew(PyByteBuffer *self, PyObject *unused) {
    PyByteBuffer *fresh = byte_buffer_alloc(Py_TYPE(self));
    if (!fresh) return NULL;
    fresh->recycling = true;
    PackedArray *take = self->has_reserve ? &self->reserve : self->has_spent ? &self->spent : NULL;
    if (take) {
        gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&fresh->array);
        fresh->array = *take; /* moves the reference */
        fresh->size = container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &fresh->array);
    }
    if (self->has_reserve && take != &self->reserve) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->reserve);
    if (self->has_spent && take != &self->spent) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->spent);
    self->has_reserve = self->has_spent = false;
    return (PyObject *)fresh;
}

static PyObject *byte_buffer_get_recv_error(PyByteBuffer *self, void *closure) { return PyLong_FromLong(self->recv_error); }

static PyObject *byte_buffer_bytes(PyByteBuffer *self, PyObject *unused) {
    if (!self->size) return PyBytes_FromStringAndSize(NULL, 0);
    return PyBytes_FromStringAndSize((const char *)gd.packed_byte_array_operator_index_const(&self->array, 0), (Py_ssize_t)self->size);
}

/* Moves the array into *out (a new Variant); false with BufferError while memory is lent. A
 * recycling buffer keeps a reference to it (`spent`, for renew()); to Python it is empty either way. */
bool byte_buffer_move_to_variant(PyObject *obj, Variant *out) {
    PyByteBuffer *self = (PyByteBuffer *)obj;
    if (self->exports) {
        gd.variant_new_nil(out);
        PyErr_SetString(PyExc_BufferError, "a ByteBuffer cannot become a PackedByteArray while a memoryview of it is alive");
        return false;
    }
    gd.from_type[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](out, &self->array);
    if (self->recycling) {
        if (self->has_spent) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->spent);
        self->spent = self->array; /* moves our reference; the Variant holds its own */
        self->has_spent = true;
    } else {
        gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array);
    }
    gd.construct_default[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array, NULL);
    self->size = 0;
    return true;
}

static PyBufferProcs byte_buffer_as_buffer = {
    (getbufferproc)byte_buffer_getbuffer,
    (releasebufferproc)byte_buffer_releasebuffer,
};
static PySequenceMethods byte_buffer_as_sequence = {.sq_length = (lenfunc)byte_buffer_length};
static PyMethodDef byte_buffer_methods[] = {
    {"resize", (PyCFunction)byte_buffer_resize, METH_O, "resize(n): keep the first n bytes (or grow)."},
    {"tobytes", (PyCFunction)byte_buffer_bytes, METH_NOARGS, "A copy of the contents as bytes."},
    {"recv_chunk", (PyCFunction)(void (*)(void))byte_buffer_recv_chunk, METH_FASTCALL,
     "recv_chunk(fd, max) -> n: receive what socket fd holds now (up to max bytes) without blocking; the "
     "buffer is cut to the n bytes received; recv_error says why it stopped short (0 empty, -1 peer closed, "
     "else errno)."},
    {"renew", (PyCFunction)byte_buffer_renew, METH_NOARGS,
     "renew() -> ByteBuffer: a new buffer holding the array this one last gave the engine (or an empty one)."},
    {NULL},
};
static PyGetSetDef byte_buffer_getset[] = {
    {"recv_error", (getter)byte_buffer_get_recv_error, NULL,
     "Why the last recv_chunk() stopped short: 0 the socket was empty, -1 the peer closed, else errno.", NULL},
    {NULL},
};

PyTypeObject PyByteBuffer_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.ByteBuffer",
    .tp_doc = "ByteBuffer(n): n bytes of a Godot PackedByteArray that Python can write into; it moves, "
              "without a copy, into the PackedByteArray it is converted to.",
    .tp_basicsize = sizeof(PyByteBuffer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = byte_buffer_new,
    .tp_dealloc = (destructor)byte_buffer_dealloc,
    .tp_as_buffer = &byte_buffer_as_buffer,
    .tp_as_sequence = &byte_buffer_as_sequence,
    .tp_methods = byte_buffer_methods,
    .tp_getset = byte_buffer_getset,
};

bool packed_init(PyObject *module) {
    if (PyType_Ready(&PyPackedArray_Type) < 0) return false;
    return PyModule_AddObjectRef(module, "PackedArray", (PyObject *)&PyPackedArray_Type) == 0;
}
