/*
 * opml.c: feed lists in and out. OPML is read with libxml2's SAX2 parser
 * under the feed parser's rules (no DTD, no external entity, nothing
 * expanded); every outline with a feed URL counts, however deep. Also the
 * feed links a web page advertises (<link rel="alternate">), for `feed add`.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "fetch/feed_internal.h"

#define OPML_MAX_OUTLINES 100000

struct opml_state {
	xmlParserCtxtPtr ctxt;
	struct arena *a;
	struct opml_outline *v;
	size_t n, cap;
	int root_seen, is_opml, too_many;
	char root[32];
};

static char *
attr_dup(struct opml_state *s, const xmlChar **at, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = at + i * 5;

		if (!strcasecmp((const char *)a[0], name))
			return feed__attr_value((const char *)a[3],
			    (const char *)a[4], s->a);
	}
	return NULL;
}

static char *
trimmed(char *s)
{
	size_t n;

	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return *s ? s : NULL;
}

static void
opml_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct opml_state *s = ctx;
	struct opml_outline *o;
	char *url;

	(void)prefix;
	(void)URI;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (!s->root_seen) {
		s->root_seen = 1;
		snprintf(s->root, sizeof(s->root), "%.31s",
		    (const char *)localname);
		s->is_opml = !strcasecmp((const char *)localname, "opml");
	}
	if (!s->is_opml || strcasecmp((const char *)localname, "outline"))
		return;
	url = trimmed(attr_dup(s, attributes, nb_attributes, "xmlUrl"));
	if (!url) {
		/* some writers put the feed in url= */
		char *type = attr_dup(s, attributes, nb_attributes, "type");

		if (type &&
		    (!strcasecmp(type, "rss") || !strcasecmp(type, "atom") ||
		        !strcasecmp(type, "feed")))
			url = trimmed(
			    attr_dup(s, attributes, nb_attributes, "url"));
	}
	if (!url)
		return;
	if (s->n >= OPML_MAX_OUTLINES) {
		s->too_many = 1;
		xmlStopParser(s->ctxt);
		return;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 32;
		struct opml_outline *nv = NEW(s->a, struct opml_outline, nc);

		if (!nv) {
			s->too_many = 1;
			xmlStopParser(s->ctxt);
			return;
		}
		if (s->n)
			memcpy(nv, s->v, s->n * sizeof(*nv));
		s->v = nv;
		s->cap = nc;
	}
	o = &s->v[s->n++];
	o->url = url;
	o->title = trimmed(attr_dup(s, attributes, nb_attributes, "title"));
	if (!o->title)
		o->title =
		    trimmed(attr_dup(s, attributes, nb_attributes, "text"));
	o->html_url =
	    trimmed(attr_dup(s, attributes, nb_attributes, "htmlUrl"));
}

static void
opml_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *publicId, const xmlChar *systemId, xmlChar *content)
{
	/* declared entities are ignored: nothing is ever expanded */
	(void)ctx, (void)name, (void)type, (void)publicId, (void)systemId;
	(void)content;
}

static xmlParserInputPtr
opml_resolve(void *ctx, const xmlChar *publicId, const xmlChar *systemId)
{
	(void)ctx, (void)publicId, (void)systemId;
	return NULL;
}

static void
opml_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx, (void)e;
}

int
fetch_opml_parse(struct opml_outline **out, size_t *n, struct span doc,
    const char *name, struct arena *a, struct buf *err)
{
	struct opml_state s;
	xmlSAXHandler sax;
	int rc = DW_OK;

	*out = NULL;
	*n = 0;
	memset(&s, 0, sizeof(s));
	s.a = a;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = opml_start;
	sax.entityDecl = opml_entity_decl;
	sax.resolveEntity = opml_resolve;
	sax.serror = opml_error;
	s.ctxt = xmlCreatePushParserCtxt(&sax, &s, NULL, 0, NULL);
	if (!s.ctxt) {
		buf_setf(err, "cannot create XML parser");
		return DW_ERR;
	}
	xmlCtxtUseOptions(s.ctxt,
	    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOWARNING);
	s.ctxt->replaceEntities = 0;
	s.ctxt->loadsubset = 0;
	for (size_t off = 0; off < doc.len || off == 0;) {
		size_t k = MIN(doc.len - off, (size_t)1 << 20);

		xmlParseChunk(s.ctxt, doc.p + off, (int)k, off + k >= doc.len);
		off += k;
		if (off >= doc.len)
			break;
	}
	if (!s.root_seen || !s.is_opml) {
		buf_setf(err, "cannot read OPML '%s': %s", name,
		    s.root_seen ? "the root element is not <opml>"
		                : "no XML elements");
		rc = DW_EPARSE;
	} else if (s.too_many) {
		buf_setf(err, "cannot read OPML '%s': more than %d feeds", name,
		    OPML_MAX_OUTLINES);
		rc = DW_ETOOBIG;
	} else {
		*out = s.v;
		*n = s.n;
	}
	if (s.ctxt->myDoc)
		xmlFreeDoc(s.ctxt->myDoc);
	xmlFreeParserCtxt(s.ctxt);
	return rc;
}

static void
xml_attr(struct buf *b, const char *name, const char *v)
{
	if (!v)
		return;
	buf_addf(b, " %s=\"", name);
	for (; *v; v++) {
		switch (*v) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\n':
			buf_adds(b, "&#10;");
			break;
		default:
			if ((unsigned char)*v >= 0x20 || *v == '\t')
				buf_addch(b, *v);
		}
	}
	buf_addch(b, '"');
}

void
fetch_opml_write(struct buf *b, const char *title, const struct opml_outline *v,
    size_t n)
{
	buf_adds(b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n  <head>\n    <title>");
	for (const char *t = title ? title : "dealwire feeds"; *t; t++) {
		if (*t == '&')
			buf_adds(b, "&amp;");
		else if (*t == '<')
			buf_adds(b, "&lt;");
		else
			buf_addch(b, *t);
	}
	buf_adds(b, "</title>\n  </head>\n  <body>\n");
	for (size_t i = 0; i < n; i++) {
		const char *t = v[i].title ? v[i].title : v[i].url;

		buf_adds(b, "    <outline type=\"rss\"");
		xml_attr(b, "text", t);
		xml_attr(b, "title", t);
		xml_attr(b, "xmlUrl", v[i].url);
		xml_attr(b, "htmlUrl", v[i].html_url);
		buf_adds(b, "/>\n");
	}
	buf_adds(b, "  </body>\n</opml>\n");
}

/*
 * Feed discovery.
 */
static int
has_token(const char *s, const char *tok)
{
	size_t n = strlen(tok);

	while (s && *s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!strncasecmp(s, tok, n) &&
		    (s[n] == '\0' || isspace((unsigned char)s[n])))
			return 1;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	return 0;
}

static int
feed_type(const char *t)
{
	static const char *const types[] = { "application/rss+xml",
		"application/atom+xml", "application/rdf+xml",
		"application/feed+json", "application/xml", "text/xml" };
	size_t n;

	if (!t)
		return 0;
	n = strcspn(t, ";");
	while (n && isspace((unsigned char)t[n - 1]))
		n--;
	for (size_t i = 0; i < countof(types); i++)
		if (strlen(types[i]) == n && !strncasecmp(t, types[i], n))
			return (int)i + 1;
	return 0;
}

struct disc {
	struct arena *a;
	const char *base;
	char **v;
	int *rank;
	size_t n, cap;
};

static void
disc_add(struct disc *d, const char *href, int rank)
{
	char *u = feed__url_join(d->base, href, d->a);

	if (!u || !*u || !feed__url_safe(u))
		return;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], u))
			return;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 8;
		char **nv = NEW(d->a, char *, nc);
		int *nr = NEW(d->a, int, nc);

		if (!nv || !nr)
			return;
		if (d->n) {
			memcpy(nv, d->v, d->n * sizeof(*nv));
			memcpy(nr, d->rank, d->n * sizeof(*nr));
		}
		d->v = nv;
		d->rank = nr;
		d->cap = nc;
	}
	d->v[d->n] = u;
	d->rank[d->n++] = rank;
}

static void
disc_walk(struct disc *d, xmlNode *node, int depth)
{
	for (xmlNode *c = node; c && depth < 256; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)c->name, "base")) {
			xmlChar *h = xmlGetProp(c, (const xmlChar *)"href");

			if (h && (d->base || feed__url_safe((const char *)h)))
				d->base = feed__url_join(d->base,
				    (const char *)h, d->a);
			xmlFree(h);
		} else if (!strcasecmp((const char *)c->name, "link")) {
			xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
			xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
			xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
			int t = feed_type((const char *)type);

			if (href && t &&
			    has_token((const char *)rel, "alternate"))
				disc_add(d, (const char *)href, t);
			xmlFree(rel);
			xmlFree(type);
			xmlFree(href);
		}
		disc_walk(d, c->children, depth + 1);
	}
}

int
fetch_feed_discover(char ***out, size_t *n, struct span html,
    const char *base_url, struct arena *a)
{
	struct disc d = { a, base_url, NULL, NULL, 0, 0 };
	htmlDocPtr doc;

	*out = NULL;
	*n = 0;
	if (html.len > INT32_MAX)
		return DW_ETOOBIG;
	doc = htmlReadMemory(html.p, (int)html.len, base_url, NULL,
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	        HTML_PARSE_NONET);
	if (!doc)
		return DW_OK;
	disc_walk(&d, xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	/* RSS and Atom before the generic XML types, otherwise page order */
	for (size_t i = 1; i < d.n; i++)
		for (size_t j = i; j > 0 && d.rank[j] < d.rank[j - 1]; j--) {
			char *tv = d.v[j];
			int tr = d.rank[j];

			d.v[j] = d.v[j - 1];
			d.rank[j] = d.rank[j - 1];
			d.v[j - 1] = tv;
			d.rank[j - 1] = tr;
		}
	*out = d.v;
	*n = d.n;
	return DW_OK;
}
