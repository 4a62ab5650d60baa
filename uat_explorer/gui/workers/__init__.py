"""Clients of the worker processes: they start them, talk to them and show what comes back."""
