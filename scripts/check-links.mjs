#!/usr/bin/env node
// Checks that the project's documentation links resolve, offline:
//  - every relative Markdown link `[text](path#anchor)` in README.md and docs/**/*.md points to
//    a file of the repository, and, for a Markdown target with an anchor, to one of its
//    headings (GitHub's heading slugs);
//  - every `docs/....md` path named in a Rust doc comment (`//!` or `///`) of the workspace, and
//    every relative Markdown link there, exists (anchors are checked the same way).
// Web links (http, https, mailto) are not fetched.
//
// Usage: node scripts/check-links.mjs [ROOT]   (ROOT defaults to the repository)
// Prints one line per broken link (file:line: target: reason) and exits 1 if there is any.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const skipDirs = new Set(['node_modules', 'target', '.git']);

function walk(dir, keep, out = []) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

// GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' removed,
// spaces to '-'. Repeated headings get -1, -2, ... suffixes.
function slugs(markdown) {
  const seen = new Map();
  const out = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const slugCache = new Map();
function anchorsOf(file) {
  if (!slugCache.has(file)) slugCache.set(file, slugs(readFileSync(file, 'utf8')));
  return slugCache.get(file);
}

const problems = [];
function checkTarget(file, lineNo, target, baseDir) {
  if (/^(https?:|mailto:)/.test(target)) return;
  const [pathPart, anchor] = target.split('#', 2);
  const dest = pathPart === '' ? file : resolve(baseDir, decodeURIComponent(pathPart));
  const where = `${relative(root, file)}:${lineNo}`;
  if (!dest.startsWith(root) || !existsSync(dest)) {
    problems.push(`${where}: ${target}: no such file`);
    return;
  }
  if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(anchor.toLowerCase())) {
    problems.push(`${where}: ${target}: no heading with anchor #${anchor}`);
  }
}

const mdLink = /(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const mdImage = /!\[[^\]]*\]\(([^)\s]+)\)/g;

// Markdown pages.
const pages = [join(root, 'README.md'), ...walk(join(root, 'docs'), (p) => p.endsWith('.md'))];
for (const page of pages.filter(existsSync)) {
  let fenced = false;
  readFileSync(page, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*```/.test(line)) fenced = !fenced;
      if (fenced) return;
      const text = line.replace(/`[^`]*`/g, '');
      for (const re of [mdLink, mdImage]) {
        for (const m of text.matchAll(re)) checkTarget(page, i + 1, m[1], dirname(page));
      }
    });
}

// Rust doc comments: `docs/X.md` paths (relative to the repository) and relative links.
const sources = ['crates', 'pallets', 'runtime', 'node']
  .map((d) => join(root, d))
  .filter(existsSync)
  .flatMap((d) => walk(d, (p) => p.endsWith('.rs')));
for (const src of sources) {
  readFileSync(src, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /^\s*\/\/[!/]\s?(.*)$/.exec(line);
      if (!m) return;
      for (const p of m[1].matchAll(/(?<![\w/.-])(docs\/[\w./-]+\.md)(#[\w-]+)?/g)) {
        checkTarget(src, i + 1, p[1] + (p[2] ?? ''), root);
      }
      for (const l of m[1].matchAll(mdLink)) {
        const target = l[1];
        if (/^(https?:|mailto:)/.test(target) || !/\.md(#|$)/.test(target)) continue;
        checkTarget(src, i + 1, target, dirname(src));
      }
    });
}

for (const p of problems) console.log(p);
process.exit(problems.length === 0 ? 0 : 1);
