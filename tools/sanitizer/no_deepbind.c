/* no_deepbind.c: preloaded ahead of the sanitizer runtimes by tools/sanitize.
 *
 * Godot opens GDExtension libraries with RTLD_DEEPBIND, which AddressSanitizer refuses (a
 * deep-bound library would call the real malloc/free instead of the sanitizer's). This dlopen
 * drops the flag and passes the call on to the next dlopen (the sanitizer's interceptor). */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int mode) {
    static void *(*next_dlopen)(const char *, int);
    if (!next_dlopen) next_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    return next_dlopen(file, mode & ~RTLD_DEEPBIND);
}
