# A GDScript class extending a Python class registered with virtual=True (test_features.gd).
extends PyVirtualBase
