"""Figures and animations, rendered offscreen with the window's own plot widgets: a figure
made by the command line is the figure the window shows."""
