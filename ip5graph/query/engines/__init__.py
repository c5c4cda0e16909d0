"""Query engines side by side behind one interface: Oxigraph, rdflib and a remote SPARQL endpoint."""
