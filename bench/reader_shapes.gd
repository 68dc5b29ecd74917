# Diagnostic: how the SHAPE of the reader moves plain bulk throughput on loopback (docs/benchmarks.md,
# "A spinning reader slows the server"). 8 interleaved rounds of a 256 MiB download at 64 KiB per
# read, for each of: the built-in in the usual non-blocking loop; the same loop with about 1 us of
# extra GDScript work per iteration (does reader CPU matter?); the raw Python reader blocking in
# recv(); the raw reader spinning on non-blocking recv(); PyHTTPClient. Prints each shape's rounds
# in GB/s, the median, and the reads per download that found nothing.
# Run: BENCH_SCRIPT=res://reader_shapes.gd tools/bench
extends SceneTree

const Download := preload("res://download.gd")

const ROUNDS := 8
const CHUNK := 65536
const SHAPES := ["built-in", "built-in + 1 us", "raw blocking", "raw spinning", "PyHTTPClient"]

var port := 0
var sink := 0
var empty_reads := {}


func client_loop(shape: String, cls: String, extra: int) -> float:
	var c = Download.start(cls, port, CHUNK)
	var n := 0
	var empty := 0
	var t0 := Time.get_ticks_usec()
	while c.get_status() == HTTPClient.STATUS_BODY:
		c.poll()
		var got: int = c.read_response_body_chunk().size()
		n += got
		if got == 0:
			empty += 1
		for i in extra:
			sink += i
	var dt := Time.get_ticks_usec() - t0
	c.close()
	empty_reads[shape].append(empty)
	return n / (dt * 1000.0)


func fetch(shape: String) -> float:
	match shape:
		"built-in":
			return client_loop(shape, "HTTPClient", 0)
		"built-in + 1 us":
			return client_loop(shape, "HTTPClient", 20)
		"raw blocking":
			return ClassDB.instantiate("PyRawReader").download(port, "/big.bin", CHUNK, false)
		"raw spinning":
			return ClassDB.instantiate("PyRawReader").download(port, "/big.bin", CHUNK, true)
	return client_loop(shape, "PyHTTPClient", 0)


func median(values: Array) -> float:
	var sorted := values.duplicate()
	sorted.sort()
	return (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2.0


func _initialize():
	port = int(OS.get_environment("BENCH_PLAIN_PORT"))
	var figures := {}
	for shape in SHAPES:
		figures[shape] = []
		empty_reads[shape] = []
	for r in ROUNDS:
		for shape in SHAPES:
			figures[shape].append(fetch(shape))
	for shape in SHAPES:
		var line := ""
		for x in figures[shape]:
			line += "%.2f " % x
		var empty := "" if empty_reads[shape].is_empty() else "  empty reads %d" % median(empty_reads[shape])
		print("%-16s %s median %.2f%s" % [shape, line, median(figures[shape]), empty])
	quit()
