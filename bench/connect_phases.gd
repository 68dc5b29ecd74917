# Diagnostic: where one new connection's time goes, per class (connect_to_host, polls until
# connected, request + polls until the body, body reads, close), averaged over 1,000 connections
# to the bench's nginx. Run: BENCH_SCRIPT=res://connect_phases.gd tools/bench
extends SceneTree


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	var n := 1000
	for round in 3:
		for cls in ["HTTPClient", "PyHTTPClient"]:
			var t := [0, 0, 0, 0, 0, 0]
			var polls := 0
			var t_all := Time.get_ticks_usec()
			for i in n:
				var a := Time.get_ticks_usec()
				var c = ClassDB.instantiate(cls)
				var a2 := Time.get_ticks_usec()
				c.connect_to_host("127.0.0.1", port)
				var b := Time.get_ticks_usec()
				t[5] += a2 - a
				while c.get_status() == 3:
					c.poll()
					polls += 1
				var d := Time.get_ticks_usec()
				c.request(0, "/small.bin", [])
				while c.get_status() == 6:
					c.poll()
				var e := Time.get_ticks_usec()
				while c.get_status() == 7:
					c.poll()
					c.read_response_body_chunk()
				var f := Time.get_ticks_usec()
				c.close()
				c = null
				var g := Time.get_ticks_usec()
				t[0] += b - a
				t[1] += d - b
				t[2] += e - d
				t[3] += f - e
				t[4] += g - f
			var total := Time.get_ticks_usec() - t_all
			var line := (
				"%-12s %.1f us/conn: new %.1f, connect %.1f, until connected %.1f (%.1f polls)"
				% [cls, float(total) / n, float(t[5]) / n, float(t[0] - t[5]) / n, float(t[1]) / n, float(polls) / n]
			)
			print(line + ", request %.1f, body %.1f, close %.1f" % [float(t[2]) / n, float(t[3]) / n, float(t[4]) / n])
	quit()
