import no_such_module_here  # noqa: F401  (the import error is the point)
