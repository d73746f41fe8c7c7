import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errata, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { diff } from '../../generator/diff';
import { parseRuleFlags, policy, readPolicyFile } from '../../generator/diff/policy';
import { plant } from './plant';

const addConflict = (d: any) => {
  d['x-errata'].catalog.codes.CONFLICT = { status: 409, description: 'x', fix: 'y' };
  d.paths['/things/{id}'].get.responses['409'] = { description: 'conflict', 'x-errata-codes': ['CONFLICT'] };
};

describe('errata diff (CLI)', () => {
  it('the Picora 0.13 → today diff: STORAGE_ERROR 500 → 502 is breaking, codes added since are warnings; exit 1', async () => {
    const r = errata(['diff', 'openapi/history/0.13/openapi.yaml', 'openapi/openapi.yaml', '--format', 'json']);
    expect(r.stderr).toContain('breaking');
    expect(r.code).toBe(1);
    const { changes } = JSON.parse(r.stdout) as { changes: any[] };
    const storage = changes.filter((c) => c.code === 'STORAGE_ERROR' && c.rule === 'code-status-changed');
    expect(storage.map((c) => c.operation).sort()).toEqual(['deleteImage', 'uploadImage', 'uploadVideo']);
    for (const c of storage) {
      expect(c).toMatchObject({ level: 'breaking', status: '502' });
      expect(c.message).toContain('from 500 to 502');
      expect(c.old.location).toMatchObject({ file: 'openapi/history/0.13/components/responses/InternalOrStorage.yaml', line: expect.any(Number) });
      expect(c.new.location.file).toMatch(/^openapi\/components\/responses\/Storage(Delete)?Failed\.yaml$/);
    }
    expect(changes.filter((c) => c.code === 'FILE_TOO_LARGE' && c.rule === 'code-status-changed' && c.level === 'breaking')).toHaveLength(2);
    const added = new Set(changes.filter((c) => c.rule === 'code-added' && c.level === 'warning').map((c) => c.code));
    expect([...added].sort()).toEqual(['COMPLIANCE_BLOCKED', 'DEPENDENCY_UNAVAILABLE', 'MALFORMED_REQUEST', 'NOT_FOUND']);
    // Today's contract declares the unknown-route 404 (x-errata.unrouted): new on any request.
    expect(changes.filter((c) => c.code === 'NOT_FOUND' && c.rule === 'code-added').map((c) => c.operation)).toEqual(['any request (unrouted)']);
    // Codes only operations new since then answer reach no old client: safe, and still listed.
    const catalogOnly = changes.filter((c) => c.rule === 'catalog-code-added').map((c) => c.code);
    expect(catalogOnly).toEqual(expect.arrayContaining(['BANDWIDTH_SUSPENDED', 'OAUTH_BEARER_INVALID', 'DOC_HASH_DUPLICATE']));
  }, 180_000);

  it('exit code follows --fail-on and the policy (--rule, --config)', async () => {
    const p = plant(addConflict);
    expect((await errataInProcess(['diff', p.oldFile, p.newFile])).code).toBe(0);
    expect((await errataInProcess(['diff', p.oldFile, p.newFile, '--fail-on', 'warning'])).code).toBe(1);
    const promoted = await errataInProcess(['diff', p.oldFile, p.newFile, '--rule', 'code-added=breaking', '--rule', 'error-status-added=off']);
    expect(promoted.code).toBe(1);
    expect(promoted.stdout).toMatch(/^BREAKING code-added: CONFLICT is new on getThing under 409$/m);
    expect(promoted.stdout).not.toContain('error-status-added');
    const config = path.join(p.dir, 'policy.json');
    writeFileSync(config, JSON.stringify({ rules: { 'code-added': 'safe', 'error-status-added': 'safe' }, failOn: 'warning' }));
    expect(readPolicyFile(config)).toEqual({ rules: { 'code-added': 'safe', 'error-status-added': 'safe' }, failOn: 'warning' });
    expect(() => policy(parseRuleFlags(['code-addded=breaking']))).toThrow(expect.objectContaining({ name: 'UsageError', fix: expect.stringContaining('did you mean code-added') }));
    expect(() => policy({ 'code-added': 'fatal' })).toThrow(/"fatal" is not a level/);
  }, 180_000);

  it('bad input: one clear error each, exit 2', async () => {
    const otherEnvelope = plant((d) => {
      d['x-errata'].envelope.code = '/detail';
      d.components.schemas.Error.required = ['detail', 'message'];
    });
    const env = await errataInProcess(['diff', otherEnvelope.oldFile, otherEnvelope.newFile]);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('different error envelopes: the code is at /code in the old one and at /detail in the new one');
    expect(env.stderr).toMatch(/new\.yaml:\d+/);

    const broken = plant(() => {});
    writeFileSync(broken.newFile, 'openapi: 3.1.0\ninfo: [unclosed\n');
    const parse = await errataInProcess(['diff', broken.oldFile, broken.newFile]);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toMatch(/the new contract .*new\.yaml: cannot parse/);

    // The CLI maps every UsageError to exit 2 (above); the rest through the API.
    const invalid = plant((d) => d.paths['/things/{id}'].get.responses['404']['x-errata-codes'].push('NOPE'));
    await expect(diff(invalid.oldFile, invalid.newFile)).rejects.toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(/is not a valid errata contract[^]*unknown error code "NOPE"/) }));

    const rev = await errataInProcess(['diff', 'no-such-branch-x16:openapi/openapi.yaml', 'openapi/openapi.yaml']);
    expect(rev.code).toBe(2);
    expect(rev.stderr).toContain('unknown git revision "no-such-branch-x16"');

    await expect(diff('openapi/openapi.yaml', 'openapi/nope.yaml')).rejects.toThrow(/cannot read the contract openapi\/nope\.yaml: no such file/);
  }, 180_000);

  it('reads a side from git at a revision, with the files its $refs reach, and names rev:path in locations', async () => {
    const dir = tempTree(miniContract(), 'errata-diff-git-');
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'old');
    // In the working tree NOT_FOUND moves from 404 to 410, in the referenced path file.
    const files = miniContract();
    writeFileSync(path.join(dir, 'catalog.yaml'), files['catalog.yaml']!.replace('status: 404', 'status: 410'));
    writeFileSync(path.join(dir, 'paths/thing.yaml'), files['paths/thing.yaml']!.replace("'404':", "'410':"));
    const r = await errataInProcess(['diff', 'HEAD:openapi.yaml', 'openapi.yaml', '--format', 'json'], dir);
    expect(r.stderr).toContain('breaking');
    expect(r.code).toBe(1);
    const moved = (JSON.parse(r.stdout).changes as any[]).find((c) => c.rule === 'code-status-changed');
    expect(moved).toMatchObject({ code: 'NOT_FOUND', operation: 'getThing', old: { location: { file: 'HEAD:paths/thing.yaml', line: 9 } }, new: { location: { file: 'paths/thing.yaml', line: 9 } } });

    // References are confined to the contract's folder, at a revision as on disk.
    writeFileSync(path.join(dir, 'openapi.yaml'), files['openapi.yaml']!.replace('./catalog.yaml', '../outside/catalog.yaml'));
    git('commit', '-qam', 'escape');
    const escape = await errataInProcess(['diff', 'HEAD:openapi.yaml', 'HEAD~1:openapi.yaml'], dir);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain(`$ref "../outside/catalog.yaml", which leaves the contract's folder`);
  }, 180_000);

  it('GitHub Actions annotations and Markdown escape strings from the contract', async () => {
    const hostile = 'get%Thing\n::error::owned,x:y|<script>';
    const p = plant((d) => {
      addConflict(d);
      d.paths['/things/{id}'].get.operationId = hostile;
    }, (d) => void (d.paths['/things/{id}'].get.operationId = hostile));
    const gh = await errataInProcess(['diff', p.oldFile, p.newFile, '--format', 'github-actions']);
    expect(gh.code).toBe(0);
    const lines = gh.stdout.trimEnd().split('\n');
    const added = lines.find((l) => l.startsWith('::warning ') && l.includes('CONFLICT'))!;
    expect(added).toMatch(/^::warning file=[^,]*new\.yaml,line=\d+,col=\d+,title=errata diff%3A code-added \(warning\)::CONFLICT is new on get%25Thing%0A::error::owned,x:y\|<script> under 409$/);
    // No line of the output starts a command the contract wrote.
    expect(lines.filter((l) => l.startsWith('::error'))).toEqual([]);

    const md = await errataInProcess(['diff', p.oldFile, p.newFile, '--format', 'markdown']);
    expect(md.stdout).toContain('#### Warning (2)');
    expect(md.stdout).not.toContain('<script>');
    expect(md.stdout).toContain('&lt;script&gt;');
    const row = md.stdout.split('\n').find((l) => l.includes('CONFLICT is new'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(6); // four cells: no pipe from the contract splits a cell
  }, 180_000);

  it('the text format shows terminal control sequences from contract strings escaped', async () => {
    const p = plant(addConflict, (d) => void (d.paths['/things/{id}'].get.operationId = 'get\u001b[2JThing'));
    const r = await errataInProcess(['diff', p.oldFile, p.newFile]);
    expect(r.stdout).toContain('CONFLICT is new on get\\x1b[2JThing under 409');
    expect(r.stdout).not.toContain('\u001b');
  }, 180_000);
});
