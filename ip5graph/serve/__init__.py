"""Serving and remote stores: the HTTP client, push (Graph Store Protocol) and the Oxigraph server process."""
