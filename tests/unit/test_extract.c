/*
 * test_extract.c: sentences, parties, the rule language and its errors,
 * and the deal cases under tests/data/extract (each NAME.case: a text, its
 * publication date and the deals written by hand; see the README).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

static struct extractor *
open_builtin(void)
{
	struct rule_files rf;
	struct buf err = BUF_INIT;
	struct extractor *x = NULL;

	/* the repository's rules/ when run from the top, else built-in */
	if (rule_files_load(&rf, "rules", &err) != DW_OK)
		assert_int_equal(rule_files_load(&rf, NULL, &err), DW_OK);
	if (extractor_open(&x, &rf, &err) != DW_OK)
		fail_msg("%s", err.data);
	rule_files_release(&rf);
	buf_release(&err);
	return x;
}

static void
test_extract_sentences_survive_abbreviations(void **state)
{
	static const char t[] =
	    "Amazon.com Inc. agreed to buy U.S. Steel for "
	    "$1.5 bn. The deal closed. \"It is big,\" he said. Then it ended\n"
	    "Headline without a stop\nNext line.";
	struct span text = SPAN(t);
	struct arena a;
	struct tok_list toks;
	struct sentence_list s;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(text_tokens(&toks, text, &a), DW_OK);
	assert_int_equal(text_sentences(&s, text, &toks, &a), DW_OK);
	assert_int_equal(s.n, 6);
	assert_memory_equal(t + s.v[0].start, "Amazon.com Inc. agreed", 22);
	assert_memory_equal(t + s.v[0].end - 3, "bn.", 3);
	assert_memory_equal(t + s.v[1].start, "The deal closed.", 16);
	assert_memory_equal(t + s.v[2].start, "\"It is big,\" he said.", 21);
	assert_memory_equal(t + s.v[4].start, "Headline", 8);
	assert_int_equal(s.v[4].para, 1);
	assert_int_equal(s.v[5].para, 2);
	arena_release(&a);
}

/* Token i of toks spans [start, end) and is of kind. */
static void
tok_check(const struct tok_list *toks, size_t i, uint32_t start, uint32_t end,
    int kind)
{
	assert_true(i < toks->n);
	assert_int_equal(toks->v[i].start, start);
	assert_int_equal(toks->v[i].end, end);
	assert_int_equal(toks->v[i].kind, kind);
}

/* Words longer than the tokenizer's 64-byte window, and words that end
 * where a window or the text does. */
static void
test_extract_tokens_across_windows(void **state)
{
	char t[256];
	struct arena a;
	struct tok_list toks;

	(void)state;
	arena_init(&a, 0);
	/* 80 letters, then "x9y, Amazon.com's 1,500 ok" */
	memset(t, 'q', 80);
	memcpy(t + 80, " x9y, Amazon.com's 1,500 ok", 28);
	assert_int_equal(text_tokens(&toks, (struct span){ t, 107 }, &a),
	    DW_OK);
	assert_int_equal(toks.n, 7);
	tok_check(&toks, 0, 0, 80, TK_WORD);
	tok_check(&toks, 1, 81, 84, TK_WORD);
	tok_check(&toks, 2, 84, 85, TK_PUNCT);
	tok_check(&toks, 3, 86, 96, TK_WORD);
	tok_check(&toks, 4, 96, 98, TK_POSS);
	tok_check(&toks, 5, 99, 104, TK_NUM);
	tok_check(&toks, 6, 105, 107, TK_WORD);
	/* one word of exactly 64 bytes, and of 130 */
	memset(t, 'b', 130);
	assert_int_equal(text_tokens(&toks, (struct span){ t, 64 }, &a), DW_OK);
	assert_int_equal(toks.n, 1);
	tok_check(&toks, 0, 0, 64, TK_WORD);
	assert_int_equal(text_tokens(&toks, (struct span){ t, 130 }, &a),
	    DW_OK);
	assert_int_equal(toks.n, 1);
	tok_check(&toks, 0, 0, 130, TK_WORD);
	/* 68 letters, then a one-digit number that ends the text */
	memset(t, 'c', 68);
	memcpy(t + 68, " 7", 2);
	assert_int_equal(text_tokens(&toks, (struct span){ t, 70 }, &a), DW_OK);
	assert_int_equal(toks.n, 2);
	tok_check(&toks, 0, 0, 68, TK_WORD);
	tok_check(&toks, 1, 69, 70, TK_NUM);
	arena_release(&a);
}

/* The party names x finds in t, in order, at most max (they live in a and
 * in x, which the caller releases after reading them). */
static size_t
party_names(const struct extractor *x, const char *t, const char **names,
    size_t max, struct arena *a)
{
	struct entity_list ents;
	struct buf err = BUF_INIT;
	size_t np = 0;

	assert_int_equal(extract_entities(&ents, x,
	                     (struct span){ t, strlen(t) }, NULL, a, &err),
	    DW_OK);
	for (size_t i = 0; i < ents.n; i++)
		if (ents.v[i].type == ENT_PARTY && np < max)
			names[np++] = ents.v[i].name;
	buf_release(&err);
	return np;
}

static void
test_extract_parties_names_tickers_descriptors(void **state)
{
	static const char t[] =
	    "Advanced Micro Devices, Inc. (NASDAQ: AMD) "
	    "and the ChatGPT maker met Green River Collieries, LLC. It is AI "
	    "(NOW) day. Target said";
	struct extractor *x = open_builtin();
	struct arena a;
	const char *names[8];
	size_t np;

	(void)state;
	arena_init(&a, 0);
	np = party_names(x, t, names, 8, &a);
	/* the ticker repeats AMD, "AI", "NOW" and "Target" are no parties */
	assert_int_equal(np, 3);
	assert_string_equal(names[0], "AMD");
	assert_string_equal(names[1], "OpenAI");
	assert_string_equal(names[2], "Green River Collieries");
	arena_release(&a);
	extractor_free(x);
}

/* The bit filters before the descriptor, suffix and not-a-name tables
 * (parties.c) let through every case and spacing the tables match. */
static void
test_extract_parties_filters_keep_case_and_suffixes(void **state)
{
	static const char t[] =
	    "Analysts said THE CHATGPT MAKER would meet Brindle Quarry Ltd. "
	    "and The Chatgpt Maker. In Ltd news, Harrow Kiln Corp. said";
	struct extractor *x = open_builtin();
	struct arena a;
	const char *names[8];
	size_t np;

	(void)state;
	arena_init(&a, 0);
	np = party_names(x, t, names, 8, &a);
	/* "In Ltd" is no company: "In" cannot begin a name */
	assert_int_equal(np, 4);
	assert_string_equal(names[0], "OpenAI");
	assert_string_equal(names[1], "Brindle Quarry");
	assert_string_equal(names[2], "OpenAI");
	assert_string_equal(names[3], "Harrow Kiln");
	arena_release(&a);
	extractor_free(x);
}

/* A rule file with one line; the error for it. */
static void
check_rule_error(const char *line, const char *want)
{
	char name[] = "deals.rules", path[] = "r/deals.rules", origin[] = "r";
	char *data = xstrdup(line);
	struct rule_file f = { name, path, data, strlen(line) };
	struct rule_files rf = { &f, 1, origin };
	struct dealrules *d = NULL;
	struct buf err = BUF_INIT;

	assert_int_equal(dealrules_open(&d, &rf, &err), DW_ECONFIG);
	assert_null(d);
	if (strstr(err.data, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err.data, want);
	buf_release(&err);
	free(data);
}

static void
test_extract_rule_errors_name_line_and_column(void **state)
{
	(void)state;
	check_rule_error("# c\ninvestment: {PARTY:investor} invests (in "
	                 "{PARTY:target}\n",
	    "r/deals.rules:2:38: unbalanced");
	check_rule_error("acquisition: {PARTY:buyer} buys {PARTY:target}",
	    "r/deals.rules:1:21: unknown role");
	check_rule_error("merger: {PARTY:party} merges", "two party slots");
	check_rule_error("loan: {PARTY:party} lends {PARTY:party}",
	    "r/deals.rules:1:1: unknown deal type 'loan'");
	check_rule_error("stake: {PARTY:holder} $NOPE {PARTY:target}",
	    "unknown define");
	check_rule_error("status maybe = could", "unknown status 'maybe'");
	check_rule_error("supply: {PARTY:investor} buys from {PARTY:supplier}",
	    "does not fit");
	check_rule_error("supply: {PARTY:customer} buy(s from {PARTY:supplier}",
	    "r/deals.rules:1:");
}

/*
 * The deals that the deal rules in rules (a deals.rules of its own) find
 * in t, where the entity list holds two companies: name0 at bytes
 * [s0, e0), name1 at [s1, e1). The deals live in a.
 */
static struct deal_list
deals_by_rules(char *rules, const char *t, const char *name0, size_t s0,
    size_t e0, const char *name1, size_t s1, size_t e1, struct arena *a)
{
	char name[] = "deals.rules", origin[] = "r";
	struct rule_file f = { name, name, rules, strlen(rules) };
	struct rule_files rf = { &f, 1, origin };
	struct dealrules *d = NULL;
	struct parties *p = NULL;
	struct buf err = BUF_INIT;
	struct entity ev[2];
	struct entity_list ents = { ev, 2 };
	struct deal_list out;

	memset(ev, 0, sizeof(ev));
	ev[0].type = ev[1].type = ENT_PARTY;
	ev[0].start = s0;
	ev[0].end = e0;
	ev[0].name = name0;
	ev[1].start = s1;
	ev[1].end = e1;
	ev[1].name = name1;
	assert_int_equal(dealrules_open(&d, &rf, &err), DW_OK);
	assert_int_equal(parties_open(&p, &rf, &err), DW_OK);
	assert_int_equal(dealrules_apply(&out, d, p, span_cstr(t), &ents, NULL,
	                     a, &err),
	    DW_OK);
	dealrules_free(d);
	parties_free(p);
	buf_release(&err);
	return out;
}

static void
test_extract_user_rule_without_recompiling(void **state)
{
	/* "its" reaches the rules as the company it means, "@P0 's" */
	char rules[] = "define LICENSE = (licenses|licensed)\n"
	               "supply announced: {PARTY:supplier} $LICENSE "
	               "[{PARTY} 's] \\w+ to {PARTY:customer}\n";
	static const char t[] = "Qux Labs licenses its software to Zed Corp.";
	struct arena a;
	struct deal_list out;

	(void)state;
	arena_init(&a, 0);
	out = deals_by_rules(rules, t, "Qux Labs", 0, 8, "Zed", 34, 43, &a);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.v[0].type, DEAL_SUPPLY);
	assert_int_equal(out.v[0].status, ST_ANNOUNCED);
	/* in CONTRACT.md's order, customer then supplier */
	assert_string_equal(out.v[0].parties[0].name, "Zed");
	assert_int_equal(out.v[0].parties[0].role, ROLE_CUSTOMER);
	assert_string_equal(out.v[0].parties[1].name, "Qux Labs");
	assert_int_equal(out.v[0].parties[1].role, ROLE_SUPPLIER);
	assert_int_equal(out.v[0].evidence[0].start, 0);
	assert_int_equal(out.v[0].evidence[0].end, sizeof(t) - 1);
	arena_release(&a);
}

/*
 * A rule is tried only where the sentence has the words it needs; a word
 * the normalizer makes itself ("will" for "it'll") counts as one it has.
 */
static void
test_extract_rule_needs_words_the_normalizer_makes(void **state)
{
	char rules[] = "investment: {PARTY:investor} said {PARTY} will "
	               "(invest in|back) {PARTY:target}\n";
	static const char t[] = "Qux Labs said it\xe2\x80\x99ll back Zed Corp.";
	struct arena a;
	struct deal_list out;

	(void)state;
	arena_init(&a, 0);
	out = deals_by_rules(rules, t, "Qux Labs", 0, 8, "Zed", 27, 35, &a);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.v[0].type, DEAL_INVESTMENT);
	assert_string_equal(out.v[0].parties[0].name, "Qux Labs");
	assert_int_equal(out.v[0].parties[0].role, ROLE_INVESTOR);
	assert_string_equal(out.v[0].parties[1].name, "Zed");
	assert_int_equal(out.v[0].parties[1].role, ROLE_TARGET);
	arena_release(&a);
}

static void
test_extract_long_line_is_bounded(void **state)
{
	struct extractor *x = open_builtin();
	size_t n = (size_t)1 << 20;
	char *t = xmalloc(n);
	struct arena a;
	struct deal_list out;
	struct buf err = BUF_INIT;

	(void)state;
	/* one 1 MB line of company names and deal words */
	for (size_t i = 0; i < n; i++)
		t[i] = "Amazon invested $5 billion in OpenAI and "[i % 41];
	arena_init(&a, (size_t)1 << 30);
	assert_int_equal(extract_deals(&out, x, (struct span){ t, n }, NULL, &a,
	                     &err),
	    DW_OK);
	assert_true(out.n >= 1);
	arena_release(&a);
	buf_release(&err);
	free(t);
	extractor_free(x);
}

/*
 * The cases.
 */
struct want {
	char type[16];
	char roles[DEAL_MAX_PARTIES][16];
	char names[DEAL_MAX_PARTIES][64];
	size_t nparties;
	double amount;
	int has_amount;
	char qualifier[8];
	double stake;
	int has_stake;
	double valuation;
	int has_valuation;
	char status[16];
	char date[11];
	int optional;
};

static int
parse_want(struct want *w, char *s, int optional)
{
	char *save = NULL, *tok;
	int first = 1;

	memset(w, 0, sizeof(*w));
	w->optional = optional;
	for (tok = strtok_r(s, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(tok, '=');

		if (first) {
			snprintf(w->type, sizeof(w->type), "%s", tok);
			first = 0;
			continue;
		}
		if (!eq) {
			/* a name of several words goes on */
			if (w->nparties == 0)
				return -1;
			{
				char *v = w->names[w->nparties - 1];
				size_t l = strlen(v);

				snprintf(v + l, 64 - l, " %s", tok);
			}
			continue;
		}
		*eq++ = 0;
		for (char *u = eq; *u; u++)
			if (*u == '_' && strcmp(tok, "qualifier") != 0)
				*u = ' ';
		/* amount=none, stake=none, valuation=none: the deal has
		 * no such slot (has_X -1) */
		if (strcmp(tok, "amount") == 0) {
			w->amount = strtod(eq, NULL);
			w->has_amount = strcmp(eq, "none") == 0 ? -1 : 1;
		} else if (strcmp(tok, "qualifier") == 0) {
			snprintf(w->qualifier, sizeof(w->qualifier), "%s", eq);
		} else if (strcmp(tok, "stake") == 0) {
			w->stake = strtod(eq, NULL);
			w->has_stake = strcmp(eq, "none") == 0 ? -1 : 1;
		} else if (strcmp(tok, "valuation") == 0) {
			w->valuation = strtod(eq, NULL);
			w->has_valuation = strcmp(eq, "none") == 0 ? -1 : 1;
		} else if (strcmp(tok, "status") == 0) {
			snprintf(w->status, sizeof(w->status), "%s", eq);
		} else if (strcmp(tok, "date") == 0) {
			snprintf(w->date, sizeof(w->date), "%s", eq);
		} else if (w->nparties < DEAL_MAX_PARTIES) {
			snprintf(w->roles[w->nparties], 16, "%s", tok);
			snprintf(w->names[w->nparties], 64, "%s", eq);
			w->nparties++;
		}
	}
	return first ? -1 : 0;
}

static int
close_to(double a, double b)
{
	double d = a > b ? a - b : b - a;

	return d <= 0.01 * (a > b ? a : b) + 1e-9;
}

/* Does deal d match w (type, parties in roles, and each slot w gives)? */
static int
deal_matches(const struct deal *d, const struct want *w)
{
	int used[DEAL_MAX_PARTIES] = { 0 };

	if (strcmp(deal_type_name(d->type), w->type) != 0 ||
	    d->nparties != w->nparties)
		return 0;
	for (size_t i = 0; i < w->nparties; i++) {
		size_t j;

		for (j = 0; j < d->nparties; j++)
			if (!used[j] &&
			    strcmp(d->parties[j].name, w->names[i]) == 0 &&
			    strcmp(party_role_name(d->parties[j].role),
			        w->roles[i]) == 0)
				break;
		if (j == d->nparties)
			return 0;
		used[j] = 1;
	}
	if (w->has_amount < 0 ? d->has_amount
	                      : w->has_amount &&
	            (!d->has_amount || !close_to(d->amount.value, w->amount)))
		return 0;
	if (w->qualifier[0] &&
	    (!d->has_amount ||
	        strcmp(qualifier_name(d->amount.qualifier), w->qualifier) != 0))
		return 0;
	if (w->has_stake < 0 ? d->has_stake
	                     : w->has_stake &&
	            (!d->has_stake || !close_to(d->stake, w->stake)))
		return 0;
	if (w->has_valuation < 0 ? d->has_valuation
	                         : w->has_valuation &&
	            (!d->has_valuation ||
	                !close_to(d->valuation.value, w->valuation)))
		return 0;
	if (w->status[0] &&
	    (!d->status || strcmp(deal_status_name(d->status), w->status) != 0))
		return 0;
	if (w->date[0] && strcmp(d->date.value, w->date) != 0)
		return 0;
	return 1;
}

/* Run one case file; returns the number of problems, described in msg. */
static int
run_case(struct extractor *x, const char *path, struct buf *msg)
{
	struct buf in = BUF_INIT, text = BUF_INIT, err = BUF_INIT;
	struct want w[32];
	size_t nw = 0, nreq = 0;
	char published[16] = "";
	char *line, *save = NULL;
	struct arena a;
	struct deal_list out;
	int bad = 0, none = 0;

	arena_init(&a, 0);
	if (file_read(&in, path, 1 << 20, &err) != DW_OK) {
		buf_addf(msg, "%s: %s\n", path, err.data);
		bad = 1;
		goto out;
	}
	for (line = strtok_r(in.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == 0)
			continue;
		if (strncmp(line, "published: ", 11) == 0) {
			snprintf(published, sizeof(published), "%s", line + 11);
		} else if (strncmp(line, "text: ", 6) == 0) {
			if (text.len)
				buf_addch(&text, '\n');
			buf_adds(&text, line + 6);
		} else if (strncmp(line, "deal: ", 6) == 0 ||
		    strncmp(line, "maybe: ", 7) == 0) {
			int opt = line[0] == 'm';

			if (nw == countof(w) ||
			    parse_want(&w[nw], line + (opt ? 7 : 6), opt) !=
			        0) {
				buf_addf(msg, "%s: bad line '%s'\n", path,
				    line);
				bad = 1;
				goto out;
			}
			nreq += !opt;
			nw++;
		} else if (strcmp(line, "deals: none") == 0) {
			none = 1;
		} else {
			buf_addf(msg, "%s: unknown line '%s'\n", path, line);
			bad = 1;
			goto out;
		}
	}
	if (!text.len || (!nw && !none)) {
		buf_addf(msg, "%s: needs text and deals\n", path);
		bad = 1;
		goto out;
	}
	if (extract_deals(&out, x, buf_span(&text),
	        published[0] ? published : NULL, &a, &err) != DW_OK) {
		buf_addf(msg, "%s: %s\n", path, err.data);
		bad = 1;
		goto out;
	}
	{
		int taken[256] = { 0 };

		for (size_t i = 0; i < nw; i++) {
			size_t j;

			for (j = 0; j < out.n && j < 256; j++)
				if (!taken[j] && deal_matches(&out.v[j], &w[i]))
					break;
			if (j < out.n && j < 256)
				taken[j] = 1;
			else if (!w[i].optional) {
				buf_addf(msg, "%s: missing %s", path,
				    w[i].type);
				for (size_t k = 0; k < w[i].nparties; k++)
					buf_addf(msg, " %s=%s", w[i].roles[k],
					    w[i].names[k]);
				buf_adds(msg, "\n");
				bad++;
			}
		}
		for (size_t j = 0; j < out.n && j < 256; j++) {
			if (taken[j])
				continue;
			/* a required deal found with a wrong slot was
			 * reported as missing; anything else is extra */
			buf_addf(msg, "%s: extra %s", path,
			    deal_type_name(out.v[j].type));
			for (size_t k = 0; k < out.v[j].nparties; k++)
				buf_addf(msg, " %s=%s",
				    party_role_name(out.v[j].parties[k].role),
				    out.v[j].parties[k].name);
			buf_addf(msg, " status=%s date=%s\n",
			    out.v[j].status ? deal_status_name(out.v[j].status)
			                    : "-",
			    out.v[j].date.value);
			bad++;
		}
	}
out:
	arena_release(&a);
	buf_release(&in);
	buf_release(&text);
	buf_release(&err);
	return bad;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_extract_cases(void **state)
{
	static const char *const tries[] = { "tests/data/extract",
		"../tests/data/extract", "../../tests/data/extract" };
	struct extractor *x = open_builtin();
	struct buf msg = BUF_INIT;
	DIR *dir = NULL;
	struct dirent *e;
	char *names[1024];
	size_t n = 0, failed = 0, withdeal = 0;
	const char *top = NULL;

	(void)state;
	for (size_t i = 0; i < countof(tries) && !dir; i++) {
		dir = opendir(tries[i]);
		top = tries[i];
	}
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL && n < countof(names)) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".case") == 0)
			names[n++] = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		struct buf one = BUF_INIT;

		snprintf(path, sizeof(path), "%s/%s", top, names[i]);
		if (run_case(x, path, &one))
			failed++;
		buf_adds(&msg, one.data);
		{
			struct buf in = BUF_INIT, err = BUF_INIT;

			if (file_read(&in, path, 1 << 20, &err) == DW_OK &&
			    strstr(in.data, "\ndeal: "))
				withdeal++;
			buf_release(&in);
			buf_release(&err);
		}
		buf_release(&one);
		free(names[i]);
	}
	if (failed) {
		fprintf(stderr, "%s", msg.data);
		fail_msg("%zu of %zu cases failed", failed, n);
	}
	/* at least 150 cases, a third of them without a deal */
	assert_true(n >= 150);
	assert_true((n - withdeal) * 3 >= n);
	buf_release(&msg);
	extractor_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_sentences_survive_abbreviations),
		cmocka_unit_test(test_extract_tokens_across_windows),
		cmocka_unit_test(
		    test_extract_parties_names_tickers_descriptors),
		cmocka_unit_test(
		    test_extract_parties_filters_keep_case_and_suffixes),
		cmocka_unit_test(test_extract_rule_errors_name_line_and_column),
		cmocka_unit_test(test_extract_user_rule_without_recompiling),
		cmocka_unit_test(
		    test_extract_rule_needs_words_the_normalizer_makes),
		cmocka_unit_test(test_extract_long_line_is_bounded),
		cmocka_unit_test(test_extract_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
