# Diagnostic: the fixed cost of one call per class with no network work in it: a body read while
# nothing has arrived (a server that sent a head announcing a body and then nothing), poll() and
# get_status() in BODY. Run: BENCH_SCRIPT=res://call_costs.gd tools/bench
extends SceneTree


func _initialize():
	var server := TCPServer.new()
	server.listen(0, "127.0.0.1")
	var port := server.get_local_port()
	var n := 200000
	for round in 3:
		for cls in ["HTTPClient", "PyHTTPClient"]:
			for chunk in [65536, 1048576]:
				var c = ClassDB.instantiate(cls)
				c.connect_to_host("127.0.0.1", port)
				while c.get_status() != 5:
					c.poll()
				var peer := server.take_connection()
				while peer == null:
					peer = server.take_connection()
				c.read_chunk_size = chunk
				c.request(0, "/x", [])
				peer.put_data("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n".to_ascii_buffer())
				while c.get_status() != 7:
					c.poll()
				var t0 := Time.get_ticks_usec()
				for i in n:
					c.read_response_body_chunk()
				var t1 := Time.get_ticks_usec()
				for i in n:
					c.poll()
				var t2 := Time.get_ticks_usec()
				for i in n:
					c.get_status()
				var t3 := Time.get_ticks_usec()
				var us := [float(t1 - t0) / n, float(t2 - t1) / n, float(t3 - t2) / n]
				print("%-12s %7d empty read %.3f us  poll %.3f us  get_status %.3f us" % ([cls, chunk] + us))
				c.close()
				peer.disconnect_from_host()
	quit()
