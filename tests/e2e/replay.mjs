// Rebuilds a static page from a diagnostics report: the region outline's tags, ids, classes,
// roles, test hooks, types, names, link paths, labels and texts, hidden where the guide saw it
// hidden, with `data-replay-marked` on the element the guide had marked. Served through the
// fixture server at the report's host and path, it lets the guide's locator run on what a real
// console showed (docs/diagnostics.md).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDiagnostics } from './diagnostics.mjs';

export const REPLAY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'replay');

/** Every report in tests/e2e/replay/ (one file per replica dialect and step), parsed. */
export function replayReports() {
  return readdirSync(REPLAY_DIR).filter((f) => f.endsWith('.txt')).sort()
    .map((file) => ({ file, report: parseDiagnostics(readFileSync(join(REPLAY_DIR, file), 'utf8')) }));
}

const VOID = new Set(['input', 'img', 'br', 'hr', 'meta', 'link', 'source', 'area', 'col', 'embed', 'wbr', 'base', 'track']);
// Nothing that runs or loads: the page is an outline, not the console.
const DROPPED = new Set(['script', 'style', 'link', 'meta', 'iframe', 'object', 'embed', 'base', 'noscript', 'template']);

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const anyVisible = (node) => node.visible !== false || (node.children ?? []).some(anyVisible);

function element(node) {
  const tag = /^[a-z][a-z0-9-]*$/.test(node.tag) ? node.tag : 'div';
  if (DROPPED.has(tag)) return '';
  const attrs = [];
  const add = (name, value) => { if (value !== undefined && value !== '') attrs.push(`${name}="${escape(value)}"`); };
  add('id', node.id);
  add('class', (node.classes ?? []).join(' '));
  add('role', node.role);
  // The report joins data-se and data-testid: either one is where the locator looks.
  add('data-se', node.data_se);
  add('type', node.type);
  add('name', node.name);
  add('href', node.href);
  add('aria-label', node.aria_label);
  add('placeholder', node.placeholder);
  if (tag === 'input') add('value', node.label);
  if (tag === 'svg') { add('width', '16'); add('height', '16'); }
  // Hidden where the guide saw it hidden, unless something inside was seen.
  if (!anyVisible(node)) attrs.push('hidden');
  if (node.marked) attrs.push('data-replay-marked');
  const open = `<${tag}${attrs.length ? ' ' + attrs.join(' ') : ''}>`;
  if (VOID.has(tag)) return open;
  const inner = (node.text ? escape(node.text) : '') + (node.children ?? []).map(element).join('');
  return `${open}${inner}</${tag}>`;
}

/** The static page for a report: its outline inside an otherwise empty document. */
export function rebuildPage(report) {
  const lang = escape(report.environment?.page_language || 'en');
  const root = report.outline.root;
  // A region that is the body or <html> itself is rebuilt as the body's content.
  const body = ['body', 'html'].includes(root.tag) ? (root.children ?? []).map(element).join('') : element(root);
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>Replay of ${escape(report.step)}</title></head><body>${body}</body></html>\n`;
}

/** How many elements of the outline the guide had marked. */
export function markedCount(node) {
  return (node.marked ? 1 : 0) + (node.children ?? []).reduce((n, c) => n + markedCount(c), 0);
}
