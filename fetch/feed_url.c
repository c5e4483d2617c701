/*
 * feed_url.c: relative references made absolute the way feedparser does it
 * (Python's urljoin, RFC 3986 dot-segment removal, and feedparser's fix
 * for "http:////host"). No percent-encoding is added or removed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/feed_internal.h"

struct url {
	struct span scheme, netloc, path, query, frag;
	int has_netloc, has_query, has_frag;
};

/* clang-format off */
/* Sorted: schemes that take relative references (Python's uses_relative). */
static const char *const relative_schemes[] = {
	"", "file", "ftp", "gopher", "http", "https", "imap", "mms", "nntp",
	"prospero", "rtsp", "rtspu", "sftp", "shttp", "svn", "svn+ssh",
	"wais", "ws", "wss",
};
/* Schemes feedparser accepts for a base (ACCEPTABLE_URI_SCHEMES). */
static const char *const safe_schemes[] = {
	"aim", "callto", "cvs", "facetime", "feed", "file", "ftp", "git",
	"gopher", "gtalk", "h323", "hdl", "http", "https", "imap", "irc",
	"irc6", "ircs", "itms", "magnet", "mailto", "mms", "msnim", "mvn",
	"news", "nntp", "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp",
	"sip", "sips", "skype", "smb", "snews", "ssh", "svn", "svn+ssh",
	"telnet", "wais", "ymsg",
};
/* clang-format on */

static int
in_list(struct span s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((!s.len || list[i][0] == s.p[0]) &&
		    strlen(list[i]) == s.len &&
		    strncmp(list[i], s.p, s.len) == 0)
			return 1;
	return 0;
}

static void
url_split(struct url *u, const char *s, struct span default_scheme)
{
	const char *p = s, *end = s + strlen(s);
	const char *colon = strchr(s, ':');

	memset(u, 0, sizeof(*u));
	u->scheme = default_scheme;
	if (colon && colon > s && isalpha((unsigned char)s[0])) {
		const char *q = s;

		while (q < colon &&
		    (isalnum((unsigned char)*q) || *q == '+' || *q == '-' ||
		        *q == '.'))
			q++;
		if (q == colon) {
			u->scheme = (struct span){ s, (size_t)(colon - s) };
			p = colon + 1;
		}
	}
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		const char *q = p + 2;

		while (q < end && *q != '/' && *q != '?' && *q != '#')
			q++;
		u->netloc = (struct span){ p + 2, (size_t)(q - p - 2) };
		u->has_netloc = 1;
		p = q;
	}
	{
		const char *h = memchr(p, '#', (size_t)(end - p));

		if (h) {
			u->frag = (struct span){ h + 1, (size_t)(end - h - 1) };
			u->has_frag = 1;
			end = h;
		}
	}
	{
		const char *qm = memchr(p, '?', (size_t)(end - p));

		if (qm) {
			u->query =
			    (struct span){ qm + 1, (size_t)(end - qm - 1) };
			u->has_query = 1;
			end = qm;
		}
	}
	u->path = (struct span){ p, (size_t)(end - p) };
}

/* The parts of u, with path, as one string in a (the scheme in lower
 * case, an empty query or fragment left out), written in place. */
static char *
url_unsplit(const struct url *u, struct span path, struct arena *a)
{
	int netloc = u->netloc.len || (u->scheme.len && u->has_netloc);
	int slash = netloc && path.len && path.p[0] != '/';
	int query = u->has_query && u->query.len;
	int frag = u->has_frag && u->frag.len;
	size_t n = (u->scheme.len ? u->scheme.len + 1 : 0) +
	    (netloc ? 2 + u->netloc.len + (size_t)slash : 0) + path.len +
	    (query ? 1 + u->query.len : 0) + (frag ? 1 + u->frag.len : 0);
	char *r = arena_alloc_uninit(a, 1, 1, n + 1), *w = r;

	if (!r)
		return NULL;
	if (u->scheme.len) {
		for (size_t i = 0; i < u->scheme.len; i++)
			*w++ = (char)tolower((unsigned char)u->scheme.p[i]);
		*w++ = ':';
	}
	if (netloc) {
		*w++ = '/';
		*w++ = '/';
		memcpy(w, u->netloc.p, u->netloc.len);
		w += u->netloc.len;
		if (slash)
			*w++ = '/';
	}
	memcpy(w, path.p, path.len);
	w += path.len;
	if (query) {
		*w++ = '?';
		memcpy(w, u->query.p, u->query.len);
		w += u->query.len;
	}
	if (frag) {
		*w++ = '#';
		memcpy(w, u->frag.p, u->frag.len);
		w += u->frag.len;
	}
	*w = '\0';
	return r;
}

/* "http:////host/x" is "http://host/x", as feedparser's _urifixer has it. */
static const char *
fix_slashes(const char *s, struct buf *tmp)
{
	const char *p = s, *q;

	if (!isalpha((unsigned char)*p))
		return s;
	while (
	    isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0 || p[3] != '/')
		return s;
	q = p + 3;
	while (*q == '/')
		q++;
	buf_add(tmp, s, (size_t)(p + 3 - s));
	buf_adds(tmp, q);
	return tmp->data;
}

static int
bad_brackets(struct span s)
{
	if (!s.len)
		return 0;
	return (memchr(s.p, '[', s.len) != NULL) !=
	    (memchr(s.p, ']', s.len) != NULL);
}

static int
scheme_eq(struct span a, struct span b)
{
	return span_ieq(a, b);
}

/*
 * An http or https URL with a host and no query, fragment or bracket:
 * what Python's urljoin makes of it against any base is itself (another
 * scheme's base leaves it as it is; its own splits and joins it back to
 * the same bytes), and most feeds' links are such URLs.
 */
int
feed__url_plain(const char *ref)
{
	const char *p = ref;

	if (strncmp(p, "http", 4) != 0)
		return 0;
	p += 4;
	if (*p == 's')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return 0;
	p += 3;
	if (!*p || *p == '/')
		return 0;
	return p[strcspn(p, "?#[]")] == '\0';
}

char *
feed__url_join(const char *base, const char *ref, struct arena *a)
{
	struct buf tmp = BUF_INIT, path = BUF_INIT;
	struct url b, u;
	struct span segs_static[64];
	struct span *segs = segs_static;
	size_t nseg = 0, cap = countof(segs_static);
	char *r = NULL;
	char scheme_low[32];

	if (ref && feed__url_plain(ref))
		return arena_strdup(a, ref);
	if (!ref)
		ref = "";
	ref = fix_slashes(ref, &tmp);
	url_split(&u, ref, (struct span){ "", 0 });
	/* Python's urlsplit refuses a host with one bracket: no URL */
	if (bad_brackets(u.netloc)) {
		r = arena_strdup(a, "");
		goto out;
	}
	if (!base || !*base) {
		r = arena_strdup(a, ref);
		goto out;
	}
	if (!*ref) {
		r = arena_strdup(a, base);
		goto out;
	}
	url_split(&b, base, (struct span){ "", 0 });
	/* ref split again with the base's scheme for its default: only the
	 * scheme would change, and only when ref has none */
	if (!u.scheme.len)
		u.scheme = b.scheme;

	if (b.scheme.len >= sizeof(scheme_low) ||
	    u.scheme.len >= sizeof(scheme_low)) {
		r = arena_strdup(a, ref);
		goto out;
	}
	for (size_t i = 0; i < u.scheme.len; i++)
		scheme_low[i] = (char)tolower((unsigned char)u.scheme.p[i]);
	if (!scheme_eq(u.scheme, b.scheme) ||
	    !in_list((struct span){ scheme_low, u.scheme.len },
	        relative_schemes, countof(relative_schemes))) {
		r = arena_strdup(a, ref);
		goto out;
	}
	if (u.has_netloc && u.netloc.len) {
		r = url_unsplit(&u, u.path, a);
		goto out;
	}
	u.netloc = b.netloc;
	u.has_netloc = b.has_netloc;
	if (u.path.len == 0) {
		if (!u.has_query || !u.query.len) {
			u.query = b.query;
			u.has_query = b.has_query;
		}
		r = url_unsplit(&u, b.path, a);
		goto out;
	}
	/*
	 * Python's segment merge: the base path without its last segment,
	 * then the reference's segments, empty inner segments dropped.
	 */
	{
		struct span parts[2] = { b.path, u.path };
		int absolute = u.path.p[0] == '/';
		size_t first_ref = 0;

		for (int k = absolute ? 1 : 0; k < 2; k++) {
			struct span s = parts[k];
			size_t st = 0;

			if (k == 1)
				first_ref = nseg;
			for (size_t i = 0; i <= s.len; i++) {
				if (i < s.len && s.p[i] != '/')
					continue;
				if (nseg == cap) {
					struct span *n =
					    xreallocarray(segs == segs_static
					            ? NULL
					            : segs,
					        cap * 2, sizeof(*segs));
					if (segs == segs_static)
						memcpy(n, segs,
						    cap * sizeof(*segs));
					segs = n;
					cap *= 2;
				}
				segs[nseg++] =
				    (struct span){ s.p + st, i - st };
				st = i + 1;
			}
			if (k == 0 && nseg && segs[nseg - 1].len != 0)
				nseg--;
			else if (k == 0 && nseg)
				nseg--; /* the trailing "" of "a/b/" */
		}
		(void)first_ref;
		if (!absolute) {
			/* filter(None, segments[1:-1]) */
			size_t w = 1;

			for (size_t i = 1; i + 1 < nseg; i++)
				if (segs[i].len)
					segs[w++] = segs[i];
			if (nseg > 1)
				segs[w++] = segs[nseg - 1];
			nseg = w;
		}
	}
	{
		size_t out = 0;
		struct span last =
		    nseg ? segs[nseg - 1] : (struct span){ "", 0 };

		for (size_t i = 0; i < nseg; i++) {
			if (span_eq(segs[i], SPAN(".."))) {
				if (out)
					out--;
			} else if (!span_eq(segs[i], SPAN("."))) {
				segs[out++] = segs[i];
			}
		}
		if (span_eq(last, SPAN(".")) || span_eq(last, SPAN("..")))
			segs[out++] = (struct span){ "", 0 };
		for (size_t i = 0; i < out; i++) {
			if (i)
				buf_addch(&path, '/');
			buf_addspan(&path, segs[i]);
		}
		if (path.len == 0)
			buf_addch(&path, '/');
	}
	r = url_unsplit(&u, buf_span(&path), a);
out:
	if (segs != segs_static)
		free(segs);
	buf_release(&tmp);
	buf_release(&path);
	return r;
}

int
feed__url_safe(const char *url)
{
	const char *c;
	char low[32];
	size_t n;

	while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
		url++;
	c = strchr(url, ':');
	if (!c)
		return 0;
	n = (size_t)(c - url);
	if (n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)url[i]);
	return in_list((struct span){ low, n }, safe_schemes,
	    countof(safe_schemes));
}

char *
fetch_feed_base(const char *doc_url, const char *content_location,
    struct arena *a)
{
	char *j;

	if (!content_location || !*content_location)
		return doc_url ? arena_strdup(a, doc_url) : NULL;
	j = feed__url_join(doc_url, content_location, a);
	if (j && feed__url_safe(j))
		return j;
	return doc_url ? arena_strdup(a, doc_url) : NULL;
}
