/* gil.c: the parked GIL on the main thread, and the watcher that releases it (decision 0013).
 *
 * Handing the GIL over costs two mutex operations and a condition signal each way inside
 * CPython; a call from GDScript into a no-op Python method paid that twice, more than the rest
 * of the call. So the outermost engine -> Python call on the main thread ends by *parking* the
 * GIL (gd_gil_park = GIL_PARKED: the main thread still holds it, nothing runs Python) and the
 * next one takes it back with one compare-and-swap (gil_take() in gd.h).
 *
 * A parked GIL must not stay parked while another thread needs Python: the main thread may be
 * running engine code that waits for that thread (GDScript's Thread.wait_to_finish(),
 * WorkerThreadPool.wait_for_task_completion(), a Mutex). The watcher thread looks once per
 * GIL_LINGER_US while calls happen (episodes, below) and releases a GIL it finds parked for the
 * main thread: GIL_PARKED -> GIL_RELEASING (a CAS, so the main thread cannot take it back meanwhile),
 * PyEval_SaveThread(), -> GIL_UNPARKED. The main thread's next call then takes the GIL the
 * ordinary way (PyEval_RestoreThread) and parks it again.
 *
 * Episodes, so that a park costs one plain store: a park that follows a PyEval_RestoreThread()
 * (gil_park_taken) starts an episode (`armed`, a condition signal); a park that follows an
 * unpark (gil_give() in gd.h) is inside an episode already, because only the watcher ends one,
 * by releasing the GIL, and it clears `armed` before the main thread can see GIL_UNPARKED.
 * During an episode the watcher looks every GIL_LINGER_US; a main thread busy in a call
 * (GIL_UNPARKED) is looked at again next time. The main thread's take is one CAS. A Godot
 * thread entering Python through gil_take() while the GIL is parked hurries the watcher
 * (gil_hurry), so it waits microseconds, not the linger; Python's own threads (threading) take
 * the GIL inside CPython, unseen, and wait for the next look.
 *
 * Releasing on another thread's behalf: in CPython 3.11 the current thread state is one
 * process-wide pointer and PyEval_SaveThread() swaps it out and drops the GIL without asking
 * which thread calls; the main thread's state is not used by anyone while parked. Newer
 * CPythons keep the current thread state per thread, so there parking stays off
 * (gil_parking_start() says false) and every call hands the GIL over as before.
 *
 * Parking needs every entry into Python on the main thread to go through gil_take(): a
 * PyGILState_Ensure() there would find the parked thread state current and run Python without
 * owning the GIL while the watcher releases it. The bridge has no other entry (gd.h GIL). */
#include "gd.h"

#include <errno.h>
#include <sched.h>
#include <time.h>

/* How long a parked GIL stays parked at most: the longest a thread that needs Python waits for
 * a main thread that runs engine code. CPython itself lets a waiting thread wait 5 ms (its
 * switch interval) before it asks the running one to let go. */
#define GIL_LINGER_US 1000

int gd_gil_park;
int gd_main_depth;

static pthread_t watcher;
static bool watcher_running;
static pthread_mutex_t watcher_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watcher_wake; /* CLOCK_MONOTONIC */
static int armed;                   /* __atomic: an episode is on (see above) */
static int hurry;                   /* __atomic: a thread waits for the GIL: look now */
static bool stopping;               /* under watcher_mutex */

/* While the main thread's state is the interpreter's only one, nobody can be waiting for the
 * GIL: a Godot thread hurries the watcher before it waits, and a Python thread gets its state
 * (made by the thread that starts it) before it waits. The watcher then leaves the GIL parked
 * and looks again every GIL_ALONE_LOOK_US, up to GIL_ALONE_LOOKS times, before it releases it
 * anyway and the episode ends (so an idle game has no watcher wake-ups). In a busy loop of
 * calls (a bulk download: three calls into Python per iteration) this spares the main thread
 * the hand-over and re-arm every GIL_LINGER_US, and the other CPU the wake-ups: the episode
 * costs one look per 5 ms instead of two wake-ups per ms. A Python thread started meanwhile waits
 * at most GIL_ALONE_LOOK_US, CPython's own switch interval. */
#define GIL_ALONE_LOOK_US 5000
#define GIL_ALONE_LOOKS 20

/* Read without the interpreter's lock: a state made meanwhile is seen at the next look. `main`
 * itself is never freed while the watcher runs, so reading its `next` is safe. */
static bool main_state_alone(void) {
    PyThreadState *main = gd_main_thread_state;
    return PyInterpreterState_ThreadHead(PyThreadState_GetInterpreter(main)) == main && PyThreadState_Next(main) == NULL;
}

static void *watch(void *unused) {
    pthread_mutex_lock(&watcher_mutex);
    int alone_looks = 0;
    for (;;) {
        while (!__atomic_load_n(&armed, __ATOMIC_SEQ_CST) && !stopping) pthread_cond_wait(&watcher_wake, &watcher_mutex);
        if (stopping) break;
        /* An episode: look once per GIL_LINGER_US until the GIL is found parked and released. */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += (alone_looks ? GIL_ALONE_LOOK_US : GIL_LINGER_US) * 1000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!stopping && !__atomic_load_n(&hurry, __ATOMIC_SEQ_CST) &&
               pthread_cond_timedwait(&watcher_wake, &watcher_mutex, &until) != ETIMEDOUT) {}
        if (stopping) break;
        if (!__atomic_exchange_n(&hurry, 0, __ATOMIC_SEQ_CST) && alone_looks < GIL_ALONE_LOOKS && main_state_alone()) {
            alone_looks++; /* see GIL_ALONE_LOOK_US */
            continue;
        }
        alone_looks = 0;
        int parked = GIL_PARKED;
        if (__atomic_compare_exchange_n(&gd_gil_park, &parked, GIL_RELEASING, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            PyEval_SaveThread(); /* the main thread's state: see the top of this file */
            /* The episode ends before the main thread can see UNPARKED: its next park arms again. */
            __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
            __atomic_store_n(&gd_gil_park, GIL_UNPARKED, __ATOMIC_SEQ_CST);
        }
    }
    pthread_mutex_unlock(&watcher_mutex);
    return NULL;
}

static void arm(void) {
    if (__atomic_exchange_n(&armed, 1, __ATOMIC_SEQ_CST)) return; /* an episode is on */
    pthread_mutex_lock(&watcher_mutex);
    pthread_cond_signal(&watcher_wake);
    pthread_mutex_unlock(&watcher_mutex);
}

/* Whether a Python frame of the main thread is below this call: then Python code released the
 * GIL around an engine call (Py_BEGIN_ALLOW_THREADS) and takes it back itself when that call
 * returns, so it must be handed over, not parked. */
static bool python_frame_below(PyThreadState *main) {
#if PY_VERSION_HEX < 0x030C0000
    return main->cframe && main->cframe->current_frame;
#else
    return true;
#endif
}

void gil_park_taken(void) {
    PyThreadState *main = gd_main_thread_state;
    if (!watcher_running || python_frame_below(main)) {
        PyEval_SaveThread();
        return;
    }
    __atomic_store_n(&gd_gil_park, GIL_PARKED, __ATOMIC_RELEASE);
    arm();
}

void gil_hurry(void) {
    if (!watcher_running || __atomic_exchange_n(&hurry, 1, __ATOMIC_SEQ_CST)) return;
    pthread_mutex_lock(&watcher_mutex);
    pthread_cond_signal(&watcher_wake);
    pthread_mutex_unlock(&watcher_mutex);
}

void gil_wait_released(void) {
    while (__atomic_load_n(&gd_gil_park, __ATOMIC_SEQ_CST) == GIL_RELEASING) sched_yield();
}

bool gil_parking_start(void) {
#if PY_VERSION_HEX >= 0x030C0000
    return false;
#else
    if (watcher_running) return true;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&watcher_wake, &attr);
    pthread_condattr_destroy(&attr);
    stopping = false;
    __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&gd_gil_park, GIL_UNPARKED, __ATOMIC_SEQ_CST);
    if (pthread_create(&watcher, NULL, watch, NULL) != 0) {
        GD_ERR("Godot Python: could not start the GIL watcher thread; calls into Python hand the GIL over each time.");
        pthread_cond_destroy(&watcher_wake);
        return false;
    }
    watcher_running = true;
    return true;
#endif
}

void gil_parking_stop(void) {
    if (watcher_running) {
        pthread_mutex_lock(&watcher_mutex);
        stopping = true;
        pthread_cond_signal(&watcher_wake);
        pthread_mutex_unlock(&watcher_mutex);
        pthread_join(watcher, NULL);
        pthread_cond_destroy(&watcher_wake);
        watcher_running = false;
    }
    /* The watcher has stopped between two steps at most: the GIL is parked (this thread's) or not. */
    int parked = GIL_PARKED;
    if (__atomic_compare_exchange_n(&gd_gil_park, &parked, GIL_UNPARKED, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return;
    PyEval_RestoreThread(gd_main_thread_state);
}

/* ---- what bounds a call into Python, measured in this process (tools/bench "floor" rows) ---- */

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* _godot.measure_call_floors(function, argument, count) -> (hand-over, call, park) in ns each:
 * a PyEval_SaveThread/PyEval_RestoreThread pair (the GIL handed over and back, nobody waiting),
 * a C call of function(argument) through PyObject_Vectorcall (what every call into Python
 * pays), and the compare-and-swap plus store of taking and parking a parked GIL. */
PyObject *gil_measure_call_floors(PyObject *self, PyObject *args) {
    PyObject *function, *argument;
    long count;
    if (!PyArg_ParseTuple(args, "OOl", &function, &argument, &count)) return NULL;
    if (count <= 0) return PyErr_Format(PyExc_ValueError, "count must be positive, not %ld", count);
    double t0 = now_ns();
    for (long i = 0; i < count; i++) {
        PyThreadState *state = PyEval_SaveThread();
        PyEval_RestoreThread(state);
    }
    double handover = (now_ns() - t0) / (double)count;
    t0 = now_ns();
    for (long i = 0; i < count; i++) {
        PyObject *r = PyObject_Vectorcall(function, &argument, 1, NULL);
        if (!r) return NULL;
        Py_DECREF(r);
    }
    double call = (now_ns() - t0) / (double)count;
    int state = GIL_PARKED;
    t0 = now_ns();
    for (long i = 0; i < count; i++) {
        int parked = GIL_PARKED;
        __atomic_compare_exchange_n(&state, &parked, GIL_UNPARKED, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        __atomic_store_n(&state, GIL_PARKED, __ATOMIC_RELEASE);
    }
    double park = (now_ns() - t0) / (double)count;
    return Py_BuildValue("(ddd)", handover, call, park);
}
