"""Labelled image datasets built from graph queries."""
