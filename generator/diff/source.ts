import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError, type SourceLocation } from '../errors';
import { isRecord } from '../model/resolve';

/**
 * Where one side of a diff comes from. A path on disk is loaded in place; `<rev>:<path>` is read
 * out of git (`git cat-file`, no checkout) together with every file its `$ref`s reach, into a
 * private directory laid out like the repository, so the same loader reads both kinds.
 */
export interface SideSource {
  /** As given on the command line. */
  label: string;
  /** The root file to load. */
  file: string;
  /** How many files the contract is: the root and every file its `$ref`s reach. */
  files: number;
  /** An authored location as the user knows it (`main:openapi/paths/x.yaml` for a git side). */
  display(location: SourceLocation | undefined): SourceLocation | undefined;
  dispose(): void;
}

const REF_HINT = /\$ref["']?\s*:\s*["']?[^#"'\s]/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;

export function openSide(spec: string, cwd = process.cwd()): SideSource {
  const onDisk = path.resolve(cwd, spec);
  if (existsSync(onDisk) && statSync(onDisk).isFile()) {
    // Confinement is checked here as for a git side: the loader itself follows any relative path.
    const files = collectFiles(path.basename(onDisk), (rel) => readOrNull(path.join(path.dirname(onDisk), rel)), spec);
    return { label: spec, file: onDisk, files: files.size, display: (l) => l, dispose() {} };
  }
  const m = /^([^:]+):(.+)$/.exec(spec);
  // `C:\x` is a Windows path, not revision `C`.
  if (!m || /^[A-Za-z]:[\\/]/.test(spec)) {
    throw new UsageError(`cannot read the contract ${spec}: no such file`, 'pass a contract path, or a git revision and path such as main:openapi/openapi.yaml');
  }
  return gitSide(spec, m[1]!, m[2]!, cwd);
}

function git(args: string[], cwd: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`, 'install git, or pass a contract path instead of <rev>:<path>');
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

function gitSide(spec: string, rev: string, file: string, cwd: string): SideSource {
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new UsageError(`cannot read ${spec}: ${cwd} is not inside a git repository`, 'run errata diff inside the repository, or pass a contract path');
  if (rev.startsWith('-') || !git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd).ok) {
    throw new UsageError(`unknown git revision ${JSON.stringify(rev)} in ${spec}`, 'name a branch, tag or commit that exists here (in CI, fetch the base branch first: actions/checkout with fetch-depth: 0, or git fetch origin main)');
  }
  // Like git itself: `./x` and `../x` are relative to the working directory, anything else to the top.
  const prefix = git(['rev-parse', '--show-prefix'], cwd).out.trim();
  const root = path.posix.normalize(/^\.\.?\//.test(file) ? path.posix.join(prefix, file) : file);
  if (root.startsWith('../') || path.posix.isAbsolute(root)) throw new UsageError(`${spec} points outside the repository`, 'give the path from the repository root, e.g. main:openapi/openapi.yaml');
  const folder = path.posix.dirname(root);
  const read = (rel: string) => {
    const r = git(['cat-file', 'blob', `${rev}:${path.posix.join(folder, rel)}`], cwd);
    return r.ok ? r.out : null;
  };
  if (read(path.posix.basename(root)) === null) {
    throw new UsageError(`${rev} has no file ${root}`, `check the path at that revision: git ls-tree --name-only -r ${rev} -- ${folder}`);
  }
  const files = collectFiles(path.posix.basename(root), read, spec);
  const dir = mkdtempSync(path.join(tmpdir(), 'errata-diff-'));
  try {
    for (const [rel, text] of files) {
      const target = path.join(dir, folder, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    label: spec,
    file: path.join(dir, root),
    files: files.size,
    display(location) {
      if (!location) return location;
      const rel = path.relative(dir, path.resolve(location.file));
      return rel.startsWith('..') || path.isAbsolute(rel) ? location : { ...location, file: `${rev}:${rel.split(path.sep).join('/')}` };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The root file and every file its `$ref`s reach, by path relative to the root's folder. A `$ref`
 * that leaves the folder or names a URL is refused: a contract is the folder it lives in.
 */
export function collectFiles(rootRel: string, read: (rel: string) => string | null, label: string): Map<string, string> {
  const files = new Map<string, string>();
  const queue = [rootRel];
  while (queue.length > 0) {
    const rel = queue.shift()!;
    if (files.has(rel)) continue;
    const text = read(rel);
    if (text === null) throw new UsageError(`${label}: the file ${rel} (reached by a $ref) does not exist`, 'correct the $ref, or add the file to the contract folder');
    files.set(rel, text);
    if (!REF_HINT.test(text)) continue;
    let doc: unknown;
    try {
      doc = rel.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { uniqueKeys: false });
    } catch {
      continue; // the loader reports the syntax error with its line
    }
    for (const ref of externalRefs(doc)) {
      const target = ref.split('#')[0]!;
      let decoded: string;
      try {
        decoded = decodeURI(target);
      } catch {
        decoded = target;
      }
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(rel), decoded));
      if (URL_LIKE.test(target) || path.posix.isAbsolute(decoded) || next.startsWith('../') || next === '..') {
        throw new UsageError(`${label}: ${rel} has $ref ${JSON.stringify(ref)}, which leaves the contract's folder`, "keep every file the contract references inside its root file's folder, and reference it by a relative path");
      }
      if (!files.has(next)) queue.push(next);
    }
  }
  return files;
}

function externalRefs(doc: unknown): string[] {
  const refs: string[] = [];
  const stack = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (isRecord(node)) {
      if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) refs.push(node.$ref);
      for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
  return refs;
}

