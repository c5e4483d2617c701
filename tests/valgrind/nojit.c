/*
 * nojit.c: preloaded under valgrind (tests/valgrind/run.sh), PCRE2's
 * interpreter in place of its JIT. The JIT's generated code reads ahead
 * past the end of the subject, into the rest of its buffer, and what it
 * reads there decides nothing; memcheck cannot know that and reports
 * "Conditional jump or move depends on uninitialised value(s)" in code it
 * cannot name (with the buffers' spare room zeroed, the reports go; with
 * the interpreter, there are none). The interpreter reads only the bytes
 * it matches, so memcheck checks every byte dealwire hands PCRE2, and
 * matching gives the same results either way.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

int
pcre2_jit_compile_8(pcre2_code_8 *code, uint32_t options)
{
	(void)code;
	(void)options;
	return 0;
}

int
pcre2_jit_match_8(const pcre2_code_8 *code, PCRE2_SPTR8 subject,
    PCRE2_SIZE length, PCRE2_SIZE start, uint32_t options,
    pcre2_match_data_8 *md, pcre2_match_context_8 *mc)
{
	return pcre2_match_8(code, subject, length, start, options, md, mc);
}
