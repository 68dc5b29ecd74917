## The demo without a window: runs a plan of requests through HttpFetch and prints them.
##
## tools/demo writes the plan (a JSON file) and runs
##   godot --headless --path demo_project res://headless_demo.tscn -- --plan PLAN.json
## Each request is stepped once per frame, exactly as the UI (main.gd) does it. The plan:
##   {"requests": [{"name", "method", "url", "headers": [..], "body", "ca": "PEM path or ''",
##                  "client": "python" | "builtin" | "node", "expect": "ok" | "error" | "any"}]}
## Exit code 0 when every request ended as expected.
extends Node

const ARROW := " -> "


func _ready() -> void:
	var plan_path := _arg("--plan")
	if plan_path == "":
		printerr("headless_demo: pass -- --plan PLAN.json (tools/demo does)")
		get_tree().quit(2)
		return
	var plan = JSON.parse_string(FileAccess.get_file_as_string(plan_path))
	if typeof(plan) != TYPE_DICTIONARY or not plan.has("requests"):
		printerr("headless_demo: cannot read the plan %s" % plan_path)
		get_tree().quit(2)
		return
	var failures := 0
	for entry in plan["requests"]:
		if not await _run(entry):
			failures += 1
	print("")
	if failures:
		print("%d of %d requests did not end as expected" % [failures, plan["requests"].size()])
	else:
		print("all %d requests ended as expected" % plan["requests"].size())
	get_tree().quit(1 if failures else 0)


func _run(entry: Dictionary) -> bool:
	var fetch := HttpFetch.new()
	fetch.use_python = entry.get("client", "python") != "builtin"
	fetch.use_node = entry.get("client", "python") == "node"
	fetch.node_parent = self
	var ca: X509Certificate = null
	if entry.get("ca", "") != "":
		ca = X509Certificate.new()
		if ca.load(entry["ca"]) != OK:
			printerr("headless_demo: cannot load the CA certificate %s" % entry["ca"])
			return false
	print("")
	print("== %s" % entry.get("name", entry["url"]))
	var via := "PyHTTPRequest (node)" if fetch.use_node else ("PyHTTPClient" if fetch.use_python else "HTTPClient")
	print(
		(
			"   %s %s  via %s%s"
			% [entry.get("method", "GET"), entry["url"], via, "  (trusting the demo's CA)" if ca else ""]
		)
	)
	var marks := [25, 50, 75, 100]
	var on_progress := func(received: int, total: int, bps: float) -> void:
		if total <= 1048576 or marks.is_empty() or received * 100 < marks[0] * total:
			return
		while marks.size() and received * 100 >= marks[0] * total:
			marks.pop_front()
		print(
			(
				"   progress: %3d%%  %s of %s  %s/s"
				% [
					received * 100 / total,
					HttpFetch.human_bytes(received),
					HttpFetch.human_bytes(total),
					HttpFetch.human_bytes(bps)
				]
			)
		)
	fetch.progress.connect(on_progress)
	var headers := PackedStringArray(entry.get("headers", []))
	if fetch.start(entry["url"], entry.get("method", "GET"), headers, entry.get("body", ""), ca) == OK:
		while fetch.step():
			await get_tree().process_frame
	_report(fetch)
	var expect: String = entry.get("expect", "ok")
	var ok := fetch.error == "" and fetch.response_code > 0
	match expect:
		"ok":
			if not ok:
				print("   UNEXPECTED: this request should have succeeded")
			return ok
		"error":
			if ok:
				print("   UNEXPECTED: this request should have failed")
			return not ok
	return ok


func _report(fetch: HttpFetch) -> void:
	print("   statuses: %s" % ARROW.join(fetch.statuses))
	if fetch.error != "":
		print("   error:    %s  (after %d ms)" % [fetch.error, fetch.elapsed_sec * 1000])
	if fetch.response_code == 0:
		return
	var kind := fetch.content_type() if fetch.content_type() else "no content type"
	var framing := (
		"chunked" if fetch.chunked else ("Content-Length %d" % fetch.total if fetch.total >= 0 else "until close")
	)
	print(
		(
			"   response: %d, %s (%s), %s in %d ms, %s/s"
			% [
				fetch.response_code,
				HttpFetch.human_bytes(fetch.received),
				framing,
				kind,
				fetch.elapsed_sec * 1000,
				HttpFetch.human_bytes(fetch.bytes_per_second())
			]
		)
	)
	print("   headers:")
	for line in fetch.response_headers:
		print("      %s" % line)
	if fetch.received == 0:
		print("   body:     (empty)")
		return
	var preview := fetch.body_preview(240 if fetch.body_is_text() else 48)
	print("   body:     %s" % ("text" if fetch.body_is_text() else "binary, hex"))
	for line in preview.split("\n").slice(0, 10):
		if line.strip_edges() != "":
			print("      | %s" % line)


func _arg(name: String) -> String:
	var args := OS.get_cmdline_user_args()
	var i := args.find(name)
	return args[i + 1] if i >= 0 and i + 1 < args.size() else ""
