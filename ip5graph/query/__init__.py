"""Queries: the catalogue, the safety check, parameters, results and their formats, and the engines."""
