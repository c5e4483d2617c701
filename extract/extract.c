/*
 * extract.c: the extractor as its three parts composed: recognizers,
 * parties, deal rules. Owns no logic of its own beyond merging entity lists.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

int
extractor_open(struct extractor **out, const struct rule_files *rf,
    struct buf *err)
{
	struct extractor *x = xcalloc(1, sizeof(*x));
	int rc;

	rc = recog_open(&x->recog, rf, err);
	if (rc == DW_OK)
		rc = parties_open(&x->parties, rf, err);
	if (rc == DW_OK)
		rc = dealrules_open(&x->deals, rf, err);
	if (rc != DW_OK) {
		extractor_free(x);
		*out = NULL;
		return rc;
	}
	*out = x;
	return DW_OK;
}

void
extractor_free(struct extractor *x)
{
	if (!x)
		return;
	recog_free(x->recog);
	parties_free(x->parties);
	dealrules_free(x->deals);
	free(x);
}

static int
check_text(struct span text, struct buf *err)
{
	if (text.len > EXTRACT_MAX_TEXT) {
		buf_setf(err,
		    "text of %zu bytes is larger than the %zu-byte limit",
		    text.len, EXTRACT_MAX_TEXT);
		return DW_ETOOBIG;
	}
	return DW_OK;
}

/* Merge two lists sorted by start into one, in a. */
static int
merge_lists(struct entity_list *out, const struct entity_list *x,
    const struct entity_list *y, struct arena *a, struct buf *err)
{
	struct entity *v = NEW(a, struct entity, x->n + y->n);
	size_t i = 0, j = 0, k = 0;

	if (!v) {
		buf_setf(err, "article needs more memory than its limit");
		return DW_ETOOBIG;
	}
	while (i < x->n || j < y->n) {
		if (j >= y->n || (i < x->n && x->v[i].start <= y->v[j].start))
			v[k++] = x->v[i++];
		else
			v[k++] = y->v[j++];
	}
	out->v = v;
	out->n = k;
	return DW_OK;
}

int
extract_entities(struct entity_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a, struct buf *err)
{
	struct entity_list r = { NULL, 0 }, p = { NULL, 0 };
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = check_text(text, err);
	if (rc == DW_OK)
		rc = recog_scan(&r, x->recog, text, published, a, err);
	if (rc == DW_OK)
		rc = parties_scan(&p, x->parties, text, a, err);
	if (rc == DW_OK)
		rc = merge_lists(out, &r, &p, a, err);
	if (rc == DW_OK && a->full) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
	}
	return rc;
}

int
extract_deals(struct deal_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a, struct buf *err)
{
	struct entity_list r = { NULL, 0 };
	struct tok_list toks;
	int rc;

	out->v = NULL;
	out->n = 0;
	/* the recognizers here; the companies where the deal rules need
	 * them, over tokens made once */
	rc = check_text(text, err);
	if (rc == DW_OK)
		rc = recog_scan(&r, x->recog, text, published, a, err);
	if (rc == DW_OK && text_tokens(&toks, text, a) != DW_OK) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
	}
	if (rc == DW_OK)
		rc = dealrules_apply_tokens(out, x->deals, x->parties, text,
		    &toks, &r, published, a, err);
	if (rc == DW_OK && a->full) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
	}
	return rc;
}

int
extract_explain(struct buf *out, const struct extractor *x, struct span text,
    const char *published, struct arena *a, struct buf *err)
{
	struct entity_list ents;
	int rc;

	rc = extract_entities(&ents, x, text, published, a, err);
	if (rc == DW_OK)
		rc = dealrules_explain(out, x->deals, x->parties, text, &ents,
		    published, a, err);
	return rc;
}
