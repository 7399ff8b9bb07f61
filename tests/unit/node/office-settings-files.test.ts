import { describe, expect, it } from 'vitest';
import { carries } from '../../../node/services/sync/office-repos';
import { isOfficeSettingsPath, officeFileProblem } from '../../../node/services/sync/office-files';
import { carriedBy } from '../../../node/services/sync/repo-rights';
import { isSyncedPath } from '../../../node/services/sync/scope';
import { defaultSiteProfile } from '../../../shared/portal/site';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
const site = (targets: unknown[]) => ({ ...defaultSiteProfile(), targets });
const wordpress = { id: 'wp', kind: 'wordpress', label: '门户', baseUrl: 'https://portal.example', user: 'editor' };

describe('office settings files (site profiles and rule packs)', () => {
  it.each([
    ['sites/main.json', true],
    ['rules/office-terms.json', true],
    ['rules/office-terms.yaml', true],
    ['sites/main/theme/article.liquid', false],
    ['sites/main/build/index.html', false],
    ['sites/main.json.bak', false],
    ['rules/office-terms.json.tmp-0a1b', false],
    ['rules/readme.txt', false],
    ['.secrets/credentials.json', false],
    ['outbox/jobs/job-1.json', false],
  ])('%s travels: %s', (path, travels) => {
    expect(isOfficeSettingsPath(path)).toBe(travels);
    expect(isSyncedPath(path)).toBe(travels);
  });

  it('travel only in the office repository, never in a unit’s, a person’s or a single-repository office', () => {
    expect(carries('office', 'sites/main.json')).toBe(true);
    expect(carries('office', 'rules/terms.json')).toBe(true);
    for (const kind of ['drafts', 'submitted', 'person'] as const) expect(carries(kind, 'sites/main.json')).toBe(false);
    expect(carriedBy({ name: 'office-1', kind: 'standalone', unit: null, personId: null }, 'rules/terms.json')).toBe(false);
    expect(carriedBy({ name: 'office-1', kind: 'standalone', unit: null, personId: null }, 'office/root.json')).toBe(true);
  });

  it('a site file holds when it is a site profile named for its id, with targets and no secrets', () => {
    expect(officeFileProblem('sites/main.json', bytes(site([wordpress])))).toBeNull();
    expect(officeFileProblem('sites/other.json', bytes(site([])))).toMatch(/文件名是 other/);
    expect(officeFileProblem('sites/main.json', bytes('{"id":"main",'))).toMatch(/JSON/);
    expect(officeFileProblem('sites/main.json', bytes({ ...site([]), articleUrlPattern: 'no-id' }))).toMatch(/articleUrlPattern/);
  });

  it('a password typed into a site file is refused, naming the field, never dropped quietly and sent', () => {
    const problem = officeFileProblem('sites/main.json', bytes(site([{ ...wordpress, password: 'hunter2' }])));
    expect(problem).toContain('targets.0.password');
    expect(problem).toMatch(/凭据/);
    expect(problem).not.toContain('hunter2');
  });

  it('a rule pack holds when it validates as one (JSON or YAML), and says what is wrong otherwise', () => {
    const pack = { id: 'office-terms', name: '本单位用语', kind: 'protected', source: '党政办', entries: [{ text: '经八路' }] };
    expect(officeFileProblem('rules/office-terms.json', bytes(pack))).toBeNull();
    expect(officeFileProblem('rules/office-terms.yaml', bytes('id: office-terms\nname: 本单位用语\nkind: protected\nsource: 党政办\nentries:\n  - text: 经八路\n'))).toBeNull();
    expect(officeFileProblem('rules/office-terms.json', bytes({ ...pack, source: '' }))).toMatch(/source/);
  });
});
