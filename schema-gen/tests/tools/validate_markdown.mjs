// Validates a rendered schema document the way GitHub would read it: GFM tables parse with
// the right number of cells per row (marked), every `#anchor` link has a target, and every
// Mermaid block parses (mermaid, under jsdom). Not part of `cargo test` (it needs npm packages).
//
//   npm install --prefix /tmp/mdcheck marked mermaid jsdom
//   NODE_PATH=/tmp/mdcheck/node_modules node schema-gen/tests/tools/validate_markdown.mjs FILE.md
//
// (ES modules ignore NODE_PATH: copy this file into /tmp/mdcheck and run it there.)
// Prints `tables=… badrows=0 links=… broken=0` and `mermaid ok N/N` when all is well.
import fs from 'fs';
import { JSDOM } from 'jsdom';
import { marked } from 'marked';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
for (const k of ['Element','HTMLElement','Node','navigator','DOMParser','SVGElement']) { try { if (!(k in globalThis)) globalThis[k] = dom.window[k]; } catch {} }
const mermaid = (await import('mermaid')).default;
mermaid.initialize({ startOnLoad: false });
let md = fs.readFileSync(process.argv[2], 'utf8');
md = md.replace(/^---\n[\s\S]*?\n---\n/, '');
const html = marked.parse(md);
const d = new JSDOM(html).window.document;
const tables = [...d.querySelectorAll('table')];
let bad = 0;
for (const t of tables) {
  const h = t.querySelectorAll('thead th').length;
  for (const r of t.querySelectorAll('tbody tr')) { if (r.querySelectorAll('td').length !== h) { bad++; console.log('BAD ROW', r.textContent); } }
}
const ids = new Set([...d.querySelectorAll('[id]')].map(e => e.id));
const links = [...d.querySelectorAll('a[href^="#"]')];
const broken = links.filter(a => !ids.has(a.getAttribute('href').slice(1)));
console.log(`tables=${tables.length} badrows=${bad} links=${links.length} broken=${broken.length}`);
const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map(m => m[1]);
let ok = 0;
for (const b of blocks) { try { await mermaid.parse(b); ok++; } catch (e) { console.log('MERMAID ERROR', String(e.message || e).slice(0, 400)); console.log(b.slice(0,300)); } }
console.log(`mermaid ok ${ok}/${blocks.length}`);
