import { ARTICLE_TEMPLATE } from './article';
import { BREADCRUMB_TEMPLATE } from './breadcrumb';
import { COLUMN_TEMPLATE } from './column';
import { HOME_TEMPLATE } from './home';
import { LAYOUT_TEMPLATE } from './layout';
import { THEME_CSS } from './style';

/**
 * The default theme as file name → content. A custom theme is a map with the
 * same names; any file it leaves out falls back to this one.
 */
export const DEFAULT_THEME: Readonly<Record<string, string>> = Object.freeze({
  'layout.liquid': LAYOUT_TEMPLATE,
  'breadcrumb.liquid': BREADCRUMB_TEMPLATE,
  'article.liquid': ARTICLE_TEMPLATE,
  'column.liquid': COLUMN_TEMPLATE,
  'home.liquid': HOME_TEMPLATE,
  'style.css': THEME_CSS,
});
