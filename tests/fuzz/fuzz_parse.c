/*
 * fuzz_parse.c: libFuzzer target over what `dealwire parse` does with an
 * article: the recognizers, the parties, the deal rules, coreference and
 * the deal JSON writer, on arbitrary bytes. Every deal must have two or
 * more parties and evidence inside the text, and extraction must end
 * within the rules' PCRE2 limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct extractor *x;

static void
init(void)
{
	struct rule_files rf;
	struct buf err = BUF_INIT;

	if (rule_files_load(&rf,
	        getenv("DW_FUZZ_RULES") ? getenv("DW_FUZZ_RULES") : "rules",
	        &err) != DW_OK ||
	    extractor_open(&x, &rf, &err) != DW_OK)
		abort();
	rule_files_release(&rf);
	buf_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct deal_list deals;
	struct span text = { (const char *)data, size };

	if (!x)
		init();
	arena_init(&a, (size_t)256 << 20);
	if (extract_deals(&deals, x, text, "2025-12-17", &a, &err) == DW_OK) {
		for (size_t i = 0; i < deals.n; i++) {
			const struct deal *d = &deals.v[i];

			if (d->nparties < 2 || d->nevidence < 1)
				abort();
			for (size_t k = 0; k < d->nevidence; k++)
				if (d->evidence[k].start > d->evidence[k].end ||
				    d->evidence[k].end > size)
					abort();
			extract_deal_json(&out, d, text);
		}
	}
	arena_release(&a);
	buf_release(&err);
	buf_release(&out);
	return 0;
}
