import { api } from '../api/client';
import { readFileAsBase64 } from './files';

/** The URL a stored asset of the article loads from, whichever transport is underneath. */
export function storedAssetUrl(articleId: string, src: string): string {
  return api.assetUrl(articleId, src);
}

/** The URL an image of the article loads from: stored assets through the transport, web and inline images as they are. */
export function resolveAssetSrc(articleId: string, src: string): string {
  return /^(https?:|data:|blob:)/i.test(src) ? src : storedAssetUrl(articleId, src);
}

/** Stores a picked or pasted image with the article; resolves with the `src` the doc refers to it by. */
export async function addAsset(articleId: string, file: File, fileName: string): Promise<string> {
  const { src } = await api.invoke('assets:add', {
    articleId,
    fileName,
    mime: file.type || 'application/octet-stream',
    dataBase64: await readFileAsBase64(file),
  });
  return src;
}
