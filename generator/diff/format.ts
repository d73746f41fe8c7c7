import { formatLocation } from '../errors';
import { lineText, markdownCode, markdownCodeCell, markdownTextCell } from '../model/escape';
import type { DiffResult } from './index';
import type { Change, Level, Place } from './types';

export const FORMATS = ['text', 'json', 'markdown', 'github-actions'] as const;
export type Format = (typeof FORMATS)[number];

const TITLE: Record<Level, string> = { breaking: 'Breaking', warning: 'Warning', safe: 'Safe' };

function where(place: Place | undefined): string {
  if (!place) return '';
  return place.location ? formatLocation(place.location) : `#${place.pointer}`;
}

function summary(r: DiffResult): string {
  return `${r.counts.breaking} breaking, ${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}, ${r.counts.safe} safe`;
}

/** Every string from a contract (codes, keys, file names) passes through `lineText` once, here. */
export function text(r: DiffResult): string {
  const t = (s: string) => lineText(s, 'terminal');
  const lines = [`errata diff ${t(r.old)} → ${t(r.new)}: ${summary(r)}`];
  for (const c of r.changes) {
    lines.push('', `${c.level.toUpperCase().padEnd(8)} ${c.rule}: ${t(c.message)}`);
    if (c.old) lines.push(`  old: ${t(where(c.old))}`);
    if (c.new) lines.push(`  new: ${t(where(c.new))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function json(r: DiffResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** For a pull-request comment: breaking and warnings in tables, safe changes folded away. */
export function markdown(r: DiffResult): string {
  const out = [`### errata diff: ${summary(r)}`, '', `${markdownCode(r.old)} → ${markdownCode(r.new)}`];
  const cell = (p: Place | undefined) => (p ? markdownCodeCell(where(p)) : '');
  const table = (changes: Change[]) => [
    '| Rule | Change | Old | New |',
    '| --- | --- | --- | --- |',
    ...changes.map((c) => `| ${markdownCodeCell(c.rule)} | ${markdownTextCell(c.message)} | ${cell(c.old)} | ${cell(c.new)} |`),
  ];
  for (const level of ['breaking', 'warning', 'safe'] as const) {
    const changes = r.changes.filter((c) => c.level === level);
    if (changes.length === 0) continue;
    if (level === 'safe') out.push('', `<details><summary>${changes.length} safe change${changes.length === 1 ? '' : 's'}</summary>`, '', ...table(changes), '', '</details>');
    else out.push('', `#### ${TITLE[level]} (${changes.length})`, '', ...table(changes));
  }
  if (r.changes.length === 0) out.push('', 'No changes to the error contract.');
  return `${out.join('\n')}\n`;
}

const COMMAND: Record<Level, string> = { breaking: 'error', warning: 'warning', safe: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per change on the file and line of the new
 * side (or of the old side when the change is a removal and that file is in the working tree;
 * `rev:path` files are not, so they are named in the text instead).
 */
export function githubActions(r: DiffResult): string {
  const lines = r.changes.map((c) => {
    const anchor = [c.new, c.old].find((p) => p?.location && !isRevisionPath(p.location.file))?.location;
    const props = [
      ...(anchor ? [`file=${lineText(anchor.file, 'github-property')}`] : []),
      ...(anchor?.line !== undefined ? [`line=${anchor.line}`] : []),
      ...(anchor?.column !== undefined ? [`col=${anchor.column}`] : []),
      `title=${lineText(`errata diff: ${c.rule} (${c.level})`, 'github-property')}`,
    ];
    const was = c.old ? ` (old: ${where(c.old)})` : '';
    return `::${COMMAND[c.level]} ${props.join(',')}::${lineText(`${c.message}${was}`, 'github-data')}`;
  });
  lines.push(`errata diff ${lineText(r.old, 'terminal')} → ${lineText(r.new, 'terminal')}: ${summary(r)}`);
  return `${lines.join('\n')}\n`;
}

function isRevisionPath(file: string): boolean {
  return /^[^/\\:]+:/.test(file) && !/^[A-Za-z]:[\\/]/.test(file);
}

export function render(r: DiffResult, format: Format): string {
  switch (format) {
    case 'json':
      return json(r);
    case 'markdown':
      return markdown(r);
    case 'github-actions':
      return githubActions(r);
    default:
      return text(r);
  }
}
