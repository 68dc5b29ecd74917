"""Profile godot_http's core (no Godot, no bridge) on the bench's nginx: what Python costs per
request/chunk. Usage (inside the sysroot): python3 bench/profile_core.py WORKLOAD [--cprofile]
WORKLOAD: bulk1m | bulk64k | keepalive | idle | newconn | tls
"""

import cProfile
import os
import pstats
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import run  # noqa: E402
from godot_http import HTTPClient, TLSOptions  # noqa: E402


def connect(c, port, tls=None):
    c.connect_to_host("127.0.0.1", port, tls)
    while c.get_status() in (1, 3):
        c.poll()
    assert c.get_status() == 5, c.get_status()


def fetch(c, path):
    c.request(0, path, [])
    while c.get_status() == 6:
        c.poll()
    n = 0
    while c.get_status() == 7:
        c.poll()
        n += len(c.read_response_body_chunk())
    return n


def main():
    work = sys.argv[1]
    prof = "--cprofile" in sys.argv
    tmp = tempfile.mkdtemp(prefix="godot-bench-")
    run.write_files(os.path.join(tmp, "www"))
    run.make_cert(tmp)
    plain, tls = run.free_port(), run.free_port()
    conf = os.path.join(tmp, "nginx.conf")
    open(conf, "w").write(run.NGINX_CONF.format(tmp=tmp, plain=plain, tls=tls))
    ng = subprocess.Popen(["/usr/sbin/nginx", "-p", tmp, "-c", conf, "-e", f"{tmp}/error.log"], start_new_session=True)
    try:
        run.wait_listening(plain, time.monotonic() + 10)
        opts = TLSOptions.client(open(f"{tmp}/cert.pem").read(), "localhost")
        c = HTTPClient()

        def body():
            t0 = time.perf_counter()
            if work.startswith("bulk"):
                connect(c, plain)
                c.set_read_chunk_size(1 << 20 if work == "bulk1m" else 65536)
                for _ in range(3):
                    assert fetch(c, "/big.bin") == 256 << 20
                dt = time.perf_counter() - t0
                print(f"{3 * 256 / 1024 / dt:.2f} GB/s")
            elif work == "keepalive":
                connect(c, plain)
                for _ in range(20000):
                    fetch(c, "/small.bin")
                print(f"{20000 / (time.perf_counter() - t0):.0f} req/s")
            elif work == "memory":
                import gc
                import tracemalloc

                connect(c, plain)

                def rss():
                    return int(open("/proc/self/statm").read().split()[1]) * 4096

                for _ in range(1000):
                    fetch(c, "/small.bin")
                tracemalloc.start()
                snap = tracemalloc.take_snapshot()
                base = rss()
                for _ in range(30000):
                    fetch(c, "/small.bin")
                gc.collect()
                print(f"RSS growth {(rss() - base) / 1048576:.2f} MB over 30k")
                for stat in tracemalloc.take_snapshot().compare_to(snap, "lineno")[:8]:
                    print(stat)
            elif work == "idle":
                connect(c, plain)
                t0 = time.perf_counter()
                for _ in range(1000000):
                    c.poll()
                print(f"{(time.perf_counter() - t0) * 1000:.0f} ns/poll")
            elif work == "newconn":
                for _ in range(2000):
                    connect(c, plain)
                    fetch(c, "/small.bin")
                    c.close()
                print(f"{2000 / (time.perf_counter() - t0):.0f} conn/s")
            elif work == "tls":
                for _ in range(300):
                    connect(c, tls, opts)
                    c.close()
                print(f"{300 / (time.perf_counter() - t0):.0f} hs/s")

        if prof:
            p = cProfile.Profile()
            p.runcall(body)
            pstats.Stats(p).sort_stats("tottime").print_stats(18)
        else:
            body()
    finally:
        os.killpg(ng.pid, signal.SIGQUIT)
        ng.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
