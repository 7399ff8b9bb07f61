/**
 * The default theme's stylesheet, inlined into every page so the preview frame
 * needs no network and the published page no extra request. Text size and the
 * large-text mode work through custom properties set by the hidden inputs'
 * :checked state (or the root `elder` class), so they need no script.
 */
export const THEME_CSS = `:root { --gz-red: #b5121b; --gz-blue: #1a4f9c; --gz-text: #222; --gz-muted: #666; --gz-line: #d9d9d9; }
* { box-sizing: border-box; }
html { background: #f2f2f2; color: var(--gz-text); }
body { margin: 0; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", SimSun, sans-serif; }
a { color: inherit; text-decoration: none; }
a:hover, a:focus { color: var(--gz-red); text-decoration: underline; }
.gz-toggle { position: absolute; width: 1px; height: 1px; margin: 0; opacity: 0; pointer-events: none; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 1em; top: 1em; z-index: 10; padding: 0.3em 0.8em; background: #fff; }
.page { --gz-scale: 1; --gz-body-size: 16px; max-width: 1200px; margin: 0 auto; background: #fff; font-size: calc(14px * var(--gz-scale)); line-height: 1.6; }
#gz-font-l:checked ~ .page { --gz-body-size: 20px; }
#gz-font-m:checked ~ .page { --gz-body-size: 16px; }
#gz-font-s:checked ~ .page { --gz-body-size: 14px; }
.elder .page, #gz-elder:checked ~ .page { --gz-scale: 1.3; }
#gz-font-l:checked ~ .page .font-l, #gz-font-m:checked ~ .page .font-m, #gz-font-s:checked ~ .page .font-s, .elder .page .tool-elder, #gz-elder:checked ~ .page .tool-elder { color: var(--gz-red); font-weight: bold; }
.gz-toggle:focus-visible + .page, #gz-font-l:focus-visible ~ .page .font-l, #gz-font-m:focus-visible ~ .page .font-m, #gz-font-s:focus-visible ~ .page .font-s, #gz-elder:focus-visible ~ .page .tool-elder, #gz-print:focus-visible ~ .page .tool-print { outline: 2px solid var(--gz-blue); }
.site-header { background: linear-gradient(#1d5fb8, var(--gz-blue)); color: #fff; }
.site-banner { display: block; width: 100%; height: auto; }
.site-brand { padding: 1.2em 1.5em; }
.site-brand a { display: inline-flex; align-items: center; gap: 0.6em; color: #fff; text-decoration: none; }
.site-logo { height: 3em; width: auto; }
.site-name { font-size: 2em; font-weight: bold; letter-spacing: 0.1em; }
.site-nav { background: var(--gz-red); }
.site-nav ul { display: flex; flex-wrap: wrap; margin: 0; padding: 0 1em; list-style: none; }
.site-nav a { display: block; padding: 0.7em 1.2em; color: #fff; font-size: 1.1em; }
.site-main { padding: 1em 1.5em 2em; min-height: 30em; }
.breadcrumb { padding: 0.5em 0; border-bottom: 1px solid var(--gz-line); color: var(--gz-muted); }
.breadcrumb a { color: var(--gz-muted); }
.article { max-width: 60em; margin: 0 auto; padding: 1.5em 0; }
.article-title { margin: 0.4em 0 0.3em; color: var(--gz-red); font-size: calc(26px * var(--gz-scale)); line-height: 1.5; text-align: center; }
.article-subtitle { margin: 0 0 0.6em; font-size: 1.3em; text-align: center; }
.disclosure { width: 100%; margin: 0 0 1.2em; border-collapse: collapse; background: #f7f9fc; font-size: 0.95em; }
.disclosure caption { padding: 0.4em 0; font-weight: bold; text-align: left; }
.disclosure th, .disclosure td { padding: 0.45em 0.8em; border: 1px solid var(--gz-line); text-align: left; vertical-align: top; }
.disclosure th { width: 7em; color: var(--gz-muted); font-weight: normal; white-space: nowrap; }
.article-reviews { margin: 1.5em 0 0; color: var(--gz-muted); text-align: right; }
.article-reviews p { margin: 0.2em 0; }
.article-meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5em; margin: 0.8em 0 1.5em; padding: 0.6em 0; border-top: 1px dashed var(--gz-line); border-bottom: 1px dashed var(--gz-line); color: var(--gz-muted); }
.article-info span + span { margin-left: 1.5em; }
.article-tools label, .article-tools a { margin-left: 0.8em; cursor: pointer; }
.font-size label { margin-left: 0.4em; }
.print-hint { display: none; padding: 0.5em 1em; background: #fff8e1; border: 1px solid #f0d58c; }
#gz-print:checked ~ .page .print-hint { display: block; }
#gz-print:checked ~ .page .site-header, #gz-print:checked ~ .page .site-nav, #gz-print:checked ~ .page .site-footer, #gz-print:checked ~ .page .breadcrumb, #gz-print:checked ~ .page .share, #gz-print:checked ~ .page .prev-next { display: none; }
.article-body { font-size: calc(var(--gz-body-size) * var(--gz-scale)); line-height: 2; text-align: justify; }
.article-body p { margin: 0 0 1em; text-indent: 2em; }
.article-body p[style*="text-align:center"], .article-body p[style*="text-align:right"], .article-body li p, .article-body td p, .article-body th p, .article-body blockquote p { text-indent: 0; }
.article-body h1, .article-body h2, .article-body h3, .article-body h4, .article-body h5, .article-body h6 { margin: 1em 0 0.6em; line-height: 1.5; text-align: center; }
.article-body figure.article-image { margin: 1.2em auto; text-align: center; }
.article-body figure.article-image img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.article-body figure.article-image.size-half { width: 50%; }
.article-body figure.article-image.align-left { float: left; margin: 0.3em 1.5em 0.8em 0; }
.article-body figure.article-image.align-right { float: right; margin: 0.3em 0 0.8em 1.5em; }
@media (max-width: 640px) { .article-body figure.article-image.align-left, .article-body figure.article-image.align-right { float: none; width: auto; margin: 1.2em auto; } }
.article-body figcaption { margin-top: 0.5em; color: var(--gz-muted); font-size: 0.9em; text-align: center; text-indent: 0; }
.article-body table { margin: 1em auto; border-collapse: collapse; max-width: 100%; }
.article-body th, .article-body td { padding: 0.3em 0.6em; border: 1px solid #666; vertical-align: top; }
.article-body blockquote { margin: 1em 2em; padding-left: 1em; border-left: 3px solid var(--gz-line); }
.article-body hr { margin: 1.5em 0; border: 0; border-top: 1px solid var(--gz-line); }
.article-body a { color: var(--gz-blue); text-decoration: underline; }
.article-attachments { margin: 1.5em 0; padding: 0.8em 1em; background: #f7f9fc; border: 1px solid var(--gz-line); }
.article-attachments ol { margin: 0.3em 0 0; padding-left: 1.8em; }
.article-attachments a { color: var(--gz-blue); text-decoration: underline; }
.share { margin: 1.5em 0 1em; color: var(--gz-muted); text-align: right; }
.share-link { margin-left: 0.8em; color: var(--gz-blue); }
.prev-next { padding-top: 1em; border-top: 1px solid var(--gz-line); }
.prev-next p { margin: 0.3em 0; }
.column-page { display: flex; gap: 1.5em; padding-top: 1em; }
.subcolumns { flex: 0 0 14em; }
.subcolumns h2 { margin: 0; padding: 0.5em 1em; background: var(--gz-blue); color: #fff; font-size: 1.2em; }
.subcolumns ul { margin: 0; padding: 0; list-style: none; border: 1px solid var(--gz-line); border-top: 0; }
.subcolumns li a { display: block; padding: 0.6em 1em; border-top: 1px solid var(--gz-line); }
.column-list { flex: 1; min-width: 0; }
.column-title, .section-title { display: flex; justify-content: space-between; margin: 0 0 0.6em; padding-bottom: 0.4em; border-bottom: 2px solid var(--gz-red); color: var(--gz-red); font-size: 1.3em; }
.section-title .more { color: var(--gz-muted); font-size: 0.75em; font-weight: normal; }
.news-list { margin: 0; padding: 0; list-style: none; }
.news-list li { display: flex; justify-content: space-between; gap: 1em; padding: 0.45em 0; border-bottom: 1px dotted var(--gz-line); }
.news-list li a { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.news-list .date { flex: none; color: var(--gz-muted); }
.empty-list { color: var(--gz-muted); }
.pagination { margin-top: 1.5em; text-align: center; }
.pagination a, .pagination span { display: inline-block; margin: 0 0.2em; padding: 0.2em 0.6em; }
.pagination a { border: 1px solid var(--gz-line); }
.pagination .current { color: var(--gz-red); font-weight: bold; }
.pagination .page-status { color: var(--gz-muted); }
.home-latest { margin-bottom: 1.5em; }
.home-sections { display: grid; grid-template-columns: repeat(auto-fit, minmax(22em, 1fr)); gap: 1.5em; }
.site-footer { padding: 1.5em; background: #2b2b2b; color: #ccc; text-align: center; font-size: 0.95em; }
.site-footer p { margin: 0.3em 0; }
.site-footer span + span, .site-footer span + a, .site-footer a + a { margin-left: 1.5em; }
.site-footer a { color: #ccc; }
@media (max-width: 640px) {
  .site-main { padding: 0.8em; }
  .site-name { font-size: 1.4em; }
  .site-nav a { padding: 0.5em 0.8em; }
  .article-meta { flex-direction: column; }
  .article-tools label:first-child, .article-tools .font-size { margin-left: 0; }
  .column-page { flex-direction: column; }
  .subcolumns { flex: none; }
  .news-list li { flex-direction: column; gap: 0; }
  .news-list li a { white-space: normal; }
}
@media print {
  html, .page { background: #fff; }
  .site-header, .site-nav, .site-footer, .breadcrumb, .article-tools, .share, .prev-next, .print-hint, .skip-link { display: none !important; }
  .article-body { font-size: 12pt; }
  a { color: inherit; text-decoration: none; }
}
`;
