/** The home page: the latest articles, then one block per top-level column. */
export const HOME_TEMPLATE = `{% layout 'layout.liquid' %}
{% block content %}
<section class="home-latest">
<h2 class="section-title">{{ labels.latest }}</h2>
{% if latest.size > 0 %}<ul class="news-list">
{% for item in latest %}<li><a href="{{ item.href }}" title="{{ item.title }}">{{ item.title }}</a><span class="date">{{ item.date }}</span></li>
{% endfor %}</ul>
{% else %}<p class="empty-list">{{ labels.empty_list }}</p>
{% endif %}</section>
<div class="home-sections">
{% for section in sections %}<section class="home-section">
<h2 class="section-title"><a href="{{ section.href }}">{{ section.name }}</a><a class="more" href="{{ section.href }}">{{ labels.more }}</a></h2>
{% if section.items.size > 0 %}<ul class="news-list">
{% for item in section.items %}<li><a href="{{ item.href }}" title="{{ item.title }}">{{ item.title }}</a><span class="date">{{ item.date }}</span></li>
{% endfor %}</ul>
{% else %}<p class="empty-list">{{ labels.empty_list }}</p>
{% endif %}</section>
{% endfor %}</div>
{% endblock %}
`;
