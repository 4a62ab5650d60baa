"""Groups of controls a panel embeds, each bound to one part of the session: how the
target is sampled (noise, held-out points) and how training is regularized (weight decay,
early stopping)."""
