"""Load and check: data/ read, validated and cross-checked into a Dataset."""
