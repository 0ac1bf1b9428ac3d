"""Widgets the training mode adds to other apps' screens."""
