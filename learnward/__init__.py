"""Learnward: a learning platform whose privacy promises are kept by the software."""
