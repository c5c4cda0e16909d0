// Load a GraphML or GEXF file with graphology and print the whole graph as JSON on stdout:
// {"type", "multi", "nodes": [{key, attributes}], "edges": [{key, source, target, attributes}]}.
// Usage: node load_graph.js graphml|gexf FILE. Exits non-zero (with graphology's message) when
// the file does not load, e.g. on two edges with one id.
'use strict';
const fs = require('fs');
const Graph = require('graphology');
const parsers = {graphml: require('graphology-graphml'), gexf: require('graphology-gexf')};

const [format, file] = process.argv.slice(2);
if (!parsers[format] || !file) {
  console.error('usage: node load_graph.js graphml|gexf FILE');
  process.exit(2);
}
const graph = parsers[format].parse(Graph, fs.readFileSync(file, 'utf-8'), {addMissingNodes: false});
const out = graph.export();
process.stdout.write(JSON.stringify({type: graph.type, multi: graph.multi, nodes: out.nodes, edges: out.edges}));
