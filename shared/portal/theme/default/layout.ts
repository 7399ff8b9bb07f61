/** The page skeleton every default-theme page extends: header, navigation, the hidden toggles, footer. */
export const LAYOUT_TEMPLATE = `<!DOCTYPE html>
<html lang="{{ site.lang }}" class="portal portal-{{ page.kind }}{% if page.largeText %} elder{% endif %}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }}</title>
{% if page.description %}<meta name="description" content="{{ page.description }}">
{% endif %}{% if page.keywords %}<meta name="keywords" content="{{ page.keywords }}">
{% endif %}{% for tag in page.govMeta %}<meta name="{{ tag.name }}" content="{{ tag.content }}">
{% endfor %}<link rel="canonical" href="{{ page.canonical }}">
{% if site.rssHref %}<link rel="alternate" type="application/rss+xml" title="{{ site.name }}" href="{{ site.rssHref }}">
{% endif %}<style>
{{ css | raw }}
</style>
</head>
<body>
<a class="skip-link" href="#content">{{ labels.skip_to_content }}</a>
<input type="radio" name="gz-font" id="gz-font-l" class="gz-toggle" aria-label="{{ labels.font_large }}">
<input type="radio" name="gz-font" id="gz-font-m" class="gz-toggle" aria-label="{{ labels.font_medium }}" checked>
<input type="radio" name="gz-font" id="gz-font-s" class="gz-toggle" aria-label="{{ labels.font_small }}">
<input type="checkbox" id="gz-elder" class="gz-toggle" aria-label="{{ labels.elder_mode }}">
<input type="checkbox" id="gz-print" class="gz-toggle" aria-label="{{ labels.print }}">
<div class="page">
<header class="site-header">
{% if site.banner %}<img class="site-banner" src="{{ site.banner.src }}" alt="{{ site.banner.alt }}">
{% endif %}<div class="site-brand"><a href="{{ site.homeHref }}">{% if site.logo %}<img class="site-logo" src="{{ site.logo.src }}" alt="{{ site.logo.alt }}">{% endif %}<span class="site-name">{{ site.name }}</span></a></div>
</header>
{% if site.nav.size > 0 %}<nav class="site-nav"><ul>{% for link in site.nav %}<li><a href="{{ link.href }}">{{ link.label }}</a></li>{% endfor %}</ul></nav>
{% endif %}<main id="content" class="site-main">
{% block content %}{% endblock %}
</main>
<footer class="site-footer">
{% if footerText.sponsor or footerText.organizer %}<p>{% if footerText.sponsor %}<span>{{ footerText.sponsor }}</span>{% endif %}{% if footerText.organizer %}<span>{{ footerText.organizer }}</span>{% endif %}</p>
{% endif %}{% if footerText.address or footerText.phone or footerText.email %}<p>{% if footerText.address %}<span>{{ footerText.address }}</span>{% endif %}{% if footerText.phone %}<span>{{ footerText.phone }}</span>{% endif %}{% if footerText.email %}<span>{{ footerText.email }}</span>{% endif %}</p>
{% endif %}{% if footerText.siteCode or footerText.icp or footerText.police %}<p class="site-ids">{% if footerText.siteCode %}<span class="site-code">{{ footerText.siteCode }}</span>{% endif %}{% if footerText.icp %}<a class="icp" href="{{ site.footer.icpUrl }}" rel="noopener noreferrer" target="_blank">{{ footerText.icp }}</a>{% endif %}{% if footerText.police %}<a class="police" href="{{ site.footer.policeUrl }}" rel="noopener noreferrer" target="_blank">{{ footerText.police }}</a>{% endif %}</p>
{% endif %}</footer>
</div>
</body>
</html>
`;
