# Diagnostic: where one new connection's time goes, per class: ClassDB.instantiate, connect_to_host,
# polls until connected, request + polls until the body, body reads, close(), dropping the last
# reference. 1,000 connections to the bench's nginx per class and round, three rounds, the classes
# alternating; the mean of the whole loop and the median of each phase (a median leaves out the
# connections another process interrupted). Run: BENCH_SCRIPT=res://connect_phases.gd tools/bench
# BENCH_PROBE=1: before each connection GDScript also connects (and drops) a StreamPeerTCP of its
# own and the median of that connect_to_host is printed (the same engine call in either loop);
# BENCH_PROBE=2: the same, right after a call into a Python no-op (PyBenchTarget.noop()).
extends SceneTree

const PHASES := ["new", "connect", "until connected", "request", "body", "close", "drop"]


func median(values: Array) -> float:
	values.sort()
	return values[values.size() / 2]


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	var n := 1000
	var probe_mode := int(OS.get_environment("BENCH_PROBE"))
	var target = ClassDB.instantiate("PyBenchTarget") if probe_mode == 2 else null
	for round in 3:
		for cls in ["HTTPClient", "PyHTTPClient"] if round % 2 == 0 else ["PyHTTPClient", "HTTPClient"]:
			var t := []
			for p in PHASES.size() + 1:
				t.append([])
			var polls := 0
			var probes := []
			var t_all := Time.get_ticks_usec()
			for i in n:
				if probe_mode:
					if target:
						target.noop()
					var peer := StreamPeerTCP.new()
					var p0 := Time.get_ticks_usec()
					peer.connect_to_host("127.0.0.1", port)
					probes.append(Time.get_ticks_usec() - p0)
					peer.disconnect_from_host()
				var a := Time.get_ticks_usec()
				var c = ClassDB.instantiate(cls)
				var b := Time.get_ticks_usec()
				c.connect_to_host("127.0.0.1", port)
				var d := Time.get_ticks_usec()
				while c.get_status() == 3:
					c.poll()
					polls += 1
				var e := Time.get_ticks_usec()
				c.request(0, "/small.bin", [])
				while c.get_status() == 6:
					c.poll()
				var f := Time.get_ticks_usec()
				while c.get_status() == 7:
					c.poll()
					c.read_response_body_chunk()
				var g := Time.get_ticks_usec()
				c.close()
				var h := Time.get_ticks_usec()
				c = null
				var k := Time.get_ticks_usec()
				var marks := [a, b, d, e, f, g, h, k]
				for p in PHASES.size():
					t[p].append(marks[p + 1] - marks[p])
				t[PHASES.size()].append(k - a)
			var total := Time.get_ticks_usec() - t_all
			var line := (
				"%-12s %.1f us/conn (median %d; %.1f polls until connected); medians:"
				% [cls, float(total) / n, median(t[PHASES.size()]), float(polls) / n]
			)
			for p in PHASES.size():
				line += " %s %d," % [PHASES[p], median(t[p])]
			if probe_mode:
				line += " | probe connect_to_host %d," % median(probes)
			print(line.trim_suffix(","))
	quit()
