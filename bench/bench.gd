# tools/bench: HTTPClient against PyHTTPClient, one headless run (docs/benchmarks.md).
# bench/run.py starts nginx and passes BENCH_PLAIN_PORT, BENCH_TLS_PORT, BENCH_CA, BENCH_ARGS.
# Every workload runs for both classes alternately (the order swaps each round); the table
# shows medians and the ratio PyHTTPClient / built-in. Clients live in untyped variables, as a
# game script that swaps the class name would hold them.
extends SceneTree

const RESOLVING := 1
const CONNECTING := 3
const CONNECTED := 5
const REQUESTING := 6
const BODY := 7
const CLASSES := ["HTTPClient", "PyHTTPClient"]
const BULK_ROUNDS := 7

var plain_port := 0
var tls_port := 0
var tls_options: TLSOptions
var quick := false
var rounds := 3
var only := []
var classes := CLASSES  # --class NAME runs one class only (for profiling)
var rows := []
var failed := false
var speed_rounds := 7  # --speed-rounds N (the issue-11 rows)


func _initialize() -> void:
	plain_port = int(OS.get_environment("BENCH_PLAIN_PORT"))
	tls_port = int(OS.get_environment("BENCH_TLS_PORT"))
	var cert := X509Certificate.new()
	if cert.load(OS.get_environment("BENCH_CA")) != OK:
		printerr("bench: cannot load the CA certificate")
		quit(2)
		return
	tls_options = TLSOptions.client(cert, "localhost")
	var args: PackedStringArray = OS.get_environment("BENCH_ARGS").split(" ", false)
	var i := 0
	while i < args.size():
		match args[i]:
			"--quick":
				quick = true
				rounds = 1
			"--rounds":
				i += 1
				rounds = int(args[i])
			"--speed-rounds":
				i += 1
				speed_rounds = int(args[i])
			"--class":
				i += 1
				classes = [args[i]]
			"--only":
				i += 1
				only = Array(args[i].split(","))
		i += 1
	if not ClassDB.class_exists("PyHTTPClient"):
		printerr("bench: PyHTTPClient is not registered (is the addon built and linked?)")
		quit(2)
		return
	var started := Time.get_ticks_msec()
	print(
		(
			"bench: Godot %s, %d round(s)%s, plain port %d, TLS port %d"
			% [Engine.get_version_info()["string"], rounds, " (quick)" if quick else "", plain_port, tls_port]
		)
	)
	run_all()
	print_table()
	print("bench: total %.1f s" % ((Time.get_ticks_msec() - started) / 1000.0))
	quit(1 if failed else 0)


func wanted(name: String) -> bool:
	if only.is_empty():
		return true
	for o in only:
		if name.begins_with(o):
			return true
	return false


# ------------------------------------------------------------------------ helpers


func now() -> int:
	return Time.get_ticks_usec()


func fail(what: String, c) -> float:
	printerr("bench: %s failed (status %d)" % [what, c.get_status() if c != null else -1])
	failed = true
	return NAN


func open(cls: String, tls: bool):
	var c = ClassDB.instantiate(cls)
	var err = c.connect_to_host("127.0.0.1", tls_port if tls else plain_port, tls_options if tls else null)
	if err != OK:
		return null
	while true:
		var s = c.get_status()
		if s != CONNECTING and s != RESOLVING:
			break
		c.poll()
	return c if c.get_status() == CONNECTED else null


# GET path on a connected client, reading the body in the tutorial's loop; returns its size or -1.
func fetch(c, path: String) -> int:
	if c.request(HTTPClient.METHOD_GET, path, []) != OK:
		return -1
	while c.get_status() == REQUESTING:
		c.poll()
	var n := 0
	while c.get_status() == BODY:
		c.poll()
		n += c.read_response_body_chunk().size()
	return n if c.get_status() == CONNECTED else -1


func median(values: Array) -> float:
	var v := values.duplicate()
	v.sort()
	var n := v.size()
	if n == 0:
		return NAN
	return v[n / 2] if n % 2 == 1 else (v[n / 2 - 1] + v[n / 2]) / 2.0


func rss_bytes() -> int:
	var f := FileAccess.open("/proc/self/statm", FileAccess.READ)
	if f == null:
		return -1
	var fields := f.get_line().split(" ")
	return int(fields[1]) * 4096


# Runs fn(cls) for both classes `rounds` times, alternating; adds a table row.
# higher: true when a bigger value is better (the ratio target is then a minimum).
func measure(
	name: String, unit: String, fn: Callable, higher: bool, target: float, target_text: String, n_rounds := -1
) -> void:
	if not wanted(name):
		return
	var values := {"HTTPClient": [], "PyHTTPClient": []}
	var r_count := rounds if n_rounds < 0 else n_rounds
	for r in r_count:
		var order := CLASSES if r % 2 == 0 else [CLASSES[1], CLASSES[0]]
		for cls in order:
			values[cls].append(fn.call(cls) if classes.has(cls) else NAN)
	var b := median(values["HTTPClient"])
	var p := median(values["PyHTTPClient"])
	add_row(name, unit, b, p, higher, target, target_text)


func add_row(name: String, unit: String, b: float, p: float, higher: bool, target: float, target_text: String) -> void:
	var ratio := p / b if b != 0 else (1.0 if p == 0 else NAN)
	var met := ""
	if target_text != "":
		met = "yes" if (ratio >= target if higher else ratio <= target) else "NO"
	rows.append([name, unit, b, p, ratio, target_text, met])
	print("bench: %-34s built-in %12s  Py %12s  ratio %6.2f" % [name, fmt(b), fmt(p), ratio])


func fmt(v: float) -> String:
	if is_nan(v):
		return "n/a"
	if abs(v) >= 100:
		return "%.0f" % v
	if abs(v) >= 10:
		return "%.1f" % v
	return "%.2f" % v


func print_table() -> void:
	print("")
	print("| workload | unit | built-in (HTTPClient, GDScript) | Python (PyHTTPClient) | Py/built-in | target | met |")
	print("|---|---|---:|---:|---:|---|---|")
	for r in rows:
		print("| %s | %s | %s | %s | %.2f | %s | %s |" % [r[0], r[1], fmt(r[2]), fmt(r[3]), r[4], r[5], r[6]])


# ------------------------------------------------------------------------ workloads


func run_all() -> void:
	for tls in [false, true]:
		for chunk in [65536, 1048576]:
			var label := "bulk %s %s" % ["TLS" if tls else "plain", "64KiB" if chunk == 65536 else "1MiB"]
			# Plain loopback bulk swings with how the reader and nginx share 2 CPUs
			# (bench/bulk_reads.gd): more rounds for a stable median.
			measure(
				label, "GB/s", bulk.bind(tls, chunk), true, 1.0, ">= 1.0", BULK_ROUNDS if not quick and not tls else -1
			)
			if not tls:
				# What bounds the row above: the least a reader can do, in the Py column.
				measure(
					label + " ceiling: raw recv loop",
					"GB/s",
					bulk_or_raw.bind(chunk),
					true,
					0,
					"",
					BULK_ROUNDS if not quick else -1
				)
	var ka := 1000 if quick else 5000
	measure("keep-alive %d GETs 100 B" % ka, "req/s", keep_alive.bind(ka), true, 2.0, ">= 2.0")
	var nc := 200 if quick else 1000
	measure("new-connections %d" % nc, "conn/s", new_connections.bind(nc), true, 1.0, ">= 1.0")
	var hs := 50 if quick else 200
	measure("tls-handshakes %d TLS1.3" % hs, "hs/s", handshakes.bind(hs), true, 1.0, ">= 1.0")
	if wanted("clients"):
		var frames := {"HTTPClient": [], "PyHTTPClient": []}
		var totals := {"HTTPClient": [], "PyHTTPClient": []}
		for r in rounds:
			var order := CLASSES if r % 2 == 0 else [CLASSES[1], CLASSES[0]]
			for cls in order:
				var res: Array = clients(cls, 100) if classes.has(cls) else [NAN, NAN]
				totals[cls].append(res[0])
				frames[cls].append(res[1])
		add_row(
			"clients 100 x 1 MiB total",
			"ms",
			median(totals["HTTPClient"]),
			median(totals["PyHTTPClient"]),
			false,
			1.0,
			"<= 1.0"
		)
		add_row(
			"clients 100 x 1 MiB one frame",
			"us",
			median(frames["HTTPClient"]),
			median(frames["PyHTTPClient"]),
			false,
			0,
			""
		)
	var calls := 50000 if quick else 200000
	measure("idle-poll", "ns/call", idle_poll.bind(calls), false, 10.0, "<= 10")
	if wanted("bridge"):
		bridge(calls)
	if wanted("engine") or wanted("python") or wanted("packed") or wanted("floor"):
		engine_speed(calls)
	if wanted("memory"):
		memory(20000 if quick else 100000)


func bulk(cls: String, tls: bool, chunk: int) -> float:
	var c = open(cls, tls)
	if c == null:
		return fail("bulk connect", c)
	c.read_chunk_size = chunk
	var t0 := now()
	var n := fetch(c, "/big.bin")
	var dt := now() - t0
	c.close()
	if n != 256 * 1048576:
		return fail("bulk body (%d bytes)" % n, c)
	return n / (dt * 1000.0)  # bytes/us / 1000 = GB/s


# The built-in's bulk(), or in the Py column the raw socket reader of bench/python
# (PyRawReader): one blocking recv_into per chunk, nothing else (docs/benchmarks.md).
func bulk_or_raw(cls: String, chunk: int) -> float:
	if cls == "HTTPClient":
		return bulk(cls, false, chunk)
	var got: float = ClassDB.instantiate("PyRawReader").download(plain_port, "/big.bin", chunk)
	return got if got > 0 else fail("raw bulk body", null)


func keep_alive(cls: String, count: int) -> float:
	var c = open(cls, false)
	if c == null:
		return fail("keep-alive connect", c)
	var t0 := now()
	for i in count:
		if fetch(c, "/small.bin") != 100:
			return fail("keep-alive GET", c)
	var dt := now() - t0
	c.close()
	return count * 1e6 / dt


func new_connections(cls: String, count: int) -> float:
	var t0 := now()
	for i in count:
		var c = open(cls, false)
		if c == null:
			return fail("new-connection connect", c)
		if fetch(c, "/small.bin") != 100:
			return fail("new-connection GET", c)
		c.close()
	return count * 1e6 / (now() - t0)


func handshakes(cls: String, count: int) -> float:
	var t0 := now()
	for i in count:
		var c = open(cls, true)
		if c == null:
			return fail("TLS handshake", c)
		c.close()
	return count * 1e6 / (now() - t0)


# 100 clients each GET /mid.bin; every simulated frame polls each client once (and reads a chunk
# when it is in the body), like a game's _process. Returns [total ms, median frame us].
func clients(cls: String, count: int) -> Array:
	var list := []
	var got := []
	var t0 := now()
	for i in count:
		var c = ClassDB.instantiate(cls)
		c.connect_to_host("127.0.0.1", plain_port)
		list.append(c)
		got.append(0)
	var frame_times := []
	var done := 0
	var requested := []
	requested.resize(count)
	requested.fill(false)
	while done < count:
		var f0 := now()
		done = 0
		for i in count:
			var c = list[i]
			c.poll()
			var s = c.get_status()
			if s == BODY:
				got[i] += c.read_response_body_chunk().size()
			elif s == CONNECTED:
				if requested[i]:
					done += 1
				else:
					c.request(HTTPClient.METHOD_GET, "/mid.bin", [])
					requested[i] = true
			elif s != CONNECTING and s != RESOLVING and s != REQUESTING:
				fail("clients", c)
				return [NAN, NAN]
		frame_times.append(now() - f0)
		if now() - t0 > 60_000_000:
			fail("clients (timeout)", null)
			return [NAN, NAN]
	var total := (now() - t0) / 1000.0
	for i in count:
		if got[i] != 1048576:
			fail("clients body %d" % got[i], null)
			return [NAN, NAN]
		list[i].close()
	return [total, median(frame_times)]


func idle_poll(cls: String, count: int) -> float:
	var c = open(cls, false)
	if c == null:
		return fail("idle-poll connect", c)
	var t0 := now()
	for i in count:
		c.poll()
	var dt := now() - t0
	if c.get_status() != CONNECTED:
		return fail("idle-poll status", c)
	c.close()
	return dt * 1000.0 / count


func bridge(count: int) -> void:
	var py = ClassDB.instantiate("PyBenchTarget")
	var rc = RefCounted.new()
	var spb = StreamPeerBuffer.new()
	var blob := PackedByteArray()
	blob.resize(65536)
	spb.data_array = blob
	var noop_b := []
	var noop_p := []
	var blob_b := []
	var blob_p := []
	var n_blob := count / 10
	for r in rounds:
		var t0 := now()
		for i in count:
			rc.get_reference_count()
		noop_b.append((now() - t0) * 1000.0 / count)
		t0 = now()
		for i in count:
			py.noop()
		noop_p.append((now() - t0) * 1000.0 / count)
		t0 = now()
		for i in n_blob:
			spb.get_data_array()
		blob_b.append((now() - t0) * 1000.0 / n_blob)
		t0 = now()
		for i in n_blob:
			py.blob()
		blob_p.append((now() - t0) * 1000.0 / n_blob)
	var p := median(noop_p)
	add_row("bridge no-arg call", "ns/call", median(noop_b), p, false, 0, "")
	rows[-1][5] = "Py <= 300 ns"
	rows[-1][6] = "yes" if p <= 300.0 else "NO"
	add_row("bridge call -> 64 KiB PackedByteArray", "ns/call", median(blob_b), median(blob_p), false, 0, "")


# Resident size of the process after 1,000 keep-alive GETs against after `total`.
func memory(total: int) -> void:
	var growth := {}
	for cls in CLASSES:
		var c = open(cls, false)
		if c == null:
			fail("memory connect", c)
			return
		var base := 0
		for i in total:
			if i == 1000:
				base = rss_bytes()
			if fetch(c, "/small.bin") != 100:
				fail("memory GET", c)
				return
		growth[cls] = (rss_bytes() - base) / 1048576.0
		c.close()
	add_row(
		"memory RSS growth 1k -> %dk req" % (total / 1000),
		"MB",
		growth["HTTPClient"],
		growth["PyHTTPClient"],
		false,
		0,
		""
	)
	rows[-1][5] = "Py < 5 MB"
	rows[-1][6] = "yes" if growth["PyHTTPClient"] < 5.0 else "NO"


# ------------------------------------------------------------------------ Python at engine speed

# The rows of issue 11: Python calling the engine (a Python loop against the same GDScript
# loop, typed variables on the GDScript side), GDScript calling Python (untyped: Variant call;
# typed: ptrcall) against the same call of an engine method, and Packed arrays crossing the
# bridge. Each row runs speed_rounds rounds (alternating which side goes first) and shows the
# medians. "built-in" is GDScript or the engine; "Py" is the Python side.


func speed_row(
	name: String, unit: String, gd_fn: Callable, py_fn: Callable, target: float, target_text: String
) -> void:
	if not wanted(name):
		return
	var b := []
	var p := []
	var n_rounds := 1 if quick else speed_rounds
	for r in n_rounds:
		if r % 2 == 0:
			b.append(gd_fn.call())
			p.append(py_fn.call())
		else:
			p.append(py_fn.call())
			b.append(gd_fn.call())
	add_row(name, unit, median(b), median(p), false, target, target_text)


func engine_speed(count: int) -> void:
	var py = ClassDB.instantiate("PyBenchTarget")
	var node := Node.new()
	var node2d := Node2D.new()
	speed_row(
		"engine get_child_count() from Python",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				node.get_child_count()
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			py.child_count_loop(node, count)
			return (now() - t0) * 1000.0 / count,
		6.0,
		"<= 6x"
	)
	speed_row(
		"engine position read from Python",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				var _p := node2d.position
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			py.position_loop(node2d, count)
			return (now() - t0) * 1000.0 / count,
		8.0,
		"<= 8x"
	)
	speed_row(
		"engine set_position(Vector2) from Python",
		"ns/call",
		func() -> float:
			var where := Vector2(1.0, 2.0)
			var t0 := now()
			for i in count:
				node2d.set_position(where)
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			py.set_position_loop(node2d, count)
			return (now() - t0) * 1000.0 / count,
		6.0,
		"<= 6x"
	)
	var rc_untyped = RefCounted.new()
	speed_row(
		"python no-arg call, untyped",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				rc_untyped.get_reference_count()
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			for i in count:
				py.noop()
			return (now() - t0) * 1000.0 / count,
		1.5,
		"<= 1.5x"
	)
	var rc_typed: RefCounted = RefCounted.new()
	var py_typed: PyBenchTarget = py
	speed_row(
		"python no-arg call, typed (ptrcall)",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				rc_typed.get_reference_count()
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			for i in count:
				py_typed.noop()
			return (now() - t0) * 1000.0 / count,
		5.0,
		"<= 5x"
	)
	var floats := PackedFloat32Array()
	floats.resize(4 * 1048576)  # 16 MB
	for i in 1024:
		floats[i * 4096] = i
	var n_big := 2 if quick else 10
	speed_row(
		"packed 16 MB PackedFloat32Array -> Python",
		"us/call",
		func() -> float:
			var t0 := now()
			for i in n_big:
				var copy := floats.duplicate()  # what a real copy costs
				copy[0] = 1.0
			return float(now() - t0) / n_big,
		func() -> float:
			var t0 := now()
			for i in n_big:
				if py.floats(floats) != floats.size():
					fail("packed floats size", null)
			return float(now() - t0) / n_big,
		0.1,
		"<= 0.1x"
	)
	var spb = StreamPeerBuffer.new()
	var blob := PackedByteArray()
	blob.resize(65536)
	spb.data_array = blob
	var n_blob := count / 10
	speed_row(
		"packed Python returns 64 KiB PackedByteArray",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in n_blob:
				spb.get_data_array()
			return (now() - t0) * 1000.0 / n_blob,
		func() -> float:
			var t0 := now()
			for i in n_blob:
				py.packed_blob()
			return (now() - t0) * 1000.0 / n_blob,
		2.0,
		"<= 2x"
	)
	# What bounds the rows above: a call between two Python functions, and an engine call
	# that hands the GIL over and back (Thread's methods are generated as blocking).
	speed_row(
		"floor function call in the language itself",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				_gd_noop()
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			py.python_call_loop(count)
			return (now() - t0) * 1000.0 / count,
		0,
		""
	)
	var thread := Thread.new()
	speed_row(
		"floor engine call releasing the GIL",
		"ns/call",
		func() -> float:
			var t0 := now()
			for i in count:
				thread.is_started()
			return (now() - t0) * 1000.0 / count,
		func() -> float:
			var t0 := now()
			py.gil_release_loop(thread, count)
			return (now() - t0) * 1000.0 / count,
		0,
		""
	)
	# What bounds a call into Python, measured from C in this process (_godot.measure_call_floors),
	# each next to the typed engine call the typed row compares with: its budget is 5x that.
	var floor_names := [
		"floor GIL hand-over pair (PyEval_SaveThread + RestoreThread)",
		"floor empty Python method called from C (PyObject_Vectorcall)",
		"floor parked GIL taken back and parked (CAS + store)",
	]
	for which in floor_names.size():
		speed_row(
			floor_names[which],
			"ns/call",
			func() -> float:
				var t0 := now()
				for i in count:
					rc_typed.get_reference_count()
				return (now() - t0) * 1000.0 / count,
			func() -> float: return py.call_floors(count)[which],
			0,
			""
		)
	node.free()
	node2d.free()


func _gd_noop() -> void:
	pass
