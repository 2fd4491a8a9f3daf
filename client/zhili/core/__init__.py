"""zhili.core."""
