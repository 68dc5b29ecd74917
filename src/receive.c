/* receive.c: socket bytes received straight into engine memory, for PackedByteArrays without a copy.
 *
 * `_godot.ByteBuffer(n)` owns a Godot PackedByteArray of n bytes and lends its memory through
 * the buffer protocol, so `sock.recv_into(buffer)` writes straight into engine memory. When the
 * buffer is converted to a Variant its array MOVES into the Variant (the buffer is left empty):
 * the bytes reach GDScript with no copy, and Python cannot write into an array GDScript holds.
 *
 * A buffer a BodyReceiver (below) received into is a RECYCLING receive buffer (decisions 0015,
 * 0016): converted, it still looks empty to Python, but keeps a reference to the array it gave
 * the engine (`spent`), and the receiver's next read receives into that array again. GDScript
 * usually drops a body chunk at once (`n += chunk.size()`, `file.store_buffer(chunk)`), so the
 * next read writes into the same memory again: no allocation, and above all no zero-fill (the
 * engine's script-visible resize() zero-fills new bytes: 1.5 us for 64 KiB, 21 us for 1 MiB,
 * more than the copy from the socket; HTTPClientTCP's C++ resize does not). If GDScript kept
 * the chunk, the write goes through the engine's copy-on-write (a private copy first): what
 * GDScript holds never changes. */

#include "gd.h"

#include <structmember.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

typedef struct {
    PyObject_HEAD
    PackedArray array; /* owned */
    int64_t size;
    Py_ssize_t exports;
    int recv_error;    /* why the last byte_buffer_receive() stopped short: 0 (socket empty), -1 (peer closed), errno */
    bool recycling;    /* set by byte_buffer_receive(): a conversion keeps `spent` */
    bool has_spent, has_reserve;
    PackedArray spent;   /* owned when has_spent: the array last given to the engine */
    PackedArray reserve; /* owned when has_reserve: a larger array kept back (byte_buffer_receive) */
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

#ifndef TCP_INQ
#define TCP_INQ 36 /* Linux 4.18 */
#define TCP_CM_INQ TCP_INQ
#endif

/* One recv() of up to `want` bytes into data; >0 bytes, 0 socket empty (EAGAIN), -1 stopped
 * (recv_error set: -1 the peer closed, else the errno). With `inq`, a recvmsg() that also asks
 * for the kernel's count of what is left in the socket (TCP_INQ, see "What is left" below):
 * *inq is that count after a read that returned >= 0 and the socket had TCP_INQ on, else -1. */
static ssize_t recv_some(PyByteBuffer *self, int fd, uint8_t *data, size_t want, int flags, int *inq) {
    for (;;) {
        ssize_t got;
        if (inq) {
            union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
            } control;
            struct iovec iov = {.iov_base = data, .iov_len = want};
            struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
            got = recvmsg(fd, &msg, MSG_DONTWAIT | flags);
            *inq = -1;
            if (got >= 0) {
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                    if (c->cmsg_level == IPPROTO_TCP && c->cmsg_type == TCP_CM_INQ && c->cmsg_len >= CMSG_LEN(sizeof(int)))
                        memcpy(inq, CMSG_DATA(c), sizeof(int));
                }
            }
        } else {
            got = recv(fd, data, want, MSG_DONTWAIT | flags);
        }
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

/* byte_buffer_receive(): receive what socket `fd` holds now, up to `max` (> 0) bytes, straight
 * into the buffer's PackedByteArray, without blocking, as HTTPClientTCP::read_response_body_chunk
 * fills its array (recv() until `max` bytes or the socket is empty or closed); the buffer is then
 * cut to the n bytes received (when n > 0; with n == 0 it keeps its memory for the next call).
 * The buffer's own array is filled first (for a receiver: the array the previous read gave the
 * engine); when that fills up and `max` allows more, it grows by what FIONREAD says is waiting,
 * so new memory is zero-filled only where bytes are about to land.
 * When it stops short, `recv_error` says why: 0 the socket is empty, -1 the peer closed (a 0-byte
 * recv), else the errno of the failed recv, kept for the caller to report after it has taken the
 * bytes that came before (the kernel reports a reset once). An empty socket costs one recv() and
 * no Python exception. The GIL stays held: the socket is non-blocking (MSG_DONTWAIT), so the call
 * never waits; it costs the copy of what the socket holds, like any Python call that copies bytes.
 * Returns n, or -1 with a Python error (out of memory). */
#define FIRST_CHUNK 65536

static int64_t byte_buffer_receive(PyByteBuffer *self, int fd, int64_t max, int *inq) {
    self->recycling = true;
    self->recv_error = 0;
    if (inq) *inq = -1;
    if (self->size > max && !byte_buffer_set_size(self, max)) goto no_memory;
    /* A new buffer starts at up to 64 KiB (zero-filled once; renewed buffers keep their array), so
     * an empty socket costs one recv() from the first call on. */
    if (self->size == 0 && !byte_buffer_set_size(self, max < FIRST_CHUNK ? max : FIRST_CHUNK)) goto no_memory;
    if (self->size < max) {
        /* Smaller than a read may be (a short read cut it): grow it first to what is waiting, so
         * the read is one recv() as the built-in's is, not one into the old size and another
         * into the rest (each recv() that frees room may send a window update, and on loopback
         * the sender's queued segments then go out in this thread: decision 0021). */
        int waiting = 0;
        if (ioctl(fd, FIONREAD, &waiting) == 0 && waiting > self->size) {
            int64_t size = waiting < max ? waiting : max;
            if (!byte_buffer_set_size(self, size)) goto no_memory;
        }
    }
    int64_t got = 0;
    for (;;) {
        if (got == self->size) {
            /* Full: grow by what is waiting, up to max. A 1-byte peek first tells an empty
             * socket from a closed one, as the built-in's last recv() does (a close-delimited
             * body ends in the read that took its last bytes); FIONREAD then says how much. */
            if (got >= max) break;
            int waiting = inq ? *inq : -1; /* what the last recvmsg() left (TCP_INQ): no peek, no FIONREAD */
            if (waiting < 2) {             /* unknown, or 1: a byte or only the peer's FIN (see "What is left") */
                uint8_t probe;
                if (recv_some(self, fd, &probe, 1, MSG_PEEK, NULL) <= 0) break;
                if (ioctl(fd, FIONREAD, &waiting) < 0 || waiting <= 0) waiting = 1;
            }
            int64_t size = got + waiting < max ? got + waiting : max;
            if (!byte_buffer_set_size(self, size)) goto no_memory;
        }
        uint8_t *data = gd.packed_byte_array_operator_index(&self->array, 0); /* copy-on-write if shared */
        ssize_t n = recv_some(self, fd, data + got, (size_t)(self->size - got), 0, inq);
        if (n <= 0) {
            if (n == 0 && inq) *inq = 0; /* empty now */
            break;
        }
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
                goto no_memory;
            }
            memcpy(gd.packed_byte_array_operator_index(&small, 0),
                   gd.packed_byte_array_operator_index_const(&self->array, 0), (size_t)got);
            self->reserve = self->array; /* moves the reference */
            self->has_reserve = true;
            self->array = small;
            self->size = got;
        } else if (!byte_buffer_set_size(self, got)) {
            goto no_memory;
        }
    }
    return got;
no_memory:
    PyErr_NoMemory();
    return -1;
}

/* Moves the array `from` kept back (byte_buffer_receive) or last gave the engine (see the top of this
 * file) into `to`'s array, which must be empty; `from` lets go of both. `to` may be `from`. */
static void byte_buffer_take_kept(PyByteBuffer *to, PyByteBuffer *from) {
    PackedArray *take = from->has_reserve ? &from->reserve : from->has_spent ? &from->spent : NULL;
    if (take) {
        PackedArray kept = *take; /* moves the reference */
        if (take == &from->reserve && from->has_spent) gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&from->spent);
        from->has_reserve = from->has_spent = false;
        gd.destroy[GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY](&to->array);
        to->array = kept;
        to->size = container_size(GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, &to->array);
    }
    to->recycling = true;
}

static PyObject *byte_buffer_bytes(PyByteBuffer *self, PyObject *unused) {
    if (!self->size) return PyBytes_FromStringAndSize(NULL, 0);
    return PyBytes_FromStringAndSize((const char *)gd.packed_byte_array_operator_index_const(&self->array, 0), (Py_ssize_t)self->size);
}

/* Moves the array into *out (a new Variant); false with BufferError while memory is lent. A
 * recycling buffer keeps a reference to it (`spent`, for its receiver); to Python it is empty either way. */
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


/* ---- _godot.BodyReceiver: a plain HTTP body from a socket, one C call per read --------------------
 *
 * A bulk download is read by a GDScript loop of get_status(), poll() and
 * read_response_body_chunk(); what each read costs beyond the recv() itself decides whether the
 * loop keeps up with the built-in (docs/benchmarks.md "Bulk reads"). A receiver does all of one
 * read of a Content-Length or close-delimited body in one call: it picks the buffer (the one an
 * empty read kept, else the one it handed out last, reused in place when nobody else holds it,
 * else that one's array in a new buffer), receives into it (byte_buffer_receive) and counts the
 * body bytes still to come. godot_http's client (HTTPClient.body_receiver) keeps the policy:
 * when a body starts and ends, what an ending means.
 *
 * A SPINNING CALLER waits a little (decision 0018). The built-in returns at once from a read that
 * finds nothing, so `while status == BODY: poll(); read_response_body_chunk()` keeps a CPU busy
 * spinning, and when the server shares the machine's CPUs (a local server; 2 CPUs in
 * docs/benchmarks.md, "A spinning reader slows the server") that costs it 10-25% of its speed. So a read that comes within
 * SPIN_GAP_NS of an empty read of the same receiver, with no other receiver's read in between,
 * first waits up to SPIN_WAIT_NS for SPIN_WAIT_BYTES (or the read's size, if less), the peer's
 * close or an error (ppoll, GIL released). It returns what it would have returned without the
 * wait, later, or the bytes that arrived meanwhile. A caller that does anything else between two
 * reads (a frame, another client's read, OS.delay_usec) never waits.
 *
 * WHAT IS LEFT (decision 0021). Once a body's read has returned a full chunk with more of the
 * body to come (a download, not a small answer), its socket gets TCP_INQ (Linux 4.18) until
 * stop(): each read is a recvmsg() that also returns the kernel's count of what it left in the
 * socket (`inq`, -1 when not known). While that count is 2 or more, bytes are waiting, and
 * peer_closed() answers "alive" without a syscall, as the built-in's poll() does when its
 * FIONREAD finds bytes (a count of 1 may be only the peer's FIN, which the kernel counts too:
 * then the poll(2) as before). A read whose buffer is full but not yet `max` grows it by that
 * count instead of a 1-byte peek and FIONREAD. Nothing else reading the socket (the engine's
 * StreamPeerTCP, godot_http's TCPStream) uses recvmsg(), and stop() turns TCP_INQ off again. */

#define SPIN_GAP_NS 10000     /* a read this soon after an empty one: the caller only spins */
#define SPIN_WAIT_NS 100000   /* the longest such a read waits for bytes */
#define SPIN_WAIT_BYTES 65536 /* ... or until this much (or the read's size, if less) has arrived */

typedef struct {
    PyObject_HEAD
    int fd;             /* -1 while no body is being received */
    int64_t left;       /* body bytes still to come; -1: until the peer closes */
    int64_t chunk_size; /* the most one read returns */
    int outcome;        /* after receive(): 0 more to come, 1 body complete, -1 peer closed, else errno */
    PyByteBuffer *spare; /* owned or NULL: an empty read's buffer, for the next read */
    PyByteBuffer *last;  /* owned or NULL: the buffer handed out last (its array comes back) */
    int64_t empty_at;    /* CLOCK_MONOTONIC ns when the last read found nothing, else 0 */
    int inq;             /* bytes the kernel said were left after the last read (TCP_INQ), -1 unknown */
    bool inq_on;         /* TCP_INQ is on for this body's socket (see "What is left") */
    uint64_t spin_waits; /* how many reads waited (tests, diagnostics) */
} PyBodyReceiver;

/* The receiver whose receive() ran last (GIL held): compared, never dereferenced. */
static PyBodyReceiver *last_receiving;

static int64_t monotonic_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A read that follows an empty one at once, with no other receiver's read between: the caller
 * spins on this body, so wait for bytes here instead (see the section comment). */
static void body_receiver_wait_if_spinning(PyBodyReceiver *self, int64_t max) {
    bool spinning = self->empty_at && last_receiving == self && monotonic_ns() - self->empty_at < SPIN_GAP_NS;
    last_receiving = self;
    if (!spinning) return;
    self->spin_waits++;
    /* Readable only once a read's worth has arrived (SO_RCVLOWAT), so one wait leads to one full
     * read instead of waking for the first segment; back to the default (1) at once, as every
     * other user of the socket (the engine's StreamPeerTCP, godot_http's TCPStream) expects. */
    int fd = self->fd, lowat = max < SPIN_WAIT_BYTES ? (int)max : SPIN_WAIT_BYTES, one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
    const struct timespec wait = {0, SPIN_WAIT_NS};
    Py_BEGIN_ALLOW_THREADS
    ppoll(&p, 1, &wait, NULL); /* whatever it says (bytes, a close, a timeout, EINTR), the read tells */
    Py_END_ALLOW_THREADS
    setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
}

static void body_receiver_dealloc(PyBodyReceiver *self) {
    if (last_receiving == self) last_receiving = NULL;
    Py_CLEAR(self->spare);
    Py_CLEAR(self->last);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* What is left: TCP_INQ off again (nothing else reading this socket asks for it), count unknown. */
static void body_receiver_inq_off(PyBodyReceiver *self) {
    if (self->inq_on) {
        int zero = 0;
        setsockopt(self->fd, IPPROTO_TCP, TCP_INQ, &zero, sizeof zero);
        self->inq_on = false;
    }
    self->inq = -1;
}

static PyObject *body_receiver_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    if (!_PyArg_NoPositional("BodyReceiver", args) || !_PyArg_NoKeywords("BodyReceiver", kwargs)) return NULL;
    PyBodyReceiver *self = (PyBodyReceiver *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->fd = -1;
    self->inq = -1;
    self->chunk_size = FIRST_CHUNK;
    return (PyObject *)self;
}

/* start(fd, left, chunk_size): receive a body from socket fd (non-blocking), `left` bytes of it,
 * or until the peer closes when left is -1, at most chunk_size bytes per read. */
static PyObject *body_receiver_start(PyBodyReceiver *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "BodyReceiver.start() takes 3 arguments (fd, left, chunk_size)");
        return NULL;
    }
    long fd = PyLong_AsLong(args[0]);
    if (fd == -1 && PyErr_Occurred()) return NULL;
    long long left = PyLong_AsLongLong(args[1]);
    if (left == -1 && PyErr_Occurred()) return NULL;
    long long chunk_size = PyLong_AsLongLong(args[2]);
    if (chunk_size == -1 && PyErr_Occurred()) return NULL;
    if (fd < 0 || fd > INT32_MAX) return PyErr_Format(PyExc_ValueError, "BodyReceiver.start(): invalid descriptor %ld", fd);
    if (left < -1) return PyErr_Format(PyExc_ValueError, "BodyReceiver.start(): left must be >= -1, not %lld", left);
    if (chunk_size <= 0) return PyErr_Format(PyExc_ValueError, "BodyReceiver.start(): chunk_size must be > 0, not %lld", chunk_size);
    body_receiver_inq_off(self);
    self->fd = (int)fd;
    self->empty_at = 0;
    self->left = left;
    self->chunk_size = chunk_size;
    self->outcome = left == 0 ? 1 : 0;
    Py_RETURN_NONE;
}

/* The buffer the next read receives into (a new reference), see the section comment. */
static PyByteBuffer *body_receiver_buffer(PyBodyReceiver *self) {
    PyByteBuffer *buf = self->spare;
    if (buf) {
        self->spare = NULL;
        return buf;
    }
    PyByteBuffer *last = self->last;
    if (!last) return byte_buffer_alloc(&PyByteBuffer_Type);
    self->last = NULL;
    if (Py_REFCNT(last) == 1) {
        /* Nobody else holds it (no memoryview either: a view holds a reference), so whatever it
         * shows to Python is unseen: reuse the object, with the array it gave the engine. */
        if (last->size == 0) byte_buffer_take_kept(last, last);
        return last;
    }
    buf = byte_buffer_alloc(&PyByteBuffer_Type);
    if (buf) byte_buffer_take_kept(buf, last);
    Py_DECREF(last);
    return buf;
}

/* receive() -> ByteBuffer | b"": the next piece of the body, or b"" when nothing has arrived;
 * `outcome` then says whether the body is complete or the stream stopped (see the struct). */
static PyObject *body_receiver_receive(PyBodyReceiver *self, PyObject *unused) {
    if (self->fd < 0) {
        PyErr_SetString(PyExc_RuntimeError, "BodyReceiver.receive(): no body is being received (start() first)");
        return NULL;
    }
    int64_t max = self->left >= 0 && self->left < self->chunk_size ? self->left : self->chunk_size;
    if (max == 0 || self->outcome) return PyBytes_FromStringAndSize(NULL, 0);
    body_receiver_wait_if_spinning(self, max);
    self->empty_at = 0;
    PyByteBuffer *buf = body_receiver_buffer(self);
    if (!buf) return NULL;
    int64_t got = byte_buffer_receive(buf, self->fd, max, self->inq_on ? &self->inq : NULL);
    if (got == self->chunk_size && self->left != got && !self->inq_on) {
        /* A full chunk, and more of the body to come: a download. From here on every read also
         * learns what it left in the socket (see "What is left"); a small body never asks. */
        int one = 1;
        self->inq_on = setsockopt(self->fd, IPPROTO_TCP, TCP_INQ, &one, sizeof one) == 0;
    }
    if (got <= 0) {
        self->spare = buf; /* keeps its memory for the next read */
        if (got < 0) return NULL;
        self->outcome = buf->recv_error;
        if (!self->outcome) self->empty_at = monotonic_ns();
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    if (self->left >= 0) self->left -= got;
    self->outcome = self->left == 0 ? 1 : got < max ? buf->recv_error : 0;
    Py_INCREF(buf);
    self->last = buf;
    return (PyObject *)buf;
}

/* peer_closed() -> bool: whether the peer has finished or broken the stream and nothing is left
 * to read (poll() liveness, as godot_http's TCPStream.peer_closed). */
static PyObject *body_receiver_peer_closed(PyBodyReceiver *self, PyObject *unused) {
    if (self->fd < 0) Py_RETURN_TRUE;
    if (self->inq >= 2) Py_RETURN_FALSE; /* bytes left to read (see "What is left"): alive, as to the built-in */
    struct pollfd p = {.fd = self->fd, .events = POLLIN | POLLRDHUP};
    int ready = poll(&p, 1, 0);
    if (ready == 0) Py_RETURN_FALSE;
    if (ready < 0) return PyBool_FromLong(errno != EINTR);
    if (p.revents & (POLLERR | POLLNVAL)) Py_RETURN_TRUE;
    if (!(p.revents & (POLLRDHUP | POLLHUP))) Py_RETURN_FALSE; /* data and no FIN: alive */
    uint8_t probe;
    ssize_t n = recv(self->fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) Py_RETURN_FALSE; /* the FIN is behind bytes still to read */
    return PyBool_FromLong(n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR));
}

/* stop() -> left: no body is being received any more; the buffers stay for the next body. */
static PyObject *body_receiver_stop(PyBodyReceiver *self, PyObject *unused) {
    body_receiver_inq_off(self);
    self->fd = -1;
    return PyLong_FromLongLong((long long)self->left);
}

/* clear(): stop, and let go of the buffers (the client closed its connection). */
static PyObject *body_receiver_clear(PyBodyReceiver *self, PyObject *unused) {
    body_receiver_inq_off(self);
    self->fd = -1;
    Py_CLEAR(self->spare);
    Py_CLEAR(self->last);
    Py_RETURN_NONE;
}

static PyObject *body_receiver_get_left(PyBodyReceiver *self, void *closure) { return PyLong_FromLongLong((long long)self->left); }
static PyObject *body_receiver_get_outcome(PyBodyReceiver *self, void *closure) { return PyLong_FromLong(self->outcome); }
static PyObject *body_receiver_get_spin_waits(PyBodyReceiver *self, void *closure) {
    return PyLong_FromUnsignedLongLong(self->spin_waits);
}
static PyObject *body_receiver_get_left_in_socket(PyBodyReceiver *self, void *closure) {
    return PyLong_FromLong(self->inq);
}
static PyObject *body_receiver_get_chunk_size(PyBodyReceiver *self, void *closure) {
    return PyLong_FromLongLong((long long)self->chunk_size);
}
static int body_receiver_set_chunk_size(PyBodyReceiver *self, PyObject *value, void *closure) {
    if (!value) {
        PyErr_SetString(PyExc_AttributeError, "chunk_size cannot be deleted");
        return -1;
    }
    long long size = PyLong_AsLongLong(value);
    if (size == -1 && PyErr_Occurred()) return -1;
    if (size <= 0) {
        PyErr_Format(PyExc_ValueError, "chunk_size must be > 0, not %lld", size);
        return -1;
    }
    self->chunk_size = size;
    return 0;
}

static PyMethodDef body_receiver_methods[] = {
    {"start", (PyCFunction)(void (*)(void))body_receiver_start, METH_FASTCALL,
     "start(fd, left, chunk_size): receive a body from socket fd, left bytes of it (-1: until the peer "
     "closes), at most chunk_size bytes per read."},
    {"receive", (PyCFunction)body_receiver_receive, METH_NOARGS,
     "receive() -> ByteBuffer | b'': the next piece (b'' when nothing has arrived); outcome then says 0 "
     "more to come, 1 complete, -1 the peer closed, else the errno of a failed recv."},
    {"peer_closed", (PyCFunction)body_receiver_peer_closed, METH_NOARGS,
     "peer_closed() -> bool: the peer finished or broke the stream and nothing is left to read."},
    {"stop", (PyCFunction)body_receiver_stop, METH_NOARGS, "stop() -> left: stop receiving; keep the buffers."},
    {"clear", (PyCFunction)body_receiver_clear, METH_NOARGS, "clear(): stop receiving and let go of the buffers."},
    {NULL},
};
static PyGetSetDef body_receiver_getset[] = {
    {"left", (getter)body_receiver_get_left, NULL, "Body bytes still to come (-1: until the peer closes).", NULL},
    {"outcome", (getter)body_receiver_get_outcome, NULL,
     "After receive(): 0 more to come, 1 the body is complete, -1 the peer closed, else errno.", NULL},
    {"spin_waits", (getter)body_receiver_get_spin_waits, NULL,
     "How many reads waited for bytes because the caller spun on empty reads (see src/receive.c).", NULL},
    {"left_in_socket", (getter)body_receiver_get_left_in_socket, NULL,
     "What the kernel said the last read left in the socket (TCP_INQ; -1: not known), see src/receive.c.", NULL},
    {"chunk_size", (getter)body_receiver_get_chunk_size, (setter)body_receiver_set_chunk_size,
     "The most one receive() returns.", NULL},
    {NULL},
};

PyTypeObject PyBodyReceiver_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.BodyReceiver",
    .tp_doc = "BodyReceiver(): reads a plain HTTP body from a socket into ByteBuffers, one call per read.",
    .tp_basicsize = sizeof(PyBodyReceiver),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = body_receiver_new,
    .tp_dealloc = (destructor)body_receiver_dealloc,
    .tp_methods = body_receiver_methods,
    .tp_getset = body_receiver_getset,
};

/* ---- _godot.ClientCall: PyHTTPClient's calls of a bulk loop without a Python frame (decision 0021) ----
 *
 * `ClientCall(kind, function)`: what the engine calls for PyHTTPClient's get_status() (kind 0),
 * poll() (1) or read_response_body_chunk() (2), in place of the Python `function` (the method's
 * `__godot_call__`, see godot._register). It makes the function's steps in C: the client's core
 * (`self._c`, read as object.__getattribute__ reads it), its status, or the body_receiver it reads
 * with (`_receiving`), whose receive() or peer_closed() it calls directly, and with no receiver
 * reading the core's poll() or read_response_body_chunk(), as the function does. Anything else (a
 * missing attribute, another receiver type) is the Python function's, called as it is: the
 * function in py_http_client.py stays what the method means, and the two must keep in step. */

typedef struct {
    PyObject_HEAD
    int kind;
    PyObject *function; /* owned: the Python method this call stands for */
    vectorcallfunc vectorcall;
} PyClientCall;

static PyObject *str_c, *str_status, *str_receiving, *str_end_receiving, *str_receive_failed, *str_poll, *str_read;

static PyObject *client_call_fallback(PyClientCall *self, PyObject *const *args, size_t nargsf) {
    return PyObject_Vectorcall(self->function, args, nargsf, NULL);
}

/* The attribute `name` of `obj` as object.__getattribute__ finds it (a new reference), or NULL
 * with no exception set when it has none. */
static PyObject *plain_attribute(PyObject *obj, PyObject *name) {
    PyObject *value = PyObject_GenericGetAttr(obj, name);
    if (!value) PyErr_Clear();
    return value;
}

static PyObject *client_call_vectorcall(PyClientCall *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    if (!self->function) {
        PyErr_SetString(PyExc_RuntimeError, "ClientCall: cleared");
        return NULL;
    }
    if (PyVectorcall_NARGS(nargsf) != 1 || kwnames) return PyObject_Vectorcall(self->function, args, nargsf, kwnames);
    PyObject *core = plain_attribute(args[0], str_c);
    if (!core) return client_call_fallback(self, args, nargsf);
    if (self->kind == 0) {
        PyObject *status = plain_attribute(core, str_status);
        Py_DECREF(core);
        return status ? status : client_call_fallback(self, args, nargsf);
    }
    PyObject *receiving = plain_attribute(core, str_receiving);
    PyObject *result;
    if (receiving == Py_None) {
        /* No body the receiver reads: what the method does then, the core's poll() or read. */
        result = PyObject_CallMethodNoArgs(core, self->kind == 1 ? str_poll : str_read);
    } else if (!receiving || !Py_IS_TYPE(receiving, &PyBodyReceiver_Type) || ((PyBodyReceiver *)receiving)->fd < 0) {
        result = client_call_fallback(self, args, nargsf);
    } else if (self->kind == 1) {
        /* poll(): alive while bytes or no FIN are there; a body read until the peer closes
         * (left -1, the core's _read_until_eof) learns of the close from a read instead. */
        PyBodyReceiver *receiver = (PyBodyReceiver *)receiving;
        PyObject *closed = receiver->left < 0 ? Py_NewRef(Py_False) : body_receiver_peer_closed(receiver, NULL);
        if (closed == Py_False) {
            result = PyLong_FromLong(0);
        } else {
            result = closed ? PyObject_CallMethodNoArgs(core, str_poll) : NULL;
        }
        Py_XDECREF(closed);
    } else {
        PyBodyReceiver *receiver = (PyBodyReceiver *)receiving;
        PyObject *chunk = body_receiver_receive(receiver, NULL);
        if (!chunk) {
            PyObject *exc = PyErr_GetRaisedException();
            result = PyObject_CallMethodOneArg(core, str_receive_failed, exc);
            Py_DECREF(exc);
        } else if (!receiver->outcome) {
            result = chunk;
            chunk = NULL;
        } else {
            result = PyObject_CallMethodOneArg(core, str_end_receiving, chunk);
        }
        Py_XDECREF(chunk);
    }
    Py_XDECREF(receiving);
    Py_DECREF(core);
    return result;
}

static PyObject *client_call_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    int kind;
    PyObject *function;
    if (!PyArg_ParseTuple(args, "iO:ClientCall", &kind, &function)) return NULL;
    if (kind < 0 || kind > 2) return PyErr_Format(PyExc_ValueError, "ClientCall: kind must be 0, 1 or 2, not %d", kind);
    if (!str_c) {
        str_c = PyUnicode_InternFromString("_c");
        str_status = PyUnicode_InternFromString("_status");
        str_receiving = PyUnicode_InternFromString("_receiving");
        str_end_receiving = PyUnicode_InternFromString("_end_receiving");
        str_receive_failed = PyUnicode_InternFromString("_receive_failed");
        str_poll = PyUnicode_InternFromString("poll");
        str_read = PyUnicode_InternFromString("read_response_body_chunk");
        if (!str_c || !str_status || !str_receiving || !str_end_receiving || !str_receive_failed || !str_poll || !str_read)
            return NULL;
    }
    PyClientCall *self = (PyClientCall *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->kind = kind;
    self->function = Py_NewRef(function);
    self->vectorcall = (vectorcallfunc)client_call_vectorcall;
    return (PyObject *)self;
}

/* The function holds its call (`__godot_call__`) and the call its function: a cycle the
 * collector breaks when a hot reload drops both. */
static int client_call_traverse(PyClientCall *self, visitproc visit, void *arg) {
    Py_VISIT(self->function);
    return 0;
}

static int client_call_clear(PyClientCall *self) {
    Py_CLEAR(self->function);
    return 0;
}

static void client_call_dealloc(PyClientCall *self) {
    PyObject_GC_UnTrack(self);
    client_call_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* What help and introspection see is the Python method's (godot._doc reads the spec's __doc__). */
static PyObject *client_call_get_doc(PyClientCall *self, void *closure) {
    return self->function ? PyObject_GetAttrString(self->function, "__doc__") : Py_NewRef(Py_None);
}
static PyMemberDef client_call_members[] = {
    {"__wrapped__", T_OBJECT, offsetof(PyClientCall, function), READONLY, "The Python method this call stands for."},
    {"kind", T_INT, offsetof(PyClientCall, kind), READONLY, "0 get_status, 1 poll, 2 read_response_body_chunk."},
    {NULL},
};
static PyGetSetDef client_call_getset[] = {
    {"__doc__", (getter)client_call_get_doc, NULL, NULL, NULL},
    {NULL},
};

PyTypeObject PyClientCall_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_godot.ClientCall",
    .tp_doc = "ClientCall(kind, function): PyHTTPClient's get_status (0), poll (1) or read_response_body_chunk (2) "
              "for the engine, without a Python frame (decision 0021).",
    .tp_basicsize = sizeof(PyClientCall),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_HAVE_GC,
    .tp_vectorcall_offset = offsetof(PyClientCall, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = client_call_new,
    .tp_dealloc = (destructor)client_call_dealloc,
    .tp_traverse = (traverseproc)client_call_traverse,
    .tp_clear = (inquiry)client_call_clear,
    .tp_members = client_call_members,
    .tp_getset = client_call_getset,
};
