"""The class views: probabilities over x with the labelled points, and the neurons' shares of
one logit drawn over them."""
