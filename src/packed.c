/* packed.c: Packed*Array values between Godot and Python.
 *
 * Conversions of the packed arrays (by value today: PackedByteArray <-> bytes, the others <->
 * the list subclasses of godot/_types.py) and `_godot.ByteBuffer`, the receive buffer that
 * becomes a PackedByteArray without a copy. The container helpers (size, resize) serve Array
 * and Dictionary too. */
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

/* Components of the vector-like types and whether they are int32 (else real_t; Color: float). */
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

PyObject *packed_to_python(int type, PackedArray *arr) {
    int64_t n = container_size(type, arr);
    if (type == GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY) {
        if (n == 0) return PyBytes_FromStringAndSize(NULL, 0);
        return PyBytes_FromStringAndSize((const char *)gd.packed_byte_array_operator_index_const(arr, 0), n);
    }
    PyObject *list = PyObject_CallNoArgs(convert_class_for_type_borrowed(type));
    if (!list) return NULL;
    for (int64_t i = 0; i < n; i++) {
        void *item = packed_index(type, arr, i);
        PyObject *value;
        switch (type) {
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT32_ARRAY: value = PyLong_FromLong(*(int32_t *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_INT64_ARRAY: value = PyLong_FromLongLong(*(int64_t *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT32_ARRAY: value = PyFloat_FromDouble(*(float *)item); break;
        case GDEXTENSION_VARIANT_TYPE_PACKED_FLOAT64_ARRAY: value = PyFloat_FromDouble(*(double *)item); break;
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

/* Fills a default-constructed packed array of `type` from a Python sequence or buffer. */
bool packed_from_python(int type, PyObject *obj, PackedArray *arr) {
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
 * the bytes reach GDScript with no copy, and Python cannot write into an array GDScript holds. */

typedef struct {
    PyObject_HEAD
    PackedArray array; /* owned */
    int64_t size;
    Py_ssize_t exports;
} PyByteBuffer;

static void byte_buffer_dealloc(PyByteBuffer *self) {
    gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *byte_buffer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    Py_ssize_t size = 0;
    if (!PyArg_ParseTuple(args, "n:ByteBuffer", &size)) return NULL;
    if (size < 0) return PyErr_Format(PyExc_ValueError, "ByteBuffer size must be >= 0, not %zd", size);
    PyByteBuffer *self = (PyByteBuffer *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    gd.construct_default[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array, NULL);
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

static PyObject *byte_buffer_resize(PyByteBuffer *self, PyObject *arg) {
    Py_ssize_t size = PyLong_AsSsize_t(arg);
    if (size == -1 && PyErr_Occurred()) return NULL;
    if (size < 0) return PyErr_Format(PyExc_ValueError, "size must be >= 0, not %zd", size);
    if (self->exports) {
        PyErr_SetString(PyExc_BufferError, "ByteBuffer.resize(): the memory is still lent (release the memoryview)");
        return NULL;
    }
    container_resize(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array, size);
    self->size = container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &self->array);
    Py_RETURN_NONE;
}

static Py_ssize_t byte_buffer_length(PyByteBuffer *self) { return (Py_ssize_t)self->size; }

static PyObject *byte_buffer_bytes(PyByteBuffer *self, PyObject *unused) {
    if (!self->size) return PyBytes_FromStringAndSize(NULL, 0);
    return PyBytes_FromStringAndSize((const char *)gd.packed_byte_array_operator_index_const(&self->array, 0), (Py_ssize_t)self->size);
}

/* Moves the array into *out (a new Variant); false with BufferError while memory is lent. */
bool byte_buffer_move_to_variant(PyObject *obj, Variant *out) {
    PyByteBuffer *self = (PyByteBuffer *)obj;
    if (self->exports) {
        gd.variant_new_nil(out);
        PyErr_SetString(PyExc_BufferError, "a ByteBuffer cannot become a PackedByteArray while a memoryview of it is alive");
        return false;
    }
    gd.from_type[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](out, &self->array);
    gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&self->array);
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
};
