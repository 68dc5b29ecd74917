# A GDScript class extending a Python class and overriding its @godot.virtual (test_features.gd).
extends PyShape


func _area(scale: float) -> float:
	return 4.0 * scale
