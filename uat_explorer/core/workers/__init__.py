"""Worker processes: training and the race run there, so the window only draws."""
