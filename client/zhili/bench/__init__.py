"""zhili.bench."""
