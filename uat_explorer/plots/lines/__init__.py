"""How a long or a wide line is drawn at the cost of what a pixel can show."""
