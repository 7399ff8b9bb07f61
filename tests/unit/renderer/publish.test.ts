// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { PublishTargetConfig } from '../../../shared/api/contract';
import { PublishTargetConfigSchema } from '../../../shared/api/contract';
import { translate } from '../../../shared/i18n';
import { createAssetInliner, MAX_INLINE_ASSET_BYTES, needsInlining } from '../../../renderer/src/publish/preview-assets';
import { fitScale, hasActiveJobs, newTarget, rewritePreviewAssets, scheduleToIso, TARGET_KINDS, targetProblems, uniqueName } from '../../../renderer/src/publish/publish-logic';

const zh = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);

describe('rewritePreviewAssets', () => {
  const html =
    '<p>正文提到 /assets/ab12-photo.png 这个路径</p><img src="/assets/ab12-photo.png" alt="现场"><a href=\'/assets/cd34-report.pdf\'>附件</a><img src="/assets/unknown.png">';
  const assetUrls = { '/assets/ab12-photo.png': 'assets/photo.png', '/assets/cd34-report.pdf': 'assets/report.pdf' };

  it('points known hashed asset attributes at the app and leaves text and unknown paths alone', () => {
    const out = rewritePreviewAssets(html, assetUrls, (src) => `/files/art1/${src}`);
    expect(out).toContain('<img src="/files/art1/assets/photo.png" alt="现场">');
    expect(out).toContain("<a href='/files/art1/assets/report.pdf'>");
    expect(out).toContain('正文提到 /assets/ab12-photo.png 这个路径');
    expect(out).toContain('<img src="/assets/unknown.png">');
  });

  it('escapes the replacement so a URL cannot break out of the attribute', () => {
    const out = rewritePreviewAssets(html, assetUrls, () => 'x" onerror="alert(1)');
    expect(out).not.toContain('" onerror="');
    expect(out).toContain('src="x&quot; onerror=&quot;alert(1)"');
  });

  it('does not treat inherited object keys as asset paths', () => {
    expect(rewritePreviewAssets('<img src="constructor">', {}, () => 'changed')).toBe('<img src="constructor">');
  });
});

describe('hasActiveJobs', () => {
  it('keeps polling while any job is pending or running and stops once all ended', () => {
    expect(hasActiveJobs([{ state: 'succeeded' }, { state: 'pending' }])).toBe(true);
    expect(hasActiveJobs([{ state: 'running' }])).toBe(true);
    expect(hasActiveJobs([{ state: 'succeeded' }, { state: 'failed' }, { state: 'cancelled' }])).toBe(false);
    expect(hasActiveJobs([])).toBe(false);
  });
});

describe('scheduleToIso', () => {
  it('reads the local date-time field as the instant the office means', () => {
    const iso = scheduleToIso('2021-05-20T10:30');
    expect(iso).toBe(new Date(2021, 4, 20, 10, 30).toISOString());
  });
  it('empty means now; garbage is reported, not guessed', () => {
    expect(scheduleToIso('  ')).toBeUndefined();
    expect(scheduleToIso('明天上午')).toBeNull();
    expect(scheduleToIso('2021-13-45T99:99')).toBeNull();
  });
});

describe('newTarget', () => {
  it('gives each kind a new, unused id and a shape the contract accepts once filled in', () => {
    const ids: string[] = [];
    for (const kind of TARGET_KINDS) {
      const target = newTarget(kind, ids);
      expect(target.kind).toBe(kind);
      expect(ids).not.toContain(target.id);
      ids.push(target.id);
    }
    expect(newTarget('static-folder', ['folder-1', 'folder-2']).id).toBe('folder-3');
    expect(newTarget('wordpress', ['folder-1', 'wordpress-1'], 'WordPress 网站')).toMatchObject({ id: 'wordpress-2', label: 'WordPress 网站' });
    expect(uniqueName('本地文件夹', ['本地文件夹', 'WordPress 网站'])).toBe('本地文件夹 2');
    const filled: PublishTargetConfig = { ...newTarget('wordpress', []), baseUrl: 'http://127.0.0.1/wp', user: 'editor' } as PublishTargetConfig;
    expect(PublishTargetConfigSchema.safeParse(filled).success).toBe(true);
  });
});

describe('targetProblems', () => {
  it('names the missing or malformed field of each target in Chinese', () => {
    const folder = newTarget('static-folder', []);
    const wp = { ...newTarget('wordpress', ['folder']), baseUrl: 'ftp://example', user: 'u' } as PublishTargetConfig;
    const sftp = { ...newTarget('static-sftp', []), host: 'h', username: 'u', remoteDir: '/www', port: 70000 } as PublishTargetConfig;
    const problems = targetProblems([folder, wp, sftp], zh).map((p) => ({ at: p.targetIndex, text: translate('zh-CN', p.key, p.params) }));
    expect(problems).toEqual([
      { at: 0, text: '“文件夹路径”不能为空' },
      { at: 1, text: '“WordPress 地址”必须是 http:// 或 https:// 开头的网址' },
      { at: 2, text: '端口必须是 1–65535 之间的整数' },
    ]);
  });

  it('refuses ids the server would refuse: not a slug, or used twice', () => {
    const a = { ...newTarget('static-folder', []), folder: '/srv/www' } as PublishTargetConfig;
    const b = { ...a, id: a.id };
    const c = { ...a, id: '门户' };
    const keys = targetProblems([a, b, c], zh).map((p) => [p.targetIndex, p.key]);
    expect(keys).toEqual([
      [1, 'pubui.site.error.duplicateId'],
      [2, 'pubui.site.error.badId'],
    ]);
    expect(targetProblems([a], zh)).toEqual([]);
  });
});

describe('createAssetInliner', () => {
  it('turns same-origin asset URLs into data: URLs once, and leaves app-scheme URLs as they are', async () => {
    const fetched: string[] = [];
    const inline = createAssetInliner(async (url) => {
      fetched.push(url);
      return new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    });
    const first = await inline('/files/art1/assets/photo.png');
    expect(first).toBe('data:image/png;base64,iVBORw==');
    expect(await inline('/files/art1/assets/photo.png')).toBe(first);
    expect(fetched).toEqual(['/files/art1/assets/photo.png']);
    expect(await inline('gazette-asset://art1/assets/photo.png')).toBe('gazette-asset://art1/assets/photo.png');
    expect(needsInlining('http://127.0.0.1:1234/files/x')).toBe(true);
  });

  it('keeps the URL when the image is missing or too large, so the preview still renders', async () => {
    const missing = createAssetInliner(async () => {
      throw new Error('HTTP 404');
    });
    expect(await missing('/files/a/assets/gone.png')).toBe('/files/a/assets/gone.png');
    const huge = createAssetInliner(async () => new Blob([new Uint8Array(MAX_INLINE_ASSET_BYTES + 1)]));
    expect(await huge('/files/a/assets/huge.png')).toBe('/files/a/assets/huge.png');
  });
});

describe('fitting the preview into its column', () => {
  it('shrinks the desktop page to the column, never enlarges, and stops at a readable size', () => {
    expect(fitScale(600, 1200)).toBe(0.5);
    expect(fitScale(1400, 1200)).toBe(1);
    expect(fitScale(375, 375)).toBe(1);
    expect(fitScale(100, 1200)).toBe(0.25);
    // Not measured yet (or no layout): the page at its own size.
    expect(fitScale(0, 1200)).toBe(1);
  });
});
