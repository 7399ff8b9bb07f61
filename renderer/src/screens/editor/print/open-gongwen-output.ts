import { api } from '../../../api/client';
import type { EditorSession } from '../../../state/editor-session';
import { describeError } from '../../../state/errors';
import { downloadExportedFile } from '../../../state/files';
import { handleSessionLoss } from '../../../state/session';
import { currentLocale } from '../../../state/settings';
import { GongwenOutput } from './gongwen-output';

/** The 公文 output of an opened article, wired to the app's API and the browser's downloads. */
export function createGongwenOutput(session: EditorSession): GongwenOutput {
  return new GongwenOutput(session.articleId, {
    invoke: (channel, request) => api.invoke(channel, request),
    flush: () => session.flush(),
    download: downloadExportedFile,
    describeError: (error) => describeError(currentLocale(), error),
    handleSessionLoss,
  });
}
