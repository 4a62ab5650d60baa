"""The docks of the window, one per idea, and the registry that builds them."""
