/**
 * The article page. Text size, large-text mode and the print view are
 * `<label>`s for the hidden inputs in the layout, so they work without script
 * (the preview frame runs none, and the published page needs none).
 */
export const ARTICLE_TEMPLATE = `{% layout 'layout.liquid' %}
{% block content %}
{% render 'breadcrumb.liquid', labels: labels, breadcrumb: breadcrumb %}
<article class="article">
{% if article.disclosure %}<table class="disclosure">
<caption>{{ article.disclosure.caption }}</caption>
<tbody>
{% for row in article.disclosure.rows %}<tr>{% for cell in row %}<th scope="row">{{ cell.label }}</th><td{% if row.size == 1 %} colspan="3"{% endif %}>{{ cell.value }}</td>{% endfor %}</tr>
{% endfor %}{% if article.disclosure.title %}<tr><th scope="row">{{ article.disclosure.title.label }}</th><td colspan="3">{{ article.disclosure.title.value }}</td></tr>
{% endif %}{% if article.disclosure.keywords %}<tr><th scope="row">{{ article.disclosure.keywords.label }}</th><td colspan="3">{{ article.disclosure.keywords.value }}</td></tr>
{% endif %}</tbody>
</table>
{% endif %}<h1 class="article-title">{{ article.title }}</h1>
{% if article.subtitle %}<p class="article-subtitle">{{ article.subtitle }}</p>
{% endif %}<div class="article-meta">
{% if article.info.size > 0 %}<div class="article-info">{% for item in article.info %}<span>{{ item }}</span>{% endfor %}</div>
{% endif %}<div class="article-tools">
<span class="font-size">{{ labels.font_size }}<label for="gz-font-l" class="font-l">{{ labels.font_large }}</label><label for="gz-font-m" class="font-m">{{ labels.font_medium }}</label><label for="gz-font-s" class="font-s">{{ labels.font_small }}</label></span>
<label for="gz-elder" class="tool-elder">{{ labels.elder_mode }}</label>
<label for="gz-print" class="tool-print" title="{{ labels.print_hint }}">{{ labels.print }}</label>
<a class="tool-close" href="{{ article.columnHref }}" title="{{ labels.close_hint }}">{{ labels.close }}</a>
</div>
</div>
<p class="print-hint">{{ labels.print_hint }}</p>
<div class="article-body">
{{ article.bodyHtml | raw }}
</div>
{% if article.reviews.size > 0 %}<div class="article-reviews">{% for line in article.reviews %}<p>{{ line }}</p>{% endfor %}</div>
{% endif %}{% if article.attachments.size > 0 %}<div class="article-attachments"><p class="attachments-label">{{ labels.attachments }}</p><ol>{% for file in article.attachments %}<li><a href="{{ file.href }}">{{ file.name }}</a></li>{% endfor %}</ol></div>
{% endif %}{% if share.size > 0 %}<div class="share">{{ labels.share }}{% for target in share %}<a class="share-link" href="{{ target.href }}" rel="noopener noreferrer" target="_blank">{{ target.name }}</a>{% endfor %}</div>
{% endif %}<div class="prev-next">
<p class="prev">{{ labels.prev }}{% if prev %}<a href="{{ prev.href }}">{{ prev.title }}</a>{% else %}<span>{{ labels.none }}</span>{% endif %}</p>
<p class="next">{{ labels.next }}{% if next %}<a href="{{ next.href }}">{{ next.title }}</a>{% else %}<span>{{ labels.none }}</span>{% endif %}</p>
</div>
</article>
{% endblock %}
`;
