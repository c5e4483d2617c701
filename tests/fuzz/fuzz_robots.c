/*
 * fuzz_robots.c: robots.txt (RFC 9309) on arbitrary bytes, for our
 * product token. /robots.txt is always allowed, a Crawl-delay is within
 * (0, 86400], and one Disallow rule built from the input agrees with a
 * plain dynamic-programming matcher ('*' any run of bytes, a final '$'
 * ties the end) on a path built from the input.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/internal.h"

#define SIDE 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does pattern pat (with its '$', if any) match path s, from its start? */
static int
ref_match(const char *pat, size_t plen, const char *s, size_t slen)
{
	/* m[i][j]: pat[0..i) matches s[0..j) exactly */
	static unsigned char m[SIDE + 1][SIDE + 1];
	int anchored = plen && pat[plen - 1] == '$';

	if (anchored)
		plen--;
	memset(m, 0, sizeof(m));
	m[0][0] = 1;
	for (size_t i = 1; i <= plen; i++)
		for (size_t j = 0; j <= slen; j++)
			m[i][j] = pat[i - 1] == '*'
			    ? (unsigned char)(m[i - 1][j] || (j && m[i][j - 1]))
			    : (unsigned char)(j && m[i - 1][j - 1] &&
			          pat[i - 1] == s[j - 1]);
	if (anchored)
		return m[plen][slen];
	for (size_t j = 0; j <= slen; j++)
		if (m[plen][j])
			return 1;
	return 0;
}

/* Up to SIDE bytes of p as a rule's value or a path: no line break, '#'
 * or NUL, no white space at either end (the parser trims it). */
static size_t
take(char *out, const uint8_t *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < SIDE; i++)
		if (p[i] != '\n' && p[i] != '\r' && p[i] != '#' && p[i] != 0)
			out[k++] = (char)p[i];
	while (k && isspace((unsigned char)out[k - 1]))
		k--;
	out[k] = '\0';
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fetch_robots *r;
	char pat[SIDE + 1], path[SIDE + 2], doc[2 * SIDE + 64];
	size_t half = size / 2, np, ns;
	const char *pp;

	r = fetch__robots_parse((struct span){ (const char *)data, size },
	    "dealwire");
	if (!fetch__robots_allowed(r, "/robots.txt"))
		abort();
	if (fetch__robots_delay(r) < 0 || fetch__robots_delay(r) > 86400)
		abort();
	(void)fetch__robots_allowed(r, "/");
	(void)fetch__robots_allowed(r, "/a/b?c=d");
	fetch__robots_free(r);

	/* One Disallow rule against the matcher above. */
	np = take(pat, data, half);
	pp = pat;
	while (*pp && isspace((unsigned char)*pp))
		pp++;
	np -= (size_t)(pp - pat);
	ns = take(path, data + half, size - half);
	if (np == 0 || strcmp(path, "/robots.txt") == 0)
		return 0;
	snprintf(doc, sizeof(doc), "User-agent: dealwire\nDisallow: %s\n", pp);
	r = fetch__robots_parse((struct span){ doc, strlen(doc) }, "dealwire");
	if (fetch__robots_allowed(r, path) == ref_match(pp, np, path, ns))
		abort();
	fetch__robots_free(r);
	return 0;
}
