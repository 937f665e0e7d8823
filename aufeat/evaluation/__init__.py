"""Subject-independent protocols, metrics, result records, reports and plots."""
