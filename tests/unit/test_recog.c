/*
 * test_recog.c: the money, percent and date recognizers, driven by the
 * hand-written cases in tests/data/recog/, plus rule-file errors, match
 * limits, invalid UTF-8 and exact values.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/internal.h"

struct fixture {
	struct rule_files rf;
	struct recog *r;
	struct arena a;
	char top[1024];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf err = BUF_INIT;
	char dir[1100];
	const char *top = getenv("TOP");

	snprintf(f->top, sizeof(f->top), "%s", top ? top : ".");
	snprintf(dir, sizeof(dir), "%s/rules", f->top);
	if (rule_files_load(&f->rf, dir, &err) != DW_OK ||
	    recog_open(&f->r, &f->rf, &err) != DW_OK) {
		fprintf(stderr, "setup: %s\n", err.data);
		buf_release(&err);
		return -1;
	}
	arena_init(&f->a, (size_t)64 << 20);
	buf_release(&err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	recog_free(f->r);
	rule_files_release(&f->rf);
	arena_release(&f->a);
	free(f);
	return 0;
}

static int
scan(struct entity_list *out, struct fixture *f, const char *text,
    const char *published)
{
	struct buf err = BUF_INIT;
	int rc;

	rc = recog_scan(out, f->r, span_cstr(text), published, &f->a, &err);
	buf_release(&err);
	return rc;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

/* Does entity e (text s) match the expectation "SPAN = VALUE ..."? */
static int
matches(const struct entity *e, const char *line, int type, const char *exp)
{
	char buf[512], *eq, *vals, *tok[6];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", exp);
	eq = strstr(buf, " = ");
	if (!eq)
		return 0;
	*eq = '\0';
	vals = eq + 3;
	if (strlen(trim(buf)) != e->end - e->start ||
	    strncmp(line + e->start, trim(buf), e->end - e->start) != 0)
		return 0;
	for (char *p = vals; *p && n < 6;) {
		char *q = strchr(p, ' ');

		tok[n++] = p;
		if (!q)
			break;
		*q = '\0';
		p = q + 1;
	}
	if (type == ENT_MONEY) {
		if (n < 3 || !near(e->money.value, strtod(tok[0], NULL)) ||
		    strcmp(e->money.currency, tok[1]) != 0 ||
		    strcmp(qualifier_name(e->money.qualifier), tok[2]) != 0)
			return 0;
		if (n >= 5 &&
		    (!near(e->money.low, strtod(tok[3], NULL)) ||
		        !near(e->money.high, strtod(tok[4], NULL))))
			return 0;
		return 1;
	}
	if (type == ENT_PERCENT) {
		if (n < 1 || !near(e->percent, strtod(tok[0], NULL)))
			return 0;
		if (n >= 3 &&
		    (!e->pct_range || !near(e->pct_low, strtod(tok[1], NULL)) ||
		        !near(e->pct_high, strtod(tok[2], NULL))))
			return 0;
		return n >= 3 || !e->pct_range;
	}
	return n >= 1 && strcmp(e->date.value, tok[0]) == 0;
}

static void
run_cases(struct fixture *f, const char *file, int type)
{
	char path[1200], line[2048], published[16] = "";
	FILE *fp;
	int lineno = 0, cases = 0, negatives = 0, failed = 0;

	snprintf(path, sizeof(path), "%s/tests/data/recog/%s", f->top, file);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		char *sep, *text, *want, *items[16];
		struct entity_list ents;
		size_t nitems = 0, nfound = 0;
		int ok = 1;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (strncmp(line, "published ", 10) == 0) {
			snprintf(published, sizeof(published), "%s",
			    trim(line + 10));
			continue;
		}
		sep = strstr(line, " => ");
		assert_non_null(sep);
		*sep = '\0';
		text = line;
		want = trim(sep + 4);
		cases++;
		if (strcmp(want, "-") == 0)
			negatives++;
		else
			for (char *p = want; p && nitems < 16;) {
				char *q = strstr(p, " ; ");

				if (q)
					*q = '\0';
				items[nitems++] = trim(p);
				p = q ? q + 3 : NULL;
			}
		assert_int_equal(scan(&ents, f, text,
		                     published[0] ? published : "2025-12-17"),
		    DW_OK);
		for (size_t i = 0; i < ents.n; i++) {
			int hit = 0;

			if (ents.v[i].type != type)
				continue;
			nfound++;
			for (size_t j = 0; j < nitems; j++)
				hit |=
				    matches(&ents.v[i], text, type, items[j]);
			ok &= hit;
		}
		if (!ok || nfound != nitems) {
			failed++;
			fprintf(stderr, "%s:%d: '%s': want %s, got", file,
			    lineno, text, want);
			for (size_t i = 0; i < ents.n; i++)
				if (ents.v[i].type == type)
					fprintf(stderr, " [%.*s]",
					    (int)(ents.v[i].end -
					        ents.v[i].start),
					    text + ents.v[i].start);
			fprintf(stderr, "\n");
		}
		arena_reset(&f->a);
	}
	fclose(fp);
	/* The data set must stay big enough to mean something. */
	assert_true(cases >= 100);
	assert_true(negatives * 4 >= cases);
	assert_int_equal(failed, 0);
}

static void
test_recog_money_cases(void **state)
{
	run_cases(*state, "money.cases", ENT_MONEY);
}

static void
test_recog_percent_cases(void **state)
{
	run_cases(*state, "percent.cases", ENT_PERCENT);
}

static void
test_recog_date_cases(void **state)
{
	run_cases(*state, "dates.cases", ENT_DATE);
}

static void
test_recog_values_are_exact(void **state)
{
	struct entity_list ents;

	assert_int_equal(scan(&ents, *state,
	                     "It paid $1.1 billion and "
	                     "$48.2 million.",
	                     NULL),
	    DW_OK);
	assert_int_equal(ents.n, 2);
	assert_true(ents.v[0].money.value == 1100000000.0);
	assert_true(ents.v[1].money.value == 48200000.0);
}

static void
test_recog_invalid_utf8_keeps_other_matches(void **state)
{
	struct entity_list ents;

	assert_int_equal(scan(&ents, *state,
	                     "\xff\xfe paid $5 million \xc3("
	                     " for a 27% stake \xe2\x82",
	                     NULL),
	    DW_OK);
	assert_int_equal(ents.n, 2);
	assert_int_equal(ents.v[0].type, ENT_MONEY);
	assert_true(ents.v[0].money.value == 5000000.0);
	assert_int_equal(ents.v[1].type, ENT_PERCENT);
}

static void
test_recog_entities_sorted_and_disjoint(void **state)
{
	struct entity_list ents;
	size_t i;

	assert_int_equal(scan(&ents, *state,
	                     "On March 3, 2025 it paid "
	                     "$5-7 billion, about 27%, up from 20 pct last "
	                     "year and 15 mln "
	                     "dlrs in 2019.",
	                     "2025-12-17"),
	    DW_OK);
	assert_true(ents.n >= 6);
	for (i = 1; i < ents.n; i++)
		assert_true(ents.v[i - 1].end <= ents.v[i].start);
}

static void
test_recog_unresolved_without_published(void **state)
{
	struct entity_list ents;

	assert_int_equal(scan(&ents, *state,
	                     "It closed last month, on "
	                     "March 3, 2025.",
	                     NULL),
	    DW_OK);
	assert_int_equal(ents.n, 1);
	assert_string_equal(ents.v[0].date.value, "2025-03-03");
}

/* Write the five rule files into dir, with one of them replaced. */
static void
write_rules(const char *dir, const char *name, const char *text)
{
	static const char *const files[] = { "numbers.rules",
		"currencies.rules", "qualifiers.rules", "dates.rules",
		"money.rules" };
	char path[512];

	mkdir(dir, 0700);
	for (size_t i = 0; i < countof(files); i++) {
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(strcmp(files[i], name) == 0 ? text : "# empty\n", fp);
		fclose(fp);
	}
}

static void
remove_rules(const char *dir)
{
	static const char *const files[] = { "numbers.rules",
		"currencies.rules", "qualifiers.rules", "dates.rules",
		"money.rules" };
	char path[512];

	for (size_t i = 0; i < countof(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
test_recog_rule_error_names_line_and_column(void **state)
{
	char dir[] = "/tmp/dw-recog-XXXXXX", want[128];
	struct rule_files rf;
	struct recog *r = NULL;
	struct buf err = BUF_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_rules(dir, "money.rules",
	    "# comment\ndefine OK\n  \\d+\npattern money bad\n  {OK} (x\n");
	assert_int_equal(rule_files_load(&rf, dir, &err), DW_OK);
	assert_int_equal(recog_open(&r, &rf, &err), DW_ECONFIG);
	assert_null(r);
	snprintf(want, sizeof(want), "%s/money.rules:5:", dir);
	assert_memory_equal(err.data, want, strlen(want));
	assert_non_null(strstr(err.data, "missing closing parenthesis"));
	rule_files_release(&rf);
	buf_reset(&err);
	write_rules(dir, "money.rules", "pattern money x\n  {nosuch}\n");
	assert_int_equal(rule_files_load(&rf, dir, &err), DW_OK);
	assert_int_equal(recog_open(&r, &rf, &err), DW_ECONFIG);
	snprintf(want, sizeof(want), "%s/money.rules:2:3: unknown name", dir);
	assert_memory_equal(err.data, want, strlen(want));
	rule_files_release(&rf);
	remove_rules(dir);
	buf_release(&err);
}

/* Tag text with the rules of money.rules alone; the first entity. */
static size_t
gate_count(const char *money_rules, const char *text, size_t *start)
{
	char dir[] = "/tmp/dw-recog-XXXXXX";
	struct rule_files rf;
	struct recog *r = NULL;
	struct buf err = BUF_INIT;
	struct arena a;
	struct entity_list ents;
	size_t n;

	assert_non_null(mkdtemp(dir));
	write_rules(dir, "money.rules", money_rules);
	assert_int_equal(rule_files_load(&rf, dir, &err), DW_OK);
	assert_int_equal(recog_open(&r, &rf, &err), DW_OK);
	arena_init(&a, 1 << 20);
	assert_int_equal(recog_scan(&ents, r, span_cstr(text), NULL, &a, &err),
	    DW_OK);
	n = ents.n;
	*start = n ? ents.v[0].start : (size_t)-1;
	arena_release(&a);
	recog_free(r);
	rule_files_release(&rf);
	remove_rules(dir);
	buf_release(&err);
	return n;
}

static void
test_recog_gates_decide_where_patterns_run(void **state)
{
	/* Two gates: at a number, or at a whole "up to". */
	static const char two[] =
	    "list currency\ndollars => USD\nlist lead\nup to => up_to\n"
	    "pattern money m 0 start=#digit core=currency near=1 "
	    "start=lead core=currency near=3\n"
	    "  (?: up \\s+ (?:to\\s+)? )? (?<a_num>\\d+) \\s+ "
	    "(?<a_cur>{currency})\n";
	/* One gate with two conditions: a currency and a "lead" word. */
	static const char both[] =
	    "list currency\ndollars => USD\nlist lead\nup to => up_to\n"
	    "pattern money m 0 start=#digit core=currency near=1 core=lead "
	    "near=0\n"
	    "  (?<a_num>\\d+) \\s+ (?<a_cur>{currency})\n";
	size_t start;

	(void)state;
	assert_int_equal(gate_count(two, "5 dollars", &start), 1);
	assert_int_equal(start, 0);
	assert_int_equal(gate_count(two, "up to 5 dollars", &start), 1);
	assert_int_equal(start, 0);
	/* "up" begins the alias "up to" but is not it: no start there. */
	assert_int_equal(gate_count(two, "up 5 dollars", &start), 1);
	assert_int_equal(start, 3);
	assert_int_equal(gate_count(both, "5 dollars", &start), 0);
}

static void
test_recog_match_limit_is_reported_not_hung(void **state)
{
	char dir[] = "/tmp/dw-recog-XXXXXX";
	struct rule_files rf;
	struct recog *r = NULL;
	struct buf err = BUF_INIT;
	struct arena a;
	struct entity_list ents;
	char text[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A pattern that backtracks exponentially on "aaaa...b". */
	write_rules(dir, "money.rules",
	    "pattern money slow\n  (?<a_num>(?:a|aa)+)$\n");
	assert_int_equal(rule_files_load(&rf, dir, &err), DW_OK);
	assert_int_equal(recog_open(&r, &rf, &err), DW_OK);
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = 'b';
	text[sizeof(text) - 1] = '\0';
	arena_init(&a, 1 << 20);
	assert_int_equal(recog_scan(&ents, r, span_cstr(text), NULL, &a, &err),
	    DW_ETOOBIG);
	assert_non_null(strstr(err.data, "match limit"));
	arena_release(&a);
	recog_free(r);
	rule_files_release(&rf);
	remove_rules(dir);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recog_money_cases),
		cmocka_unit_test(test_recog_percent_cases),
		cmocka_unit_test(test_recog_date_cases),
		cmocka_unit_test(test_recog_values_are_exact),
		cmocka_unit_test(test_recog_invalid_utf8_keeps_other_matches),
		cmocka_unit_test(test_recog_entities_sorted_and_disjoint),
		cmocka_unit_test(test_recog_unresolved_without_published),
		cmocka_unit_test(test_recog_rule_error_names_line_and_column),
		cmocka_unit_test(test_recog_match_limit_is_reported_not_hung),
		cmocka_unit_test(test_recog_gates_decide_where_patterns_run),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
