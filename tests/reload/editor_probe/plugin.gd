## Test-only editor plugin: once the editor is up, runs the hot reload checks, then quits.
@tool
extends EditorPlugin


func _enter_tree() -> void:
	_run.call_deferred()


func _run() -> void:
	await get_tree().create_timer(1.0).timeout
	await preload("res://hot_reload.gd").run(get_tree(), 10)
	await _print_help_page()
	get_tree().quit(0)


## Opens PyHot's help page in the script editor (first time: rendered from the docs as they are
## now, after the reloads) and prints its text.
func _print_help_page() -> void:
	var script_editor := EditorInterface.get_script_editor()
	script_editor.goto_help("class_name:PyHot")
	await get_tree().process_frame
	for help in script_editor.find_children("*", "EditorHelp", true, false):
		for label in help.find_children("*", "RichTextLabel", true, false):
			var text: String = label.get_parsed_text()
			if "PyHot" in text:
				print("help page: ", text, " :end of help page")
				return
	print("no help page for PyHot was found")
