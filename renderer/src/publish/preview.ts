import type { PreviewResult, RequestOf } from '../../../shared/api/contract';
import { api } from '../api/client';

/** The article as the portal will show it, rendered by the services from the unsaved editor state. */
export function renderPreview(request: RequestOf<'preview:render'>): Promise<PreviewResult> {
  return api.invoke('preview:render', request);
}
