/*
 * article.c: the main text and metadata of a news page, with libxml2's HTML
 * parser. Finds the article body (articleBody markup, the body classes news
 * sites use, <article>, else the block holding the most paragraph text),
 * drops navigation, ads, related links, comments, cookie banners and the
 * like, and reads title, canonical URL and publication date from meta
 * tags, JSON-LD and <time>. It does not fetch anything.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fetch/fetch.h"

/* Nesting deeper than this is not looked into (hostile pages). */
#define ART_MAX_DEPTH 256
/* A JSON-LD block larger than this is skipped. */
#define ART_MAX_JSONLD ((size_t)1 << 20)

enum para_kind {
	PARA_TEXT = 0,
	PARA_HEADING,
};

struct para {
	char *text; /* malloc'd, whitespace collapsed */
	size_t len;
	size_t link_len; /* bytes of it inside links */
	int kind;        /* PARA_* */
};

struct walk {
	struct buf cur;  /* the paragraph being built */
	size_t cur_link; /* bytes of cur inside <a> */
	int cur_kind;
	int in_link;
	int space; /* a space is pending before the next word */
	struct para *v;
	size_t n, cap;
};

struct meta {
	char *title_og, *title_ld, *title_h1, *title_tag;
	const char *canonical, *og_url;
	const char *pub_meta, *pub_ld, *pub_itemprop, *pub_time, *pub_other;
};

static int
name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	    strcasecmp((const char *)n->name, name) == 0;
}

static const char *
attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (a->name && strcasecmp((const char *)a->name, name) == 0) {
			const xmlNode *t = a->children;

			if (t && t->type == XML_TEXT_NODE && t->content)
				return (const char *)t->content;
			return "";
		}
	}
	return NULL;
}

/* 1 when the space-separated list s holds word, without case. */
static int
has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);

	while (s && *s) {
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		n = strcspn(s, " \t\n");
		if (n == wl && strncasecmp(s, word, n) == 0)
			return 1;
		s += n;
	}
	return 0;
}

/* clang-format off */
/*
 * Tags whose content is never article text. Sorted for bsearch: keep it so.
 */
static const char *const noise_tags[] = {
	"aside", "audio", "button", "canvas", "dialog", "embed", "figcaption",
	"figure", "footer", "form", "header", "iframe", "img", "input",
	"map", "menu", "nav", "noscript", "object", "picture", "script",
	"select", "style", "svg", "template", "textarea", "video",
};

/*
 * Class and id tokens, and parts of tokens split at '-' and '_', that mark
 * a block as not article text. Sorted for bsearch: keep it so.
 */
static const char *const noise_words[] = {
	"ad", "ads", "adslot", "adunit", "advert", "advertisement",
	"advertising", "author", "banner", "breadcrumb", "breadcrumbs",
	"byline", "caption", "comment", "comments", "consent", "cookie",
	"cookiebar", "cookies", "credit", "credits", "disqus", "embed",
	"footer", "gdpr", "header", "masthead", "menu", "meta", "modal",
	"nav", "navbar", "navigation", "newsletter", "outbrain", "overlay",
	"popular", "popup", "promo", "promotion", "readmore", "recirc",
	"recirculation", "recommendations", "recommended", "related",
	"share", "sharing", "sidebar", "signup", "social", "sponsor",
	"sponsored", "subscribe", "subscription", "taboola", "tags",
	"toolbar", "trending", "tweet", "widget",
};

/* Whole tokens only: their parts are too common ("hidden-xs"). */
static const char *const noise_tokens[] = {
	"hidden", "screen-reader-text", "skip-link", "sr-only",
	"visually-hidden", "visuallyhidden",
};

/* ARIA roles of page furniture. Sorted for bsearch: keep it so. */
static const char *const noise_roles[] = {
	"alert", "alertdialog", "banner", "complementary", "contentinfo",
	"dialog", "menu", "menubar", "navigation", "search",
};
/* clang-format on */

static int
cmp_ci(const void *k, const void *e)
{
	return strcasecmp(k, *(const char *const *)e);
}

static int
in_list(const char *w, const char *const *list, size_t n)
{
	return bsearch(w, list, n, sizeof(*list), cmp_ci) != NULL;
}

/* A class or id attribute naming furniture. */
static int
noisy_names(const char *s)
{
	char tok[64];

	while (s && *s) {
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		n = strcspn(s, " \t\n");
		if (n > 0 && n < sizeof(tok)) {
			memcpy(tok, s, n);
			tok[n] = '\0';
			if (in_list(tok, noise_tokens, countof(noise_tokens)) ||
			    in_list(tok, noise_words, countof(noise_words)))
				return 1;
			for (char *p = tok; *p;) {
				size_t k = strcspn(p, "-_");
				char save = p[k];

				p[k] = '\0';
				if (k &&
				    in_list(p, noise_words,
				        countof(noise_words)))
					return 1;
				p[k] = save;
				p += k + (save ? 1 : 0);
			}
		}
		s += n;
	}
	return 0;
}

/*
 * Furniture by what it is: its tag, an AMP component ("amp-ad",
 * "amp-sidebar"), or an ARIA role. Never the article, whatever wraps it.
 */
static int
hard_noise(const xmlNode *n)
{
	const char *v;

	if (n->type != XML_ELEMENT_NODE)
		return n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE;
	if (in_list((const char *)n->name, noise_tags, countof(noise_tags)))
		return 1;
	if (strncasecmp((const char *)n->name, "amp-", 4) == 0)
		return 1;
	v = attr(n, "role");
	return v && in_list(v, noise_roles, countof(noise_roles));
}

/* Furniture by what it is, or by what it is called or how it is shown:
 * a layout wrapper may be called "has-sidebar", so this is softer. */
static int
noisy(const xmlNode *n)
{
	const char *v;

	if (hard_noise(n))
		return 1;
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	if (attr(n, "hidden"))
		return 1;
	v = attr(n, "aria-hidden");
	if (v && strcasecmp(v, "true") == 0)
		return 1;
	v = attr(n, "style");
	if (v &&
	    (strstr(v, "display:none") || strstr(v, "display: none") ||
	        strstr(v, "visibility:hidden") ||
	        strstr(v, "visibility: hidden")))
		return 1;
	return noisy_names(attr(n, "class")) || noisy_names(attr(n, "id"));
}

static int
is_heading(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	    (n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
	    n->name[1] <= '6' && n->name[2] == '\0';
}

/* clang-format off */
/* Elements that end a paragraph. Sorted for bsearch: keep it so. */
static const char *const block_tags[] = {
	"address", "article", "blockquote", "br", "center", "dd", "details",
	"div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
	"main", "ol", "p", "pre", "section", "summary", "table", "tbody",
	"td", "th", "thead", "tr", "ul",
};
/* clang-format on */

static int
is_block(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE &&
	    in_list((const char *)n->name, block_tags, countof(block_tags));
}

/*
 * Paragraph text under each element, left in its _private field (libxml2
 * leaves that to the application): the text of <p> elements that are not
 * inside furniture. One bottom-up pass, so choosing a root is cheap.
 */
static size_t
text_len(const xmlNode *n, int depth)
{
	size_t len = 0;

	if (depth > ART_MAX_DEPTH)
		return 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE)
			len +=
			    c->content ? strlen((const char *)c->content) : 0;
		else if (c->type == XML_ELEMENT_NODE && !noisy(c))
			len += text_len(c, depth + 1);
	}
	return len;
}

static size_t
score(xmlNode *n, int depth)
{
	size_t sum = 0;

	if (depth > ART_MAX_DEPTH || n->type != XML_ELEMENT_NODE) {
		return 0;
	}
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			sum += score(c, depth + 1);
	if (noisy(n)) {
		n->_private = NULL;
		return 0;
	}
	if (name_is(n, "p") || name_is(n, "pre") || name_is(n, "blockquote"))
		sum += text_len(n, depth);
	n->_private = (void *)(uintptr_t)sum;
	return sum;
}

static size_t
scored(const xmlNode *n)
{
	return (size_t)(uintptr_t)n->_private;
}

/* A class or id token naming an article body: "article-body",
 * "story__content", "entry-content", "post-text". */
static int
body_token(const char *s)
{
	static const char *const what[] = { "article", "story", "post", "entry",
		"news" };
	static const char *const part[] = { "body", "content", "text" };
	char tok[64];

	while (s && *s) {
		size_t n;
		int w = 0, p = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		n = strcspn(s, " \t\n");
		if (n > 0 && n < sizeof(tok)) {
			memcpy(tok, s, n);
			tok[n] = '\0';
			for (char *c = tok; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			for (size_t i = 0; i < countof(what); i++)
				w |= strstr(tok, what[i]) != NULL;
			for (size_t i = 0; i < countof(part); i++)
				p |= strstr(tok, part[i]) != NULL;
			if (w && p)
				return 1;
		}
		s += n;
	}
	return 0;
}

struct pick {
	xmlNode *body;    /* itemprop=articleBody or a body class */
	xmlNode *article; /* <article> with the most text */
	xmlNode *parent;  /* the parent of the most paragraph text */
	size_t body_n, article_n, parent_n;
};

static void
pick_root(xmlNode *n, struct pick *k, int depth)
{
	if (depth > ART_MAX_DEPTH)
		return;
	for (xmlNode *c = n->children; c; c = c->next) {
		size_t s, direct = 0;
		const char *ip;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (hard_noise(c))
			continue;
		s = scored(c);
		pick_root(c, k, depth + 1);
		if (s == 0)
			continue; /* soft furniture, or nothing in it */
		ip = attr(c, "itemprop");
		if ((ip && has_word(ip, "articleBody")) ||
		    body_token(attr(c, "class")) || body_token(attr(c, "id"))) {
			if (s > k->body_n) {
				k->body = c;
				k->body_n = s;
			}
		}
		if (name_is(c, "article") && s > k->article_n) {
			k->article = c;
			k->article_n = s;
		}
		/* The paragraphs that are its own children. */
		for (xmlNode *g = c->children; g; g = g->next)
			if (name_is(g, "p"))
				direct += scored(g);
		if (direct > k->parent_n) {
			k->parent = c;
			k->parent_n = direct;
		}
	}
}

static void
para_flush(struct walk *w)
{
	struct para *p;

	while (w->cur.len && w->cur.data[w->cur.len - 1] == ' ')
		w->cur.data[--w->cur.len] = '\0';
	if (w->cur.len == 0 || buf_error(&w->cur)) {
		buf_reset(&w->cur);
		w->cur_link = 0;
		w->space = 0;
		return;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	p = &w->v[w->n++];
	p->len = w->cur.len;
	p->text = buf_detach(&w->cur, NULL);
	p->link_len = w->cur_link;
	p->kind = w->cur_kind;
	w->cur_link = 0;
	w->space = 0;
	w->cur_kind = PARA_TEXT;
}

/* Append text, collapsing white space (and no-break spaces) to one. */
static void
para_text(struct walk *w, const char *s)
{
	size_t before = w->cur.len;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v';

		if (p[0] == 0xc2 && p[1] == 0xa0) {
			ws = 1;
			p++;
		}
		if (ws) {
			w->space = w->cur.len > 0;
			continue;
		}
		if (w->space) {
			buf_addch(&w->cur, ' ');
			w->space = 0;
		}
		buf_addch(&w->cur, *p);
	}
	if (w->in_link)
		w->cur_link += w->cur.len - before;
}

static void
walk_text(struct walk *w, xmlNode *n, int depth)
{
	int block, link;

	if (depth > ART_MAX_DEPTH)
		return;
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				para_text(w, (const char *)c->content);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE || noisy(c) || name_is(c, "h1"))
			continue;
		block = is_block(c);
		link = name_is(c, "a");
		if (block)
			para_flush(w);
		if (is_heading(c))
			w->cur_kind = PARA_HEADING;
		if (name_is(c, "td") || name_is(c, "th"))
			w->space = w->cur.len > 0;
		if (link)
			w->in_link++;
		walk_text(w, c, depth + 1);
		if (link)
			w->in_link--;
		if (block)
			para_flush(w);
	}
}

/* clang-format off */
/* Short lines that are furniture inside a body. Sorted: keep it so. */
static const char *const noise_lines[] = {
	"advertisement", "continue reading", "read more", "share",
	"share this article", "sponsored", "subscribe",
};

/* Openers of lines pointing elsewhere. */
static const char *const pointer_openers[] = {
	"also read:", "don't miss:", "more:", "read also:", "read more:",
	"recommended:", "related:", "see also:", "watch:",
};
/* clang-format on */

static int
para_is_noise(const struct para *p)
{
	char low[32];

	if (p->len < sizeof(low)) {
		size_t n = p->len;

		memcpy(low, p->text, n + 1);
		while (n &&
		    (low[n - 1] == '.' || low[n - 1] == ':' ||
		        low[n - 1] == ' '))
			low[--n] = '\0';
		if (in_list(low, noise_lines, countof(noise_lines)))
			return 1;
	}
	for (size_t i = 0; i < countof(pointer_openers); i++) {
		size_t k = strlen(pointer_openers[i]);

		if (p->len > k &&
		    strncasecmp(p->text, pointer_openers[i], k) == 0)
			return 1;
	}
	/* A line that is mostly links is a list of other stories. */
	if (p->link_len * 2 > p->len)
		return 1;
	/* "By Jane Doe" alone is a byline, not a paragraph. */
	if (p->len < 60 && strncmp(p->text, "By ", 3) == 0 &&
	    isupper((unsigned char)p->text[3]) &&
	    !strchr(".!?", p->text[p->len - 1]))
		return 1;
	return 0;
}

/* Keep the paragraphs that are text, and the headings that lead to some. */
static char *
join_paras(struct walk *w, struct arena *a)
{
	struct buf out = BUF_INIT;
	char *res;

	for (size_t i = 0; i < w->n; i++) {
		struct para *p = &w->v[i];

		if (para_is_noise(p))
			continue;
		if (p->kind == PARA_HEADING) {
			size_t j = i + 1;

			while (j < w->n && w->v[j].kind == PARA_TEXT &&
			    para_is_noise(&w->v[j]))
				j++;
			if (j == w->n || w->v[j].kind == PARA_HEADING)
				continue;
		}
		if (out.len)
			buf_addch(&out, '\n');
		buf_add(&out, p->text, p->len);
	}
	res = arena_strndup(a, out.data, out.len);
	buf_release(&out);
	return res;
}

/* Collapse the white space of a node's text; NULL when empty. */
static char *
node_text(const xmlNode *n, struct arena *a)
{
	struct walk w;
	xmlChar *t = xmlNodeGetContent(n);
	char *res = NULL;

	memset(&w, 0, sizeof(w));
	buf_init(&w.cur, 1 << 16);
	if (t)
		para_text(&w, (const char *)t);
	while (w.cur.len && w.cur.data[w.cur.len - 1] == ' ')
		w.cur.len--;
	if (w.cur.len && !buf_error(&w.cur))
		res = arena_strndup(a, w.cur.data, w.cur.len);
	xmlFree(t);
	buf_release(&w.cur);
	return res;
}

/* clang-format off */
/* <meta name=...> that carry a publication date, in order of trust. */
static const char *const date_metas[] = {
	"article:published_time", "og:published_time", "datepublished",
	"publish-date", "publishdate", "pubdate", "dc.date.issued",
	"dcterms.issued", "dc.date", "dcterms.created", "sailthru.date",
	"parsely-pub-date", "date",
};
/* clang-format on */

static int
date_meta_rank(const char *name)
{
	for (size_t i = 0; i < countof(date_metas); i++)
		if (strcasecmp(name, date_metas[i]) == 0)
			return (int)i;
	return -1;
}

static int
is_article_type(json_t *t)
{
	static const char *const types[] = { "Article", "NewsArticle",
		"ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
		"OpinionNewsArticle", "BackgroundNewsArticle", "Report",
		"LiveBlogPosting", "TechArticle" };
	const char *s;

	if (json_is_array(t)) {
		size_t i;
		json_t *e;

		json_array_foreach(t, i, e) if (is_article_type(e)) return 1;
		return 0;
	}
	s = json_string_value(t);
	if (!s)
		return 0;
	if (strncmp(s, "http://schema.org/", 18) == 0)
		s += 18;
	else if (strncmp(s, "https://schema.org/", 19) == 0)
		s += 19;
	for (size_t i = 0; i < countof(types); i++)
		if (strcmp(s, types[i]) == 0)
			return 1;
	return 0;
}

/* Walk JSON-LD for the article's datePublished and headline. An article
 * typed object wins over any other object carrying the same keys. */
static void
jsonld_walk(json_t *j, struct meta *m, struct arena *a, int *typed, int depth)
{
	if (depth > 16)
		return;
	if (json_is_array(j)) {
		size_t i;
		json_t *e;

		json_array_foreach(j, i, e)
		    jsonld_walk(e, m, a, typed, depth + 1);
		return;
	}
	if (json_is_object(j)) {
		int art = is_article_type(json_object_get(j, "@type"));
		const char *dp =
		    json_string_value(json_object_get(j, "datePublished"));
		const char *hl =
		    json_string_value(json_object_get(j, "headline"));

		if (dp && (art || (!*typed && !m->pub_ld)) &&
		    (art > *typed || !m->pub_ld)) {
			m->pub_ld = arena_strdup(a, dp);
			if (hl)
				m->title_ld = arena_strdup(a, hl);
			*typed = art;
		} else if (hl && art && !m->title_ld) {
			m->title_ld = arena_strdup(a, hl);
		}
		jsonld_walk(json_object_get(j, "@graph"), m, a, typed,
		    depth + 1);
		jsonld_walk(json_object_get(j, "mainEntity"), m, a, typed,
		    depth + 1);
	}
}

static void
read_jsonld(const xmlNode *n, struct meta *m, struct arena *a, int *typed)
{
	xmlChar *t = xmlNodeGetContent(n);
	json_error_t je;
	json_t *j;

	if (!t)
		return;
	if (strlen((const char *)t) <= ART_MAX_JSONLD) {
		j = json_loads((const char *)t,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		if (j)
			jsonld_walk(j, m, a, typed, 0);
		json_decref(j);
	}
	xmlFree(t);
}

static void
read_meta(xmlNode *n, struct meta *m, struct arena *a, int *ld_typed,
    int *date_rank, int in_article, int in_noise, int depth)
{
	if (depth > ART_MAX_DEPTH)
		return;
	for (xmlNode *c = n->children; c; c = c->next) {
		const char *k, *v;
		int rank;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(c, "meta")) {
			k = attr(c, "property");
			if (!k)
				k = attr(c, "name");
			if (!k)
				k = attr(c, "itemprop");
			v = attr(c, "content");
			if (!k || !v || !*v)
				continue;
			if (strcasecmp(k, "og:title") == 0 && !m->title_og)
				m->title_og = arena_strdup(a, v);
			else if (strcasecmp(k, "og:url") == 0 && !m->og_url)
				m->og_url = arena_strdup(a, v);
			rank = date_meta_rank(k);
			if (rank >= 0 &&
			    (*date_rank < 0 || rank < *date_rank)) {
				*date_rank = rank;
				m->pub_meta = arena_strdup(a, v);
			}
			continue;
		}
		if (name_is(c, "link")) {
			k = attr(c, "rel");
			v = attr(c, "href");
			if (k && v && *v && has_word(k, "canonical") &&
			    !m->canonical)
				m->canonical = arena_strdup(a, v);
			continue;
		}
		if (name_is(c, "script")) {
			k = attr(c, "type");
			if (k && strncasecmp(k, "application/ld+json", 19) == 0)
				read_jsonld(c, m, a, ld_typed);
			continue;
		}
		if (name_is(c, "title") && !m->title_tag && !in_noise) {
			m->title_tag = node_text(c, a);
			continue;
		}
		if (name_is(c, "h1") && !m->title_h1 && !in_noise) {
			m->title_h1 = node_text(c, a);
			continue;
		}
		v = attr(c, "itemprop");
		if (v && has_word(v, "datePublished") && !m->pub_itemprop) {
			const char *d = attr(c, "datetime");

			if (!d)
				d = attr(c, "content");
			if (d && *d)
				m->pub_itemprop = arena_strdup(a, d);
		}
		if (name_is(c, "time") && !in_noise) {
			const char *d = attr(c, "datetime");

			if (d && *d) {
				if (attr(c, "pubdate") && !m->pub_other)
					m->pub_other = arena_strdup(a, d);
				if (!m->pub_time)
					m->pub_time = arena_strdup(a, d);
			}
		}
		read_meta(c, m, a, ld_typed, date_rank,
		    in_article || name_is(c, "article"),
		    in_noise || (!name_is(c, "header") && noisy(c)) ||
		        name_is(c, "aside") || name_is(c, "nav"),
		    depth + 1);
	}
}

/* The first <time datetime> under n, outside asides and navigation. */
static const char *
first_time(const xmlNode *n, int depth)
{
	if (depth > ART_MAX_DEPTH)
		return NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		const char *d;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (hard_noise(c) && !name_is(c, "header") &&
		    !name_is(c, "footer"))
			continue;
		d = name_is(c, "time") ? attr(c, "datetime") : NULL;
		if (d && *d)
			return d;
		d = first_time(c, depth + 1);
		if (d)
			return d;
	}
	return NULL;
}

static int
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * An ISO 8601 date or timestamp as written ("2025-03-04",
 * "2025-03-04T09:30:00+01:00"), or an RFC 1123 date turned into UTC.
 * NULL when it is neither.
 */
static char *
norm_date(const char *s, struct arena *a)
{
	char ymd[11];
	int y, mo, d;
	size_t n = 10;
	time_t t;
	struct tm tm;

	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (strlen(s) >= 10 && digits(s, 4) && s[4] == '-' &&
	    digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2)) {
		memcpy(ymd, s, 10);
		ymd[10] = '\0';
		if (date_parse_ymd(ymd, &y, &mo, &d) != DW_OK)
			return NULL;
		/* The time and zone, when well formed, are kept as given. */
		if ((s[10] == 'T' || s[10] == ' ') && digits(s + 11, 2) &&
		    s[13] == ':' && digits(s + 14, 2)) {
			n = 16;
			while (
			    s[n] && n < 35 && strchr("0123456789:.+-Z", s[n]))
				n++;
		}
		return arena_strndup(a, s, n);
	}
	t = curl_getdate(s, NULL);
	if (t == (time_t)-1 || !gmtime_r(&t, &tm) || tm.tm_year < 0 ||
	    tm.tm_year > 8099)
		return NULL;
	return arena_sprintf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

static char *
absolute_url(const char *href, const char *base, struct arena *a)
{
	xmlChar *u;
	char *res = NULL;

	if (!href)
		return NULL;
	u = xmlBuildURI((const xmlChar *)href, (const xmlChar *)base);
	if (u && fetch_is_url((const char *)u))
		res = arena_strdup(a, (const char *)u);
	xmlFree(u);
	return res;
}

/* "Title | Site" and "Title - Site" lose the site. */
static char *
strip_site(char *t)
{
	static const char *const seps[] = { " | ", " - ", " \xe2\x80\x93 ",
		" \xe2\x80\x94 ", " :: " };
	char *cut = NULL;

	if (!t)
		return NULL;
	for (size_t i = 0; i < countof(seps); i++) {
		char *p = strstr(t, seps[i]);

		while (p) {
			if (p > t && (!cut || p > cut))
				cut = p;
			p = strstr(p + 1, seps[i]);
		}
	}
	if (cut && cut - t > 10)
		*cut = '\0';
	return t;
}

/*
 * Is there a charset declaration libxml2 will see? Without one its HTML
 * parser assumes ISO-8859-1, which would garble the UTF-8 most pages are.
 */
static const char *
guess_encoding(struct span html)
{
	size_t n = MIN(html.len, (size_t)4096);
	int valid = 1;

	for (size_t i = 0; i + 8 <= n; i++)
		if (strncasecmp(html.p + i, "charset=", 8) == 0 ||
		    (i + 9 <= n &&
		        strncasecmp(html.p + i, "charset =", 9) == 0))
			return NULL;
	for (size_t i = 0; i < html.len && valid;) {
		unsigned char c = (unsigned char)html.p[i];
		size_t k = c < 0x80         ? 0
		    : c >= 0xc2 && c < 0xe0 ? 1
		    : c >= 0xe0 && c < 0xf0 ? 2
		    : c >= 0xf0 && c < 0xf5 ? 3
		                            : 9;

		if (k == 9 || i + k >= html.len + (k ? 0 : 1)) {
			valid = k == 0;
			break;
		}
		for (size_t j = 1; j <= k; j++)
			if (((unsigned char)html.p[i + j] & 0xc0) != 0x80)
				valid = 0;
		i += k + 1;
	}
	/* ISO-8859-1 maps every byte, so junk still parses. */
	return valid ? "UTF-8" : "ISO-8859-1";
}

/* libxml2 reports encoding trouble on its generic channel even with
 * HTML_PARSE_NOERROR; a page's bad bytes are no news for our stderr. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
fetch_article_extract(struct article_page *out, struct span html,
    const char *url, struct arena *a, struct buf *err)
{
	struct meta m;
	struct pick k;
	struct walk w;
	htmlDocPtr doc = NULL;
	xmlNode *root, *body = NULL, *scope;
	xmlGenericErrorFunc old_fn;
	void *old_ctx;
	const char *order[5];
	int typed = 0, date_rank = -1, rc = DW_OK;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	memset(&k, 0, sizeof(k));
	memset(&w, 0, sizeof(w));
	buf_init(&w.cur, (size_t)1 << 20);
	if (html.len > FETCH_MAX_BODY) {
		buf_setf(err,
		    "cannot read HTML article '%s': larger than %zu "
		    "bytes",
		    url ? url : "(input)", FETCH_MAX_BODY);
		rc = DW_ETOOBIG;
		goto out;
	}
	old_ctx = xmlGenericErrorContext;
	old_fn = xmlGenericError;
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = htmlReadMemory(html.p, (int)html.len, url, guess_encoding(html),
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	        HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		buf_setf(err, "cannot read HTML article '%s': no document",
		    url ? url : "(input)");
		rc = DW_EPARSE;
		goto out;
	}
	read_meta((xmlNode *)doc, &m, a, &typed, &date_rank, 0, 0, 0);
	score(root, 0);
	pick_root(root, &k, 0);
	/*
	 * Markup naming the body wins; else the <article> with the most
	 * text; else the block with the most paragraph children.
	 */
	if (k.body && k.body_n * 2 >= k.article_n)
		body = k.body;
	else if (k.article && k.article_n * 2 >= k.parent_n)
		body = k.article;
	else
		body = k.parent;
	if (!body) {
		for (xmlNode *c = root->children; c && !body; c = c->next)
			if (name_is(c, "body"))
				body = c;
		if (!body)
			body = root;
	}
	walk_text(&w, body, 0);
	para_flush(&w);
	out->text = join_paras(&w, a);
	if (!out->text) {
		buf_setf(err, "cannot read HTML article '%s': out of memory",
		    url ? url : "(input)");
		rc = DW_ETOOBIG;
		goto out;
	}

	out->title = m.title_ld ? m.title_ld
	    : m.title_og        ? m.title_og
	    : m.title_h1        ? m.title_h1
	                        : strip_site(m.title_tag);
	out->canonical =
	    absolute_url(m.canonical ? m.canonical : m.og_url, url, a);
	/* A <time> in the article's own header beats one elsewhere. */
	scope = body->parent && body->parent->type == XML_ELEMENT_NODE
	    ? body->parent
	    : body;
	for (xmlNode *p = body; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (name_is(p, "article")) {
			scope = p;
			break;
		}
	if (first_time(scope, 0))
		m.pub_time = first_time(scope, 0);
	order[0] = m.pub_meta;
	order[1] = m.pub_ld;
	order[2] = m.pub_itemprop;
	order[3] = m.pub_other;
	order[4] = m.pub_time;
	for (size_t i = 0; i < countof(order) && !out->published; i++)
		out->published = norm_date(order[i], a);
out:
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].text);
	free(w.v);
	buf_release(&w.cur);
	xmlFreeDoc(doc);
	return rc;
}
