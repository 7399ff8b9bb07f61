import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { ImportDialog } from '../components/ImportDialog';
import { articleList } from '../state/app-lists';
import { createArticle } from '../state/article-actions';
import { navigate } from '../state/navigation';
import { notifyError } from '../state/notifications';
import { startCommandInput, useCommand } from './app-commands';

/**
 * The commands that work from every screen of a signed-in person: 新建文稿
 * (a blank article, opened with the cursor in its text), 导入 (the import
 * dialog) and opening a recent article; and the listeners that bring
 * shortcuts and desktop menu choices to all commands.
 */
export function AppCommands() {
  const [importing, setImporting] = useState(false);
  const creating = useRef(false);

  useEffect(() => startCommandInput(api), []);

  useCommand('newArticle', () => {
    // A held or doubled key press makes one article, not several.
    if (creating.current) return;
    creating.current = true;
    createArticle('blank', {})
      .then((article) => navigate({ name: 'editor', articleId: article.id }))
      .catch(notifyError)
      .finally(() => {
        creating.current = false;
      });
  });
  useCommand('import', () => {
    setImporting(true);
  });
  useCommand('openArticle', (request) => {
    if (request.articleId) void navigate({ name: 'editor', articleId: request.articleId });
  });

  return importing ? <ImportDialog onClose={() => setImporting(false)} onImported={() => void articleList.reload()} /> : null;
}
