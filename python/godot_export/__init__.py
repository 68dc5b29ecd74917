"""Exports of games that use Python classes: what an exported game carries next to its
executable, laid out by `godot_export.stage` and written by the addon's export plugin
(addons/godot_python/editor/godot_python_export.py) during Project > Export or
`godot --export-release`. docs/export.md says what goes where; the layout's reasons are in
docs/decisions/0005-export-layout.md.
"""
