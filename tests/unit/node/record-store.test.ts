import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import { OfficePolicyStore, type PolicySigner } from '../../../node/services/record/policy-store';
import { ArticleRecordStore, RECORD_FILE } from '../../../node/services/record/record-store';
import { POLICY_FORMAT } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import { defaultReviewChain } from '../../../shared/workflow/review-chain';
import { at, office, type Signer, signText } from '../../support/record-office';

const H1 = 'a'.repeat(64);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const signerOf = (s: Signer): PolicySigner => ({ personId: s.person.id, keyId: s.keyId, sign: (text) => signText(s, text) });

async function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-record-'));
  dirs.push(dir);
  const o = office();
  const policies = new OfficePolicyStore(dir, crypto);
  const v1 = o.chain[0]!.policy;
  await policies.create(
    { issuedAt: v1.issuedAt, issuedBy: 'admin', note: '', chain: defaultReviewChain(), people: v1.people, keys: v1.keys },
    signerOf(o.admin),
  );
  const folderOf = (id: string) => {
    const folder = join(dir, 'articles', id);
    mkdirSync(folder, { recursive: true });
    return folder;
  };
  const records = new ArticleRecordStore({ folderOf, crypto });
  return { dir, o, policies, records, folderOf };
}

describe('office policy on disk', () => {
  it('creates version 1 under the root key and later versions by an administrator', async () => {
    const { policies, o } = await workspace();
    const v2 = await policies.amend((p) => ({ ...p, people: p.people.filter((x) => x.id !== 'r3') }), signerOf(o.admin), at(5), '人员变动');
    expect(v2.latest.version).toBe(2);
    expect(v2.latest.people.map((p) => p.id)).not.toContain('r3');
  });

  it('refuses to amend as someone who is not an administrator, and writes nothing', async () => {
    const { policies, o, dir } = await workspace();
    await expect(policies.amend((p) => p, signerOf(o.writer), at(5), '')).rejects.toBeInstanceOf(RecordError);
    // The refused version is not left behind to break the chain for everyone.
    expect(readdirSync(join(dir, 'office', 'policy'))).toEqual(['000001.json']);
  });

  it('notices a policy file edited on disk (a writer making themselves a reviewer)', async () => {
    const { policies, dir } = await workspace();
    const file = join(dir, 'office', 'policy', '000001.json');
    const signed = JSON.parse(readFileSync(file, 'utf8'));
    signed.policy.people.find((p: { id: string }) => p.id === 'writer').roles.push('reviewer');
    writeFileSync(file, JSON.stringify(signed));
    await expect(policies.current()).rejects.toMatchObject({ problems: [{ code: 'policy_signature_invalid' }] });
  });

  it('notices a policy version file that holds another version', async () => {
    const { policies, o, dir } = await workspace();
    await policies.amend((p) => p, signerOf(o.admin), at(5), '');
    const folder = join(dir, 'office', 'policy');
    writeFileSync(join(folder, '000003.json'), readFileSync(join(folder, '000002.json')));
    await expect(policies.current()).rejects.toMatchObject({ problems: [{ code: 'policy_unreadable' }] });
  });
});

describe('article record on disk', () => {
  it('appends signed entries and verifies them back', async () => {
    const { policies, records, o } = await workspace();
    const policy = await policies.current();
    await records.append('art-1', policy, { type: 'submit', at: at(10), actorId: 'writer', contentHash: H1, stageId: 'first', note: '' }, signerOf(o.writer));
    await records.append(
      'art-1',
      policy,
      { type: 'approve', at: at(11), actorId: 'r1', contentHash: H1, stageId: 'first', opinion: '同意', final: false, signature: null },
      signerOf(o.r1),
    );
    const verdict = await records.verdict('art-1', policy, H1);
    expect(verdict.problems).toEqual([]);
    expect(verdict.state.approvals).toHaveLength(1);
  });

  it('cuts off a torn last line (a killed write) instead of breaking the record', async () => {
    const { policies, records, o, folderOf } = await workspace();
    const policy = await policies.current();
    await records.append('art-1', policy, { type: 'submit', at: at(10), actorId: 'writer', contentHash: H1, stageId: 'first', note: '' }, signerOf(o.writer));
    appendFileSync(join(folderOf('art-1'), RECORD_FILE), '{"format":"gazette/record/v1","articleId":"art-1","se');
    expect((await records.verdict('art-1', policy, H1)).problems).toEqual([]);
    await records.append(
      'art-1',
      policy,
      { type: 'approve', at: at(11), actorId: 'r1', contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null },
      signerOf(o.r1),
    );
    const lines = readFileSync(join(folderOf('art-1'), RECORD_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect((await records.verdict('art-1', policy, H1)).problems).toEqual([]);
  });

  it('sees an entry edited on disk after it was read once, and refuses to append on top of it', async () => {
    const { policies, records, o, folderOf } = await workspace();
    const policy = await policies.current();
    await records.append('art-1', policy, { type: 'submit', at: at(10), actorId: 'writer', contentHash: H1, stageId: 'first', note: '原说明' }, signerOf(o.writer));
    expect((await records.verdict('art-1', policy, H1)).intact).toBe(true);
    const file = join(folderOf('art-1'), RECORD_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('原说明', '改说明'));
    expect((await records.verdict('art-1', policy, H1)).problems.map((p) => p.code)).toEqual(['signature_invalid']);
    await expect(
      records.append('art-1', policy, { type: 'comment', at: at(12), actorId: 'r1', contentHash: H1, commentId: 'c', stageId: null, body: 'x', anchor: null }, signerOf(o.r1)),
    ).rejects.toBeInstanceOf(RecordError);
  });

  it('a hand-written approval line without a signature makes the record 异常, not approved', async () => {
    const { policies, records, o, folderOf } = await workspace();
    const policy = await policies.current();
    const submitted = await records.append(
      'art-1',
      policy,
      { type: 'submit', at: at(10), actorId: 'writer', contentHash: H1, stageId: 'first', note: '' },
      signerOf(o.writer),
    );
    const forged = { ...submitted, seq: 1, event: { type: 'approve', at: at(11), actorId: 'r1', contentHash: H1, stageId: 'first', opinion: '', final: true, signature: null } };
    delete (forged as { signature?: unknown }).signature;
    appendFileSync(join(folderOf('art-1'), RECORD_FILE), `${JSON.stringify(forged)}\n`);
    const verdict = await records.verdict('art-1', policy, H1);
    expect(verdict.intact).toBe(false);
    expect(verdict.publishable).toBe(false);
    expect(verdict.problems.map((p) => p.code)).toEqual(['signature_missing']);
    expect(verdict.state.status).toBe('in_review');
  });

  it('keeps format tags on what it writes', async () => {
    const { dir } = await workspace();
    const signed = JSON.parse(readFileSync(join(dir, 'office', 'policy', '000001.json'), 'utf8'));
    expect(signed.policy.format).toBe(POLICY_FORMAT);
  });
});
