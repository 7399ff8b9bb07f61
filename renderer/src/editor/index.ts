export { ArticleEditor, type ArticleEditorHandle, type ArticleEditorProps } from './ArticleEditor';
export { cleanPastedHtml, type CleanedPaste } from './paste/clean-html';
export { countDoc } from './counts';
