/** 当前位置：首页 > 栏目 > 子栏目, every step a link; shared by article and column pages. */
export const BREADCRUMB_TEMPLATE = `<div class="breadcrumb"><span class="breadcrumb-label">{{ labels.location }}</span>{% for crumb in breadcrumb %}{% unless forloop.first %}<span class="breadcrumb-sep"> &gt; </span>{% endunless %}<a href="{{ crumb.href }}">{{ crumb.label }}</a>{% endfor %}</div>`;
