"""The session as a file: open, save, autosave, recent files and exports."""
