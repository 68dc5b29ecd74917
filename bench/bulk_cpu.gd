# Diagnostic: whose CPU a 256 MiB plain download takes (docs/benchmarks.md, "Plain bulk on the
# Zen 2 machine"). BENCH_ROUNDS downloads per class (default 4), the classes alternating, at
# BENCH_CHUNK bytes per read (default 65536); per download: GB/s, wall time, the reading thread's
# CPU time and nginx's (both from /proc/.../schedstat), reads and empty reads. Each timed loop
# stands between 60 ms sleeps, so `perf record` samples of one loop can be told apart.
# Run: BENCH_SCRIPT=res://bulk_cpu.gd BENCH_CHUNK=1048576 tools/bench
extends SceneTree

const Download := preload("res://download.gd")


func cpu_ns(path: String) -> int:
	var f := FileAccess.open(path, FileAccess.READ)
	return int(f.get_line().split(" ")[0]) if f != null else -1


func nginx_worker() -> String:
	var out := []
	OS.execute("pgrep", ["-f", "nginx: worker"], out)
	var pid: String = str(out[0]).strip_edges().split("\n")[0] if not out.is_empty() else ""
	return "/proc/%s/schedstat" % pid if pid.is_valid_int() else ""


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	var chunk := int(OS.get_environment("BENCH_CHUNK")) if OS.has_environment("BENCH_CHUNK") else 65536
	var rounds := int(OS.get_environment("BENCH_ROUNDS")) if OS.has_environment("BENCH_ROUNDS") else 4
	var nginx := nginx_worker()
	for r in rounds:
		for cls in ["HTTPClient", "PyHTTPClient"]:
			var c = Download.start(cls, port, chunk)
			OS.delay_msec(60)
			var n := 0
			var reads := 0
			var empty := 0
			var reader0 := cpu_ns("/proc/thread-self/schedstat")
			var nginx0 := cpu_ns(nginx)
			var t0 := Time.get_ticks_usec()
			while c.get_status() == HTTPClient.STATUS_BODY:
				c.poll()
				var got: int = c.read_response_body_chunk().size()
				n += got
				reads += 1
				if got == 0:
					empty += 1
			var dt := Time.get_ticks_usec() - t0
			var reader := (cpu_ns("/proc/thread-self/schedstat") - reader0) / 1000000.0
			var server := (cpu_ns(nginx) - nginx0) / 1000000.0
			OS.delay_msec(60)
			c.close()
			var line := "%-12s %7d %.2f GB/s %6.1f ms" % [cls, chunk, n / (dt * 1000.0), dt / 1000.0]
			line += "  reader CPU %6.1f ms  nginx CPU %6.1f ms" % [reader, server]
			print(line + "  reads %d empty %d" % [reads, empty])
	quit()
