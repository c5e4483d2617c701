/*
 * fuzz_store_canon.c: the store's canonical forms on arbitrary bytes: an
 * article URL (canonical form is stable: canonicalizing it again changes
 * nothing) and the MinHash sketch of a text (equal to itself, whole).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf once = BUF_INIT, twice = BUF_INIT;
	struct store_sketch a, b;
	char *s = xstrndup((const char *)data, size);

	if (store_url_canon(&once, s) == DW_OK) {
		if (store_url_canon(&twice, once.data) != DW_OK ||
		    strcmp(once.data, twice.data) != 0)
			abort();
	}
	store_sketch(&a, (struct span){ (const char *)data, size });
	store_sketch(&b, (struct span){ (const char *)data, size });
	if (store_sketch_similarity(&a, &b) != 1.0)
		abort();
	free(s);
	buf_release(&once);
	buf_release(&twice);
	return 0;
}
