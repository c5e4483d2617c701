/*
 * extract.c: the extractor as its three parts composed: recognizers,
 * parties, deal rules. Owns no logic of its own beyond merging entity lists.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

/* The parties' tables, built on a thread of their own. */
struct parties_job {
	const struct rule_files *rf;
	struct parties *p;
	struct buf err;
	int rc;
};

static void *
parties_main(void *arg)
{
	struct parties_job *j = arg;

	j->rc = parties_open(&j->p, j->rf, &j->err);
	return NULL;
}

/*
 * The parts are independent until they are used: the parties' tables are
 * built on a second thread while this one compiles the recognizers and
 * the deal rules (about half of a one-shot `parse` is this start-up, and
 * the two halves take about as long). Errors are reported in the same
 * order as one after the other: recognizers, parties, deal rules.
 */
int
extractor_open(struct extractor **out, const struct rule_files *rf,
    struct buf *err)
{
	struct extractor *x = xcalloc(1, sizeof(*x));
	struct parties_job pj = { rf, NULL, BUF_INIT, DW_OK };
	pthread_t tid;
	int threaded, rc, drc;

	threaded = pthread_create(&tid, NULL, parties_main, &pj) == 0;
	rc = recog_open(&x->recog, rf, err);
	drc = rc == DW_OK ? dealrules_open(&x->deals, rf, err) : DW_OK;
	if (threaded)
		pthread_join(tid, NULL);
	else if (rc == DW_OK)
		parties_main(&pj);
	x->parties = pj.p;
	if (rc == DW_OK && pj.rc != DW_OK) {
		rc = pj.rc;
		buf_setf(err, "%s", pj.err.data);
	} else if (rc == DW_OK)
		rc = drc;
	buf_release(&pj.err);
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
