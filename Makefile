# dyad: one plain Makefile. `make` builds build/libdyad.{a,so} and build/dyad;
# `make test` builds an ASan+UBSan copy in build/san and runs every suite;
# `make fuzz` builds the libFuzzer targets; `make bench` runs the benchmark.

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libutf8proc json-c libxml-2.0 sqlite3 libpq
# libpq is opened at run time, when a PostgreSQL store is (store_pg.c):
# its headers only at build time.
LINK_PKGS := libutf8proc json-c libxml-2.0 sqlite3
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
INC     := -Iinclude -Isrc/lib -Ibuild/gen $(shell pkg-config --cflags $(PKGS))
LIBS    := $(shell pkg-config --libs $(LINK_PKGS)) -lm -lpthread -ldl
# dyad serve's HTTP server: build/dyad only, not the library.
CLI_CFLAGS := $(shell pkg-config --cflags libmicrohttpd)
CLI_LIBS   := # libmicrohttpd is opened at run time by `dyad serve` (serve_http.c)
ALL_CFLAGS = $(WARN) $(DEFS) $(INC) -fPIC -fvisibility=hidden $(CFLAGS)

# O is the output folder: build/ for the normal build, build/san for tests.
O       ?= build
LIB_SRC := $(sort $(wildcard src/lib/*.c src/lib/util/*.c))
GEN_SRC := build/gen/cameo_table.c build/gen/builtin_dicts.c build/gen/schema_sql.c
# The web page of `dyad serve`: our files in web/src and the chart libraries
# that `npm ci` puts in web/node_modules (web/package-lock.json), compiled into
# build/dyad only (not the library), each under its URL path.
WEB_OWN   := $(sort $(wildcard web/src/*))
WEB_VENDOR := web/node_modules/echarts/dist/echarts.min.js \
              web/node_modules/cytoscape/dist/cytoscape.min.js
WEB_FILES := $(WEB_OWN) $(WEB_VENDOR)
LIB_OBJ := $(patsubst src/%.c,$(O)/obj/%.o,$(LIB_SRC)) \
           $(patsubst build/gen/%.c,$(O)/obj/gen/%.o,$(GEN_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
CLI_OBJ := $(patsubst src/%.c,$(O)/obj/%.o,$(CLI_SRC)) $(O)/obj/gen/web_assets.o
DICT_SRC := $(sort $(wildcard data/dict/*.txt))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRC))

.PHONY: all test unit fuzz bench clean san deps
all: $(O)/libdyad.a $(O)/libdyad.so $(O)/dyad

$(O)/obj/%.o: src/%.c $(GEN_SRC) $(wildcard include/*.h src/lib/*.h src/lib/util/*.h src/cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(O)/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# Generated sources (as SQLite generates its keyword table).
build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O1 $< -o $@
build/tools/gen_cameo: tools/gen_cameo.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O1 $< -o $@
build/gen/builtin_dicts.c: build/tools/embed $(DICT_SRC)
	@mkdir -p $(dir $@)
	build/tools/embed $(DICT_SRC) > $@.tmp && mv $@.tmp $@
# The event store's schema files (data/schema/), under their own table name.
build/gen/schema_sql.c: build/tools/embed $(sort $(wildcard data/schema/*.sql))
	@mkdir -p $(dir $@)
	build/tools/embed $(sort $(wildcard data/schema/*.sql)) | sed 's/dyad__builtin_dicts/dyad__schema_files/' > $@.tmp && mv $@.tmp $@
build/tools/embed_web: tools/embed_web.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O1 $< -o $@
build/gen/web_assets.c: build/tools/embed_web $(WEB_FILES)
	@mkdir -p $(dir $@)
	@test -f web/node_modules/echarts/dist/echarts.min.js || \
	    { echo "web/node_modules is missing: run make deps (npm ci in web/)" >&2; exit 1; }
	build/tools/embed_web $(foreach f,$(WEB_OWN),/$(notdir $(f))=$(f)) \
	    $(foreach f,$(WEB_VENDOR),/vendor/$(notdir $(f))=$(f)) > $@.tmp && mv $@.tmp $@
$(O)/obj/gen/web_assets.o: build/gen/web_assets.c src/cli/web_assets.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc/cli -c $< -o $@
build/gen/cameo_table.c: build/tools/gen_cameo data/cameo.tsv
	@mkdir -p $(dir $@)
	build/tools/gen_cameo data/cameo.tsv > $@.tmp && mv $@.tmp $@

$(O)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(O)/libdyad.so: $(LIB_OBJ)
	$(CC) -shared $(CFLAGS) -o $@ $^ $(LIBS)
$(O)/obj/cli/%.o: ALL_CFLAGS += $(CLI_CFLAGS)
$(O)/dyad: $(CLI_OBJ) $(O)/libdyad.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(O)/libdyad.a $(LIBS) $(CLI_LIBS)

# Unit tests: one cmocka binary per tests/unit/test_*.c, linked statically so
# they can reach the internal (dyad__) functions.
$(O)/tests/%: tests/unit/%.c $(O)/libdyad.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $< -o $@ $(O)/libdyad.a $(LIBS) -lcmocka
unit: $(UNIT_BIN)

SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
san:
	$(MAKE) O=build/san CFLAGS="$(SAN)" all unit

test: san
	@tests/run.sh build/san

# libFuzzer targets: one per parser (tests/fuzz/fuzz_*.c), clang only.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
build/fuzz/%: tests/fuzz/%.c
	$(MAKE) O=build/fuzzlib CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" build/fuzzlib/libdyad.a
	@mkdir -p $(dir $@)
	clang $(WARN) $(DEFS) $(INC) -O1 -g -fsanitize=fuzzer,address,undefined $< -o $@ build/fuzzlib/libdyad.a $(LIBS)
fuzz: $(FUZZ_BIN)

bench: all
	@bench/run.sh

# Installs the Debian packages the build and the tests need (idempotent).
deps:
	@tools/install-deps.sh
	@cd web && npm ci --no-audit --no-fund

clean:
	rm -rf build
