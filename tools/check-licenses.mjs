#!/usr/bin/env node
// Licence and advisory check of the Rust and npm dependency trees, run by `./build.sh test`.
//
// Licences: every package's SPDX expression must be satisfiable from an allow-list. What ships in
// the extension (Rust crates reached through normal dependencies; npm packages not marked dev)
// gets the strict list; build and test tools may also use the weak-copyleft / attribution
// licences in DEV_ONLY. AGPL is refused anywhere, even as one choice of an OR. GPL/LGPL/SSPL are
// accepted only where an OR offers an allowed alternative (which is then the licence we use).
// Packages whose metadata is wrong or missing are listed in EXCEPTIONS with the reason.
//
// Advisories (offline-safe): `npm audit --omit=dev` (shipped npm tree; skipped with a warning when
// the registry cannot be reached), and Rust crates locked at a version their registry has yanked,
// read from cargo's local index cache. The RustSec database lives on GitHub, which this machine
// cannot reach, so cargo-deny/cargo-audit advisories run only when `cargo deny` is installed.
//
//   node tools/check-licenses.mjs            check, exit 1 on any problem
//   node tools/check-licenses.mjs --list     also print every package with its licence
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const list = process.argv.includes('--list');

export const SHIPPED_OK = new Set([
  'MIT', 'MIT-0', 'Apache-2.0', 'Apache-2.0 WITH LLVM-exception', 'BSD-2-Clause', 'BSD-3-Clause',
  '0BSD', 'ISC', 'Zlib', 'Unicode-3.0', 'Unicode-DFS-2016', 'Unlicense', 'CC0-1.0', 'BSL-1.0',
]);
export const DEV_ONLY = new Set(['MPL-2.0', 'Python-2.0', 'BlueOak-1.0.0', 'CC-BY-3.0', 'CC-BY-4.0']);
const NEVER = /\bAGPL/i;

// Packages whose declared licence is not a valid SPDX id; checked by hand against their LICENSE.
const EXCEPTIONS = {
  'npm:winreg': 'declares "BSD"; its LICENSE file is the 2-clause BSD licence (dev tool of web-ext)',
};

/** Parses an SPDX expression ("A OR (B AND C WITH D)"; legacy "A/B" means OR) into a tree. */
export function parseSpdx(text) {
  const tokens = text.replace(/\//g, ' OR ').match(/\(|\)|[^\s()]+/g) || [];
  let i = 0;
  const primary = () => {
    const token = tokens[i++];
    if (token === '(') {
      const inner = or();
      if (tokens[i++] !== ')') throw new Error(`unbalanced parentheses in "${text}"`);
      return inner;
    }
    if (!token || /^(AND|OR|WITH|\))$/i.test(token)) throw new Error(`bad licence expression "${text}"`);
    if (/^WITH$/i.test(tokens[i] || '')) {
      i++;
      return { id: `${token} WITH ${tokens[i++]}` };
    }
    return { id: token };
  };
  const and = () => {
    let node = primary();
    while (/^AND$/i.test(tokens[i] || '')) { i++; node = { and: [node, primary()] }; }
    return node;
  };
  const or = () => {
    let node = and();
    while (/^OR$/i.test(tokens[i] || '')) { i++; node = { or: [node, and()] }; }
    return node;
  };
  const tree = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in "${text}"`);
  return tree;
}

/** True when the expression can be satisfied using only licences in `allowed`. */
export function satisfiable(tree, allowed) {
  if (tree.id) return allowed.has(tree.id.replace(/\+$/, ''));
  if (tree.or) return tree.or.some((t) => satisfiable(t, allowed));
  return tree.and.every((t) => satisfiable(t, allowed));
}

/** Returns a problem description, or null when `license` is acceptable. */
export function judge(license, { shipped }) {
  if (!license) return 'no licence declared';
  if (NEVER.test(license)) return `AGPL is not allowed (${license})`;
  let tree;
  try { tree = parseSpdx(license); } catch (error) { return error.message; }
  const allowed = shipped ? SHIPPED_OK : new Set([...SHIPPED_OK, ...DEV_ONLY]);
  return satisfiable(tree, allowed) ? null : `licence "${license}" is not on the ${shipped ? 'shipped' : 'dev-tool'} allow-list`;
}

function rustPackages() {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked'], {
    cwd: repo, maxBuffer: 256 << 20, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  }));
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  // Shipped: reachable from the workspace through normal (not dev, not build) dependencies.
  const shipped = new Set();
  const queue = [...meta.workspace_members];
  while (queue.length) {
    const id = queue.pop();
    if (shipped.has(id)) continue;
    shipped.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      if (dep.dep_kinds.some((k) => k.kind === null)) queue.push(dep.pkg);
    }
  }
  return meta.packages
    .filter((p) => !meta.workspace_members.includes(p.id))
    .map((p) => ({
      key: `crate:${p.name}`, name: p.name, version: p.version, license: p.license,
      shipped: shipped.has(p.id), source: p.source, ecosystem: 'crates',
    }))
    .concat(meta.workspace_members.map((id) => {
      const p = byId.get(id);
      return { key: `crate:${p.name}`, name: p.name, version: p.version, license: p.license, shipped: true, ecosystem: 'crates' };
    }));
}

function npmPackages() {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path]) => path)
    .map(([path, p]) => {
      const name = p.name || path.split('node_modules/').pop();
      let license = p.license;
      // The lock file omits licences for some packages; the installed package.json has them.
      if (!license && existsSync(join(repo, path, 'package.json'))) {
        const pkg = JSON.parse(readFileSync(join(repo, path, 'package.json'), 'utf8'));
        license = typeof pkg.license === 'string' ? pkg.license : pkg.license?.type;
      }
      return { key: `npm:${name}`, name, version: p.version, license, shipped: !p.dev, ecosystem: 'npm' };
    });
}

/** Crates locked at a yanked version, per cargo's local index cache (no network). */
function yankedCrates(crates) {
  const cacheRoots = [];
  const registry = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'registry', 'index');
  if (existsSync(registry)) {
    for (const dir of readdirSync(registry)) cacheRoots.push(join(registry, dir, '.cache'));
  }
  const indexPath = (name) => {
    const n = name.toLowerCase();
    if (n.length <= 2) return join(String(n.length), n);
    if (n.length === 3) return join('3', n[0], n);
    return join(n.slice(0, 2), n.slice(2, 4), n);
  };
  const yanked = [];
  let checked = 0;
  for (const crate of crates) {
    if (!crate.source?.startsWith('registry+') && !crate.source?.startsWith('sparse+')) continue;
    const file = cacheRoots.map((root) => join(root, indexPath(crate.name))).find(existsSync);
    if (!file) continue;
    checked++;
    for (const chunk of readFileSync(file).toString('utf8').split('\0')) {
      if (!chunk.startsWith('{')) continue;
      try {
        const entry = JSON.parse(chunk);
        if (entry.vers === crate.version && entry.yanked) yanked.push(`${crate.name} ${crate.version}`);
      } catch { /* a partial line: ignore */ }
    }
  }
  return { yanked, checked };
}

function npmAudit() {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  let report;
  try { report = JSON.parse(run.stdout); } catch { report = null; }
  if (!report || report.error) {
    return { warning: `npm audit could not run (${report?.error?.code ?? run.error?.code ?? `exit ${run.status}`}): advisories of the npm tree not checked` };
  }
  const counts = report.metadata?.vulnerabilities ?? {};
  const found = Object.entries(report.vulnerabilities ?? {}).map(([name, v]) => `${name} (${v.severity}): ${[].concat(v.via).map((x) => x.title || x).join('; ')}`);
  return { found, total: counts.total ?? found.length };
}

function main() {
  const problems = [];
  const warnings = [];
  const packages = [...rustPackages(), ...npmPackages()];
  for (const p of packages) {
    if (list) console.log(`${p.shipped ? 'ship' : 'dev '} ${p.ecosystem} ${p.name}@${p.version}: ${p.license}`);
    const problem = judge(p.license, { shipped: p.shipped });
    if (problem && !(p.key in EXCEPTIONS && !NEVER.test(p.license || ''))) {
      problems.push(`${p.ecosystem} ${p.name}@${p.version}${p.shipped ? ' (shipped)' : ''}: ${problem}`);
    }
  }
  for (const key of Object.keys(EXCEPTIONS)) {
    if (!packages.some((p) => p.key === key)) warnings.push(`exception for ${key} is no longer needed`);
  }
  const crates = packages.filter((p) => p.ecosystem === 'crates');
  const { yanked, checked } = yankedCrates(crates);
  for (const y of yanked) problems.push(`crate ${y} is yanked from its registry`);
  const audit = npmAudit();
  if (audit.warning) warnings.push(audit.warning);
  else for (const f of audit.found) problems.push(`npm advisory: ${f}`);
  const hasDeny = spawnSync('cargo', ['deny', '--version'], { encoding: 'utf8' }).status === 0;
  if (hasDeny) {
    const deny = spawnSync('cargo', ['deny', '--offline', 'check', 'advisories'], { cwd: repo, encoding: 'utf8' });
    if (deny.status !== 0) problems.push(`cargo deny: ${deny.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  } else {
    warnings.push('RustSec advisories not checked: cargo-deny is not installed (its database is on GitHub, unreachable here)');
  }
  const shippedCount = packages.filter((p) => p.shipped).length;
  for (const w of warnings) console.log(`warning: ${w}`);
  console.log(`licences: ${packages.length} packages (${shippedCount} shipped), yanked check: ${checked} crates, npm audit (shipped tree): ${audit.warning ? 'skipped' : `${audit.total} advisories`}`);
  if (problems.length) {
    console.error(`dependency check failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('dependency check: ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
