/*
 * fuzz_tag.c: libFuzzer target over what `dealwire tag` does with a line:
 * every recognizer and the entity JSON writer, on arbitrary bytes.
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
	struct entity_list ents;
	struct span text = { (const char *)data, size };

	if (!x)
		init();
	arena_init(&a, (size_t)256 << 20);
	if (extract_entities(&ents, x, text, "2025-12-17", &a, &err) == DW_OK) {
		for (size_t i = 0; i < ents.n; i++) {
			if (ents.v[i].start > ents.v[i].end ||
			    ents.v[i].end > size ||
			    (i && ents.v[i - 1].start > ents.v[i].start))
				abort();
			extract_entity_json(&out, &ents.v[i], text);
		}
	}
	arena_release(&a);
	buf_release(&out);
	buf_release(&err);
	return 0;
}
