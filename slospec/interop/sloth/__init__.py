"""Sloth files both ways: the reader (Sloth -> slospec) and the exporter."""
