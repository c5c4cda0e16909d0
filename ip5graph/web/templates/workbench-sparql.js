/* ip5graph workbench: a SPARQL 1.1 lexer that follows the grammar's terminals, the safety check
   (no SERVICE, LOAD, updates, FROM/FROM NAMED of other graphs) and parameter binding, the same
   rules as the CLI (ip5graph/sparql.py). Pure functions on window.ip5sparql; no DOM.

   Why a lexer and not a regex over the text: a keyword hidden in what one reader takes for a
   string, IRI or comment must not escape the check. So the terminals follow SPARQL 1.1 §19.8:
   strings (short and long, with ECHAR/UCHAR escapes), IRIREF (no white space, no <>"{}|^`\),
   prefixed names with PN_LOCAL_ESC (ex:a\#b, ex:a\'b are names, not comments or strings),
   comments ending at CR or LF, and '<' read as less-than inside an expression after an operand
   (FILTER(?a<?b) ... is not an IRI). The check reads the text twice, as Oxigraph does (escapes
   only inside strings and IRIs) and as the spec's pre-pass does (\u0053ERVICE = SERVICE), and
   refuses what either reading shows. */
(function () {
  "use strict";

  var BASE = "A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF" +
    "\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD";
  var CHARS_U = BASE + "_";
  var CHARS = CHARS_U + "\\-0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040";
  var PLX = "%[0-9A-Fa-f]{2}|\\\\[_~.\\-!$&'()*+,;=/?#@%]";
  var PREFIX = "[" + BASE + "](?:[" + CHARS + ".]*[" + CHARS + "])?";
  var LOCAL = "(?:[" + CHARS_U + ":0-9]|" + PLX + ")(?:(?:[" + CHARS + ".:]|" + PLX + ")*(?:[" + CHARS + ":]|" + PLX + "))?";
  var ESC = "\\\\[\\s\\S]";   // any escape pair: valid ones are ECHAR/UCHAR; others fail in the engine anyway
  var RULES = [
    ["space", "[ \\t\\r\\n]+"],
    ["comment", "#[^\\r\\n]*"],
    ["string", "'''(?:(?:'|'')?(?:[^'\\\\]|" + ESC + "))*'''"],
    ["string", '"""(?:(?:"|"")?(?:[^"\\\\]|' + ESC + '))*"""'],
    ["string", "'(?:[^'\\\\\\r\\n]|" + ESC + ")*'"],
    ["string", '"(?:[^"\\\\\\r\\n]|' + ESC + ')*"'],
    ["iri", "<(?:[^<>\"{}|^`\\\\\\x00-\\x20]|\\\\u[0-9A-Fa-f]{4}|\\\\U[0-9A-Fa-f]{8})*>"],
    ["var", "[?$][" + CHARS_U + "0-9][" + CHARS_U + "0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*"],
    ["bnode", "_:[" + CHARS_U + "0-9](?:[" + CHARS + ".]*[" + CHARS + "])?"],
    ["pname", "(?:" + PREFIX + ")?:(?:" + LOCAL + ")?"],
    ["lang", "@[A-Za-z]+(?:-[A-Za-z0-9]+)*"],
    ["number", "[0-9]+\\.[0-9]*[eE][+-]?[0-9]+|\\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\\.[0-9]+|[0-9]+"],
    ["word", "[A-Za-z_][A-Za-z0-9_]*"],
    ["op", "\\^\\^|&&|\\|\\||<=|>=|!="],
    ["other", "[\\s\\S]"]
  ];
  var STICKY = RULES.map(function (r) { return [r[0], new RegExp(r[1], "y")]; });
  var OPERAND_END = { "var": 1, "iri": 1, "pname": 1, "string": 1, "lang": 1, "number": 1 };

  function upper(s) { return s.replace(/[a-z]/g, function (c) { return c.toUpperCase(); }); }

  /* Tokens of `text` as {kind, text, start}, comments and white space left out (kept with keepAll).
     Keeps a stack of brackets to know when '<' is an operator rather than an IRI. */
  function tokens(text, keepAll) {
    var out = [], pos = 0, stack = [], prev = null;
    while (pos < text.length) {
      var kind = null, m = null;
      for (var i = 0; i < STICKY.length; i++) {
        var re = STICKY[i][1];
        re.lastIndex = pos;
        m = re.exec(text);
        if (m && m[0].length) { kind = STICKY[i][0]; break; }
      }
      var value = m[0];
      if (kind === "iri") {
        var top = stack.length ? stack[stack.length - 1] : "expr";
        var operand = prev && (OPERAND_END[prev.kind] || (prev.kind === "other" && prev.text === ")") ||
                               (prev.kind === "word" && /^(true|false)$/i.test(prev.text)));
        if (top === "expr" && operand && stack.length) { kind = "other"; value = "<"; }
      }
      if (keepAll && (kind === "space" || kind === "comment")) {
        out.push({ kind: kind, text: value, start: pos });
      } else if (kind !== "space" && kind !== "comment") {
        var tok = { kind: kind, text: value, start: pos };
        if (kind === "other") {
          if (value === "(") {
            var inExpr = !stack.length || stack[stack.length - 1] === "expr";
            var afterWord = prev && prev.kind === "word" && upper(prev.text) !== "A";
            var afterCall = prev && (prev.kind === "iri" || prev.kind === "pname") && inExpr;
            stack.push(inExpr || afterWord || afterCall ? "expr" : "list");
          } else if (value === "{") { stack.push("group"); }
          else if (value === "[") { stack.push("list"); }
          else if (value === ")" || value === "}" || value === "]") { stack.pop(); }
        }
        out.push(tok);
        prev = tok;
      }
      pos += value.length;
    }
    return out;
  }

  /* The spec's codepoint escape pre-pass (SPARQL 1.1 §19.2); Oxigraph applies escapes only in
     strings and IRIs, rdflib everywhere: the check reads both ways. */
  function unescapeCodepoints(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, function (all, a, b) {
      var cp = parseInt(a || b, 16);
      return cp <= 0x10FFFF ? String.fromCodePoint(cp) : all;
    });
  }

  function position(text, offset) {
    var before = text.slice(0, offset);
    var lines = before.split(/\r\n|\r|\n/);
    return { line: lines.length, column: lines[lines.length - 1].length + 1 };
  }

  var UPDATE = { INSERT: 1, DELETE: 1, CLEAR: 1, DROP: 1, CREATE: 1, ADD: 1, MOVE: 1, COPY: 1, WITH: 1 };
  var FORMS = { SELECT: 1, ASK: 1, CONSTRUCT: 1, DESCRIBE: 1 };

  function SparqlError(message, line, column, kind) {
    this.message = message; this.line = line; this.column = column; this.kind = kind;
  }
  SparqlError.prototype.toString = function () {
    return "line " + this.line + ", column " + this.column + ": " + this.message;
  };

  function scan(text, loaded, reading) {
    var toks = tokens(text), form = null;
    function refuse(tok, why) {
      var at = position(text, tok.start);
      throw new SparqlError("refused: " + why + (reading ? " (" + reading + ")" : ""), at.line, at.column, "unsafe");
    }
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      if (t.kind !== "word") { continue; }
      var w = upper(t.text);
      if (w === "SERVICE") { refuse(t, "SERVICE would call a remote endpoint; the workbench queries only the loaded graph"); }
      if (w === "LOAD") { refuse(t, "LOAD would fetch data from outside; the workbench queries only the loaded graph"); }
      if (UPDATE[w]) { refuse(t, w + " is a SPARQL update; the graph is read-only"); }
      if (w === "FROM") {
        var j = i + 1;
        var named = j < toks.length && toks[j].kind === "word" && upper(toks[j].text) === "NAMED";
        if (named) { j++; }
        var iri = j < toks.length ? toks[j].text : "";
        if (named) {
          refuse(t, "FROM NAMED " + iri + ": only the loaded graph <" + loaded + "> may be named, and it has no named graphs");
        }
        if (iri !== "<" + loaded + ">") {
          refuse(t, "FROM " + iri + " is not the loaded graph; only FROM <" + loaded + "> is allowed");
        }
      }
      if (form === null && FORMS[w]) { form = w; }
    }
    return { form: form, tokens: toks };
  }

  /* Refuse what either reading shows; the form (SELECT, ASK, CONSTRUCT, DESCRIBE) of the query. */
  function checkSafe(text, loaded) {
    var direct = scan(text, loaded, "");
    var spec = unescapeCodepoints(text);
    if (spec !== text) { scan(spec, loaded, "after \\u escapes"); }
    if (direct.form === null) {
      throw new SparqlError("SPARQL syntax error: not a SELECT, ASK, CONSTRUCT or DESCRIBE query", 1, 1, "syntax");
    }
    return direct.form;
  }

  function namesLoadedGraph(text, loaded) {
    return tokens(text).some(function (t) { return t.kind === "iri" && t.text === "<" + loaded + ">"; });
  }

  function variables(text) {
    var seen = [];
    tokens(text).forEach(function (t) {
      if (t.kind === "var" && seen.indexOf(t.text.slice(1)) < 0) { seen.push(t.text.slice(1)); }
    });
    return seen;
  }

  /* The offset just after the '{' that opens the outermost WHERE group (as endpoint.bind_text). */
  function outerGroup(toks) {
    var depth = 0, first = null, afterWhere = false;
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      if (t.kind === "word" && depth === 0 && upper(t.text) === "WHERE") { afterWhere = true; }
      else if (t.kind === "other" && t.text === "{") {
        if (depth === 0) {
          if (afterWhere) { return t.start + 1; }
          if (first === null) { first = t.start + 1; }
        }
        depth++;
      } else if (t.kind === "other" && t.text === "}") { depth--; }
    }
    return afterWhere ? null : first;
  }

  // ---- parameters: the CLI's types and conversions (sparql.convert), as N-Triples terms

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var HINT = {
    iri: "an IRI, a prefixed name such as office:jpo, or kind/slug such as office/jpo",
    string: "any text", lang: "a language tag such as en, ja, zh or ko",
    date: "a date such as 2021-06-01", integer: "a whole number", boolean: "true or false"
  };

  function expandIri(value, prefixes, idBase) {
    value = value.trim();
    var iri;
    if (value.charAt(0) === "<" && value.charAt(value.length - 1) === ">") { value = value.slice(1, -1); }
    if (/^[a-z][a-z0-9+.\-]*:\/\//i.test(value)) { iri = value; }
    else if (value.indexOf(":") >= 0) {
      var k = value.indexOf(":"), prefix = value.slice(0, k), local = value.slice(k + 1);
      var ns = Object.prototype.hasOwnProperty.call(prefixes, prefix) ? prefixes[prefix] :
        (/^[a-z][a-z0-9-]*$/.test(prefix) ? idBase + prefix + "/" : null);
      if (ns === null) { return null; }
      iri = ns + local;
    } else if (/^[a-z][a-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) { iri = idBase + value; }
    else { return null; }
    if (/[\s<>"{}|^`\\]/.test(iri)) { return null; }
    return iri;
  }

  function quote(s) {
    return '"' + s.replace(/[\\"\n\r]/g, function (c) {
      return { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r" }[c];
    }) + '"';
  }

  function validDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) { return false; }
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1) { return false; }
    var days = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return d <= days[mo - 1];
  }

  // ---- names: an IRI parameter also takes a name, found as the CLI finds it (navigation.find)

  var FILLER = { ip5: 1, of: 1, office: 1, the: 1, and: 1 };

  function words(text, keepBrackets) {
    text = text.toLowerCase();
    if (!keepBrackets) { text = text.replace(/\(.*?\)/g, " "); }
    var out = {};
    (text.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (w) { if (!FILLER[w]) { out[w] = 1; } });
    return out;
  }

  /* difflib.SequenceMatcher(None, a, b).ratio() for short strings (no junk, no autojunk). */
  function ratio(a, b) {
    a = Array.from(a); b = Array.from(b);
    var matched = 0, queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop(), besti = q[0], bestj = q[2], size = 0, j2len = {};
      for (var i = q[0]; i < q[1]; i++) {
        var next = {};
        for (var j = q[2]; j < q[3]; j++) {
          if (a[i] === b[j]) {
            var k = (j2len[j - 1] || 0) + 1;
            next[j] = k;
            if (k > size) { besti = i - k + 1; bestj = j - k + 1; size = k; }
          }
        }
        j2len = next;
      }
      if (size) {
        matched += size;
        if (q[0] < besti && q[2] < bestj) { queue.push([q[0], besti, q[2], bestj]); }
        if (besti + size < q[1] && bestj + size < q[3]) { queue.push([besti + size, q[1], bestj + size, q[3]]); }
      }
    }
    return a.length + b.length ? 2 * matched / (a.length + b.length) : 1;
  }

  /* The IRI of the node `value` names in net (workbench.network_data), or a SparqlError with the CLI's words. */
  function findEntity(value, net) {
    var nodes = net.nodes, names = net.names, text = value.trim(), folded = text.toLowerCase(), i;
    function slug(n) { return names[n][0]; }
    function labels(n) { return names[n][1]; }
    function pick(list) { return list.length === 1 ? nodes[list[0]][0] : null; }
    function fail(msg) { throw new SparqlError(msg + " (give a slug such as office/jpo, or a label)", 0, 0, "param"); }
    function shown(list) {
      return list.slice(0, 8).map(function (n) { return slug(n) + " (" + nodes[n][1] + ")"; }).join(", ");
    }
    var all = nodes.map(function (_, n) { return n; });
    for (i = 0; i < nodes.length; i++) { if (nodes[i][0] === value || nodes[i][0] === text) { return nodes[i][0]; } }
    var found = pick(all.filter(function (n) { return slug(n) === text; }));
    var bySlug = all.filter(function (n) { return slug(n).split("/").pop() === folded; });
    var byLabel = all.filter(function (n) {
      return labels(n).some(function (l) { return l.toLowerCase() === folded; });
    });
    found = found || pick(bySlug) || pick(byLabel);
    if (found) { return found; }
    var candidates = bySlug.concat(byLabel.filter(function (n) { return bySlug.indexOf(n) < 0; }));
    candidates.sort(function (x, y) { return x - y; });
    if (!candidates.length) {
      var wanted = Object.keys(words(folded)), scored = {};
      if (wanted.length) {
        all.forEach(function (n) {
          labels(n).forEach(function (l) {
            var have = words(l, true), rest = Object.keys(words(l));
            if (wanted.every(function (w) { return have[w]; })) {
              var extra = rest.filter(function (w) { return wanted.indexOf(w) < 0; }).length;
              scored[n] = Math.min(scored[n] === undefined ? 99 : scored[n], extra);
            }
          });
        });
      }
      candidates = Object.keys(scored).map(Number).sort(function (x, y) { return scored[x] - scored[y] || x - y; });
      if (candidates.length === 1) { return nodes[candidates[0]][0]; }
      if (wanted.length >= 2 && candidates.length > 1 && scored[candidates[0]] < scored[candidates[1]]) {
        return nodes[candidates[0]][0];
      }
    }
    if (candidates.length) {
      fail("'" + value + "' is ambiguous: " + candidates.slice(0, 8).map(slug).join(", ") + "; did you mean one of these?");
    }
    var owner = {}, texts = [];
    all.forEach(function (n) {
      [slug(n).split("/").pop()].concat(labels(n)).forEach(function (t) {
        t = t.toLowerCase();
        if (!Object.prototype.hasOwnProperty.call(owner, t)) { owner[t] = n; texts.push(t); }
      });
    });
    var close = texts.map(function (t) { return [ratio(t, folded), t]; })
      .filter(function (r) { return r[0] >= 0.6; })
      .sort(function (x, y) { return y[0] - x[0] || (x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0); })
      .slice(0, 5);
    var near = [];
    close.forEach(function (r) { if (near.indexOf(owner[r[1]]) < 0) { near.push(owner[r[1]]); } });
    fail("no entity called '" + value + "'" + (near.length ? "; did you mean: " + shown(near) + "?" : ""));
  }

  /* One parameter value as an N-Triples term of its declared type; throws a one-line message. */
  function convert(name, type, value, prefixes, idBase, net) {
    var bad = "parameter '" + name + "' must be " + HINT[type] + "; got '" + value + "'";
    var v = String(value).trim();
    if (type === "integer") {
      if (!/^[+-]?\d+$/.test(v)) { throw new SparqlError(bad, 0, 0, "param"); }
      return quote(BigInt(v).toString()) + "^^<" + XSD + "integer>";
    }
    if (type === "date") {
      if (!validDate(v)) { throw new SparqlError(bad, 0, 0, "param"); }
      return quote(v) + "^^<" + XSD + "date>";
    }
    if (type === "boolean") {
      if (!/^(true|false)$/i.test(v)) { throw new SparqlError(bad, 0, 0, "param"); }
      return quote(v.toLowerCase()) + "^^<" + XSD + "boolean>";
    }
    if (type === "iri") {
      var iri = expandIri(String(value), prefixes, idBase);
      if (iri === null && net && v) { iri = findEntity(String(value), net); }
      if (iri === null) { throw new SparqlError(bad, 0, 0, "param"); }
      return "<" + iri + ">";
    }
    if (type === "lang") {
      if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(v)) { throw new SparqlError(bad, 0, 0, "param"); }
      return quote(v.toLowerCase());
    }
    return quote(String(value));
  }

  /* The text the engine runs: the parameters as a VALUES block at the top of the outermost
     WHERE group (where a substitution binds them: before every pattern and filter), and where
     it went, to map error positions back to what the user typed. */
  function bind(text, terms) {
    var names = Object.keys(terms);
    if (!names.length) { return { text: text, at: -1, length: 0 }; }
    var at = outerGroup(tokens(text));
    if (at === null) { throw new SparqlError("parameters need a query with a WHERE clause", 1, 1, "param"); }
    var values = " VALUES (" + names.map(function (n) { return "?" + n; }).join(" ") + ") { (" +
      names.map(function (n) { return terms[n]; }).join(" ") + ") } ";
    return { text: text.slice(0, at) + values + text.slice(at), at: at, length: values.length };
  }

  window.ip5sparql = {
    tokens: tokens, checkSafe: checkSafe, namesLoadedGraph: namesLoadedGraph, variables: variables,
    convert: convert, findEntity: findEntity, expandIri: expandIri, bind: bind, position: position, SparqlError: SparqlError,
    unescapeCodepoints: unescapeCodepoints
  };
})();
