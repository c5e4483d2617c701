/*
 * feed.c: RSS 0.90 to 2.0, RSS 1.0 and Atom 0.3 and 1.0 read with
 * libxml2's SAX2 push parser, so memory follows the largest entry, not the
 * feed. Fields are read the way feedparser reads them (its element
 * aliases, precedence and repairs), since feedparser is the reference.
 * No DTD or external entity is ever loaded; only entities that expand to
 * plain text (HTML's, and "safe" internal ones) are expanded.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "fetch/feed_internal.h"

#define FEED_MAX_FIELD FETCH_MAX_BODY /* bytes of one text field */
#define FEED_MAX_DEPTH 1000           /* elements open at once */
#define FEED_MAX_WARNINGS 20
#define FEED_MAX_ENTITIES 64 /* safe internal entities kept */
#define FEED_CHUNK ((size_t)64 << 10)

enum el {
	EL_OTHER = 0,
	EL_RSS,
	EL_CHANNEL,
	EL_FEED,
	EL_ITEM,
	EL_TITLE,
	EL_LINK,
	EL_ID,
	EL_AUTHOR,
	EL_NAME,
	EL_EMAIL,
	EL_URL,
	EL_CATEGORY,
	EL_KEYWORDS, /* comma-separated tags: itunes:, media:keywords */
	EL_ITUNES_CATEGORY,
	EL_MEDIA_CATEGORY,
	EL_DESCRIPTION,
	EL_ABSTRACT,
	EL_SUMMARY,
	EL_CONTENT,
	EL_CONTENT_ENCODED,
	EL_BODY,
	EL_PUBLISHED,
	EL_UPDATED,
	EL_SOURCE,
	EL_IMAGE,
	EL_TEXTINPUT,
	EL_CONTRIBUTOR,
	EL_PUBLISHER,
	EL_OWNER,
	EL_TEXTLIKE, /* subtitle, rights, info: content we do not keep */
	EL_MARKUP,   /* an element serialized into content */
	EL_DROPTAG,  /* a div in escaped HTML content: dropped, text kept */
};

enum ctype {
	CT_NONE = 0,
	CT_TEXT,
	CT_HTML,
	CT_XHTML,
	CT_XML, /* other XML types */
	CT_BINARY,
};

struct frame {
	uint8_t el;
	uint8_t capture; /* text goes to this frame */
	uint8_t content; /* a push_content element */
	uint8_t ctype;
	uint8_t base64;
	uint8_t guidislink;
	uint8_t had_detail; /* author: a name or email child was seen */
	size_t start;       /* where this frame's text starts in p->text */
	size_t prev_cap;    /* p->cap when this frame opened */
	const char *base;
	const char *name;     /* EL_MARKUP: the tag to close */
	const xmlChar *lname; /* the local name as written (libxml2's dict) */
};

struct tag {
	char *term, *scheme, *label;
};

struct entry_state {
	struct feed_entry e;
	int d_title, d_id, d_author, d_summary; /* depth stored from; 0 none */
	int has_summary, has_content, author_detail;
	int title_depth;
	struct tag *tags;
	size_t ntags, captags;
};

struct safe_entity {
	xmlEntity ent;
	char name[64];
};

/*
 * A whole document goes to libxml2 in one piece (a crawl's, `feed
 * parse`'s): each CDATA section in element content is then replaced by a
 * processing instruction <?dwcdata?> holding only its newlines (so line
 * numbers stay), and on_pi() hands its text to on_cdata() as libxml2
 * would have, without libxml2 looking for its end, checking each of its
 * characters and counting its lines byte by byte (two thirds of its work
 * on a feed of full-text items). Only where fix_amps() can tell that
 * libxml2 is in element content: inside an element, outside comments,
 * tags and other CDATA sections, after no DOCTYPE, no other <! markup, no
 * processing instruction or tag holding a '<', and with only characters
 * libxml2 accepts in a CDATA section.
 */
struct cdata_pass {
	int on;         /* this piece is the whole document */
	int unsure;     /* markup seen that fix_amps() does not follow */
	int clash;      /* the document has a <?dwcdata ...?> of its own */
	int closed;     /* the root element ended */
	long depth;     /* elements open, as libxml2 counts them */
	size_t start;   /* in a section: where its text starts */
	struct span *v; /* the sections' texts, in order */
	size_t n, cap, next;
};

struct feed_parser {
	xmlParserCtxtPtr ctxt;
	struct arena *a;
	struct arena own; /* the arena when the caller gave none */
	int (*on_entry)(const struct feed_entry *e, void *arg);
	void *arg;
	struct arena_mark entry_mark;

	char version[12]; /* feedparser's name: "rss20", "atom10" */
	char enc[32];
	int netscape;
	int root_seen;
	char root[32];

	struct frame *st; /* open elements */
	size_t depth, capst;
	size_t cap;      /* 1 + index of the frame text goes to; 0 none */
	size_t overflow; /* elements past FEED_MAX_DEPTH, skipped */
	struct buf text;

	int infeed, inentry, insource, inimage, intextinput;
	int inauthor, inpublisher, incontributor;
	int feed_title_depth;
	int feed_image;       /* the feed has an image of its own */
	const char *cur_base; /* feedparser's baseuri: see frame_base() */
	int feed_d_title;

	struct feed out;
	struct entry_state cur;
	struct feed_entry *entries;
	size_t nentries, capentries;
	int failed; /* on_entry asked to stop */

	char **warnings;
	size_t nwarnings;
	size_t more_warnings;

	char end_name[64]; /* the end tag libxml2 reported as mismatched */

	struct safe_entity *ents;
	size_t nents;
	xmlEntity html_ent; /* returned for an HTML named entity */
	char html_val[8];

	struct elcache {
		const xmlChar *lname; /* libxml2's, interned */
		uint8_t ns, el;
	} elc[64]; /* element names looked up, two places each */

	const xmlChar *ns_uri[8]; /* namespace URIs seen (libxml2 interns) */
	uint8_t ns_cls[8];
	size_t ns_next;

	struct feed_decoder dec;
	struct buf decoded;
	struct buf fixed; /* decoded, bare ampersands escaped */
	struct buf hold;  /* decoded bytes kept for the next piece */
	int amp_state;    /* 0 text, 1 CDATA, 2 comment, 3-5 tag */
	size_t bare_amps;
	size_t attr_entities; /* HTML entities in attributes */
	struct buf head;      /* the first bytes, until the encoding is known */
	struct cdata_pass cd; /* CDATA sections handed over past libxml2 */
	size_t parses;        /* pieces given to libxml2 so far */
	int started;
	int forced_enc; /* encoding chosen by the caller from the whole doc */
	int utf8_valid; /* ... who found it valid UTF-8 (struct feed_enc) */
	char base[1];   /* flexible: the document URL, copied */
};

/*
 * Warnings.
 */
static void warnf(struct feed_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warnf(struct feed_parser *p, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *s;

	if (p->nwarnings >= FEED_MAX_WARNINGS) {
		p->more_warnings++;
		return;
	}
	va_start(ap, fmt);
	buf_grow(&b, 128);
	{
		int n = vsnprintf(b.data, b.cap, fmt, ap);

		b.len = n < 0 ? 0 : MIN((size_t)n, b.cap - 1);
		b.data[b.len] = '\0';
	}
	va_end(ap);
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	if (!feed__utf8_valid(b.data, b.len)) {
		/* libxml2 may cut a name inside a character */
		struct buf v = BUF_INIT;
		const unsigned char *c = (const unsigned char *)b.data;

		for (size_t i = 0; i < b.len;) {
			size_t k = utf8_seq_len(c + i, b.len - i);

			if (k) {
				buf_add(&v, c + i, k);
				i += k;
			} else {
				buf_adds(&v, "\xef\xbf\xbd");
				i++;
			}
		}
		buf_release(&b);
		b = v;
	}
	s = buf_detach(&b, NULL);
	p->warnings =
	    xreallocarray(p->warnings, p->nwarnings + 1, sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = s;
}

static int
line_no(const struct feed_parser *p)
{
	return p->ctxt && p->ctxt->input ? p->ctxt->input->line : 0;
}

/*
 * Element names: namespaces by class, then local names per class.
 */
enum ns {
	NS_CORE = 0,
	NS_DC,
	NS_DCTERMS,
	NS_CONTENT,
	NS_XHTML,
	NS_ITUNES,
	NS_MEDIA,
	NS_RDF,
	NS_FEEDBURNER,
	NS_OTHER,
};

static enum ns
ns_of_uri(const char *uri)
{
	/* clang-format off */
	static const struct { const char *uri; enum ns ns; } known[] = {
		{ "http://backend.userland.com/rss", NS_CORE },
		{ "http://blogs.law.harvard.edu/tech/rss", NS_CORE },
		{ "http://purl.org/rss/1.0/", NS_CORE },
		{ "http://my.netscape.com/rdf/simple/0.9/", NS_CORE },
		{ "http://example.com/newformat#", NS_CORE },
		{ "http://example.com/necho", NS_CORE },
		{ "http://purl.org/echo/", NS_CORE },
		{ "uri/of/echo/namespace#", NS_CORE },
		{ "http://purl.org/pie/", NS_CORE },
		{ "http://purl.org/atom/ns#", NS_CORE },
		{ "http://www.w3.org/2005/atom", NS_CORE },
		{ "http://purl.org/rss/1.0/modules/rss091#", NS_CORE },
		{ "http://purl.org/dc/elements/1.1/", NS_DC },
		{ "http://purl.org/dc/terms/", NS_DCTERMS },
		{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
		{ "http://www.w3.org/1999/xhtml", NS_XHTML },
		{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
		{ "http://example.com/dtds/podcast-1.0.dtd", NS_ITUNES },
		{ "http://search.yahoo.com/mrss", NS_MEDIA },
		{ "http://search.yahoo.com/mrss/", NS_MEDIA },
		{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
		{ "http://rssnamespace.org/feedburner/ext/1.0", NS_FEEDBURNER },
	};
	/* clang-format on */
	if (!uri || !*uri)
		return NS_CORE;
	if (strstr(uri, "backend.userland.com/rss"))
		return NS_CORE;
	for (size_t i = 0; i < countof(known); i++)
		if (strcasecmp(uri, known[i].uri) == 0)
			return known[i].ns;
	return NS_OTHER;
}

/* An undeclared prefix is read by its usual name, as feedparser's loose
 * parser does. */
static enum ns
ns_of_prefix(const char *prefix)
{
	/* clang-format off */
	static const struct { const char *prefix; enum ns ns; } known[] = {
		{ "atom", NS_CORE }, { "content", NS_CONTENT },
		{ "dc", NS_DC }, { "dcterms", NS_DCTERMS },
		{ "feedburner", NS_FEEDBURNER }, { "itunes", NS_ITUNES },
		{ "media", NS_MEDIA }, { "rdf", NS_RDF },
		{ "xhtml", NS_XHTML },
	};
	/* clang-format on */
	for (size_t i = 0; i < countof(known); i++)
		if (strcasecmp(prefix, known[i].prefix) == 0)
			return known[i].ns;
	return NS_OTHER;
}

/* The class of a namespace URI; libxml2 hands the same pointer for the
 * same URI, so a few remembered pointers spare the string compares. */
static enum ns
ns_cached(struct feed_parser *p, const xmlChar *uri)
{
	size_t k;

	for (size_t i = 0; i < countof(p->ns_uri); i++)
		if (p->ns_uri[i] == uri)
			return (enum ns)p->ns_cls[i];
	k = p->ns_next++ % countof(p->ns_uri);
	p->ns_uri[k] = uri;
	p->ns_cls[k] = (uint8_t)ns_of_uri((const char *)uri);
	return (enum ns)p->ns_cls[k];
}

struct elname {
	const char *name;
	uint8_t el;
};

/* clang-format off */
/* Sorted by name: bsearch. */
static const struct elname core_names[] = {
	{ "abstract", EL_ABSTRACT }, { "author", EL_AUTHOR },
	{ "body", EL_BODY }, { "category", EL_CATEGORY },
	{ "channel", EL_CHANNEL }, { "content", EL_CONTENT },
	{ "contributor", EL_CONTRIBUTOR }, { "copyright", EL_TEXTLIKE },
	{ "description", EL_DESCRIPTION }, { "email", EL_EMAIL },
	{ "entry", EL_ITEM }, { "feed", EL_FEED },
	{ "fullitem", EL_CONTENT_ENCODED }, { "guid", EL_ID },
	{ "homepage", EL_URL }, { "id", EL_ID }, { "image", EL_IMAGE },
	{ "info", EL_TEXTLIKE }, { "issued", EL_PUBLISHED },
	{ "item", EL_ITEM }, { "keywords", EL_CATEGORY },
	{ "lastbuilddate", EL_UPDATED }, { "link", EL_LINK },
	{ "managingeditor", EL_AUTHOR }, { "modified", EL_UPDATED },
	{ "name", EL_NAME }, { "pubdate", EL_PUBLISHED },
	{ "published", EL_PUBLISHED }, { "rights", EL_TEXTLIKE },
	{ "rss", EL_RSS }, { "source", EL_SOURCE },
	{ "subtitle", EL_TEXTLIKE }, { "summary", EL_SUMMARY },
	{ "tagline", EL_TEXTLIKE }, { "tags", EL_KEYWORDS },
	{ "textinput", EL_TEXTINPUT },
	{ "title", EL_TITLE }, { "updated", EL_UPDATED },
	{ "uri", EL_URL }, { "url", EL_URL },
	{ "webmaster", EL_PUBLISHER },
};
static const struct elname dc_names[] = {
	{ "author", EL_AUTHOR }, { "contributor", EL_CONTRIBUTOR },
	{ "creator", EL_AUTHOR }, { "date", EL_UPDATED },
	{ "description", EL_DESCRIPTION }, { "publisher", EL_PUBLISHER },
	{ "rights", EL_TEXTLIKE }, { "subject", EL_CATEGORY },
	{ "title", EL_TITLE },
};
static const struct elname dcterms_names[] = {
	{ "issued", EL_PUBLISHED }, { "modified", EL_UPDATED },
};
static const struct elname content_names[] = {
	{ "encoded", EL_CONTENT_ENCODED },
};
static const struct elname xhtml_names[] = {
	{ "body", EL_BODY },
};
static const struct elname itunes_names[] = {
	{ "author", EL_AUTHOR }, { "category", EL_ITUNES_CATEGORY },
	{ "email", EL_EMAIL }, { "keywords", EL_KEYWORDS },
	{ "name", EL_NAME }, { "owner", EL_OWNER },
	{ "subtitle", EL_TEXTLIKE }, { "summary", EL_SUMMARY },
};
static const struct elname media_names[] = {
	{ "category", EL_MEDIA_CATEGORY }, { "description", EL_DESCRIPTION },
	{ "keywords", EL_KEYWORDS }, { "title", EL_TITLE },
};
static const struct elname feedburner_names[] = {
	{ "browserfriendly", EL_TEXTLIKE },
};
/* clang-format on */

static int
elname_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct elname *)e)->name);
}

static enum el
lookup_el(enum ns ns, const char *low)
{
	const struct elname *t = NULL, *r;
	size_t n = 0;

	switch (ns) {
	case NS_CORE:
		t = core_names, n = countof(core_names);
		break;
	case NS_DC:
		t = dc_names, n = countof(dc_names);
		break;
	case NS_DCTERMS:
		t = dcterms_names, n = countof(dcterms_names);
		break;
	case NS_CONTENT:
		t = content_names, n = countof(content_names);
		break;
	case NS_XHTML:
		t = xhtml_names, n = countof(xhtml_names);
		break;
	case NS_ITUNES:
		t = itunes_names, n = countof(itunes_names);
		break;
	case NS_MEDIA:
		t = media_names, n = countof(media_names);
		break;
	case NS_FEEDBURNER:
		t = feedburner_names, n = countof(feedburner_names);
		break;
	default:
		return EL_OTHER;
	}
	r = bsearch(low, t, n, sizeof(*t), elname_cmp);
	return r ? (enum el)r->el : EL_OTHER;
}

/*
 * Attributes from SAX2's array: localname, prefix, URI, value, end.
 */
struct attrs {
	const xmlChar **v;
	int n;
};

/* The value of the attribute named name (lowercase, any namespace unless
 * xmlns_only), copied into a; NULL when absent. */
static char *
attr_get(struct feed_parser *p, struct attrs at, const char *name, int xml_ns)
{
	for (int i = 0; i < at.n; i++) {
		const xmlChar **a = at.v + i * 5;
		const char *ln = (const char *)a[0];

		if (strcasecmp(ln, name) != 0)
			continue;
		if (xml_ns && !(a[1] && strcmp((const char *)a[1], "xml") == 0))
			continue;
		if (!xml_ns && a[1] && strcmp((const char *)a[1], "xml") == 0)
			continue;
		return feed__attr_value((const char *)a[3], (const char *)a[4],
		    p->a);
	}
	return NULL;
}

/*
 * Text capture.
 */
static struct frame *
top(struct feed_parser *p)
{
	return p->depth ? &p->st[p->depth - 1] : NULL;
}

static struct frame *
capturing(struct feed_parser *p)
{
	return p->cap ? &p->st[p->cap - 1] : NULL;
}

static void
add_text(struct feed_parser *p, const char *s, size_t n, int escape)
{
	if (p->text.len + n > FEED_MAX_FIELD) {
		/* NOTE: a field past FEED_MAX_FIELD is cut there, with a
		 * warning; the rest of the feed still parses. */
		if (p->text.len < FEED_MAX_FIELD)
			warnf(p,
			    "line %d: text longer than %zu bytes cut "
			    "(recovered)",
			    line_no(p), FEED_MAX_FIELD);
		n = p->text.len < FEED_MAX_FIELD ? FEED_MAX_FIELD - p->text.len
		                                 : 0;
	}
	if (!escape) {
		buf_add_inline(&p->text, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			buf_adds(&p->text, "&amp;");
			break;
		case '<':
			buf_adds(&p->text, "&lt;");
			break;
		case '>':
			buf_adds(&p->text, "&gt;");
			break;
		default:
			buf_addch(&p->text, s[i]);
		}
	}
}

/*
 * NOTE: after any error libxml2 drops every entity reference that follows
 * (xmlParseReference returns early once wellFormed is 0), even &amp;. We
 * recover as feedparser does, so the flag is set again at every event; the
 * warnings keep the errors.
 */
static void
keep_reading_entities(struct feed_parser *p)
{
	if (p->ctxt)
		p->ctxt->wellFormed = 1;
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	struct feed_parser *p = ctx;
	struct frame *f = capturing(p);

	keep_reading_entities(p);
	if (!f)
		return;
	add_text(p, (const char *)ch, (size_t)len, f->ctype == CT_XHTML);
}

/*
 * Strings as feedparser's pop() leaves them: stripped, base64 decoded,
 * resolved, repaired.
 */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static size_t
base64_decode(char *s, size_t n)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		const char *c;

		if (s[i] == '=')
			break;
		c = s[i] ? strchr(tbl, s[i]) : NULL;
		if (!c) {
			if (is_space((unsigned char)s[i]))
				continue;
			return (size_t)-1;
		}
		acc = (acc << 6) | (unsigned)(c - tbl);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			s[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return o;
}

/* The captured text of f, finished; f's text is removed from p->text. */
static char *
pop_text(struct feed_parser *p, struct frame *f, int resolve)
{
	char *s = p->text.data + f->start;
	size_t n = p->text.len - f->start;
	char *r;

	while (n && is_space((unsigned char)*s))
		s++, n--;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (f->base64 && n) {
		char *tmp = xstrndup(s, n);
		size_t m = base64_decode(tmp, n);

		if (m != (size_t)-1 && feed__utf8_valid(tmp, m)) {
			memcpy(s, tmp, m);
			n = m;
		}
		free(tmp);
	}
	r = feed__fix_text(s, n, p->a);
	p->text.len = f->start;
	p->text.data[p->text.len] = '\0';
	/* (a plain absolute URL resolves to itself: no copy) */
	if (resolve && *r && !feed__url_plain(r))
		r = feed__url_join(p->cur_base, r, p->a);
	return r;
}

/* Atom 1.0 XHTML content: the wrapping div is not part of the text. */
static char *
strip_div(char *s)
{
	size_t n = strlen(s);
	int depth = 0;
	const char *q;

	if (!(strncmp(s, "<div>", 5) == 0 || strncmp(s, "<div ", 5) == 0) ||
	    n < 11 || strcmp(s + n - 6, "</div>") != 0)
		return s;
	for (q = s; q < s + n - 6; q++) {
		if (*q != '<')
			continue;
		if (q[1] == '/') {
			if (--depth == 0)
				return s;
		} else {
			const char *gt = strchr(q, '>');

			if (gt && gt[-1] != '/')
				depth++;
		}
	}
	s[n - 6] = '\0';
	{
		char *gt = strchr(s, '>');

		return gt ? gt + 1 : s;
	}
}

/*
 * Entries and tags.
 */
static int
tag_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
add_tag(struct feed_parser *p, const char *term, const char *scheme,
    const char *label)
{
	struct entry_state *es = &p->cur;
	struct tag *t;

	if (!p->inentry || p->insource)
		return;
	if ((!term || !*term) && (!scheme || !*scheme) && (!label || !*label))
		return;
	for (size_t i = 0; i < es->ntags; i++)
		if (tag_eq(es->tags[i].term, term) &&
		    tag_eq(es->tags[i].scheme, scheme) &&
		    tag_eq(es->tags[i].label, label))
			return;
	if (es->ntags == es->captags) {
		size_t nc = es->captags ? es->captags * 2 : 8;
		struct tag *n = NEW(p->a, struct tag, nc);

		if (!n)
			return;
		if (es->ntags)
			memcpy(n, es->tags, es->ntags * sizeof(*n));
		es->tags = n;
		es->captags = nc;
	}
	t = &es->tags[es->ntags++];
	t->term = term ? arena_strdup(p->a, term) : NULL;
	t->scheme = scheme ? arena_strdup(p->a, scheme) : NULL;
	t->label = label ? arena_strdup(p->a, label) : NULL;
}

static void
entry_begin(struct feed_parser *p)
{
	if (p->on_entry)
		p->entry_mark = arena_mark(p->a);
	memset(&p->cur, 0, sizeof(p->cur));
	p->inentry = 1;
}

static void
entry_end(struct feed_parser *p)
{
	struct entry_state *es = &p->cur;
	struct feed_entry *e = &es->e;
	size_t nt = 0;

	p->inentry = 0;
	if (es->ntags) {
		e->categories = NEW(p->a, char *, es->ntags);
		for (size_t i = 0; e->categories && i < es->ntags; i++)
			if (es->tags[i].term && es->tags[i].term[0])
				e->categories[nt++] = es->tags[i].term;
		e->ncategories = e->categories ? nt : 0;
	}
	/* feedparser's entry.updated falls back to published */
	if (!e->updated[0] && e->published[0])
		memcpy(e->updated, e->published, sizeof(e->updated));
	if (p->on_entry) {
		if (p->on_entry(e, p->arg) != 0) {
			p->failed = 1;
			xmlStopParser(p->ctxt);
		}
		arena_rewind(p->a, p->entry_mark);
		/* a base set inside the entry was in the memory just freed */
		p->cur_base = p->depth ? p->st[p->depth - 1].base : p->base;
		p->nentries++;
		return;
	}
	if (p->nentries == p->capentries) {
		p->capentries = p->capentries ? p->capentries * 2 : 16;
		p->entries = xreallocarray(p->entries, p->capentries,
		    sizeof(*p->entries));
	}
	p->entries[p->nentries++] = *e;
}

/*
 * Storing a finished value where feedparser's pop() stores it.
 */
static int
in_entry(const struct feed_parser *p)
{
	return p->inentry && !p->insource;
}

static int
in_feed(const struct feed_parser *p)
{
	return !p->inentry && p->infeed && !p->insource && !p->inimage &&
	    !p->intextinput;
}

static void
store_depth(char **slot, int *d, char *v, int depth)
{
	if (*d == 0 || depth <= *d) {
		*d = depth;
		*slot = v;
	}
}

static void
set_link(struct feed_parser *p, char *v, int only_if_unset)
{
	if (in_entry(p)) {
		if (p->inimage)
			return;
		if (!only_if_unset || !p->cur.e.link)
			p->cur.e.link = v;
	} else if (in_feed(p)) {
		if (!only_if_unset || !p->out.link)
			p->out.link = v;
	}
}

/* RSS link text: "&amp;" and "&x;" left by bad escaping are undone. */
static char *
fix_link_query(struct feed_parser *p, char *v)
{
	struct buf b = BUF_INIT;
	char *r;

	if (!strchr(v, '&'))
		return v;
	for (const char *s = v; *s; s++) {
		if (*s == '&' && strncmp(s, "&amp;", 5) == 0) {
			buf_addch(&b, '&');
			s += 4;
			continue;
		}
		if (*s == '&') {
			const char *q = s + 1;

			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (q > s + 1 && *q == ';') {
				buf_add(&b, s, (size_t)(q - s));
				s = q;
				continue;
			}
		}
		buf_addch(&b, *s);
	}
	r = arena_strndup(p->a, b.data, b.len);
	buf_release(&b);
	return r;
}

/*
 * The e-mail address in an author string as feedparser's regex finds it:
 * [A-Za-z0-9_.+-]+ "@" (label ".")+ then two to four letters or one to
 * three digits (so "a@b.example" matches "a@b.exam", as feedparser's
 * does). Returns its length at *start, 0 when there is none.
 */
static size_t
find_email(const char *s, size_t *start)
{
	for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
		const char *st = at, *q = at + 1, *ends[64];
		size_t nl = 0;

		while (st > s &&
		    (isalnum((unsigned char)st[-1]) || strchr("_-.+", st[-1])))
			st--;
		if (st == at)
			continue;
		/* (label.)+, greedy, remembering each end to back off */
		for (;;) {
			const char *l = q;

			while (isalnum((unsigned char)*l) || *l == '-')
				l++;
			if (l == q || *l != '.' || nl == countof(ends))
				break;
			q = l + 1;
			ends[nl++] = q;
		}
		while (nl) {
			const char *t = ends[nl - 1], *e = t;

			while (e - t < 4 && isalpha((unsigned char)*e))
				e++;
			if (e - t < 2) {
				e = t;
				while (e - t < 3 && isdigit((unsigned char)*e))
					e++;
			}
			if (e > t &&
			    !(e - t == 1 && !isdigit((unsigned char)*t))) {
				if (*e == ']')
					e++;
				if (!strncmp(e, "?subject=", 9) && e[9] &&
				    !isspace((unsigned char)e[9])) {
					e += 9;
					while (
					    *e && !isspace((unsigned char)*e))
						e++;
				}
				*start = (size_t)(st - s);
				return (size_t)(e - st);
			}
			nl--;
		}
	}
	return 0;
}

/* Python's str.replace(pat, ""): one pass, left to right. */
static void
remove_all(struct buf *b, const char *pat)
{
	size_t k = strlen(pat), o = 0;

	for (size_t i = 0; i < b->len;) {
		if (i + k <= b->len && !memcmp(b->data + i, pat, k)) {
			i += k;
			continue;
		}
		b->data[o++] = b->data[i++];
	}
	b->len = o;
	b->data[o] = '\0';
}

/* feedparser's _sync_author_detail for "email (Name)" text. */
static char *
author_name(struct feed_parser *p, const char *s)
{
	struct buf b = BUF_INIT, em = BUF_INIT;
	size_t start = 0, n = find_email(s, &start);
	const char *st;
	char *r;

	if (!n)
		return arena_strdup(p->a, s);
	buf_add(&em, s + start, n);
	buf_adds(&b, s);
	remove_all(&b, em.data);
	remove_all(&b, "()");
	remove_all(&b, "<>");
	remove_all(&b, "&lt;&gt;");
	st = b.data;
	n = b.len;
	while (n && is_space((unsigned char)*st))
		st++, n--;
	while (n && is_space((unsigned char)st[n - 1]))
		n--;
	if (n && *st == '(')
		st++, n--;
	if (n && st[n - 1] == ')')
		n--;
	while (n && is_space((unsigned char)*st))
		st++, n--;
	while (n && is_space((unsigned char)st[n - 1]))
		n--;
	r = n ? arena_strndup(p->a, st, n) : NULL;
	buf_release(&b);
	buf_release(&em);
	return r;
}

static void
set_date(struct feed_parser *p, char *v, int published)
{
	char d[21];

	if (!in_entry(p))
		return;
	if (feed__parse_date(d, v, strlen(v)) != DW_OK)
		d[0] = '\0';
	memcpy(published ? p->cur.e.published : p->cur.e.updated, d, sizeof(d));
}

static void
split_tags(struct feed_parser *p, char *v, const char *scheme)
{
	char *s = v;

	while (s) {
		char *c = strchr(s, ',');
		char *t;
		size_t n;

		if (c)
			*c = '\0';
		while (is_space((unsigned char)*s))
			s++;
		n = strlen(s);
		while (n && is_space((unsigned char)s[n - 1]))
			n--;
		t = arena_strndup(p->a, s, n);
		if (n)
			add_tag(p, t, scheme, NULL);
		s = c ? c + 1 : NULL;
	}
}

/*
 * Start and end of the elements we read.
 */
/*
 * xml:base as feedparser tracks it: one current base, set by each element
 * that has an xml:base (relative to the current one), and restored at an
 * end tag only when the enclosing element's base is not empty. Without a
 * document URL, a base thus outlives its element, as in feedparser.
 */
static const char *
frame_base(struct feed_parser *p, struct attrs at)
{
	char *b;

	if (at.n == 0) /* (most elements: nothing to look through) */
		return p->cur_base;
	b = attr_get(p, at, "base", 1);
	if (!b)
		b = attr_get(p, at, "base", 0);
	if (b) {
		if (p->cur_base && *p->cur_base) {
			char *j = feed__url_join(p->cur_base, b, p->a);

			if (j && feed__url_safe(j))
				p->cur_base = j;
		} else {
			p->cur_base = feed__url_join(p->cur_base, b, p->a);
		}
	}
	return p->cur_base;
}

static enum ctype
map_type(const char *t, enum ctype dflt)
{
	if (!t)
		return dflt;
	if (!strcasecmp(t, "text") || !strcasecmp(t, "plain") ||
	    !strcasecmp(t, "text/plain"))
		return CT_TEXT;
	if (!strcasecmp(t, "html") || !strcasecmp(t, "text/html"))
		return CT_HTML;
	if (!strcasecmp(t, "xhtml") || !strcasecmp(t, "application/xhtml+xml"))
		return CT_XHTML;
	if (!strncasecmp(t, "text/", 5))
		return CT_TEXT;
	{
		size_t n = strlen(t);

		if ((n >= 4 && !strcasecmp(t + n - 4, "+xml")) ||
		    (n >= 4 && !strcasecmp(t + n - 4, "/xml")))
			return CT_XML;
	}
	return CT_BINARY;
}

static void
push_content(struct feed_parser *p, struct frame *f, struct attrs at,
    enum ctype dflt)
{
	char *type = attr_get(p, at, "type", 0);
	char *mode = attr_get(p, at, "mode", 0);

	f->capture = 1;
	p->cap = p->depth;
	f->content = 1;
	f->ctype = (uint8_t)map_type(type, dflt);
	f->base64 = (mode && !strcmp(mode, "base64")) || f->ctype == CT_BINARY;
	f->start = p->text.len;
}

static void
start_capture(struct feed_parser *p, struct frame *f)
{
	f->capture = 1;
	p->cap = p->depth;
	f->start = p->text.len;
}

static void
version_from_ns(struct feed_parser *p, const xmlChar **ns, int nb)
{
	for (int i = 0; i < nb && !p->version[0]; i++) {
		const char *prefix = (const char *)ns[2 * i];
		const char *uri = (const char *)ns[2 * i + 1];

		if (!uri)
			continue;
		if (!prefix &&
		    !strcasecmp(uri, "http://my.netscape.com/rdf/simple/0.9/"))
			snprintf(p->version, sizeof(p->version), "rss090");
		else if (!strcasecmp(uri, "http://purl.org/rss/1.0/"))
			snprintf(p->version, sizeof(p->version), "rss10");
		else if (!strcasecmp(uri, "http://www.w3.org/2005/Atom"))
			snprintf(p->version, sizeof(p->version), "atom10");
	}
}

/* Inline markup inside content is kept as markup. */
static void
serialize_start(struct feed_parser *p, struct frame *f, const char *name,
    struct attrs at)
{
	char *low = arena_strdup(p->a, name);

	/* ASCII case only: a name may hold any character */
	for (char *c = low; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	f->el = EL_MARKUP;
	f->name = low ? low : "x";
	buf_addch(&p->text, '<');
	buf_adds(&p->text, f->name);
	for (int i = 0; i < at.n; i++) {
		const xmlChar **a = at.v + i * 5;

		buf_addch(&p->text, ' ');
		if (a[1]) {
			buf_adds(&p->text, (const char *)a[1]);
			buf_addch(&p->text, ':');
		}
		buf_adds(&p->text, (const char *)a[0]);
		buf_adds(&p->text, "=\"");
		for (const xmlChar *c = a[3]; c < a[4]; c++) {
			if (*c == '&' && a[4] - c >= 5 &&
			    !memcmp(c, "&#38;", 5)) {
				buf_adds(&p->text, "&amp;");
				c += 4;
			} else if (*c == '"')
				buf_adds(&p->text, "&quot;");
			else if (*c == '&')
				buf_adds(&p->text, "&amp;");
			else if (*c == '<')
				buf_adds(&p->text, "&lt;");
			else
				buf_addch(&p->text, *c);
		}
		buf_addch(&p->text, '"');
	}
	buf_addch(&p->text, '>');
}

/* An element's name in lower case (63 bytes at most), made once. */
static const char *
name_low(char low[64], int *have, const xmlChar *name)
{
	size_t i;

	if (*have)
		return low;
	for (i = 0; i < 63 && name[i]; i++) {
		char c = (char)name[i];

		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	low[i] = '\0';
	*have = 1;
	return low;
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct feed_parser *p = ctx;
	struct attrs at = { attributes, nb_attributes };
	struct frame *f, *cap;
	char low[64]; /* its name in lower case, made when first needed */
	int have_low = 0;
	enum ns ns;
	enum el el;

	(void)nb_defaulted;
	keep_reading_entities(p);
	if (p->overflow || p->depth >= FEED_MAX_DEPTH) {
		if (!p->overflow++)
			warnf(p,
			    "line %d: elements nested deeper than %d "
			    "skipped (recovered)",
			    line_no(p), FEED_MAX_DEPTH);
		return;
	}
	if (p->depth == p->capst) {
		p->capst = p->capst ? p->capst * 2 : 64;
		p->st = xreallocarray(p->st, p->capst, sizeof(*p->st));
	}
	cap = capturing(p);
	f = &p->st[p->depth++];
	memset(f, 0, sizeof(*f));
	f->prev_cap = p->cap;
	f->lname = localname;
	p->cap = 0;
	f->base = frame_base(p, at);
	version_from_ns(p, namespaces, nb_namespaces);
	if (!p->root_seen) {
		p->root_seen = 1;
		snprintf(p->root, sizeof(p->root), "%.31s",
		    name_low(low, &have_low, localname));
	}
	/* inside content, elements are markup */
	if (cap && cap->content) {
		if (cap->ctype != CT_XHTML && cap->ctype != CT_XML) {
			if (!strcmp(name_low(low, &have_low, localname),
			        "div")) {
				f->el = EL_DROPTAG;
				p->cap = f->prev_cap;
				return;
			}
			cap->ctype = CT_XHTML;
		}
		serialize_start(p, f, (const char *)localname, at);
		p->cap = f->prev_cap;
		return;
	}
	if (URI)
		ns = ns_cached(p, URI);
	else if (prefix)
		ns = ns_of_prefix((const char *)prefix);
	else
		ns = NS_CORE;
	if (ns == NS_OTHER) {
		el = EL_OTHER;
	} else {
		/* libxml2 interns names: the same pointer, the same name.
		 * Two places for each (names close in memory met in one
		 * place and put each other out at every element). */
		size_t h = (size_t)(((uint64_t)(uintptr_t)localname *
		                        0x9e3779b97f4a7c15ULL) >>
		               58) &
		    (countof(p->elc) - 2);
		struct elcache *c = &p->elc[h];

		if (c->lname != localname || c->ns != ns) {
			if (c[1].lname == localname && c[1].ns == ns) {
				c++;
			} else {
				if (c->lname && !c[1].lname)
					c++;
				c->lname = localname;
				c->ns = (uint8_t)ns;
				c->el = (uint8_t)lookup_el(ns,
				    name_low(low, &have_low, localname));
			}
		}
		el = (enum el)c->el;
	}
	/* feedparser's hack for unclosed image and textinput elements */
	if (ns == NS_CORE) {
		/* (the names compared only when there is a flag to clear) */
		if (p->intextinput || p->inimage)
			name_low(low, &have_low, localname);
		if (p->intextinput && strcmp(low, "title") &&
		    strcmp(low, "link") && strcmp(low, "description") &&
		    strcmp(low, "name"))
			p->intextinput = 0;
		if (p->inimage && strcmp(low, "title") && strcmp(low, "link") &&
		    strcmp(low, "description") && strcmp(low, "url") &&
		    strcmp(low, "href") && strcmp(low, "width") &&
		    strcmp(low, "height"))
			p->inimage = 0;
	}
	f->el = (uint8_t)el;
	switch (el) {
	case EL_RSS:
		if (!p->version[0] || strncmp(p->version, "rss", 3) != 0) {
			char *v = attr_get(p, at, "version", 0);

			if (v && !strcmp(v, "0.91"))
				snprintf(p->version, sizeof(p->version),
				    p->netscape ? "rss091n" : "rss091u");
			else if (v && !strcmp(v, "0.92"))
				snprintf(p->version, sizeof(p->version),
				    "rss092");
			else if (v && !strcmp(v, "0.93"))
				snprintf(p->version, sizeof(p->version),
				    "rss093");
			else if (v && !strcmp(v, "0.94"))
				snprintf(p->version, sizeof(p->version),
				    "rss094");
			else if (v && !strncmp(v, "2.", 2))
				snprintf(p->version, sizeof(p->version),
				    "rss20");
			else
				snprintf(p->version, sizeof(p->version), "rss");
		}
		break;
	case EL_CHANNEL:
		p->infeed = 1;
		break;
	case EL_FEED:
		p->infeed = 1;
		if (!p->version[0]) {
			char *v = attr_get(p, at, "version", 0);

			snprintf(p->version, sizeof(p->version), "%s",
			    v && !strcmp(v, "0.3") ? "atom03" : "atom");
		}
		break;
	case EL_ITEM: {
		char *about = NULL;

		entry_begin(p);
		p->cur.title_depth = 0;
		for (int i = 0; i < at.n; i++) {
			const xmlChar **a = at.v + i * 5;

			if (!strcmp((const char *)a[0], "about") &&
			    ((a[2] &&
			         ns_of_uri((const char *)a[2]) == NS_RDF) ||
			        (a[1] && !strcmp((const char *)a[1], "rdf"))))
				about = feed__attr_value((const char *)a[3],
				    (const char *)a[4], p->a);
		}
		if (about && *about)
			p->cur.e.id = about;
		break;
	}
	case EL_TITLE:
		push_content(p, f, at, CT_TEXT);
		break;
	case EL_LINK: {
		const char *rel = attr_get(p, at, "rel", 0);
		const char *type = attr_get(p, at, "type", 0);
		char *href = attr_get(p, at, "url", 0);

		if (!href || !*href)
			href = attr_get(p, at, "uri", 0);
		if (!href || !*href)
			href = attr_get(p, at, "href", 0);
		if (href) {
			enum ctype t;

			if (!rel)
				rel = "alternate";
			if (!type)
				type = !strcmp(rel, "self")
				    ? "application/atom+xml"
				    : "text/html";
			t = map_type(type, CT_HTML);
			if (!strcmp(rel, "alternate") &&
			    (t == CT_HTML || t == CT_XHTML) &&
			    strcasecmp(type, "text/plain") != 0)
				set_link(p,
				    feed__url_join(p->cur_base, href, p->a), 0);
		} else {
			start_capture(p, f);
		}
		break;
	}
	case EL_ID: {
		char *pl = attr_get(p, at, "ispermalink", 0);

		f->guidislink = !pl || !strcmp(pl, "true");
		start_capture(p, f);
		break;
	}
	case EL_AUTHOR:
		p->inauthor = 1;
		start_capture(p, f);
		break;
	case EL_NAME:
	case EL_EMAIL:
	case EL_URL:
		start_capture(p, f);
		break;
	case EL_CATEGORY:
	case EL_MEDIA_CATEGORY: {
		char *term = attr_get(p, at, "term", 0);
		const char *scheme = attr_get(p, at, "scheme", 0);
		char *label = attr_get(p, at, "label", 0);

		if (!scheme)
			scheme = attr_get(p, at, "domain", 0);
		if (!scheme && el == EL_MEDIA_CATEGORY)
			scheme = "http://search.yahoo.com/mrss/category_schema";
		add_tag(p, term, scheme, label);
		start_capture(p, f);
		break;
	}
	case EL_ITUNES_CATEGORY:
		add_tag(p, attr_get(p, at, "text", 0), "http://www.itunes.com/",
		    NULL);
		start_capture(p, f);
		break;
	case EL_KEYWORDS:
		start_capture(p, f);
		break;
	case EL_DESCRIPTION:
	case EL_SUMMARY:
		if (in_entry(p) && p->cur.has_summary && !p->cur.has_content) {
			f->el = EL_CONTENT;
			p->cur.has_content = 1;
			push_content(p, f, at, CT_TEXT);
		} else {
			push_content(p, f, at,
			    el == EL_DESCRIPTION ? CT_HTML : CT_TEXT);
		}
		break;
	case EL_ABSTRACT:
		f->el = EL_DESCRIPTION;
		push_content(p, f, at, CT_TEXT);
		break;
	case EL_CONTENT:
		if (in_entry(p))
			p->cur.has_content = 1;
		push_content(p, f, at, CT_TEXT);
		break;
	case EL_CONTENT_ENCODED:
		if (in_entry(p))
			p->cur.has_content = 1;
		f->el = EL_CONTENT;
		push_content(p, f, at, CT_HTML);
		break;
	case EL_BODY:
		f->el = EL_CONTENT;
		push_content(p, f, at, CT_XHTML);
		break;
	case EL_TEXTLIKE:
		push_content(p, f, at, CT_TEXT);
		break;
	case EL_PUBLISHED:
	case EL_UPDATED:
		start_capture(p, f);
		break;
	case EL_SOURCE:
		p->insource = 1;
		start_capture(p, f);
		break;
	case EL_IMAGE:
		p->inimage = 1;
		if (!p->inentry)
			p->feed_image = 1;
		break;
	case EL_TEXTINPUT:
		p->intextinput = 1;
		break;
	case EL_CONTRIBUTOR:
		p->incontributor = 1;
		break;
	case EL_PUBLISHER:
		p->inpublisher = 0;
		start_capture(p, f);
		break;
	case EL_OWNER:
		p->inpublisher = 1;
		break;
	case EL_OTHER:
		/* feedparser pushes unknown elements: their text is theirs */
		if (at.n == 0)
			start_capture(p, f);
		break;
	default:
		break;
	}
}

/*
 * feedparser's sanitizer drops script, style and applet elements with
 * what they hold from HTML text (a WordPress gallery puts a style sheet in
 * every item); the rest of the markup is kept. In place.
 */
static void
drop_unsafe(char *s, enum ctype t)
{
	static const char *const names[] = { "script", "style", "applet" };
	char *w = s;

	if (t != CT_HTML && t != CT_XHTML)
		return;
	/* most text has none: find the first before copying anything */
	for (s = strchr(s, '<'); s; s = strchr(s + 1, '<')) {
		size_t k = 0;

		/* (each name starts with an s or an a) */
		if ((s[1] | 0x20) != 's' && (s[1] | 0x20) != 'a')
			continue;
		for (; k < countof(names); k++)
			if (!strncasecmp(s + 1, names[k], strlen(names[k])) &&
			    !isalnum((unsigned char)s[1 + strlen(names[k])]))
				break;
		if (k < countof(names))
			break;
	}
	if (!s)
		return;
	w = s;
	while (*s) {
		size_t k = 0;
		const char *end = NULL;

		if (*s == '<')
			for (; k < countof(names); k++) {
				size_t n = strlen(names[k]);
				char close[16];

				if (strncasecmp(s + 1, names[k], n) ||
				    isalnum((unsigned char)s[1 + n]))
					continue;
				snprintf(close, sizeof(close), "</%s",
				    names[k]);
				for (const char *q = s + 1 + n; *q; q++)
					if (*q == '<' &&
					    !strncasecmp(q, close, n + 2)) {
						end = strchr(q, '>');
						break;
					}
				end = end ? end + 1 : s + strlen(s);
				break;
			}
		if (end) {
			s = (char *)(uintptr_t)end;
			continue;
		}
		*w++ = *s++;
	}
	*w = '\0';
}

static void
end_title(struct feed_parser *p, struct frame *f)
{
	char *v = pop_text(p, f, 0);
	int depth = (int)p->depth;

	drop_unsafe(v, (enum ctype)f->ctype);
	if (in_entry(p)) {
		if ((p->inimage && p->feed_image) || p->intextinput)
			return;
		if (!(p->cur.title_depth > 0 && p->cur.title_depth <= depth))
			store_depth(&p->cur.e.title, &p->cur.d_title, v, depth);
		if (*v)
			p->cur.title_depth = depth;
	} else if (in_feed(p)) {
		if (!(p->feed_title_depth > 0 && p->feed_title_depth <= depth))
			p->out.title = v;
		if (*v)
			p->feed_title_depth = depth;
	}
}

/*
 * The entry's author is feedparser's author_detail.name: from the first
 * author element's <name>, or, for a text author, the name in it; a later
 * author does not replace it, an author with only an e-mail has none.
 */
static void
end_author(struct feed_parser *p, struct frame *f)
{
	char *v = pop_text(p, f, 0);

	p->inauthor = 0;
	if (!in_entry(p))
		return;
	if (f->had_detail) {
		if (p->cur.d_author != -1)
			p->cur.e.author = NULL;
		p->cur.author_detail = 1;
		return;
	}
	if (p->cur.author_detail || !*v)
		return;
	p->cur.author_detail = 1;
	p->cur.e.author = author_name(p, v);
	p->cur.d_author = -1;
}

static void
mark_author_detail(struct feed_parser *p)
{
	for (size_t i = p->depth; i > 0; i--)
		if (p->st[i - 1].el == EL_AUTHOR) {
			p->st[i - 1].had_detail = 1;
			return;
		}
}

static void
end_content(struct feed_parser *p, struct frame *f, int summary_elem)
{
	char *v = pop_text(p, f, 0);

	if (f->ctype == CT_XHTML && !strcmp(p->version, "atom10"))
		v = strip_div(v);
	drop_unsafe(v, (enum ctype)f->ctype);
	if (!in_entry(p))
		return;
	if (summary_elem) {
		store_depth(&p->cur.e.summary, &p->cur.d_summary, v,
		    (int)p->depth);
		p->cur.has_summary = 1;
		return;
	}
	if (!p->cur.e.content)
		p->cur.e.content = v;
	if (f->ctype == CT_TEXT || f->ctype == CT_HTML ||
	    f->ctype == CT_XHTML) {
		if (!p->cur.has_summary) {
			p->cur.e.summary = v;
			p->cur.d_summary = (int)p->depth;
			p->cur.has_summary = 1;
		}
	}
}

static void
end_frame(struct feed_parser *p, const xmlChar *URI)
{
	struct frame *f = top(p);

	if (!f)
		return;
	switch ((enum el)f->el) {
	case EL_MARKUP:
		buf_adds(&p->text, "</");
		buf_adds(&p->text, f->name);
		buf_addch(&p->text, '>');
		break;
	case EL_CHANNEL:
	case EL_FEED:
		p->infeed = 0;
		break;
	case EL_ITEM:
		if (p->inentry)
			entry_end(p);
		break;
	case EL_TITLE:
		end_title(p, f);
		break;
	case EL_LINK:
		if (f->capture) {
			char *v = pop_text(p, f, 1);

			if (in_entry(p) && !p->inimage)
				set_link(p, fix_link_query(p, v), 0);
			else if (in_feed(p))
				set_link(p, fix_link_query(p, v), 0);
		}
		break;
	case EL_ID: {
		char *v = pop_text(p, f, f->guidislink);

		if (in_entry(p)) {
			store_depth(&p->cur.e.id, &p->cur.d_id, v,
			    (int)p->depth);
			if (f->guidislink)
				set_link(p, v, 1);
		} else if (in_feed(p)) {
			p->out.id = v;
			if (f->guidislink)
				set_link(p, v, 1);
		}
		break;
	}
	case EL_AUTHOR:
		end_author(p, f);
		break;
	case EL_NAME: {
		char *v = pop_text(p, f, 0);

		if (p->inpublisher || p->incontributor || !p->inauthor)
			break;
		mark_author_detail(p);
		if (in_entry(p)) {
			p->cur.e.author = v;
			p->cur.d_author = -1;
			p->cur.author_detail = 1;
		}
		break;
	}
	case EL_EMAIL:
		pop_text(p, f, 0);
		if (p->inauthor && !p->inpublisher && !p->incontributor) {
			mark_author_detail(p);
			if (in_entry(p))
				p->cur.author_detail = 1;
		}
		break;
	case EL_URL:
		pop_text(p, f, 0);
		if (p->inauthor && !p->inpublisher && !p->incontributor)
			mark_author_detail(p);
		break;
	case EL_CATEGORY:
	case EL_MEDIA_CATEGORY:
	case EL_ITUNES_CATEGORY: {
		char *v = pop_text(p, f, 0);
		struct entry_state *es = &p->cur;

		if (!*v || !in_entry(p))
			break;
		if (es->ntags && !es->tags[es->ntags - 1].term)
			es->tags[es->ntags - 1].term = v;
		else
			add_tag(p, v, NULL, NULL);
		break;
	}
	case EL_KEYWORDS: {
		char *v = pop_text(p, f, 0);
		int itunes = 0;

		if (URI && ns_of_uri((const char *)URI) == NS_ITUNES)
			itunes = 1;
		if (in_entry(p))
			split_tags(p, v,
			    itunes ? "http://www.itunes.com/" : NULL);
		break;
	}
	case EL_DESCRIPTION:
	case EL_SUMMARY:
		end_content(p, f, 1);
		break;
	case EL_CONTENT:
		end_content(p, f, 0);
		break;
	case EL_PUBLISHED:
	case EL_UPDATED:
		set_date(p, pop_text(p, f, 0), f->el == EL_PUBLISHED);
		break;
	case EL_SOURCE:
		pop_text(p, f, 0);
		p->insource = 0;
		break;
	case EL_IMAGE:
		p->inimage = 0;
		break;
	case EL_TEXTINPUT:
		p->intextinput = 0;
		break;
	case EL_CONTRIBUTOR:
		p->incontributor = 0;
		break;
	case EL_OWNER:
		p->inpublisher = 0;
		break;
	default:
		if (f->capture)
			pop_text(p, f, 0);
		break;
	}
	p->cap = f->prev_cap;
	p->depth--;
	if (p->depth && p->st[p->depth - 1].base && *p->st[p->depth - 1].base)
		p->cur_base = p->st[p->depth - 1].base;
}

/*
 * An end tag closes the innermost open element of its name, and those
 * inside it; an end tag nothing open matches is ignored, as an HTML
 * parser (and feedparser's loose one) would. libxml2 reports the element
 * it closed, so the written name comes from its mismatch error.
 */
static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *URI)
{
	struct feed_parser *p = ctx;
	const char *want = (const char *)localname;
	size_t i;

	(void)prefix;
	keep_reading_entities(p);
	if (p->overflow) {
		p->overflow--;
		return;
	}
	if (p->end_name[0]) {
		const char *c = strchr(p->end_name, ':');

		want = c ? c + 1 : p->end_name;
	}
	for (i = p->depth; i > 0; i--)
		if (!want || (const char *)p->st[i - 1].lname == want ||
		    !strcmp((const char *)p->st[i - 1].lname, want))
			break;
	p->end_name[0] = '\0';
	if (i == 0)
		return;
	while (p->depth >= i)
		end_frame(p, URI);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	on_characters(ctx, ch, len);
}

/* A CDATA section fix_amps() took out (struct cdata_pass); any other
 * processing instruction is ignored. */
static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	struct feed_parser *p = ctx;
	struct span t;

	(void)data;
	if (strcmp((const char *)target, "dwcdata") != 0 ||
	    p->cd.next >= p->cd.n)
		return;
	t = p->cd.v[p->cd.next++];
	on_cdata(ctx, (const xmlChar *)t.p, (int)t.len);
}

/*
 * Entities: the five of XML are libxml2's; HTML's are answered here, with
 * a warning; internal ones are kept only when they expand to plain text
 * (feedparser's "safe" entities), so no expansion can grow.
 */
static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	struct feed_parser *p = ctx;
	const char *n = (const char *)name;
	const char *v;

	keep_reading_entities(p);
	for (size_t i = 0; i < p->nents; i++)
		if (!strcmp(p->ents[i].name, n))
			return &p->ents[i].ent;
	v = feed__html_entity(n, strlen(n), p->html_val);
	if (!v)
		return NULL;
	warnf(p, "line %d: undefined entity &%s; (recovered)", line_no(p), n);
	memset(&p->html_ent, 0, sizeof(p->html_ent));
	p->html_ent.type = XML_ENTITY_DECL;
	p->html_ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	p->html_ent.name = name;
	p->html_ent.content = (xmlChar *)p->html_val;
	p->html_ent.orig = (xmlChar *)p->html_val;
	p->html_ent.length = (int)strlen(p->html_val);
	return &p->html_ent;
}

static void
on_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *publicId, const xmlChar *systemId, xmlChar *content)
{
	struct feed_parser *p = ctx;
	struct safe_entity *e;

	(void)publicId;
	if (type != XML_INTERNAL_GENERAL_ENTITY || systemId || !content ||
	    strchr((const char *)content, '&') ||
	    strchr((const char *)content, '%') ||
	    strlen((const char *)name) >= sizeof(e->name) ||
	    strlen((const char *)content) > 1024) {
		warnf(p,
		    "line %d: entity '%s' not declared: only plain-text "
		    "internal entities are (recovered)",
		    line_no(p), (const char *)name);
		return;
	}
	if (p->nents >= FEED_MAX_ENTITIES)
		return;
	if (!p->ents)
		p->ents = xcalloc(FEED_MAX_ENTITIES, sizeof(*p->ents));
	e = &p->ents[p->nents++];
	snprintf(e->name, sizeof(e->name), "%s", (const char *)name);
	e->ent.type = XML_ENTITY_DECL;
	e->ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	e->ent.name = (const xmlChar *)e->name;
	e->ent.content = (xmlChar *)arena_strdup(p->a, (const char *)content);
	e->ent.orig = e->ent.content;
	e->ent.length = (int)strlen((const char *)content);
}

static int
has_netscape(const char *s)
{
	for (; s && *s; s++)
		if (strncasecmp(s, "netscape", 8) == 0)
			return 1;
	return 0;
}

static void
on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ExternalID,
    const xmlChar *SystemID)
{
	struct feed_parser *p = ctx;

	(void)name;
	if (has_netscape((const char *)ExternalID) ||
	    has_netscape((const char *)SystemID))
		p->netscape = 1;
}

static xmlParserInputPtr
on_resolve_entity(void *ctx, const xmlChar *publicId, const xmlChar *systemId)
{
	struct feed_parser *p = ctx;

	(void)publicId;
	warnf(p, "line %d: external entity '%s' not loaded (recovered)",
	    line_no(p), systemId ? (const char *)systemId : "");
	return NULL;
}

static void
on_reference(void *ctx, const xmlChar *name)
{
	struct feed_parser *p = ctx;
	struct frame *f = capturing(p);

	if (!f)
		return;
	add_text(p, "&", 1, 0);
	add_text(p, (const char *)name, strlen((const char *)name), 0);
	add_text(p, ";", 1, 0);
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct feed_parser *p = ctx;

	if (!e)
		return;
	/* an undefined entity stays as text, as feedparser keeps it */
	if (e->code == XML_ERR_UNDECLARED_ENTITY && e->str1) {
		/* in content only: an attribute's is not the text's */
		if (p->ctxt && p->ctxt->instate == XML_PARSER_CONTENT)
			on_reference(p, (const xmlChar *)e->str1);
		warnf(p,
		    "line %d: undefined entity &%s; kept as text "
		    "(recovered)",
		    e->line, e->str1);
		return;
	}
	if (e->code == XML_ERR_TAG_NAME_MISMATCH && e->str2)
		snprintf(p->end_name, sizeof(p->end_name), "%s", e->str2);
	if (e->level == XML_ERR_WARNING)
		return;
	{
		const char *m = e->message ? e->message : "malformed XML";
		int n = (int)strlen(m);

		while (n && is_space((unsigned char)m[n - 1]))
			n--;
		warnf(p, "line %d: %.*s (recovered)", e->line, n, m);
	}
}

static void
sax_init(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->characters = on_characters;
	/* (the same callback: libxml2 then does not ask whether blanks
	 * are ignorable, which without a tree they never are) */
	sax->ignorableWhitespace = on_characters;
	sax->cdataBlock = on_cdata;
	sax->getEntity = on_get_entity;
	sax->entityDecl = on_entity_decl;
	sax->internalSubset = on_internal_subset;
	sax->resolveEntity = on_resolve_entity;
	sax->reference = on_reference;
	sax->processingInstruction = on_pi;
	sax->serror = on_error;
}

/*
 * The parser object.
 */
struct feed_parser *
fetch_feed_parser_new(const char *base_url, const char *encoding,
    int (*on_entry)(const struct feed_entry *e, void *arg), void *arg,
    struct arena *a)
{
	size_t bl = base_url ? strlen(base_url) : 0;
	struct feed_parser *p = xcalloc(1, sizeof(*p) + bl);

	/* a base with a scheme feedparser refuses (javascript:) is none */
	if (base_url && (feed__url_safe(base_url) || !strchr(base_url, ':')))
		memcpy(p->base, base_url, bl + 1);
	if (a) {
		p->a = a;
	} else {
		arena_init(&p->own, 0);
		p->a = &p->own;
	}
	p->on_entry = on_entry;
	p->arg = arg;
	p->cur_base = p->base;
	buf_init(&p->text, 0);
	buf_init(&p->decoded, 0);
	buf_init(&p->fixed, 0);
	buf_init(&p->hold, 0);
	buf_init(&p->head, 0);
	if (encoding) {
		snprintf(p->enc, sizeof(p->enc), "%s", encoding);
		p->forced_enc = 1;
	}
	return p;
}

/* Start libxml2 on the document's first bytes (4 KiB at least unless
 * that is all); *skip: the bytes of a byte-order mark to drop. */
static int
start_parser(struct feed_parser *p, struct span first, size_t *skip,
    struct buf *err)
{
	xmlSAXHandler sax;
	struct feed_enc fe;

	if (!p->forced_enc) {
		feed__choose_encoding(&fe, first, NULL);
		snprintf(p->enc, sizeof(p->enc), "%s", fe.name);
		*skip = fe.skip;
	} else {
		/* the caller chose; drop a byte-order mark all the same */
		*skip = feed__bom_skip(first);
	}
	if (feed__decoder_open(&p->dec, p->enc) != DW_OK) {
		warnf(p, "unknown encoding '%s', read as utf-8", p->enc);
		feed__decoder_open(&p->dec, "utf-8");
	}
	sax_init(&sax);
	p->ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL);
	if (!p->ctxt) {
		buf_setf(err, "cannot create XML parser");
		return DW_ERR;
	}
	xmlCtxtUseOptions(p->ctxt,
	    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC |
	        XML_PARSE_NOWARNING);
	p->ctxt->replaceEntities = 0;
	p->ctxt->loadsubset = 0;
	p->ctxt->validate = 0;
	p->started = 1;
	return DW_OK;
}

static int
name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == ':' || c == '.' || c == '-' ||
	    c >= 0x80;
}

/*
 * Length of the reference at s ("&name;", "&#38;", "&#x26;"), 0 when '&'
 * starts none, -1 when the text ends before it can tell.
 */
static long
ref_len(const char *s, size_t n)
{
	size_t i = 1;

	if (i >= n)
		return -1;
	if (s[i] == '#') {
		int hex;

		if (++i >= n)
			return -1;
		hex = s[i] == 'x';
		if (hex && ++i >= n)
			return -1;
		for (size_t k = i; k < n && k < i + 10; k++) {
			if (s[k] == ';')
				return k > i ? (long)(k + 1) : 0;
			if (!(hex ? isxdigit((unsigned char)s[k])
			          : isdigit((unsigned char)s[k])))
				return 0;
		}
		return n < i + 10 ? -1 : 0;
	}
	if (!isalpha((unsigned char)s[i]) && s[i] != '_' && s[i] != ':' &&
	    (unsigned char)s[i] < 0x80)
		return 0;
	for (size_t k = i; k < n && k < i + 40; k++) {
		if (s[k] == ';')
			return (long)(k + 1);
		if (!name_char((unsigned char)s[k]))
			return 0;
	}
	return n < i + 40 ? -1 : 0;
}

/*
 * A reference of r bytes at s + i inside a start tag. An entity no DTD
 * declares (&nbsp;, &bogus;) stays as text, as feedparser keeps it in an
 * attribute: libxml2 would drop it, or keep one byte of its expansion.
 */
static void
attr_entity(struct feed_parser *p, struct buf *o, const char *s, size_t *run,
    size_t i, size_t r)
{
	static const char *const xml5[] = { "amp", "lt", "gt", "quot", "apos" };
	const char *name = s + i + 1;
	size_t nl = r - 2;

	if (*name == '#')
		return;
	for (size_t k = 0; k < countof(xml5); k++)
		if (strlen(xml5[k]) == nl && !memcmp(name, xml5[k], nl))
			return;
	for (size_t k = 0; k < p->nents; k++)
		if (strlen(p->ents[k].name) == nl &&
		    !memcmp(p->ents[k].name, name, nl))
			return;
	buf_add(o, s + *run, i - *run);
	buf_adds(o, "&amp;");
	*run = i + 1;
	p->attr_entities++;
}

/*
 * Whether libxml2 accepts the text of a CDATA section as it is (no
 * control character but tab, line feed and carriage return, valid UTF-8,
 * no U+FFFE or U+FFFF: its xmlCheckCdataPush), with its line feeds
 * counted in *nl.
 */
static int
cdata_ok(const unsigned char *t, size_t n, size_t *nl)
{
	size_t i = 0, lines = 0;

	while (i < n) {
		uint64_t w, lo;

		/* 32, then 8 bytes at a time while they are printable
		 * ASCII (no byte below 0x20 or above 0x7f) */
#ifdef __SSE2__
		if (n - i >= 32) {
			/* signed: a byte above 0x7f is below 0x20 too */
			const __m128i sp = _mm_set1_epi8(0x20);
			const __m128i *q =
			    (const __m128i *)(const void *)(t + i);

			if (!_mm_movemask_epi8(
			        _mm_or_si128(_mm_cmplt_epi8(_mm_loadu_si128(q),
			                         sp),
			            _mm_cmplt_epi8(_mm_loadu_si128(q + 1),
			                sp)))) {
				i += 32;
				continue;
			}
		}
#else
		if (n - i >= 32) {
			uint64_t a[4], any = 0;

			memcpy(a, t + i, 32);
			for (int k = 0; k < 4; k++)
				any |= (a[k] - 0x2020202020202020ULL) | a[k];
			if ((any & 0x8080808080808080ULL) == 0) {
				i += 32;
				continue;
			}
		}
#endif
		if (n - i >= 8) {
			memcpy(&w, t + i, 8);
			lo = (w - 0x2020202020202020ULL) & ~w;
			if (((lo | w) & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (t[i] < 0x20) {
			if (t[i] == '\n')
				lines++;
			else if (t[i] != '\t' && t[i] != '\r')
				return 0;
			i++;
		} else if (t[i] < 0x80) {
			i++;
		} else {
			size_t k = utf8_seq_len(t + i, n - i);

			if (!k ||
			    (k == 3 && t[i] == 0xef && t[i + 1] == 0xbf &&
			        t[i + 2] >= 0xbe))
				return 0;
			i += k;
		}
	}
	*nl = lines;
	return 1;
}

/*
 * A CDATA section ending at f (its "]]>") in the piece s, when
 * struct cdata_pass allows: written to o as a processing instruction
 * instead, its text kept for on_pi(). The new start of the bytes still to
 * copy (run). A comment ending at f is only looked at.
 */
static size_t
cdata_take(struct feed_parser *p, struct buf *o, const char *s, size_t run,
    const char *f)
{
	struct cdata_pass *cd = &p->cd;
	const char *t = s + cd->start;
	size_t nl;

	if (cd->unsure)
		return run;
	/* libxml2 ends a comment, and stops at a CDATA section, where a
	 * character is not allowed */
	if (!cdata_ok((const unsigned char *)t, (size_t)(f - t), &nl)) {
		cd->unsure = 1;
		return run;
	}
	if (p->amp_state != 1 || cd->closed || cd->depth <= 0 ||
	    cd->start < run + 9)
		return run;
	if (cd->n == cd->cap) {
		cd->cap = cd->cap ? cd->cap * 2 : 16;
		cd->v = xreallocarray(cd->v, cd->cap, sizeof(*cd->v));
	}
	cd->v[cd->n++] = (struct span){ t, (size_t)(f - t) };
	buf_add_inline(o, s + run, cd->start - 9 - run);
	buf_add_inline(o, "<?dwcdata", 9);
	while (nl--)
		buf_addch(o, '\n');
	buf_add_inline(o, "?>", 2);
	return (size_t)(f - s) + 3;
}

/*
 * Markup at s + i ('<') that is no start tag, CDATA section or comment,
 * as struct cdata_pass follows it: an end tag closes an element; a
 * processing instruction holding a '<' or a DOCTYPE (maybe with
 * declarations) leaves it unsure where libxml2 is.
 */
static void
cdata_markup(struct feed_parser *p, const char *s, size_t i, size_t n)
{
	struct cdata_pass *cd = &p->cd;

	if (i + 1 >= n)
		return;
	if (s[i + 1] == '/') {
		if (--cd->depth <= 0)
			cd->closed = 1;
	} else if (s[i + 1] == '!') {
		cd->unsure = 1;
	} else if (s[i + 1] == '?') {
		const char *e = s + i + 2, *end = s + n;
		size_t nl;

		/* its end, "?>" */
		while ((e = memchr(e, '?', (size_t)(end - e))) &&
		    (e + 1 >= end || e[1] != '>'))
			e++;
		if (n - i >= 9 && !memcmp(s + i, "<?dwcdata", 9))
			cd->clash = 1;
		if (!e || memchr(s + i + 1, '<', (size_t)(e - (s + i + 1))) ||
		    !cdata_ok((const unsigned char *)s + i + 2,
		        (size_t)(e - (s + i + 2)), &nl))
			cd->unsure = 1;
	}
}

/* Past the bytes from i that mean nothing inside a tag: up to a '>',
 * '<', quote or '&' (16 at a time with SSE2). */
static size_t
tag_plain(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i gt = _mm_set1_epi8('>'), lt = _mm_set1_epi8('<');
	const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
	const __m128i amp = _mm_set1_epi8('&');

	while (i + 16 <= n) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt),
		                     _mm_cmpeq_epi8(v, lt)),
		        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dq),
		                         _mm_cmpeq_epi8(v, sq)),
		            _mm_cmpeq_epi8(v, amp))));

		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < n && s[i] != '>' && s[i] != '<' && s[i] != '"' &&
	    s[i] != '\'' && s[i] != '&')
		i++;
	return i;
}

/*
 * A bare '&' (not starting a reference) is read as text, as feedparser
 * reads it, instead of being dropped with the word after it: it is
 * escaped before libxml2 sees it, outside CDATA sections and comments.
 * Bytes that cannot be judged yet wait in p->hold for the next piece.
 * What may be parsed now: in itself when nothing was escaped (nothing
 * copied), else p->fixed.
 */
static struct span
fix_amps(struct feed_parser *p, const char *in, size_t n, int last)
{
	struct span ready;
	struct buf *o = &p->fixed;
	const char *s, *na = NULL, *nt = NULL; /* next '&' and '<'; end: none */
	size_t i = 0, run = 0;

	buf_reset(o);
	if (p->hold.len) {
		buf_add(&p->hold, in, n);
		s = p->hold.data;
		n = p->hold.len;
	} else {
		s = in;
	}
	while (i < n) {
		if (p->amp_state >= 3) {
			/*
			 * Inside a start tag: libxml2 copies one byte of an
			 * entity's text into an attribute, so HTML entities
			 * there become character references first.
			 */
			int stop = 0;

			for (; i < n && !stop; i++) {
				char c;

				i = tag_plain(s, i, n);
				if (i >= n)
					break;
				c = s[i];
				if (p->amp_state == 3 && c == '>') {
					p->amp_state = 0, stop = 1;
					/* an empty element: nothing stays open */
					if (i && s[i - 1] == '/')
						p->cd.depth--;
				} else if (c == '<') {
					p->cd.unsure = 1;
				} else if (p->amp_state == 3 && c == '"')
					p->amp_state = 4;
				else if (p->amp_state == 3 && c == '\'')
					p->amp_state = 5;
				else if ((p->amp_state == 4 && c == '"') ||
				    (p->amp_state == 5 && c == '\''))
					p->amp_state = 3;
				else if (c == '&') {
					long r = ref_len(s + i, n - i);

					if (r < 0 && !last) {
						stop = 2;
						break;
					}
					if (r <= 0) {
						buf_add(o, s + run, i - run);
						buf_adds(o, "&amp;");
						p->bare_amps++;
						run = i + 1;
					} else {
						attr_entity(p, o, s, &run, i,
						    (size_t)r);
						i += (size_t)r - 1;
					}
				}
			}
			if (stop == 2)
				break;
			continue;
		}
		if (p->amp_state) {
			const char *end = p->amp_state == 1 ? "]]>" : "-->";
			const char *f = NULL;

			/* memchr for the first byte, then compare */
			for (const char *q = s + i; q + 2 < s + n;) {
				q = memchr(q, end[0], (size_t)(s + n - 2 - q));
				if (!q)
					break;
				if (q[1] == end[1] && q[2] == end[2]) {
					f = q;
					break;
				}
				q++;
			}
			if (!f) {
				i = last || n - i < 2 ? n : n - 2;
				break;
			}
			if (p->cd.on)
				run = cdata_take(p, o, s, run, f);
			i = (size_t)(f - s) + 3;
			p->amp_state = 0;
			continue;
		}
		/* memchr is fast; each is searched again only once passed */
		if (!na || na < s + i) {
			na = memchr(s + i, '&', n - i);
			if (!na)
				na = s + n;
		}
		if (!nt || nt < s + i) {
			nt = memchr(s + i, '<', n - i);
			if (!nt)
				nt = s + n;
		}
		i = (size_t)(MIN(na, nt) - s);
		if (i >= n)
			break;
		if (s[i] == '<') {
			if (n - i < 9 && !last)
				break;
			if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
				p->amp_state = 1;
				i += 9;
				p->cd.start = i;
			} else if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
				p->amp_state = 2;
				i += 4;
				p->cd.start = i;
			} else if (i + 1 < n &&
			    (((s[i + 1] | 0x20) >= 'a' &&
			         (s[i + 1] | 0x20) <= 'z') ||
			        s[i + 1] == '_' || s[i + 1] == ':' ||
			        (unsigned char)s[i + 1] >= 0x80)) {
				p->amp_state = 3;
				p->cd.depth++;
				i++;
			} else {
				cdata_markup(p, s, i, n);
				i++;
			}
			continue;
		}
		{
			long r = ref_len(s + i, n - i);

			if (r < 0 && !last)
				break;
			if (r > 0) {
				i += (size_t)r;
				continue;
			}
			buf_add_inline(o, s + run, i - run);
			buf_adds(o, "&amp;");
			p->bare_amps++;
			i++;
			run = i;
		}
	}
	if (run == 0 && s == in) {
		ready = (struct span){ in, i };
	} else {
		buf_add_inline(o, s + run, i - run);
		ready = buf_span(o);
	}
	{
		/* what was not judged waits, moved to the front of hold */
		size_t rest = n - i;

		if (s == p->hold.data) {
			memmove(p->hold.data, p->hold.data + i, rest);
			p->hold.len = rest;
			p->hold.data[rest] = '\0';
		} else {
			buf_reset(&p->hold);
			buf_add(&p->hold, s + i, rest);
		}
	}
	return ready;
}

/* Feed decoded UTF-8 to libxml2 (which ignores the declaration's
 * encoding: XML_PARSE_IGNORE_ENC). */
static void
parse_utf8(struct feed_parser *p, const char *s, size_t n, int last)
{
	struct span ready;

	if (p->failed)
		return;
	p->cd.on = last && p->parses++ == 0 && !p->hold.len;
	{
		size_t amps = p->bare_amps, ents = p->attr_entities;

		/* the whole document: its sections' pass copies it once, in
		 * one allocation instead of a doubling each */
		if (p->cd.on)
			buf_grow(&p->fixed, n);
		ready = fix_amps(p, s, n, last);
		if (p->cd.clash && p->cd.n) {
			/* its own <?dwcdata?> would be taken for ours */
			p->bare_amps = amps;
			p->attr_entities = ents;
			p->amp_state = 0;
			buf_reset(&p->hold);
			p->cd.on = 0;
			p->cd.n = 0;
			ready = fix_amps(p, s, n, last);
		}
	}
	xmlParseChunk(p->ctxt, ready.p, (int)ready.len, last);
}

int
fetch_feed_parser_push(struct feed_parser *p, const char *data, size_t len,
    int last, struct buf *err)
{
	size_t skip;
	int rc;

	if (!p->started) {
		/* The first 4 KiB choose the encoding: kept until they are
		 * here, unless they came in one piece. */
		if (p->head.len || (len < 4096 && !last)) {
			buf_add(&p->head, data, len);
			if (p->head.len < 4096 && !last)
				return DW_OK;
			data = p->head.data;
			len = p->head.len;
		}
		rc = start_parser(p, (struct span){ data, len }, &skip, err);
		if (rc != DW_OK)
			return rc;
		data += skip;
		len -= skip;
	}
	while (len || last) {
		/* A whole document goes in at once: libxml2 then parses
		 * without looking ahead for the ends of tags. */
		size_t n = last ? len : MIN(len, FEED_CHUNK);
		int fin = last && n == len;
		struct span u;

		/* the whole document, known valid: nothing to check again */
		if (p->utf8_valid && fin && !p->parses && !p->dec.cd &&
		    !p->dec.npend)
			u = (struct span){ data, n };
		else
			u = feed__decoder_span(&p->dec, &p->decoded, data, n,
			    fin);

		parse_utf8(p, u.p, u.len, fin);
		data += n;
		len -= n;
		if (fin)
			break;
	}
	if (last && p->started && !p->failed) {
		/*
		 * A document cut short (an unclosed CDATA section, a lost end
		 * tag) still yields what was read: open elements are closed
		 * as feedparser's loose parser would.
		 */
		p->overflow = 0;
		while (p->depth)
			end_frame(p, NULL);
	}
	if (p->started && p->head.len) {
		buf_release(&p->head);
		buf_init(&p->head, 0);
	}
	return DW_OK;
}

static const char *
contract_format(const char *v)
{
	/* clang-format off */
	static const struct { const char *fp, *ours; } map[] = {
		{ "atom", "atom" }, { "atom01", "atom" },
		{ "atom02", "atom" }, { "atom03", "atom0.3" },
		{ "atom10", "atom1.0" }, { "rss", "rss" },
		{ "rss090", "rss0.90" }, { "rss091n", "rss0.91" },
		{ "rss091u", "rss0.91" }, { "rss092", "rss0.92" },
		{ "rss093", "rss0.93" }, { "rss094", "rss0.94" },
		{ "rss10", "rss1.0" }, { "rss20", "rss2.0" },
	};
	/* clang-format on */
	for (size_t i = 0; i < countof(map); i++)
		if (!strcmp(v, map[i].fp))
			return map[i].ours;
	return "";
}

int
fetch_feed_parser_finish(struct feed_parser *p, struct feed *out,
    const char *name, struct buf *err)
{
	struct feed *f = &p->out;

	if (!p->started || !p->root_seen) {
		buf_setf(err, "cannot parse feed '%s': no XML elements",
		    name ? name : "(input)");
		return DW_EPARSE;
	}
	if (p->dec.bad)
		warnf(p, "%zu bytes not valid %s replaced (recovered)",
		    p->dec.bad, p->enc);
	if (p->bare_amps)
		warnf(p, "%zu bare '&' read as text (recovered)", p->bare_amps);
	if (p->attr_entities)
		warnf(p,
		    "%zu undefined entities in attributes kept as text "
		    "(recovered)",
		    p->attr_entities);
	if (!p->version[0] && (p->nentries || !strcmp(p->root, "channel")))
		snprintf(p->version, sizeof(p->version), "rss");
	if (!p->version[0]) {
		buf_setf(err,
		    "cannot parse feed '%s': not RSS or Atom (root "
		    "element <%s>)",
		    name ? name : "(input)", p->root);
		return DW_EPARSE;
	}
	snprintf(f->format, sizeof(f->format), "%s",
	    contract_format(p->version));
	snprintf(f->encoding, sizeof(f->encoding), "%s", p->enc);
	if (p->more_warnings)
		warnf(p, "%zu more warnings", p->more_warnings);
	p->nwarnings = MIN(p->nwarnings, (size_t)FEED_MAX_WARNINGS + 1);
	f->warnings = NEW(p->a, char *, p->nwarnings ? p->nwarnings : 1);
	for (size_t i = 0; f->warnings && i < p->nwarnings; i++)
		f->warnings[i] = arena_strdup(p->a, p->warnings[i]);
	f->nwarnings = f->warnings ? p->nwarnings : 0;
	if (!p->on_entry && p->nentries) {
		f->entries = NEW(p->a, struct feed_entry, p->nentries);
		if (f->entries)
			memcpy(f->entries, p->entries,
			    p->nentries * sizeof(*f->entries));
	}
	f->nentries = p->nentries;
	if (p->a->full) {
		buf_setf(err, "cannot parse feed '%s': too large",
		    name ? name : "(input)");
		return DW_ETOOBIG;
	}
	*out = *f;
	return DW_OK;
}

void
fetch_feed_parser_free(struct feed_parser *p)
{
	if (!p)
		return;
	if (p->ctxt) {
		/* libxml2 may build a document for an internal subset */
		if (p->ctxt->myDoc)
			xmlFreeDoc(p->ctxt->myDoc);
		xmlFreeParserCtxt(p->ctxt);
	}
	feed__decoder_close(&p->dec);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	free(p->entries);
	free(p->st);
	free(p->ents);
	free(p->cd.v);
	buf_release(&p->text);
	buf_release(&p->decoded);
	buf_release(&p->fixed);
	buf_release(&p->hold);
	buf_release(&p->head);
	if (p->a == &p->own)
		arena_release(&p->own);
	free(p);
}

int
fetch_feed_parse(struct feed *out, struct span doc, const char *base_url,
    const char *content_type, struct arena *a, struct buf *err)
{
	struct feed_enc fe;
	struct feed_parser *p;
	int rc;

	memset(out, 0, sizeof(*out));
	feed__choose_encoding(&fe, doc, content_type);
	p = fetch_feed_parser_new(base_url, fe.name, NULL, NULL, a);
	p->utf8_valid = fe.utf8_valid;
	rc = fetch_feed_parser_push(p, doc.p, doc.len, 1, err);
	if (rc == DW_OK) {
		if (fe.declared_diff)
			warnf(p,
			    "document is not valid %s: read as %s "
			    "(recovered)",
			    fe.first, fe.name);
		if (fe.http[0] && fe.xml[0] && strcasecmp(fe.http, fe.xml) &&
		    !strcasecmp(fe.first, fe.http))
			warnf(p, "HTTP charset %s overrides the declared %s",
			    fe.http, fe.xml);
		else if (fe.xml[0] && strcasecmp(fe.first, fe.xml) &&
		    !fe.declared_diff)
			warnf(p,
			    "the content type's %s overrides the declared "
			    "%s",
			    fe.first, fe.xml);
		rc = fetch_feed_parser_finish(p, out, base_url, err);
	}
	fetch_feed_parser_free(p);
	return rc;
}

/*
 * JSON as CONTRACT.md's `feed parse` has it.
 */
static void
json_date(struct buf *b, const char *d)
{
	if (d[0])
		buf_json_str(b, d);
	else
		buf_adds(b, "null");
}

void
fetch_feed_entry_json(struct buf *b, const struct feed_entry *e)
{
	buf_adds(b, "{\"id\": ");
	buf_json_str(b, e->id);
	buf_adds(b, ", \"title\": ");
	buf_json_str(b, e->title);
	buf_adds(b, ", \"link\": ");
	buf_json_str(b, e->link);
	buf_adds(b, ", \"published\": ");
	json_date(b, e->published);
	buf_adds(b, ", \"updated\": ");
	json_date(b, e->updated);
	buf_adds(b, ", \"author\": ");
	buf_json_str(b, e->author);
	buf_adds(b, ", \"summary\": ");
	buf_json_str(b, e->summary);
	buf_adds(b, ", \"content\": ");
	buf_json_str(b, e->content);
	buf_adds(b, ", \"categories\": [");
	for (size_t j = 0; j < e->ncategories; j++) {
		if (j)
			buf_adds(b, ", ");
		buf_json_str(b, e->categories[j]);
	}
	buf_adds(b, "]}");
}

void
fetch_feed_json(struct buf *b, const struct feed *f)
{
	buf_adds(b, "{\"format\": ");
	buf_json_str(b, f->format);
	buf_adds(b, ", \"encoding\": ");
	buf_json_str(b, f->encoding);
	buf_adds(b, ", \"title\": ");
	buf_json_str(b, f->title);
	buf_adds(b, ", \"link\": ");
	buf_json_str(b, f->link);
	buf_adds(b, ", \"id\": ");
	buf_json_str(b, f->id);
	buf_adds(b, ",\n \"entries\": [");
	for (size_t i = 0; i < f->nentries; i++) {
		buf_adds(b, i ? ",\n   " : "\n   ");
		fetch_feed_entry_json(b, &f->entries[i]);
	}
	buf_adds(b,
	    f->nentries ? "\n ],\n \"warnings\": [" : "],\n \"warnings\": [");
	for (size_t i = 0; i < f->nwarnings; i++) {
		if (i)
			buf_adds(b, ", ");
		buf_json_str(b, f->warnings[i]);
	}
	buf_adds(b, "]}\n");
}
