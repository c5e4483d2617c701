/*
 * robots.c: robots.txt as RFC 9309 has it. Parses the groups for one
 * product token, or the '*' groups when none names it, and answers
 * whether a path may be fetched. Fetching and caching per host is the
 * crawler's job.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fetch/internal.h"

/* RFC 9309 2.5: parse at least 500 KiB; we stop there. */
#define ROBOTS_MAX_BYTES ((size_t)500 << 10)
#define ROBOTS_MAX_RULES 4096

struct robots_rule {
	char *pattern; /* path pattern with '*' and a final '$' */
	size_t len;
	int allow;
};

struct fetch_robots {
	struct robots_rule *v;
	size_t n, cap;
	int all;      /* -1: disallow everything; 1: allow everything */
	double delay; /* Crawl-delay, seconds */
};

struct fetch_robots *
fetch__robots_all(int allow)
{
	struct fetch_robots *r = xcalloc(1, sizeof(*r));

	r->all = allow ? 1 : -1;
	return r;
}

void
fetch__robots_free(struct fetch_robots *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].pattern);
	free(r->v);
	free(r);
}

double
fetch__robots_delay(const struct fetch_robots *r)
{
	return r ? r->delay : 0;
}

static void
add_rule(struct fetch_robots *r, struct span pat, int allow)
{
	if (r->n == ROBOTS_MAX_RULES)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n].pattern = xstrndup(pat.p, pat.len);
	r->v[r->n].len = pat.len;
	r->v[r->n].allow = allow;
	r->n++;
}

static struct span
trim(struct span s)
{
	while (s.len && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && isspace((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

/*
 * The product token a user-agent line names: its leading run of letters,
 * '_' and '-' (RFC 9309 2.2.1), compared without case. "*" is its own.
 */
static int
agent_matches(struct span v, const char *agent)
{
	size_t n = 0, alen = strlen(agent);

	while (n < v.len &&
	    (isalpha((unsigned char)v.p[n]) || v.p[n] == '_' || v.p[n] == '-'))
		n++;
	return n == alen && strncasecmp(v.p, agent, n) == 0;
}

/*
 * Lines are "key: value # comment". A group is one or more user-agent
 * lines followed by its rules; rules before any user-agent line belong to
 * no group and are ignored, as are unknown keys.
 */
struct fetch_robots *
fetch__robots_parse(struct span txt, const char *agent)
{
	struct fetch_robots *mine = xcalloc(1, sizeof(*mine));
	struct fetch_robots *star = xcalloc(1, sizeof(*star));
	struct fetch_robots *into = NULL; /* the group being read, if ours */
	int in_agents = 0, have_mine = 0, have_star = 0;
	size_t i = 0;

	if (txt.len > ROBOTS_MAX_BYTES)
		txt.len = ROBOTS_MAX_BYTES;
	/* A UTF-8 byte order mark may start the file. */
	if (txt.len >= 3 && memcmp(txt.p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < txt.len) {
		const char *line = txt.p + i, *nl, *hash, *colon;
		size_t len;
		struct span key, val;

		nl = memchr(line, '\n', txt.len - i);
		len = nl ? (size_t)(nl - line) : txt.len - i;
		i += len + 1;
		hash = memchr(line, '#', len);
		if (hash)
			len = (size_t)(hash - line);
		colon = memchr(line, ':', len);
		if (!colon)
			continue;
		key = trim((struct span){ line, (size_t)(colon - line) });
		val = trim((struct span){ colon + 1,
		    len - (size_t)(colon - line) - 1 });
		if (span_ieq(key, SPAN("user-agent"))) {
			if (!in_agents)
				into = NULL;
			in_agents = 1;
			if (val.len == 1 && val.p[0] == '*') {
				if (!into)
					into = star;
				have_star = 1;
			} else if (agent_matches(val, agent)) {
				into = mine;
				have_mine = 1;
			}
			continue;
		}
		in_agents = 0;
		if (!into)
			continue;
		if (span_ieq(key, SPAN("allow")) ||
		    span_ieq(key, SPAN("disallow"))) {
			/* An empty pattern matches nothing (2.2.2). */
			if (val.len)
				add_rule(into, val, key.len == 5);
		} else if (span_ieq(key, SPAN("crawl-delay"))) {
			char tmp[32];
			char *end;
			double d;

			if (val.len == 0 || val.len >= sizeof(tmp))
				continue;
			memcpy(tmp, val.p, val.len);
			tmp[val.len] = '\0';
			d = strtod(tmp, &end);
			if (*end == '\0' && d > 0 && d <= 86400)
				into->delay = d;
		}
	}
	/*
	 * NOTE: a group naming both us and '*' counts as ours; when we are
	 * named anywhere, the '*' groups do not apply (2.2.1).
	 */
	if (have_mine) {
		fetch__robots_free(star);
		return mine;
	}
	fetch__robots_free(mine);
	if (!have_star)
		star->all = 1;
	return star;
}

/*
 * Match pattern against path: '*' is any run of bytes, a final '$' ties
 * the end. The classic two-pointer match, linear in practice and never
 * worse than their product.
 */
static int
pattern_match(const char *pat, size_t plen, const char *path)
{
	size_t p = 0, s = 0, star_p = (size_t)-1, star_s = 0;
	size_t slen = strlen(path);
	int anchored = plen && pat[plen - 1] == '$';

	if (anchored)
		plen--;
	for (;;) {
		if (p == plen) {
			if (!anchored || s == slen)
				return 1;
		} else if (pat[p] == '*') {
			star_p = p++;
			star_s = s;
			continue;
		} else if (s < slen && pat[p] == path[s]) {
			p++;
			s++;
			continue;
		}
		if (star_p == (size_t)-1 || star_s >= slen)
			return 0;
		p = star_p + 1;
		s = ++star_s;
	}
}

int
fetch__robots_allowed(const struct fetch_robots *r, const char *path)
{
	size_t best = 0;
	int allow = 1, matched = 0;

	/* 2.2.2: /robots.txt itself is always allowed. */
	if (strcmp(path, "/robots.txt") == 0)
		return 1;
	if (r->all)
		return r->all > 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct robots_rule *u = &r->v[i];

		if (!pattern_match(u->pattern, u->len, path))
			continue;
		/* The most specific (longest) rule wins; allow wins ties. */
		if (!matched || u->len > best ||
		    (u->len == best && u->allow && !allow)) {
			best = u->len;
			allow = u->allow;
			matched = 1;
		}
	}
	return allow;
}
