# Diagnostic: the fixed cost of one call per class with no network work in it: a body read while
# nothing has arrived (a server that sent a head announcing a body and then nothing), poll() and
# get_status() in BODY. Each figure is the fastest of 40 batches of 5,000 calls (a batch that was
# preempted on a loaded machine does not count). Then a read that finds 64 KiB waiting in the
# socket (mean of the fastest 90% of 2,000; the server writes 64 KiB and waits 30 us before each).
# Run: BENCH_SCRIPT=res://call_costs.gd tools/bench
extends SceneTree

const BATCH := 5000
const BATCHES := 40


func fastest(c, what: String) -> float:
	var best := INF
	for b in BATCHES:
		var t0 := Time.get_ticks_usec()
		match what:
			"read":
				for i in BATCH:
					c.read_response_body_chunk()
			"poll":
				for i in BATCH:
					c.poll()
			"get_status":
				for i in BATCH:
					c.get_status()
		best = min(best, float(Time.get_ticks_usec() - t0) / BATCH)
	return best


func waiting_read(c, peer: StreamPeerTCP) -> float:
	var block := PackedByteArray()
	block.resize(65536)
	var times := []
	for i in 2000:
		peer.put_data(block)
		OS.delay_usec(30)
		var t0 := Time.get_ticks_usec()
		var n: int = c.read_response_body_chunk().size()
		times.append(Time.get_ticks_usec() - t0)
		while n < 65536:
			n += c.read_response_body_chunk().size()
	times.sort()
	var sum := 0
	for t in times.slice(0, times.size() * 9 / 10):
		sum += t
	return float(sum) / (times.size() * 9 / 10)


func _initialize():
	var server := TCPServer.new()
	server.listen(0, "127.0.0.1")
	var port := server.get_local_port()
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
			peer.put_data("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n".to_ascii_buffer())
			while c.get_status() != 7:
				c.poll()
			var us := [fastest(c, "read"), fastest(c, "poll"), fastest(c, "get_status"), waiting_read(c, peer)]
			print(
				(
					"%-12s %7d empty read %.3f us  poll %.3f us  get_status %.3f us  64 KiB read %.2f us"
					% ([cls, chunk] + us)
				)
			)
			c.close()
			peer.disconnect_from_host()
	quit()
