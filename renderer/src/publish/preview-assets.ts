/**
 * The preview frame has an opaque origin (sandbox without allow-same-origin),
 * so the browser sends its image requests without the web host's
 * SameSite=Strict cookie and the host refuses them. Images served over http
 * are therefore fetched here, by the app page itself, and handed to the frame
 * as data: URLs (allowed by the inherited img-src). Other schemes (Electron's
 * gazette-asset:) need no cookie and are used as they are.
 */
export type AssetFetcher = (url: string) => Promise<Blob>;

/** Largest image turned into a data: URL; bigger ones keep their URL rather than bloat every preview. */
export const MAX_INLINE_ASSET_BYTES = 8 * 1024 * 1024;

/** True for URLs the frame cannot load by itself: same-origin paths and http(s) addresses of the host. */
export function needsInlining(url: string): boolean {
  return url.startsWith('/') || /^https?:/i.test(url);
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
    reader.readAsDataURL(blob);
  });
}

/** Turns asset URLs into frame-loadable ones, remembering each answer for the next keystroke's preview. */
export function createAssetInliner(fetchAsset: AssetFetcher): (url: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (url) => {
    if (!needsInlining(url)) return Promise.resolve(url);
    let pending = cache.get(url);
    if (!pending) {
      pending = fetchAsset(url)
        .then((blob) => (blob.size > MAX_INLINE_ASSET_BYTES ? url : blobToDataUrl(blob)))
        // A missing image shows as broken in the frame, as it would on the site; the preview still renders.
        .catch(() => url);
      cache.set(url, pending);
    }
    return pending;
  };
}

/** Fetches an asset the way the app page does (same origin, with its cookie). */
export async function fetchAssetBlob(url: string): Promise<Blob> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.blob();
}
