// Parse a DBML or Mermaid file with the official parsers and print what they found as JSON.
//
//   node parse.mjs dbml FILE     -> {"tables": N, "refs": N, "enums": N, "indexes": N, "notes": N}
//   node parse.mjs mermaid FILE  -> {"entities": N, "relationships": N, "attributes": N}
//
// Exit 1 with the parser's message on stderr when the text does not parse.
import { readFileSync } from 'node:fs';

const [kind, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');

async function dbml() {
  const { Parser } = await import('@dbml/core');
  const db = new Parser().parse(text, 'dbmlv2');
  const out = { tables: 0, refs: 0, enums: 0, indexes: 0, columns: 0, schemas: [] };
  for (const s of db.schemas) {
    out.schemas.push(s.name);
    out.tables += s.tables.length;
    out.refs += s.refs.length;
    out.enums += s.enums.length;
    for (const t of s.tables) {
      out.indexes += t.indexes.length;
      out.columns += t.fields.length;
    }
  }
  out.schemas.sort();
  return out;
}

async function mermaid() {
  // Mermaid's parsers need a DOM (DOMPurify); jsdom provides one, no browser needed.
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const { default: m } = await import('mermaid');
  m.initialize({ startOnLoad: false });
  const diagram = await m.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const entities = db.getEntities();
  const list = entities instanceof Map ? [...entities.values()] : Object.values(entities);
  let attributes = 0;
  for (const e of list) attributes += e.attributes.length;
  return {
    type: diagram.type,
    entities: list.length,
    relationships: db.getRelationships().length,
    attributes,
  };
}

try {
  const out = kind === 'dbml' ? await dbml() : kind === 'mermaid' ? await mermaid() : null;
  if (!out) {
    console.error(`usage: node parse.mjs dbml|mermaid FILE`);
    process.exit(2);
  }
  console.log(JSON.stringify(out));
} catch (e) {
  const msg = e && e.diags ? e.diags.map((d) => `${d.location?.start?.line}:${d.location?.start?.column} ${d.message}`).join('\n') : String(e && e.stack ? e.stack : e);
  console.error(msg);
  process.exit(1);
}
