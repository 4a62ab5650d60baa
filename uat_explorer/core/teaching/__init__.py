"""The computations behind the teaching views: backprop traced, the landscape, the
construction, the race."""
