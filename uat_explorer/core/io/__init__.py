"""Sessions on disk, tables and parameters for export, and the built-in examples."""
