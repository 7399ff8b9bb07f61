import type { Article } from '../../shared/domain/article';
import { call } from './api';
import type { RunningHost } from './host';

/** A 2×2 red PNG (whole and with correct checksums: the photo pipeline decodes every picture it is given). */
export const PHOTO_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAE0lEQVQImWP4z8DwnwGM/zMwAAAf7gP9qS/A4gAAAABJRU5ErkJggg==';

/** An article with everything the pre-publish checklist asks for; `withPhoto` adds an image with alt text. */
export async function draftArticle(host: RunningHost, title: string, text: string, source = '区党政办', withPhoto = false): Promise<Article> {
  const created = await call(host, 'articles:create', { template: 'blank', input: { title } });
  const photo = withPhoto
    ? await call(host, 'assets:add', { articleId: created.id, fileName: 'meeting.png', mime: 'image/png', dataBase64: PHOTO_BASE64 })
    : null;
  await call(host, 'articles:save', {
    id: created.id,
    meta: { ...created.meta, title, column: ['首页', '要闻动态', '政务要闻'], publishAt: '2021-05-20T10:30', source },
    doc: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text }] },
        ...(photo ? [{ type: 'image', attrs: { src: photo.src, alt: '会议现场', caption: '会议现场' } }] : []),
      ],
    },
  });
  return call(host, 'articles:get', { id: created.id });
}
