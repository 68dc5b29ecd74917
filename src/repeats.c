/* repeats.c: the same error, raised again and again, is counted instead of printed.
 *
 * A Python mistake in `_process` raises on every frame: 60 identical tracebacks a second would
 * bury everything else in the output. bridge_report_exception() asks repeats_should_print()
 * before printing. The first occurrence of a message (context + traceback text) prints in full;
 * identical ones within REPEAT_WINDOW_NS are only counted, and the count is printed as one line
 * ("... repeated N more times in the last 1.0 s") when the window ends: at the next occurrence
 * after it, or at shutdown (repeats_flush). A message not seen for REPEAT_FORGET_NS prints in
 * full again. The table is small and fixed; the GIL protects it (every caller holds it). */
#include "gd.h"

#include <string.h>
#include <time.h>

enum {
    REPEAT_SLOTS = 16,          /* distinct messages tracked at once */
    REPEAT_SUMMARY_MAX = 512,   /* bytes of the one-line summary kept per slot */
};
static const int64_t REPEAT_WINDOW_NS = 1000000000LL;  /* one count line per second at most */
static const int64_t REPEAT_FORGET_NS = 10000000000LL; /* quiet this long: print in full again */

typedef struct {
    uint64_t hash;             /* 0: free slot */
    int64_t window_start;      /* when the last line (full or count) was printed */
    int64_t last_seen;
    uint64_t suppressed;       /* occurrences counted since window_start */
    char summary[REPEAT_SUMMARY_MAX];
    char file[256];
    int line;
} RepeatSlot;

static RepeatSlot slots[REPEAT_SLOTS];

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t fnv1a(const char *text) {
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    return h ? h : 1;
}

static void print_count(RepeatSlot *slot, int64_t now) {
    if (!slot->suppressed) return;
    char message[REPEAT_SUMMARY_MAX + 128];
    snprintf(message, sizeof message, "Godot Python: the same error repeated %llu more time%s in the last %.1f s "
             "(traceback printed once above): %s", (unsigned long long)slot->suppressed,
             slot->suppressed == 1 ? "" : "s", (double)(now - slot->window_start) / 1e9, slot->summary);
    gd.print_error(message, "repeated Python error", slot->file, slot->line, 0);
    slot->suppressed = 0;
    slot->window_start = now;
}

bool repeats_should_print(const char *message, const char *summary, const char *file, int line) {
    int64_t now = now_ns();
    uint64_t hash = fnv1a(message);
    RepeatSlot *free_slot = NULL, *oldest = &slots[0];
    for (int i = 0; i < REPEAT_SLOTS; i++) {
        RepeatSlot *slot = &slots[i];
        if (slot->hash == hash) {
            if (now - slot->last_seen > REPEAT_FORGET_NS) {
                print_count(slot, now);
                slot->hash = 0; /* forgotten: the occurrence below prints in full */
                free_slot = slot;
                break;
            }
            slot->last_seen = now;
            slot->suppressed++;
            if (now - slot->window_start >= REPEAT_WINDOW_NS) print_count(slot, now);
            return false;
        }
        if (!slot->hash && !free_slot) free_slot = slot;
        if (slot->last_seen < oldest->last_seen) oldest = slot;
    }
    RepeatSlot *slot = free_slot ? free_slot : oldest;
    if (slot->hash) print_count(slot, now); /* evicted: its count is not lost */
    slot->hash = hash;
    slot->window_start = slot->last_seen = now;
    slot->suppressed = 0;
    snprintf(slot->summary, sizeof slot->summary, "%s", summary);
    snprintf(slot->file, sizeof slot->file, "%s", file);
    slot->line = line;
    return true;
}

void repeats_flush(void) {
    int64_t now = now_ns();
    for (int i = 0; i < REPEAT_SLOTS; i++) {
        if (slots[i].hash) print_count(&slots[i], now);
        slots[i].hash = 0;
    }
}
