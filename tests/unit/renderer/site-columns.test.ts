// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteConfig, SiteSummary } from '../../../shared/api/contract';
import { defaultSiteProfile } from '../../../shared/portal/site';

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { SiteSettings } = await import('../../../renderer/src/publish/SiteSettings');
const { useDisclosureColumns } = await import('../../../renderer/src/components/DisclosureSection');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let stored: SiteConfig;
let saved: SiteConfig[];
let root: Root | null = null;
let host: HTMLElement;

beforeEach(() => {
  stored = { ...defaultSiteProfile(), targets: [] };
  saved = [];
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string, payload: unknown) => {
    const summary: SiteSummary = { id: 'main', name: stored.name, baseUrl: stored.baseUrl, targets: [], customTheme: false };
    if (channel === 'sites:list') return [summary];
    if (channel === 'sites:get') return stored;
    if (channel === 'sites:save') {
      saved.push(payload as SiteConfig);
      stored = payload as SiteConfig;
      return stored;
    }
    throw new Error(`unexpected ${channel}`);
  });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root?.unmount());
  host.remove();
});

const row = (key: string) => {
  const found = host.querySelector<HTMLElement>(`[data-testid="column-setting"][data-column="${key}"]`);
  if (!found) throw new Error(`no row for ${key}`);
  return found;
};

function type(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    input.focus();
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const inputLabelled = (scope: HTMLElement, label: string) => {
  const target = [...scope.querySelectorAll('label')].find((l) => l.textContent === label)?.htmlFor;
  const input = target ? (scope.ownerDocument.getElementById(target) as HTMLInputElement | null) : null;
  if (!input) throw new Error(`no input ${label}`);
  return input;
};

describe('site settings: the columns of a government site', () => {
  it('list the site’s column tree and save which are 信息公开 columns with their ColumnType, description and keywords', async () => {
    await act(async () => root!.render(createElement(SiteSettings)));
    const keys = [...host.querySelectorAll<HTMLElement>('[data-testid="column-setting"]')].map((r) => r.dataset.column);
    expect(keys).toContain('政务公开/人事信息');
    expect(keys).toContain('通知公告/通知');

    const personnel = row('政务公开/人事信息');
    await act(async () => personnel.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click());
    type(inputLabelled(personnel, '栏目类型'), '信息公开');
    type(inputLabelled(personnel, '栏目描述'), '人事任免与招录信息');
    const keywords = inputLabelled(personnel, '栏目关键词（用逗号或顿号分隔）');
    type(keywords, '人事任免、招录， 公示');
    act(() => keywords.blur());

    const save = [...host.querySelectorAll('button')].find((b) => b.textContent === '保存网站设置' || b.classList.contains('primary'));
    await act(async () => save!.click());
    expect(saved).toHaveLength(1);
    expect(saved[0]?.government).toMatchObject({
      disclosureColumns: ['政务公开/人事信息'],
      columnTypes: { '政务公开/人事信息': '信息公开' },
      columnDescriptions: { '政务公开/人事信息': '人事任免与招录信息' },
      columnKeywords: { '政务公开/人事信息': ['人事任免', '招录', '公示'] },
    });
  });

  it('unticking a column and clearing its type takes it out again, leaving no blank entries', async () => {
    stored = {
      ...stored,
      government: { ...stored.government, disclosureColumns: ['通知公告/通知'], columnTypes: { '通知公告/通知': '信息公开' } },
    };
    await act(async () => root!.render(createElement(SiteSettings)));
    const notices = row('通知公告/通知');
    const box = notices.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    expect(box.checked).toBe(true);
    await act(async () => box.click());
    type(inputLabelled(notices, '栏目类型'), '');
    await act(async () => host.querySelector<HTMLButtonElement>('button.primary')!.click());
    expect(saved[0]?.government.disclosureColumns).toEqual([]);
    expect(saved[0]?.government.columnTypes).toEqual({});
  });
});

let probed: (column: readonly string[]) => boolean = () => {
  throw new Error('Probe not rendered');
};
function Probe() {
  probed = useDisclosureColumns();
  return null;
}

describe('the editor’s view of 信息公开 columns', () => {
  it('knows a column the site lists, once the sites have loaded, and no other', async () => {
    stored = { ...stored, government: { ...stored.government, disclosureColumns: ['政务公开/人事信息'] } };
    await act(async () => root!.render(createElement(Probe)));
    expect(probed(['首页', '政务公开', '人事信息'])).toBe(true);
    expect(probed(['首页', '政务公开', '政策文件'])).toBe(false);
  });
});
