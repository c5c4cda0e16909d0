"""The static site: entity pages, search index, page templates (see site.py for the build)."""
