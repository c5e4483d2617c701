/*
 * bench_extract.c: deal extraction throughput in one process. Runs the
 * stories of a text file (one story a line) again and again until MIN_MB
 * have gone through, twice: the recognizers alone (money, percentages,
 * dates: recog_scan), then the whole extraction (recognizers, parties,
 * deal rules: extract_deals). Prints both in MB/s, their ratio, the deals
 * found and the peak RSS. The text is never copied to MIN_MB, so the RSS
 * is the extractor's own. Times are CPU seconds of this process.
 * Usage: bench_extract RULES_DIR TEXT_FILE MIN_MB PUBLISHED [recog|full]
 * (the last runs one side only, for counting instructions with perf stat)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "extract/internal.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over every story; full = 0: recognizers only. */
static size_t
pass(const struct extractor *x, struct span text, const char *published,
    struct arena *a, int full, size_t *errors)
{
	struct buf err = BUF_INIT;
	size_t n = 0;

	for (size_t pos = 0; pos < text.len;) {
		const char *nl = memchr(text.p + pos, '\n', text.len - pos);
		size_t end = nl ? (size_t)(nl - text.p) : text.len;
		struct span story = { text.p + pos, end - pos };
		int rc;

		if (full) {
			struct deal_list deals;

			rc =
			    extract_deals(&deals, x, story, published, a, &err);
			if (rc == DW_OK)
				n += deals.n;
		} else {
			struct entity_list ents;

			rc = recog_scan(&ents, x->recog, story, published, a,
			    &err);
			if (rc == DW_OK)
				n += ents.n;
		}
		if (rc != DW_OK || err.len)
			(*errors)++;
		buf_reset(&err);
		arena_reset(a);
		pos = end + 1;
	}
	buf_release(&err);
	return n;
}

int
main(int argc, char **argv)
{
	struct rule_files rf;
	struct extractor *x = NULL;
	struct buf err = BUF_INIT, text = BUF_INIT;
	struct arena a;
	struct rusage ru;
	double t0, t_recog = 0, t_full = 0, mb = 0;
	size_t min, done = 0, ents = 0, deals = 0, errors = 0;

	if (argc != 5 && argc != 6) {
		fprintf(stderr,
		    "usage: bench_extract RULES TEXT MIN_MB "
		    "PUBLISHED [recog|full]\n");
		return 64;
	}
	min = (size_t)strtoul(argv[3], NULL, 10) << 20;
	if (rule_files_load(&rf, argv[1], &err) != DW_OK ||
	    extractor_open(&x, &rf, &err) != DW_OK ||
	    file_read(&text, argv[2], (size_t)64 << 20, &err) != DW_OK ||
	    !text.len) {
		fprintf(stderr, "bench_extract: %s\n", err.data);
		return 1;
	}
	arena_init(&a, (size_t)64 << 20);
	while (done < min) {
		t0 = now();
		if (argc == 5 || strcmp(argv[5], "full") != 0)
			ents +=
			    pass(x, buf_span(&text), argv[4], &a, 0, &errors);
		t_recog += now() - t0 + 1e-9;
		t0 = now();
		if (argc == 5 || strcmp(argv[5], "recog") != 0)
			deals +=
			    pass(x, buf_span(&text), argv[4], &a, 1, &errors);
		t_full += now() - t0 + 1e-9;
		done += text.len;
	}
	mb = (double)done / 1e6;
	getrusage(RUSAGE_SELF, &ru);
	printf("extract: %.1f MB of Reuters stories (%zu bytes repeated)\n", mb,
	    text.len);
	printf("extract: recognizers alone: %.2f CPU s, %.1f MB/s, %zu "
	       "entities\n",
	    t_recog, mb / t_recog, ents);
	printf("extract: full extraction (recognizers, parties, deal rules): "
	       "%.2f CPU s, %.1f MB/s, %zu deals, %zu errors or warnings\n",
	    t_full, mb / t_full, deals, errors);
	printf("extract: full extraction costs %.2fx the recognizers alone "
	       "%s\n",
	    t_full / t_recog,
	    t_full / t_recog <= 3.0 ? "ok (<= 3x)" : "ABOVE the 3x target");
	printf("extract: peak RSS %.1f MB %s\n", (double)ru.ru_maxrss / 1024,
	    ru.ru_maxrss < 64 * 1024 ? "ok (< 64 MB)"
	                             : "ABOVE the 64 MB target");
	arena_release(&a);
	extractor_free(x);
	rule_files_release(&rf);
	buf_release(&text);
	buf_release(&err);
	return 0;
}
