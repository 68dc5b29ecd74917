# Diagnostic: where a 256 MiB plain download spends its time, per class (reads, empty reads,
# poll and read time). Run: BENCH_SCRIPT=res://bulk_reads.gd tools/bench
extends SceneTree


func _initialize():
	var port := int(OS.get_environment("BENCH_PLAIN_PORT"))
	for round in 3:
		for cls in ["HTTPClient", "PyHTTPClient"]:
			var c = ClassDB.instantiate(cls)
			c.connect_to_host("127.0.0.1", port)
			while c.get_status() != 5:
				c.poll()
			c.read_chunk_size = 1048576
			c.request(0, "/big.bin", [])
			while c.get_status() == 6:
				c.poll()
			var n := 0
			var reads := 0
			var empty := 0
			var t_poll := 0
			var t_read := 0
			var t0 := Time.get_ticks_usec()
			while c.get_status() == 7:
				var a := Time.get_ticks_usec()
				c.poll()
				var b := Time.get_ticks_usec()
				var got: int = c.read_response_body_chunk().size()
				var d := Time.get_ticks_usec()
				t_poll += b - a
				t_read += d - b
				n += got
				reads += 1
				if got == 0:
					empty += 1
			var dt := Time.get_ticks_usec() - t0
			print(
				(
					"%-12s %.2f GB/s  reads %d (empty %d) avg %.0f B  poll %d us  read %d us"
					% [cls, n / (dt * 1000.0), reads, empty, float(n) / reads, t_poll, t_read]
				)
			)
	quit()
