import type { AddedAsset, AddedPhoto } from '../../../shared/api/contract';
import type { PhotoEdit } from '../../../shared/domain/photo';
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

/**
 * Stores a picture for the article's body: the services check it, keep the
 * original and answer with the upright working copy to show (and, for a
 * photo, its original and pixel size for the image node).
 */
export function addImage(articleId: string, file: File, fileName: string): Promise<AddedAsset> {
  return readFileAsBase64(file).then((dataBase64) =>
    api.invoke('assets:add', { articleId, fileName, mime: file.type || 'application/octet-stream', dataBase64 }),
  );
}

/** A new working copy of a photo, turned and cropped from its original (which stays as it is). */
export function editPhoto(articleId: string, original: string, edit: PhotoEdit): Promise<AddedPhoto> {
  return api.invoke('photos:edit', { articleId, original, edit });
}
