## Test-only editor plugin (tests/demo/test_editor_help.py copies it into a throwaway copy
## of demo_project): once the editor is up, opens the help page of PyHTTPClient in the
## script editor, saves the editor window to $EDITOR_HELP_PNG, prints the page's text and
## quits. Never part of the demo project itself.
@tool
extends EditorPlugin

const HELP_CLASS := "PyHTTPClient"


func _enter_tree() -> void:
	_run.call_deferred()


func _run() -> void:
	# Wall-clock waits: the editor redraws only on change (low-processor mode), and under
	# software rendering a frame can take a while, so frame counts say little.
	await _seconds(3.0)  # the first layout and filesystem scan
	EditorInterface.set_main_screen_editor("Script")
	EditorInterface.get_script_editor().goto_help("class_name:" + HELP_CLASS)
	var text := ""
	for attempt in 60:  # the page fills in once the class documentation is loaded
		await _seconds(0.25)
		text = _help_text(EditorInterface.get_script_editor())
		if "set_tls_public_key_pins" in text:
			break
	# No frame_post_draw here: the editor draws only when something changed, so that signal
	# may never come. The viewport texture holds the last frame drawn, which shows the page.
	await _seconds(1.0)
	var image := EditorInterface.get_base_control().get_viewport().get_texture().get_image()
	var err := image.save_png(OS.get_environment("EDITOR_HELP_PNG"))
	print("EDITOR_HELP_TEXT ", JSON.stringify(text))
	print("EDITOR_HELP_SCREENSHOT ", error_string(err))
	get_tree().quit(0 if err == OK else 1)


func _seconds(duration: float) -> void:
	await get_tree().create_timer(duration).timeout


## The text of the visible EditorHelp page (a RichTextLabel inside an "EditorHelp" node).
func _help_text(root: Node) -> String:
	for node in root.find_children("*", "", true, false):
		if node.get_class() == "EditorHelp" and node.is_visible_in_tree():
			for label in node.find_children("*", "RichTextLabel", true, false):
				return label.get_parsed_text()
	return ""
