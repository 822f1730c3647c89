"""The live mirror: session, steadiness, capture, personal range and smoothing."""
