"""Engines run the same stages on one machine (local) or on a cluster (spark); they only orchestrate."""
