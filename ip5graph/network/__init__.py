"""The entity network: projection, navigation, analytics, paths in words, the vocabulary tables and exports."""
