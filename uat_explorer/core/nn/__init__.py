"""The network itself: neurons, activations, losses, and the numbers people read off it."""
