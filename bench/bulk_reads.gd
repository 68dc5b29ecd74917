# Diagnostic: where a 256 MiB plain download spends its time, per class and chunk size: reads that
# found the socket empty and their average cost, reads that got bytes (average size and cost),
# and the average poll(). Run: BENCH_SCRIPT=res://bulk_reads.gd tools/bench
extends SceneTree


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	for chunk in [65536, 1048576]:
		for round in 3:
			for cls in ["HTTPClient", "PyHTTPClient"]:
				var c = ClassDB.instantiate(cls)
				c.connect_to_host("127.0.0.1", port)
				while c.get_status() != 5:
					c.poll()
				c.read_chunk_size = chunk
				c.request(0, "/big.bin", [])
				while c.get_status() == 6:
					c.poll()
				var n := 0
				var reads := 0
				var empty := 0
				var t_poll := 0
				var t_empty := 0
				var t_full := 0
				var t0 := Time.get_ticks_usec()
				while c.get_status() == 7:
					var a := Time.get_ticks_usec()
					c.poll()
					var b := Time.get_ticks_usec()
					var got: int = c.read_response_body_chunk().size()
					var d := Time.get_ticks_usec()
					t_poll += b - a
					n += got
					reads += 1
					if got == 0:
						empty += 1
						t_empty += d - b
					else:
						t_full += d - b
				var dt := Time.get_ticks_usec() - t0
				var full := reads - empty
				var line := "%7d %-12s %.2f GB/s %6d us reads %6d" % [chunk, cls, n / (dt * 1000.0), dt, reads]
				line += " empty %6d (%.2f us)" % [empty, float(t_empty) / max(empty, 1)]
				line += " full %5d (%.0f B, %.1f us)" % [full, float(n) / full, float(t_full) / full]
				print(line + " poll %.2f us" % (float(t_poll) / reads))
				c.close()
	quit()
