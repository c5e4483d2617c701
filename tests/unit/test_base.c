/*
 * test_base.c: buffers, arenas, JSON writing, dates and rule files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static void
test_base_buf_appends_and_stays_terminated(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_string_equal(b.data, "");
	buf_adds(&b, "deal");
	buf_addf(&b, " %d", 42);
	buf_addch(&b, '!');
	assert_string_equal(b.data, "deal 42!");
	assert_int_equal(b.len, 8);
	buf_reset(&b);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void
test_base_buf_limit_is_sticky(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "abc"), DW_OK);
	assert_int_equal(buf_adds(&b, "def"), DW_ETOOBIG);
	/* Later appends that would fit are refused too: the error sticks. */
	assert_int_equal(buf_adds(&b, "d"), DW_ETOOBIG);
	assert_string_equal(b.data, "abc");
	assert_int_equal(buf_error(&b), DW_ETOOBIG);
	buf_release(&b);
}

static void
test_base_buf_detach_hands_over(void **state)
{
	struct buf b = BUF_INIT;
	size_t n;
	char *p;

	(void)state;
	buf_adds(&b, "mine");
	p = buf_detach(&b, &n);
	assert_string_equal(p, "mine");
	assert_int_equal(n, 4);
	assert_string_equal(b.data, "");
	free(p);
}

static void
test_base_arena_limit_refuses(void **state)
{
	struct arena a;
	char *p;

	(void)state;
	arena_init(&a, 100000);
	p = NEW(&a, char, 1000);
	assert_non_null(p);
	assert_int_equal(p[999], 0);
	assert_null(NEW(&a, char, 200000));
	assert_true(a.full);
	arena_release(&a);
	/* a size times a count past SIZE_MAX / 4 (or past SIZE_MAX) is
	 * refused before anything is allocated; a count of 0 is a byte */
	arena_init(&a, 0);
	assert_null(arena_alloc(&a, SIZE_MAX / 8 + 1, 1, 3));
	assert_true(a.full);
	assert_null(arena_alloc_uninit(&a, SIZE_MAX / 2, 8, 3));
	assert_null(arena_alloc(&a, 3, 1, SIZE_MAX / 12 + 1));
	assert_non_null(arena_alloc(&a, 16, 8, 0));
	assert_non_null(arena_alloc(&a, SIZE_MAX / 8, 1, 0));
	arena_release(&a);
}

static void
test_base_arena_rewind_frees_scratch(void **state)
{
	struct arena a;
	struct arena_mark m;
	size_t before;

	(void)state;
	arena_init(&a, 0);
	assert_non_null(arena_strdup(&a, "kept"));
	before = a.used;
	m = arena_mark(&a);
	for (int i = 0; i < 100; i++)
		assert_non_null(NEW(&a, char, 10000));
	arena_rewind(&a, m);
	assert_int_equal(a.used, before);
	arena_release(&a);
}

static void
test_base_json_escapes(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_json_str(&b, "a\"b\\c\nd\x01");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001\"");
	buf_reset(&b);
	/* An invalid byte becomes U+FFFD; valid UTF-8 passes through. */
	buf_json_strn(&b, "\xff\xc3\xa9", 3);
	assert_string_equal(b.data, "\"\xef\xbf\xbd\xc3\xa9\"");
	buf_reset(&b);
	buf_json_str(&b, NULL);
	assert_string_equal(b.data, "null");
	buf_reset(&b);
	buf_json_num(&b, 1100000000.0);
	buf_adds(&b, " ");
	buf_json_num(&b, 0.5);
	assert_string_equal(b.data, "1100000000 0.5");
	buf_release(&b);
}

static void
test_base_dates_round_trip(void **state)
{
	int y;
	unsigned m, d;
	int yy, mm, dd;

	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	civil_from_days(days_from_civil(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(days_in_month(2023, 2), 28);
	assert_int_equal(days_in_month(1900, 2), 28);
	assert_int_equal(date_parse_ymd("2025-12-17", &yy, &mm, &dd), DW_OK);
	assert_int_equal(dd, 17);
	assert_int_equal(date_parse_ymd("2025-02-30", &yy, &mm, &dd),
	    DW_EPARSE);
	assert_int_equal(date_parse_ymd("2025-1-01", &yy, &mm, &dd), DW_EPARSE);
	assert_int_equal(date_parse_ymd("2025-01-011", &yy, &mm, &dd),
	    DW_EPARSE);
}

static void
test_base_rule_files_missing_dir_is_reported(void **state)
{
	struct rule_files rf;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(rule_files_load(&rf, "/nonexistent/rules", &err),
	    DW_ENOTFOUND);
	assert_non_null(strstr(err.data, "/nonexistent/rules"));
	buf_release(&err);
}

static void
test_base_rule_files_builtin_when_no_dir(void **state)
{
	struct rule_files rf;
	struct buf err = BUF_INIT;

	(void)state;
	unsetenv("DEALWIRE_RULES");
	assert_int_equal(rule_files_load(&rf, NULL, &err), DW_OK);
	assert_true(rf.n > 0);
	for (size_t i = 1; i < rf.n; i++)
		assert_true(strcmp(rf.v[i - 1].name, rf.v[i].name) < 0);
	assert_non_null(rule_files_get(&rf, rf.v[0].name));
	assert_null(rule_files_get(&rf, "no-such.rules"));
	rule_files_release(&rf);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_buf_appends_and_stays_terminated),
		cmocka_unit_test(test_base_buf_limit_is_sticky),
		cmocka_unit_test(test_base_buf_detach_hands_over),
		cmocka_unit_test(test_base_arena_limit_refuses),
		cmocka_unit_test(test_base_arena_rewind_frees_scratch),
		cmocka_unit_test(test_base_json_escapes),
		cmocka_unit_test(test_base_dates_round_trip),
		cmocka_unit_test(test_base_rule_files_missing_dir_is_reported),
		cmocka_unit_test(test_base_rule_files_builtin_when_no_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
