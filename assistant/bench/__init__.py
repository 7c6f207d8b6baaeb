"""The performance benchmark and the synthetic corpus it builds (not used by the product)."""
