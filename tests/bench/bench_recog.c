/*
 * bench_recog.c: recognizer throughput in one process. Tags a text file
 * (one story a line) repeated to a size, against one bare PCRE2-JIT scan
 * for [0-9$€£¥%] over the same bytes, and times two hostile 100 KB inputs.
 * Times are CPU seconds of this process, so a busy machine does not skew
 * the comparison. Usage: bench_recog RULES_DIR TEXT_FILE MIN_MB PUBLISHED
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract/recog.h"

static double
now(void)
{
	struct timespec ts;

	/* CPU time of this process: the machine may be shared. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Tag every line of text; returns the entity count. */
/* Not inlined: a profiler can then count this part alone. */
__attribute__((noinline)) static size_t
tag_lines(const struct recog *r, struct span text, const char *published,
    struct arena *a, size_t *limits)
{
	struct buf err = BUF_INIT;
	size_t n = 0;

	for (size_t pos = 0; pos < text.len;) {
		const char *nl = memchr(text.p + pos, '\n', text.len - pos);
		size_t end = nl ? (size_t)(nl - text.p) : text.len;
		struct span line = { text.p + pos, end - pos };
		struct entity_list ents;

		if (recog_scan(&ents, r, line, published, a, &err) != DW_OK)
			(*limits)++;
		n += ents.n;
		arena_reset(a);
		pos = end + 1;
	}
	buf_release(&err);
	return n;
}

static size_t
bare_scan(struct span text)
{
	int ec;
	PCRE2_SIZE off, pos = 0;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR) "[0-9$€£¥%]", PCRE2_ZERO_TERMINATED,
	        PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, NULL);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t n = 0;

	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	while (pcre2_jit_match(re, (PCRE2_SPTR)text.p, text.len, pos, 0, md,
	           NULL) > 0) {
		pos = pcre2_get_ovector_pointer(md)[1];
		n++;
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return n;
}

static void
hostile(const struct recog *r, struct arena *a, const char *name,
    const char *unit)
{
	struct buf t = BUF_INIT, err = BUF_INIT;
	struct entity_list ents;
	double t0;
	int rc;

	while (t.len < 100 * 1024)
		buf_adds(&t, unit);
	t0 = now();
	rc = recog_scan(&ents, r, buf_span(&t), "2025-12-17", a, &err);
	printf("recog: 100 KB of %s: %.1f ms, %zu entities%s%s\n", name,
	    (now() - t0) * 1e3, rc == DW_OK ? ents.n : 0,
	    rc == DW_OK ? "" : ", reported: ", rc == DW_OK ? "" : err.data);
	arena_reset(a);
	buf_release(&t);
	buf_release(&err);
}

int
main(int argc, char **argv)
{
	struct rule_files rf;
	struct recog *r = NULL;
	struct buf err = BUF_INIT, one = BUF_INIT, all = BUF_INIT;
	struct arena a;
	double t0, t_tag, t_scan, mb;
	size_t ents, hits, limits = 0, min;

	if (argc != 5) {
		fprintf(stderr,
		    "usage: bench_recog RULES TEXT MIN_MB "
		    "PUBLISHED\n");
		return 64;
	}
	min = (size_t)strtoul(argv[3], NULL, 10) << 20;
	if (rule_files_load(&rf, argv[1], &err) != DW_OK ||
	    recog_open(&r, &rf, &err) != DW_OK ||
	    file_read(&one, argv[2], (size_t)64 << 20, &err) != DW_OK ||
	    !one.len) {
		fprintf(stderr, "bench_recog: %s\n", err.data);
		return 1;
	}
	buf_init(&all, 0);
	while (all.len < min)
		buf_add(&all, one.data, one.len);
	mb = (double)all.len / 1e6;
	arena_init(&a, (size_t)256 << 20);

	t0 = now();
	ents = tag_lines(r, buf_span(&all), argv[4], &a, &limits);
	t_tag = now() - t0;
	t0 = now();
	hits = bare_scan(buf_span(&all));
	t_scan = now() - t0;

	printf("recog: tagged %.1f MB (%zu stories) in %.2f CPU s: %.1f MB/s, "
	       "%zu entities, %zu limit reports\n",
	    mb, (size_t)(all.len / one.len) * 1000, t_tag, mb / t_tag, ents,
	    limits);
	printf("recog: bare PCRE2-JIT scan for [0-9$€£¥%%] over the same "
	       "text: %.2f CPU s, %.1f MB/s (%zu hits)\n",
	    t_scan, mb / t_scan, hits);
	printf("recog: tagging runs at %.3f of the bare scan's speed\n",
	    t_scan / t_tag);
	printf("recog-mbps %.3f\n", mb / t_tag);
	hostile(r, &a, "digits and commas", "1,2,3,4,5,6,7,8,9,0,");
	hostile(r, &a, "\"$1,$1,$1,...\"", "$1,");
	arena_release(&a);
	recog_free(r);
	rule_files_release(&rf);
	buf_release(&one);
	buf_release(&all);
	buf_release(&err);
	return 0;
}
