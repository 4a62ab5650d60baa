"""Training: the hot path, optimizers, mini-batches, and what a run remembers."""
