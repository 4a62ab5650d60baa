"""UAT Explorer: compose a one-hidden-layer network by hand, then watch backprop fit a curve."""

__version__ = "0.1.0"
