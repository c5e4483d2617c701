# dealwire: news in, deals out. GNU make.
#
#   make            build build/dealwire (installs missing -dev packages as root)
#   make run        crawl the bundled example feeds into build/run/ and list deals
#   make test       build and run every test
#   make check      the test suite under ASan and UBSan with -Werror
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (clang), else a replay
#   make bench      benchmarks, as ratios against named baselines
#   make eval       the scorers of ../shared, when it is there
#   make install    PREFIX=/usr/local DESTDIR=
#   make lint       clang-format drift and banned functions

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SHAREDIR  ?= $(PREFIX)/share/dealwire
MANDIR    ?= $(PREFIX)/share/man
BUILD     ?= build
CC        ?= cc
FUZZ_SECONDS ?= 60
SHARED    ?= ../shared

PKGS      := libcurl libxml-2.0 libpcre2-8 sqlite3 jansson libutf8proc zlib libdeflate
WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
             -Wwrite-strings -Wformat=2 -Wvla -Wcast-qual -Wundef \
             -Wdeclaration-after-statement
CFLAGS    ?= -O2 -g
# Recursively expanded on purpose: pkg-config runs only after deps are in.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libcurl is not linked: fetch/curl_load.c opens it when first called.
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -ldl -lm -pthread
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             -pthread -I. -I$(BUILD)/gen $(PKG_CFLAGS) \
             -DDW_VERSION='"$(VERSION)"' -DDW_SHAREDIR='"$(SHAREDIR)"' \
             $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)

LIB_SRC   := $(sort $(wildcard base/*.c fetch/*.c extract/*.c store/*.c))
CLI_SRC   := $(sort $(wildcard cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
RULES     := $(sort $(wildcard rules/*.rules rules/*.tsv rules/*.txt))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/rules_embed.o
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_OK   := $(BUILD)/.deps-ok

.PHONY: all run test unit e2e check tsan valgrind fuzz bench eval install uninstall lint format clean deps
.DELETE_ON_ERROR:

all: $(BUILD)/dealwire

deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@mkdir -p $(@D)
	@sh scripts/deps.sh
	@touch $@

$(BUILD)/gen/rules_embed.c: scripts/embed-rules.sh $(RULES) | $(DEPS_OK)
	@mkdir -p $(@D)
	sh scripts/embed-rules.sh rules > $@

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/rules_embed.o: $(BUILD)/gen/rules_embed.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -Wmissing-prototypes,$(ALL_CFLAGS)) -c $< -o $@

$(BUILD)/libdealwire.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/dealwire: $(CLI_OBJ) $(BUILD)/libdealwire.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libdealwire.a $(ALL_LDFLAGS) $(PKG_LIBS)

# Unit tests: one cmocka binary per module, linked against the same archive.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdealwire.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -o $@ $< \
	    $(BUILD)/libdealwire.a $(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

# Benchmark programs: tests/bench/bench_NAME.c, linked like the tests.
$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libdealwire.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libdealwire.a $(ALL_LDFLAGS) $(PKG_LIBS)

run: $(BUILD)/dealwire
	@sh scripts/run-examples.sh $(BUILD)

unit: $(TEST_BIN)
	@sh tests/run-unit.sh $(TEST_BIN)

e2e: $(BUILD)/dealwire
	@sh tests/run-e2e.sh $(BUILD)/dealwire

TEST_DEPS_OK := $(BUILD)/.test-deps-ok
$(TEST_DEPS_OK): scripts/deps.sh
	@mkdir -p $(@D)
	@sh scripts/deps.sh --test
	@touch $@

test: $(BUILD)/dealwire $(TEST_BIN) $(TEST_DEPS_OK)
	@sh tests/run-unit.sh $(TEST_BIN)
	@sh tests/run-e2e.sh $(BUILD)/dealwire

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: $(TEST_DEPS_OK)
	$(MAKE) BUILD=build/check CFLAGS="-O1 -g $(SAN) -Werror" LDFLAGS="$(SAN)" \
	    build/check/dealwire $(TEST_SRC:tests/unit/%.c=build/check/tests/%)
	ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh -c 'sh tests/run-unit.sh $(TEST_SRC:tests/unit/%.c=build/check/tests/%) && \
	           sh tests/run-e2e.sh build/check/dealwire'
	$(MAKE) tsan

# ThreadSanitizer over the crawl's tests (crawl is the one command with
# threads); any data race fails the run. Part of make check.
TSAN := -fsanitize=thread -fno-omit-frame-pointer
tsan: $(TEST_DEPS_OK)
	$(MAKE) BUILD=build/tsan CFLAGS="-O1 -g $(TSAN) -Werror" LDFLAGS="$(TSAN)" \
	    build/tsan/dealwire
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
	    E2E_ONLY=crawl_ sh tests/run-e2e.sh build/tsan/dealwire

# Memcheck over the unit tests and a tour of the commands (slow: about
# five minutes); tests/valgrind/nojit.c is preloaded, see there.
valgrind: $(BUILD)/dealwire $(TEST_BIN) $(TEST_DEPS_OK) $(BUILD)/valgrind/nojit.so
	@sh scripts/deps.sh --valgrind
	@sh tests/valgrind/run.sh $(BUILD)

$(BUILD)/valgrind/nojit.so: tests/valgrind/nojit.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -O1 -g -shared -fPIC $(shell pkg-config --cflags libpcre2-8) -o $@ $< \
	    $(shell pkg-config --libs libpcre2-8)

fuzz: $(DEPS_OK)
	@sh tests/fuzz/run.sh "$(FUZZ_SECONDS)"

BENCH_BIN := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/bench_*.c))
bench: $(BUILD)/dealwire $(BENCH_BIN) $(TEST_DEPS_OK)
	@sh tests/bench/run.sh $(BUILD) "$(SHARED)"

eval: $(BUILD)/dealwire
	@sh scripts/eval.sh $(BUILD)/dealwire "$(SHARED)"

install: $(BUILD)/dealwire
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/dealwire $(DESTDIR)$(BINDIR)/dealwire
	install -m 644 $(RULES) $(DESTDIR)$(SHAREDIR)/rules/
	install -m 644 man/dealwire.1 $(DESTDIR)$(MANDIR)/man1/dealwire.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dealwire $(DESTDIR)$(MANDIR)/man1/dealwire.1
	rm -rf $(DESTDIR)$(SHAREDIR)

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*')
lint:
	@sh scripts/lint.sh $(C_FILES)

format:
	clang-format -i $(C_FILES)

clean:
	rm -rf $(BUILD) build/check build/fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)
