extends Node
## Runs in the exported game: a class from res://python (which imports numpy), PyHTTPClient
## against the loopback server whose port is the first user argument. Prints one PROBE line
## per check and quits with 0 only when every check passed.

const TIMEOUT_MS := 20000


func _ready() -> void:
	var failures := 0
	var args := OS.get_cmdline_user_args()
	var port := int(args[0]) if args.size() > 0 else 0

	var probe: RefCounted = ClassDB.instantiate("ExportProbe") if ClassDB.class_exists("ExportProbe") else null
	if probe == null:
		print("PROBE classes FAIL ExportProbe is not registered")
		get_tree().quit(1)
		return
	print("PROBE classes ok ", probe.call("python_info"))
	print("PROBE startup_ms ", probe.call("startup_ms"))
	var numbers: String = probe.call("numpy_check")
	print("PROBE numpy ", numbers)
	if not numbers.begins_with("ok"):
		failures += 1

	var http = ClassDB.instantiate("PyHTTPClient")
	var err: int = http.connect_to_host("127.0.0.1", port)
	var started := Time.get_ticks_msec()
	while err == OK and http.get_status() in [PyHTTPClient.STATUS_RESOLVING, PyHTTPClient.STATUS_CONNECTING]:
		http.poll()
		await get_tree().process_frame
		if Time.get_ticks_msec() - started > TIMEOUT_MS:
			break
	if err == OK:
		err = http.request(PyHTTPClient.METHOD_GET, "/probe", ["Accept: text/plain"])
	while err == OK and http.get_status() == PyHTTPClient.STATUS_REQUESTING:
		http.poll()
		await get_tree().process_frame
		if Time.get_ticks_msec() - started > TIMEOUT_MS:
			break
	var body := PackedByteArray()
	while err == OK and http.get_status() == PyHTTPClient.STATUS_BODY:
		http.poll()
		body += http.read_response_body_chunk()
		await get_tree().process_frame
		if Time.get_ticks_msec() - started > TIMEOUT_MS:
			break
	var code: int = http.get_response_code()
	print("PROBE http ", code, " ", body.get_string_from_utf8(), " err=", err)
	if code != 200:
		failures += 1
	http.close()
	print("PROBE done failures=", failures)
	get_tree().quit(0 if failures == 0 else 1)
