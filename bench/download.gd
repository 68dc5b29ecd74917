# The start of a 256 MiB plain download, shared by the bulk diagnostics (bulk_rounds.gd,
# reader_shapes.gd): a client of class `cls` connected to nginx on `port`, /big.bin requested at
# `chunk` bytes per read, its head read (the status is BODY).
extends RefCounted


static func start(cls: String, port: int, chunk: int) -> Object:
	var c = ClassDB.instantiate(cls)
	c.connect_to_host("127.0.0.1", port)
	while c.get_status() != HTTPClient.STATUS_CONNECTED:
		c.poll()
	c.read_chunk_size = chunk
	c.request(HTTPClient.METHOD_GET, "/big.bin", [])
	while c.get_status() == HTTPClient.STATUS_REQUESTING:
		c.poll()
	return c
