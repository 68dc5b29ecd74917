# Diagnostic: where one keep-alive request's time goes, per class (request(), polls until the
# head, the body's poll and read), averaged over 5,000 GETs of 100 B on one connection to the
# bench's nginx. Run: BENCH_SCRIPT=res://keepalive_phases.gd tools/bench
extends SceneTree


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	var n := 5000
	for round in 3:
		for cls in ["HTTPClient", "PyHTTPClient"]:
			var c = ClassDB.instantiate(cls)
			c.connect_to_host("127.0.0.1", port)
			while c.get_status() == 3:
				c.poll()
			var t := [0, 0, 0]
			var polls := 0
			var t_all := Time.get_ticks_usec()
			for i in n:
				var a := Time.get_ticks_usec()
				c.request(0, "/small.bin", [])
				var b := Time.get_ticks_usec()
				while c.get_status() == 6:
					c.poll()
					polls += 1
				var d := Time.get_ticks_usec()
				while c.get_status() == 7:
					c.poll()
					c.read_response_body_chunk()
				var e := Time.get_ticks_usec()
				t[0] += b - a
				t[1] += d - b
				t[2] += e - d
			var total := Time.get_ticks_usec() - t_all
			print(
				(
					"%-12s %.1f us/req: request() %.1f, until the head %.1f (%.1f polls), body %.1f"
					% [cls, float(total) / n, float(t[0]) / n, float(t[1]) / n, float(polls) / n, float(t[2]) / n]
				)
			)
			c.close()
	quit()
