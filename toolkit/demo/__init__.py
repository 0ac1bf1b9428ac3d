"""Demonstration data: the seed a newcomer sees at once, and the generator for large stores."""
