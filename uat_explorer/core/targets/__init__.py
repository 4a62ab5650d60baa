"""What the network fits: formulas, sampled points, files of points."""
