/*
 * extract.c: the extractor as its three parts composed: recognizers,
 * parties, deal rules. Owns no logic of its own beyond merging entity lists.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

/* One part of the extractor, opened on a thread of its own. */
struct part_job {
	const struct rule_files *rf;
	int which; /* 0: parties, 1: deal rules */
	void *out;
	struct buf err;
	int rc;
	pthread_t tid;
	int threaded;
};

static void *
part_main(void *arg)
{
	struct part_job *j = arg;

	if (j->which == 0)
		j->rc =
		    parties_open((struct parties **)&j->out, j->rf, &j->err);
	else
		j->rc = dealrules_open((struct dealrules **)&j->out, j->rf,
		    &j->err);
	return NULL;
}

/*
 * The three parts are independent until they are used, and each takes
 * about as long to open: the company tables and the deal rules are built
 * on threads of their own while this one compiles the recognizers (most
 * of a one-shot `parse` is this start-up). Where a thread cannot be had,
 * the part is opened here. Errors are reported as if the parts were
 * opened one after the other: the recognizers', the parties', the deal
 * rules'.
 */
int
extractor_open(struct extractor **out, const struct rule_files *rf,
    struct buf *err)
{
	struct extractor *x = xcalloc(1, sizeof(*x));
	struct part_job job[2];
	int rc;

	for (int i = 0; i < 2; i++) {
		job[i] =
		    (struct part_job){ rf, i, NULL, BUF_INIT, DW_OK, 0, 0 };
		job[i].threaded =
		    pthread_create(&job[i].tid, NULL, part_main, &job[i]) == 0;
	}
	rc = recog_open(&x->recog, rf, err);
	for (int i = 0; i < 2; i++) {
		if (job[i].threaded)
			pthread_join(job[i].tid, NULL);
		else
			part_main(&job[i]);
		if (rc == DW_OK && job[i].rc != DW_OK) {
			rc = job[i].rc;
			buf_setf(err, "%s", job[i].err.data);
		}
		buf_release(&job[i].err);
	}
	x->parties = job[0].out;
	x->deals = job[1].out;
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
