/*
 * json.c: writing JSON strings and numbers into a buf. Parsing JSON is
 * jansson's job; writing is small enough to keep here, byte-exact.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

size_t
utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;
		if (c == 0xed && p[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

void
buf_json_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	buf_addch(b, '"');
	while (i < n) {
		unsigned c = p[i];
		size_t k;

		if (c == '"' || c == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, (int)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n':
				buf_adds(b, "\\n");
				break;
			case '\r':
				buf_adds(b, "\\r");
				break;
			case '\t':
				buf_adds(b, "\\t");
				break;
			default:
				buf_addf(b, "\\u%04x", c);
			}
			i++;
		} else if (c < 0x80) {
			/* a run of plain ASCII goes in one copy */
			size_t j = i + 1;

			while (j < n && p[j] >= 0x20 && p[j] < 0x7f &&
			    p[j] != '"' && p[j] != '\\')
				j++;
			buf_add(b, p + i, j - i);
			i = j;
		} else {
			k = utf8_seq_len(p + i, n - i);
			if (k == 0) {
				buf_adds(b, "\xef\xbf\xbd");
				i++;
			} else {
				buf_add(b, p + i, k);
				i += k;
			}
		}
	}
	buf_addch(b, '"');
}

void
buf_json_str(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_json_strn(b, s, strlen(s));
}

void
buf_json_num(struct buf *b, double v)
{
	if (!isfinite(v)) {
		buf_adds(b, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		buf_addf(b, "%.0f", v);
	else
		buf_addf(b, "%.15g", v);
}
