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
 * Also the container helpers (size, resize) that Array and Dictionary use too. The receive
 * buffers that become PackedByteArrays without a copy are in receive.c. */
#include "gd.h"

#include <string.h>

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

/* The Variant made straight from the array the wrapper holds (one reference count more), as
 * the engine returns a Packed*Array it holds: false (nothing written) when `type` is another
 * Variant type, or while Python has a writable buffer of it (then the caller's path copies).
 * VT_NIL means "its own type" (an untyped return or argument). */
bool packed_wrapper_to_variant(PyObject *obj, int type, Variant *out) {
    PyPackedArray *self = (PyPackedArray *)obj;
    if ((type != VT_NIL && self->type != type) || self->writable_exports) return false;
    gd.from_type[self->type](out, &self->array);
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

bool packed_init(PyObject *module) {
    if (PyType_Ready(&PyPackedArray_Type) < 0) return false;
    return PyModule_AddObjectRef(module, "PackedArray", (PyObject *)&PyPackedArray_Type) == 0;
}
