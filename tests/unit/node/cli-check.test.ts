import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli-harness';
import type { Finding } from '../../../shared/proofread/types';

const SAMPLE = join(__dirname, '..', '..', 'fixtures', 'portal', 'sample-2021-05-20.txt');

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gazette-cli-check-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

interface CheckJson {
  errors: number;
  blocking: number;
  counts: { characters: number; paragraphs: number };
  findings: Finding[];
}

describe('gazette check', () => {
  it('exits 0 on the sample (warnings only) and prints every finding with offsets as JSON', async () => {
    const { code, stdout } = await runCli('check', SAMPLE, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CheckJson;
    expect(report.errors).toBe(0);
    expect(report.counts.paragraphs).toBe(6);
    const comma = report.findings.find((f) => f.rule === 'punct:half-width-in-chinese');
    expect(comma).toMatchObject({ severity: 'warning', text: ',', suggestion: '，' });
    expect(typeof comma?.start).toBe('number');
    expect(comma?.end).toBe((comma?.start ?? 0) + 1);
  });

  it('exits 1 on a file with errors, and the office rules from --rules count', async () => {
    const file = join(root, 'notice.txt');
    writeFileSync(file, '时间:2021-05-20 来源:区党政办\n\n5月19日，纬七街道办召开会议。\n');
    const withoutRules = await runCli('check', file, '--json');
    expect(withoutRules.code).toBe(0);

    const rules = join(root, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'places.yaml'), 'id: places\nname: 地名\nkind: protected\nsource: 区民政局\nentries:\n  - text: 纬七路街道办\n');
    const withRules = await runCli('check', file, '--rules', rules, '--json');
    expect(withRules.code).toBe(1);
    const report = JSON.parse(withRules.stdout) as CheckJson;
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ rule: 'protected-term:纬七路街道办', text: '纬七街道办', suggestion: '纬七路街道办' }),
    ]);

    const human = await runCli('check', file, '--rules', rules);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/ERROR .*“纬七街道办” → “纬七路街道办”/);
  });

  it('checks a .docx imported in memory', async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('中华人民共合国国务院发布通知。')] })] }] });
    const file = join(root, 'notice.docx');
    writeFileSync(file, await Packer.toBuffer(doc));
    const { code, stdout } = await runCli('check', file, '--json');
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as CheckJson).findings[0]).toMatchObject({ text: '中华人民共合国国务院', suggestion: '中华人民共和国国务院', severity: 'error' });
  });

  it('checks an article of a workspace by id; a bad rules file is reported but does not stop the check', async () => {
    const ws = join(root, 'ws');
    const imported = await runCli('import', SAMPLE, '--workspace', ws, '--json');
    const id = (JSON.parse(imported.stdout) as { id: string }[])[0]?.id ?? '';
    mkdirSync(join(ws, 'rules'));
    writeFileSync(join(ws, 'rules', 'bad.json'), '{"id": "bad", "kind": "nonsense"}');
    const { code, stdout, stderr } = await runCli('check', id, '--workspace', ws, '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as CheckJson).findings.length).toBeGreaterThan(50);
    expect(stderr).toContain('bad.json');
  });

  it('writes finding messages in English with --lang en, in Chinese by default', async () => {
    const file = join(root, 'notice.txt');
    writeFileSync(file, '时间:2021-05-20 来源:区党政办\n\n5月19日，区里召开会议，依照中华人民共合国有关法律,部署工作。\n');
    const chinese = await runCli('check', file, '--json');
    const english = await runCli('check', file, '--json', '--lang', 'en');
    expect(english.code).toBe(chinese.code);
    const zhFindings = (JSON.parse(chinese.stdout) as CheckJson).findings;
    const enFindings = (JSON.parse(english.stdout) as CheckJson).findings;
    // Same findings, only the wording differs.
    expect(enFindings.map(({ message, ...rest }) => rest)).toEqual(zhFindings.map(({ message, ...rest }) => rest));
    const nearMiss = (findings: Finding[]) => findings.find((f) => f.rule === 'protected-term:中华人民共和国')?.message;
    expect(nearMiss(zhFindings)).toBe('“中华人民共合国”疑似“中华人民共和国”的误写：“合”是“和”的同音字');
    expect(nearMiss(enFindings)).toBe('"中华人民共合国" looks like a misspelling of "中华人民共和国": "合" sounds the same as "和" (a homophone)');

    const human = await runCli('check', file, '--lang', 'en');
    expect(human.stdout).toContain('Half-width "," in Chinese text; use the full-width "，"');
    expect(human.stdout).not.toContain('半角');
    expect((await runCli('check', file)).stdout).toContain('中文中使用了半角标点“,”，应为全角“，”');
  });

  it('refuses an unknown --lang before checking anything', async () => {
    const file = join(root, 'notice.txt');
    writeFileSync(file, '正文。\n');
    const { code, stdout, stderr } = await runCli('check', file, '--lang', 'fr');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--lang must be zh-CN or en');
    expect((await runCli('--help')).stdout).toContain('--lang');
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli('check')).code).toBe(2);
    expect((await runCli('check', 'no-such-article-id')).code).toBe(2);
    expect((await runCli('check', join(root, 'x.pdf'))).code).toBe(2);
  });
});
