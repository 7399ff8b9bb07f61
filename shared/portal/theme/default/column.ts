/** A paginated column list (index.html, index_1.html …). */
export const COLUMN_TEMPLATE = `{% layout 'layout.liquid' %}
{% block content %}
{% render 'breadcrumb.liquid', labels: labels, breadcrumb: breadcrumb %}
<div class="column-page">
{% if subcolumns.size > 0 %}<aside class="subcolumns"><h2>{{ column.name }}</h2><ul>{% for sub in subcolumns %}<li><a href="{{ sub.href }}">{{ sub.name }}</a></li>{% endfor %}</ul></aside>
{% endif %}<section class="column-list">
<h1 class="column-title">{{ column.name }}</h1>
{% if items.size > 0 %}<ul class="news-list">
{% for item in items %}<li><a href="{{ item.href }}" title="{{ item.title }}">{{ item.title }}</a><span class="date">{{ item.date }}</span></li>
{% endfor %}</ul>
{% else %}<p class="empty-list">{{ labels.empty_list }}</p>
{% endif %}<div class="pagination"><span class="page-status">{{ pagination.status }}</span>{% if pagination.first %}<a href="{{ pagination.first }}">{{ labels.first_page }}</a>{% endif %}{% if pagination.prev %}<a href="{{ pagination.prev }}">{{ labels.prev_page }}</a>{% endif %}{% for p in pagination.pages %}{% if p.current %}<span class="current">{{ p.number }}</span>{% else %}<a href="{{ p.href }}">{{ p.number }}</a>{% endif %}{% endfor %}{% if pagination.next %}<a href="{{ pagination.next }}">{{ labels.next_page }}</a>{% endif %}{% if pagination.last %}<a href="{{ pagination.last }}">{{ labels.last_page }}</a>{% endif %}</div>
</section>
</div>
{% endblock %}
`;
