## The demo's window: build a request, send it through PyHTTPClient, HTTPClient or a
## PyHTTPRequest node, watch it.
##
## All HTTP work is in HttpFetch (http_fetch.gd); this script only wires the UI to it and
## calls HttpFetch.step() once per frame from _process, so the window never blocks.
## The spinner under the progress bar is ActivitySpinner, a class written in Python
## (python/activity_spinner.py).
##
## Command-line options after `--` (used by tests/demo, handy by hand):
##   --url URL --method M --body TEXT --header "N: v" --ca PEM --client builtin|node
##   --send                 press Send once the window is up
##   --screenshot PNG       after the response, save the window to PNG, print the UI, quit
##   --midway-screenshot PNG   also save one when the download passes 40 % (progress shown)
extends Control

const STATUS_ARROW := "  >  "

var fetch: HttpFetch
var _phase := ""
var _screenshot_path := ""
var _midway_path := ""

@onready var method_button: OptionButton = %Method
@onready var url_edit: LineEdit = %Url
@onready var use_python: CheckButton = %UsePython
@onready var use_node: CheckButton = %UseNode
@onready var send_button: Button = %Send
@onready var request_headers: TextEdit = %RequestHeaders
@onready var request_body: TextEdit = %RequestBody
@onready var ca_path: LineEdit = %CaPath
@onready var status_line: Label = %StatusLine
@onready var code_label: Label = %Code
@onready var summary: Label = %Summary
@onready var error_label: Label = %Error
@onready var progress_bar: ProgressBar = %Progress
@onready var progress_text: Label = %ProgressText
@onready var spinner: ActivitySpinner = %Spinner
@onready var headers_tree: Tree = %Headers
@onready var body_view: TextEdit = %Body


func _ready() -> void:
	for name in HttpFetch.METHOD_NAMES:
		method_button.add_item(name)
	headers_tree.set_column_title(0, "Header")
	headers_tree.set_column_title(1, "Value")
	headers_tree.set_column_expand_ratio(0, 1)
	headers_tree.set_column_expand_ratio(1, 3)
	send_button.pressed.connect(_on_send)
	url_edit.text_submitted.connect(func(_text): _on_send())
	use_python.toggled.connect(_on_client_toggled)
	spinner.lap_completed.connect(_on_spinner_lap)
	_apply_command_line()
	_on_client_toggled(use_python.button_pressed)
	set_process(false)
	if "--send" in OS.get_cmdline_user_args():
		# Wait for the first frames so the window is up, then press Send like a user.
		await get_tree().process_frame
		await get_tree().process_frame
		_on_send()


func _process(_delta: float) -> void:
	if fetch and not fetch.step():  # one poll per frame; step() returns false when done
		set_process(false)


func _on_send() -> void:
	if fetch and not fetch.done:
		return  # one request at a time
	_clear()
	fetch = HttpFetch.new()
	fetch.use_python = use_python.button_pressed
	fetch.use_node = use_node.button_pressed
	fetch.node_parent = self
	fetch.status_changed.connect(_on_status)
	fetch.progress.connect(_on_progress)
	fetch.finished.connect(_on_finished)
	var ca: X509Certificate = null
	if ca_path.text.strip_edges() != "":
		ca = X509Certificate.new()
		if ca.load(ca_path.text.strip_edges()) != OK:
			_show_error("cannot load the CA certificate '%s'" % ca_path.text)
			return
	var headers := PackedStringArray()
	for line in request_headers.text.split("\n"):
		if line.strip_edges() != "":
			headers.append(line.strip_edges())
	send_button.disabled = true
	_phase = "connecting"
	spinner.start(_phase)
	status_line.text = "Status: "
	fetch.start(url_edit.text, method_button.get_item_text(method_button.selected), headers, request_body.text, ca)
	set_process(not fetch.done)


func _on_status(_status: int, name: String) -> void:
	if status_line.text != "Status: ":
		status_line.text += STATUS_ARROW
	status_line.text += name
	_phase = (
		{
			"STATUS_RESOLVING": "resolving",
			"STATUS_CONNECTING": "connecting",
			"STATUS_REQUESTING": "waiting for the response",
			"STATUS_BODY": "receiving",
		}
		. get(name, _phase)
	)
	spinner.caption = _phase


func _on_progress(received: int, total: int, bytes_per_second: float) -> void:
	if code_label.text == "---":
		_show_head()
	progress_bar.indeterminate = total < 0
	progress_bar.value = float(received) / total if total > 0 else 0.0
	var of_total := " of %s" % HttpFetch.human_bytes(total) if total >= 0 else ""
	progress_text.text = (
		"%s%s  -  %s/s" % [HttpFetch.human_bytes(received), of_total, HttpFetch.human_bytes(bytes_per_second)]
	)
	if _midway_path != "" and progress_bar.value >= 0.4 and progress_bar.value < 1.0:
		var path := _midway_path
		_midway_path = ""
		await RenderingServer.frame_post_draw
		print("DEMO_MIDWAY_UI ", JSON.stringify(ui_state()))
		print("DEMO_MIDWAY_SCREENSHOT %s" % error_string(get_viewport().get_texture().get_image().save_png(path)))


func _on_finished() -> void:
	send_button.disabled = false
	progress_bar.indeterminate = false
	_show_head()
	if fetch.error != "":
		_show_error(fetch.error)
		spinner.stop("failed after %.2f s" % fetch.elapsed_sec)
	else:
		if fetch.total <= 0:
			progress_bar.value = 1.0
		progress_text.text = (
			"%s in %.2f s  -  %s/s"
			% [
				HttpFetch.human_bytes(fetch.received),
				fetch.elapsed_sec,
				HttpFetch.human_bytes(fetch.bytes_per_second())
			]
		)
		spinner.stop("done in %.2f s (%d spinner laps)" % [fetch.elapsed_sec, spinner.get_laps()])
		body_view.text = fetch.body_preview(8192) if fetch.received else "(empty body)"
	if _screenshot_path != "":
		_take_screenshot()


func _on_spinner_lap(_laps: int) -> void:
	# A signal from the Python class: refresh the elapsed time once per animation lap.
	if fetch and not fetch.done:
		spinner.caption = "%s  %.1f s" % [_phase, fetch.elapsed_sec]


func _on_client_toggled(on: bool) -> void:
	use_python.text = "PyHTTPClient (Python)" if on else "HTTPClient (built-in)"


func _show_head() -> void:
	if fetch.response_code == 0:
		return
	code_label.text = str(fetch.response_code)
	var framing := (
		"chunked"
		if fetch.chunked
		else ("%s" % HttpFetch.human_bytes(fetch.total) if fetch.total >= 0 else "length unknown")
	)
	summary.text = (
		"%s %s via %s\n%s, %s"
		% [
			fetch.method_name,
			fetch.url,
			fetch.client_name,
			fetch.content_type() if fetch.content_type() else "no content type",
			framing
		]
	)
	headers_tree.clear()
	var root := headers_tree.create_item()
	for line in fetch.response_headers:
		var item := headers_tree.create_item(root)
		var colon := line.find(":")
		item.set_text(0, line.substr(0, colon) if colon >= 0 else line)
		item.set_text(1, line.substr(colon + 1).strip_edges() if colon >= 0 else "")


func _show_error(words: String) -> void:
	error_label.text = "Error: " + words
	error_label.visible = true
	send_button.disabled = false


func _clear() -> void:
	code_label.text = "---"
	summary.text = ""
	error_label.visible = false
	progress_bar.value = 0.0
	progress_text.text = "0 B"
	headers_tree.clear()
	body_view.text = ""


func _apply_command_line() -> void:
	var args := OS.get_cmdline_user_args()
	for i in args.size() - 1:
		var value: String = args[i + 1]
		match args[i]:
			"--url":
				url_edit.text = value
			"--method":
				method_button.select(max(0, HttpFetch.METHOD_NAMES.find(value.to_upper())))
			"--body":
				request_body.text = value
			"--header":
				request_headers.text += value + "\n"
			"--ca":
				ca_path.text = value
			"--client":
				use_python.button_pressed = value != "builtin"
				use_node.button_pressed = value == "node"
			"--screenshot":
				_screenshot_path = value
			"--midway-screenshot":
				_midway_path = value


## What the window shows, as one printable Dictionary (the screenshot test reads it).
func ui_state() -> Dictionary:
	var header_rows := []
	var root := headers_tree.get_root()
	if root:
		for item in root.get_children():
			header_rows.append([item.get_text(0), item.get_text(1)])
	return {
		"status_line": status_line.text,
		"code": code_label.text,
		"summary": summary.text,
		"error": error_label.text if error_label.visible else "",
		"progress": progress_bar.value,
		"progress_text": progress_text.text,
		"spinner": spinner.text,
		"headers": header_rows,
		"body": body_view.text.substr(0, 400),
		"client": "PyHTTPRequest (node)" if use_node.button_pressed else use_python.text,
	}


func _take_screenshot() -> void:
	for i in 10:  # let the labels and the tree lay out and draw
		await get_tree().process_frame
	await RenderingServer.frame_post_draw
	var image := get_viewport().get_texture().get_image()
	var err := image.save_png(_screenshot_path)
	print("DEMO_UI ", JSON.stringify(ui_state()))
	print("DEMO_SCREENSHOT %s %s" % [error_string(err), _screenshot_path])
	get_tree().quit(0 if err == OK else 1)
