import type { Node as PmNode, Slice } from '@tiptap/pm/model';

/** Decodes a `data:image/...;base64,` URL into a File for `addAsset`. Returns null if it is not one. */
export function dataUrlToFile(dataUrl: string, baseName = 'pasted-image'): File | null {
  const match = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is.exec(dataUrl);
  if (!match?.[1] || match[2] === undefined) return null;
  const mime = match[1].toLowerCase();
  let binary: string;
  try {
    binary = atob(match[2].replace(/\s+/g, ''));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const extension = mime === 'image/jpeg' ? 'jpg' : (mime.split('/')[1]?.replace(/\+.*$/, '') ?? 'img');
  return new File([bytes], `${baseName}.${extension}`, { type: mime });
}

/** The distinct `data:` image sources in a pasted slice (they must become workspace assets). */
export function embeddedImageSources(slice: Slice): string[] {
  const sources = new Set<string>();
  slice.content.descendants((node: PmNode) => {
    if (node.type.name === 'image' && typeof node.attrs.src === 'string' && node.attrs.src.startsWith('data:')) {
      sources.add(node.attrs.src);
    }
    return true;
  });
  return [...sources];
}

/** Image files in a clipboard or drag payload, or a pick. */
export function imageFiles(list: ArrayLike<File> | null | undefined): File[] {
  return Array.from(list ?? []).filter((file) => file.type.startsWith('image/'));
}
