## Runs one scenario of scenarios.json with a request node (HTTPRequest or PyHTTPRequest) and
## returns {"trace": [[key, value], ...], "max_frame_ms": float, "max_frame_at": where,
## "elapsed_ms": from the first request() to the frame the last completion arrived in}. Not a suite.
##
## The node is untyped on purpose: the same calls drive both classes. The scripted servers
## (conftest.py) answer per scenario; the control server says what they received.
##
## Trace keys: rc (what request() returned), completed (how many request_completed arrived),
## result, code, headers, body (hex, or size and SHA-256 when long), file (the download_file's
## size and SHA-256, or "none"), server.connections ({server: connections}), server.requests
## (the exact bytes each server received, in order).
extends RefCounted

const Traces := preload("res://suites/traces.gd")

var ports := {}


func _init() -> void:
	ports = Traces.ports_from_env(
		[
			"main:REQ_PORT",
			"other:REQ_OTHER_PORT",
			"v6:REQ_V6_PORT",
			"control:REQ_CONTROL_PORT",
			"closed:REQ_CLOSED_PORT",
			"tls:REQ_TLS_PORT"
		]
	)


func ready() -> bool:
	return ports["main"] > 0 and ports["control"] > 0


## GET on the control server (see conftest.py); the body as text.
func control(path: String) -> String:
	return Traces.control(ports["control"], path)


static func load_scenarios() -> Array:
	var parsed = JSON.parse_string(FileAccess.get_file_as_string("res://suites/request/scenarios.json"))
	return parsed if parsed is Array else []


func with_ports(text: String) -> String:
	for name in ports:
		text = text.replace("{%s}" % name, str(ports[name]))
	return text


## Runs [param sc] with [param node] (not yet in the tree) under [param parent].
func run(sc: Dictionary, node: Node, parent: Node, label: String) -> Dictionary:
	var t := []
	var begun := control("/begin?name=" + (sc["name"] as String).uri_encode())
	if begun != "ok":
		return {"trace": [["error", "control /begin: " + begun]], "max_frame_ms": 0.0}
	if sc.has("tls"):
		var ca := X509Certificate.new()
		ca.load(OS.get_environment("REQ_CA_FILE" if sc["tls"] == "ca" else "REQ_OTHER_CA_FILE"))
		node.set_tls_options(TLSOptions.client(ca))
	if sc.get("http_proxy", false):
		node.set_http_proxy("127.0.0.1", ports["main"])
	var props: Dictionary = sc.get("props", {})
	for key in props:
		node.set(key, props[key])
	var file := ""
	if sc.get("download", false):
		file = "user://request_%s_%s.bin" % [sc["name"], label]
		DirAccess.remove_absolute(ProjectSettings.globalize_path(file))
		node.download_file = file
	parent.add_child(node)
	var got := []
	node.request_completed.connect(func(result, code, headers, body): got.append([result, code, headers, body]))
	var url := with_ports(sc.get("url", "http://127.0.0.1:{main}/s/" + sc["name"]))
	var headers := PackedStringArray()
	for h in sc.get("headers", []):
		headers.append(with_ports(h))
	var method := int(sc.get("method", 0))
	var requests := int(sc.get("times", 1))
	var max_frame := 0.0
	var max_at := ""
	var over_limit := 0
	var work_cpu_us := 0
	var first_request := Time.get_ticks_usec()
	var last_completion := first_request
	for i in requests:
		var k := "" if i == 0 else "%d." % i
		var rc: int
		var q0 := Time.get_ticks_usec()
		if sc.has("body"):
			rc = node.request(url, headers, method, sc["body"])
		else:
			rc = node.request(url, headers, method)
		if (Time.get_ticks_usec() - q0) / 1000.0 > max_frame:
			max_frame = (Time.get_ticks_usec() - q0) / 1000.0
			max_at = "request()"
		t.append([k + "rc", str(rc)])
		var start := Time.get_ticks_usec()
		var last := start
		var cancel_ms := int(sc.get("cancel_after_ms", -1))
		var remove_ms := int(sc.get("remove_after_ms", -1))
		# A refused request() gets at most a deferred CANT_CONNECT: no need to wait long.
		var limit_ms := int(sc.get("wait_ms", 4000)) if rc == OK else 300
		var before := got.size()
		while got.size() == before and Time.get_ticks_usec() - start < limit_ms * 1000:
			await parent.get_tree().process_frame
			var now := Time.get_ticks_usec()
			if (now - last) / 1000.0 > max_frame:
				max_frame = (now - last) / 1000.0
				max_at = "frame ending %d ms after request()" % ((now - start) / 1000)
			last = now
			var elapsed := (now - start) / 1000
			if cancel_ms >= 0 and elapsed >= cancel_ms:
				var c0 := Time.get_ticks_usec()
				node.cancel_request()
				if (Time.get_ticks_usec() - c0) / 1000.0 > max_frame:
					max_frame = (Time.get_ticks_usec() - c0) / 1000.0
					max_at = "cancel_request()"
				cancel_ms = -1
				limit_ms = elapsed + int(sc.get("after_cancel_ms", 500))
			if remove_ms >= 0 and elapsed >= remove_ms:
				var r0 := Time.get_ticks_usec()
				parent.remove_child(node)
				if (Time.get_ticks_usec() - r0) / 1000.0 > max_frame:
					max_frame = (Time.get_ticks_usec() - r0) / 1000.0
					max_at = "remove_child()"
				remove_ms = -1
				limit_ms = elapsed + int(sc.get("after_cancel_ms", 500))
		last_completion = Time.get_ticks_usec()
		for j in 3:
			await parent.get_tree().process_frame
		if node.has_method("get_frame_work"):  # PyHTTPRequest: its own work, measured inside it
			var w: Dictionary = node.get_frame_work()
			over_limit += w["frame_over_limit"] + w["step_over_limit"]
			work_cpu_us = maxi(work_cpu_us, maxi(w["frame_longest_cpu_usec"], w["step_longest_cpu_usec"]))
		t.append([k + "completed", str(got.size() - before)])
		if got.size() > before:
			var c: Array = got[before]
			t.append([k + "result", str(c[0])])
			t.append([k + "code", str(c[1])])
			t.append([k + "headers", var_to_str(c[2])])
			t.append([k + "body", Traces.body_text(c[3])])
	if file != "":
		var path := ProjectSettings.globalize_path(file)
		if FileAccess.file_exists(path):
			t.append(["file", Traces.body_text(FileAccess.get_file_as_bytes(path))])
			DirAccess.remove_absolute(path)
		else:
			t.append(["file", "none"])
	if node.is_inside_tree():
		parent.remove_child(node)
	node.free()
	OS.delay_msec(int(sc.get("settle_ms", 30)))
	var log = JSON.parse_string(control("/log"))
	if log is Dictionary:
		t.append(["server.connections", JSON.stringify(log["connections"], "", true)])
		t.append(["server.requests", "\n".join(PackedStringArray(log["requests"]))])
	else:
		t.append(["server", "control /log failed"])
	return {
		"trace": t,
		"max_frame_ms": max_frame,
		"max_frame_at": max_at,
		"elapsed_ms": (last_completion - first_request) / 1000.0,
		"work_over_limit": over_limit,
		"work_longest_cpu_ms": work_cpu_us / 1000.0
	}


## Adds [param lines] to the summary pytest prints at the end (REQ_SUMMARY; both suites of this
## folder write there).
static func append_summary(lines: PackedStringArray) -> void:
	if not OS.has_environment("REQ_SUMMARY"):
		return
	var path := OS.get_environment("REQ_SUMMARY")
	var f := FileAccess.open(path, FileAccess.READ_WRITE if FileAccess.file_exists(path) else FileAccess.WRITE)
	if f != null:
		f.seek_end()
		f.store_string("\n".join(lines) + "\n")
