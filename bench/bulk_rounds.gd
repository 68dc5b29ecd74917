# Diagnostic: 16 interleaved rounds of a 256 MiB plain download per class (built-in, then
# PyHTTPClient, round by round) at BENCH_CHUNK bytes per read (default 65536); prints every
# round's GB/s and the medians, for pooling several runs (docs/benchmarks.md, "Before and after,
# alternating trees"). Run: BENCH_SCRIPT=res://bulk_rounds.gd BENCH_CHUNK=1048576 tools/bench
extends SceneTree

const Download := preload("res://download.gd")

const ROUNDS := 16


func fetch_once(cls: String, port: int, chunk: int) -> float:
	var c = Download.start(cls, port, chunk)
	var n := 0
	var t0 := Time.get_ticks_usec()
	while c.get_status() == HTTPClient.STATUS_BODY:
		c.poll()
		n += c.read_response_body_chunk().size()
	var dt := Time.get_ticks_usec() - t0
	c.close()
	return n / (dt * 1000.0)


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	var chunk := int(OS.get_environment("BENCH_CHUNK")) if OS.has_environment("BENCH_CHUNK") else 65536
	var figures := {"HTTPClient": [], "PyHTTPClient": []}
	for r in ROUNDS:
		for cls in figures:
			figures[cls].append(fetch_once(cls, port, chunk))
	var medians := {}
	for cls in figures:
		var line := ""
		for x in figures[cls]:
			line += "%.2f " % x
		var sorted: Array = figures[cls].duplicate()
		sorted.sort()
		medians[cls] = (sorted[ROUNDS / 2 - 1] + sorted[ROUNDS / 2]) / 2.0
		print("%-12s %s median %.2f" % [cls, line, medians[cls]])
	print("chunk %d: ratio of medians %.3f" % [chunk, medians["PyHTTPClient"] / medians["HTTPClient"]])
	quit()
