"""The main plot and the overlays drawn on it, one small class each."""
