// Lints Cypher with Neo4j's own parser and semantic checks (@neo4j-cypher/language-support).
// Reads a JSON object {name: query text} on stdin; prints {name: [error messages]}.
// Errors about parameters are dropped: the linter is given no parameter values.
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const queries = JSON.parse(input);
  const out = {};
  for (const [name, text] of Object.entries(queries)) {
    const { diagnostics } = lintCypherQuery(text, {});
    out[name] = diagnostics
      .filter((d) => d.severity === 1 && !/^Parameter \$\w+ is not defined/.test(d.message))
      .map((d) => d.message);
  }
  process.stdout.write(JSON.stringify(out));
});
