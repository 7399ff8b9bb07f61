import { describe, expect, it } from 'vitest';
import { importFileBuffer } from '../../../node/services/import/index';

function page(publishedTime: string): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><title>区图书馆开展读书月活动 – 青禾区</title>
<meta property="article:published_time" content="${publishedTime}"></head>
<body><article><h1 class="entry-title">区图书馆开展读书月活动</h1>
<div class="entry-content"><p>4月23日，区图书馆启动全民阅读月活动。</p><p>活动将持续一个月。</p></div></article></body></html>`,
    'utf8',
  );
}

describe('a page whose publication time is an instant with an offset', () => {
  it('reads it in Beijing time, as the portal and its readers keep it', async () => {
    const draft = await importFileBuffer('wp.html', page('2024-04-23T02:05:33+00:00'));
    expect(draft.fields.date).toBe('2024-04-23');
    expect(draft.fields.time).toBe('10:05');
  });

  it('moves the date when Beijing is already on the next day', async () => {
    const draft = await importFileBuffer('wp.html', page('2024-04-22T20:30:00Z'));
    expect(draft.fields.date).toBe('2024-04-23');
    expect(draft.fields.time).toBe('04:30');
  });

  it('keeps a time already written in Beijing time', async () => {
    const draft = await importFileBuffer('wp.html', page('2024-04-23T10:05:33+08:00'));
    expect(draft.fields.time).toBe('10:05');
  });
});
