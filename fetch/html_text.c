/*
 * html_text.c: the text of an HTML fragment (a feed summary or content),
 * for extraction: tags removed, entities decoded, white space folded as a
 * browser folds it, block elements kept as paragraphs (a blank line) and
 * <br> as a line break. Script, style and comments say nothing. A single
 * pass by hand: fragments are small and often broken, and no DOM is built.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fetch/feed_internal.h"

enum brk {
	BRK_NONE = 0,
	BRK_SPACE, /* folded white space */
	BRK_LINE,  /* <br> */
	BRK_PARA,  /* a block boundary */
};

struct out {
	struct buf b;
	enum brk pending;
};

/* clang-format off */
/* Sorted: elements that end a paragraph. */
static const char *const blocks[] = {
	"address", "article", "aside", "blockquote", "caption", "center",
	"dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
	"h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p",
	"pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
	"thead", "tr", "ul",
};
/* Sorted: elements whose content is not text. */
static const char *const silent[] = {
	"head", "iframe", "noscript", "object", "script", "style", "svg",
	"template", "title",
};
/* clang-format on */

static int
name_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static int
in_set(const char *name, const char *const *set, size_t n)
{
	return bsearch(name, set, n, sizeof(*set), name_cmp) != NULL;
}

/* The two sets by name: <p> (most tags) without a search; a silent
 * element starts with one of its few letters. */
static int
is_block(const char *name)
{
	return (name[0] == 'p' && !name[1]) ||
	    in_set(name, blocks, countof(blocks));
}

static int
is_silent(const char *name)
{
	return name[0] && strchr("hinost", name[0]) &&
	    in_set(name, silent, countof(silent));
}

static void
emit_break(struct out *o, enum brk b)
{
	if (b > o->pending)
		o->pending = b;
}

static void
emit(struct out *o, const char *s, size_t n)
{
	if (!n)
		return;
	if (o->b.len) {
		switch (o->pending) {
		case BRK_SPACE:
			buf_addch(&o->b, ' ');
			break;
		case BRK_LINE:
			buf_addch(&o->b, '\n');
			break;
		case BRK_PARA:
			buf_adds(&o->b, "\n\n");
			break;
		default:
			break;
		}
	}
	o->pending = BRK_NONE;
	buf_add_inline(&o->b, s, n);
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Past the bytes from j that a plain run takes as they are, 16 at a time:
 * up to a '&', to a control byte (white space other than one space is
 * one), or to a space before either. The loop in text_run() judges the
 * bytes after (and all of them without SSE2).
 */
static size_t
plain_span(const char *s, size_t j, size_t n)
{
#ifdef __SSE2__
	const __m128i amp = _mm_set1_epi8('&'), sp = _mm_set1_epi8(' ');
	const __m128i ctl = _mm_set1_epi8(' ');
	const __m128i hi = _mm_set1_epi8((char)0x80);

	while (j + 16 <= n) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + j));
		unsigned space =
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp));
		/* below 0x20, unsigned: the signs flipped, compared */
		unsigned other = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(v, amp),
		        _mm_cmplt_epi8(_mm_xor_si128(v, hi),
		            _mm_xor_si128(ctl, hi))));
		/* a space stops the run when the byte after it is special;
		 * the last byte's next is not loaded: it is judged again */
		unsigned stop =
		    (other | (space & ((space | other) >> 1))) & 0x7fffU;

		if (stop)
			return j + (size_t)__builtin_ctz(stop);
		j += 15;
	}
#else
	(void)s;
	(void)n;
#endif
	return j;
}

/* Text with entities decoded and white space folded. */
static void
text_run(struct out *o, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		if (is_ws((unsigned char)s[i])) {
			while (i < n && is_ws((unsigned char)s[i]))
				i++;
			emit_break(o, BRK_SPACE);
			continue;
		}
		if (s[i] == '&') {
			char tmp[8];
			const char *v = NULL;
			size_t k = i + 1, m;
			uint32_t cp = 0;

			if (k < n && s[k] == '#') {
				int hex = k + 1 < n &&
				    (s[k + 1] == 'x' || s[k + 1] == 'X');
				size_t d = k + 1 + (size_t)hex;

				for (m = d; m < n && m - d < 8 &&
				     (hex ? isxdigit((unsigned char)s[m])
				          : isdigit((unsigned char)s[m]));
				     m++)
					cp = cp * (hex ? 16 : 10) +
					    (uint32_t)(isdigit(
					                   (unsigned char)s[m])
					            ? s[m] - '0'
					            : tolower(
					                  (unsigned char)s[m]) -
					                'a' + 10);
				if (m > d) {
					struct buf t = BUF_INIT;

					if (cp == 0)
						cp = 0xfffd;
					feed__utf8_put(&t, cp);
					emit(o, t.data, t.len);
					buf_release(&t);
					i = m < n && s[m] == ';' ? m + 1 : m;
					continue;
				}
			} else {
				for (m = k; m < n && m - k < 12 &&
				     isalnum((unsigned char)s[m]);
				     m++)
					;
				if (m < n && s[m] == ';' && m > k) {
					if (m - k == 4 &&
					    !strncmp(s + k, "apos", 4))
						v = "'";
					else
						v = feed__html_entity(s + k,
						    m - k, tmp);
				}
				if (v) {
					emit(o, v, strlen(v));
					i = m + 1;
					continue;
				}
			}
		}
		/* Plain text up to a '&' or to white space that is more than
		 * one space between words, in one piece. */
		j = plain_span(s, i + 1, n);
		while (j < n && s[j] != '&') {
			if (is_ws((unsigned char)s[j])) {
				if (s[j] != ' ' || j + 1 >= n ||
				    is_ws((unsigned char)s[j + 1]) ||
				    s[j + 1] == '&')
					break;
				j++;
			}
			j++;
		}
		emit(o, s + i, j - i);
		i = j;
	}
}

/* The lower-case tag name at p (after '<' or "</"), into name. */
static size_t
tag_name(const char *p, const char *end, char *name, size_t max)
{
	size_t k = 0;

	while (p + k < end &&
	    (isalnum((unsigned char)p[k]) || p[k] == ':' || p[k] == '-')) {
		if (k + 1 < max)
			name[k] = (char)tolower((unsigned char)p[k]);
		k++;
	}
	name[k < max ? k : max - 1] = '\0';
	return k;
}

/* The end of the tag that starts at p: past its '>', quotes respected. */
static const char *
tag_end(const char *p, const char *end)
{
	char q = 0;

	for (; p < end; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '>') {
			return p + 1;
		}
	}
	return end;
}

/* Past "</name>" for a silent element, or the end. */
static const char *
skip_silent(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (; p < end; p++)
		if (p[0] == '<' && p + 1 < end && p[1] == '/' &&
		    (size_t)(end - p) > n + 2 && !strncasecmp(p + 2, name, n) &&
		    !isalnum((unsigned char)p[2 + n]))
			return tag_end(p, end);
	return end;
}

char *
fetch_html_to_text(const char *html, size_t len, struct arena *a)
{
	const char *p = html, *end = html + len;
	struct out o = { BUF_INIT, BRK_NONE };
	char *r;

	/* The text is about as long as the HTML at most: room for it at once. */
	buf_grow(&o.b, len + 16);
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		char name[16];

		if (!lt) {
			text_run(&o, p, (size_t)(end - p));
			break;
		}
		text_run(&o, p, (size_t)(lt - p));
		p = lt;
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *c = p + 4;

			while (c + 2 < end && memcmp(c, "-->", 3))
				c++;
			p = c + 2 < end ? c + 3 : end;
			continue;
		}
		if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
			const char *c = p + 9;

			while (c + 2 < end && memcmp(c, "]]>", 3))
				c++;
			text_run(&o, p + 9, (size_t)(MIN(c, end) - (p + 9)));
			p = c + 2 < end ? c + 3 : end;
			continue;
		}
		if (p + 1 < end && (p[1] == '!' || p[1] == '?')) {
			p = tag_end(p, end);
			continue;
		}
		if (p + 1 < end && p[1] == '/' && p + 2 < end &&
		    isalpha((unsigned char)p[2])) {
			tag_name(p + 2, end, name, sizeof(name));
			if (is_block(name))
				emit_break(&o, BRK_PARA);
			p = tag_end(p, end);
			continue;
		}
		if (p + 1 < end && isalpha((unsigned char)p[1])) {
			const char *te;

			tag_name(p + 1, end, name, sizeof(name));
			te = tag_end(p, end);
			if (!strcmp(name, "br"))
				emit_break(&o, BRK_LINE);
			else if (is_block(name))
				emit_break(&o, BRK_PARA);
			else if (!strcmp(name, "img") || !strcmp(name, "td"))
				emit_break(&o, BRK_SPACE);
			if (is_silent(name) && !(te - p >= 2 && te[-2] == '/'))
				te = skip_silent(te, end, name);
			p = te;
			continue;
		}
		/* a lone '<' is text */
		text_run(&o, p, 1);
		p++;
	}
	r = arena_strndup(a, o.b.data, o.b.len);
	buf_release(&o.b);
	return r;
}
