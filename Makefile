# mtcheck: `make` builds build/mtcheck; `make check` builds and runs the tests;
# `make check SANITIZE=1` does the same under ASan and UBSan in build-san/
# (build-san-clang/ with CC=clang).
# Missing libraries are installed by .ci/deps on the first build (see README.md).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/mtcheck
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

VERSION := $(shell sed -n 's/^\#define MTCHECK_VERSION "\(.*\)"/\1/p' include/util/mtcheck_version.h)

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wpedantic -Werror

ifeq ($(SANITIZE),1)
# clang's UBSan checks more than gcc's (an offset added to a null pointer),
# so CI runs both; each compiler's objects have their own folder.
B := build-san$(if $(findstring clang,$(notdir $(CC))),-clang)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
B := build
SANFLAGS :=
endif

# Build flags come from pkg-config, recorded once in $(B)/config.mk; making
# that file first installs whatever pkg-config cannot find.
NO_CONFIG_GOALS := clean uninstall distclean
ifeq ($(filter $(NO_CONFIG_GOALS),$(MAKECMDGOALS)),)
-include $(B)/config.mk
endif

ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -pthread $(WARNINGS) $(CFLAGS) $(SANFLAGS) \
	-Iinclude $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) -pthread $(SANFLAGS)

SRC := $(sort $(wildcard src/*/*.c))
LIB_OBJ := $(patsubst src/%.c,$(B)/obj/%.o,$(filter-out src/cli/main.c,$(SRC)))
MAIN_OBJ := $(B)/obj/cli/main.o

TEST_SUPPORT := tests/scenario.c tests/testutil.c tests/fs_snapshot.c tests/accuracy/accuracy.c
# The fuzz targets are linked into the test runner too, to replay tests/fuzz/regressions/.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
TEST_FILES := $(sort $(wildcard tests/test_*.c tests/*/test_*.c))
TEST_SRC := tests/runner.c $(TEST_SUPPORT) $(TEST_FILES) \
	tests/fuzz/fuzz.c $(FUZZ_SRC)
TEST_OBJ := $(patsubst tests/%.c,$(B)/tests/%.o,$(TEST_SRC))
MKSCENARIO_OBJ := $(patsubst tests/%.c,$(B)/tests/%.o,tests/mkscenario.c tests/scenario.c)
TEST_DEFS = -DMT_TEST_BIN='"$(abspath $(B)/mtcheck)"' -DMT_TEST_DIR='"$(abspath tests)"' \
	-DMT_TEST_TMP='"$(abspath $(B)/tmp)"'

DEMO_REPO := $(B)/demo-repo

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

.PHONY: all check check-includes check-valgrind demo man install uninstall clean deps fuzz fuzz-build accuracy dist deb
all: $(B)/mtcheck

deps:
	@sh .ci/deps

$(B)/config.mk: .ci/deps Makefile
	@mkdir -p $(B)
	@sh .ci/deps
	@set -e; { \
	  echo "PKG_CFLAGS := $$(pkg-config --cflags libgit2 jansson zlib)"; \
	  echo "PKG_LIBS := $$(pkg-config --libs libgit2 jansson zlib)"; \
	  echo "CHECK_CFLAGS := $$(pkg-config --cflags check)"; \
	  echo "CHECK_LIBS := $$(pkg-config --libs check)"; \
	} > $@.tmp; mv $@.tmp $@

$(B)/obj/%.o: src/%.c $(B)/config.mk
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libmtcheck.a: $(LIB_OBJ)
	@rm -f $@
	$(quiet) AR $@
	$(Q)$(AR) rcs $@ $^

$(B)/mtcheck: $(MAIN_OBJ) $(B)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%.o: tests/%.c $(B)/config.mk
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) $(TEST_DEFS) -Itests -I$(B)/tests -c -o $@ $<

# Every tests/[<module>/]test_<name>.c defines suite_<name>(); the runner's list is
# generated from the file names, so adding a suite is adding a file.
$(B)/tests/suites.h: $(TEST_FILES) Makefile
	@mkdir -p $(@D)
	@for f in $(patsubst test_%.c,%,$(notdir $(TEST_FILES))); do \
	  echo "SUITE($$f)"; done > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: $(B)/tests/suites.h

# Fuzz targets see the module internals they fuzz (src/<module>/*_internal.h).
$(B)/tests/fuzz/%.o: ALL_CFLAGS += -Isrc -Itests/fuzz
# So do the test of the jobs module's wire format and the pack reader's test.
$(B)/tests/jobs/test_jobs_wire.o $(B)/tests/repo/test_repo_pack.o: ALL_CFLAGS += -Isrc

# The same for the fuzz targets: tests/fuzz/fuzz_<name>.c gives FUZZ(name).
$(B)/tests/fuzz_targets.h: $(FUZZ_SRC) Makefile
	@mkdir -p $(@D)
	@for f in $(FUZZ_TARGETS); do echo "FUZZ($$f)"; done > $@.tmp && mv $@.tmp $@

$(B)/tests/test_fuzz_regressions.o: $(B)/tests/fuzz_targets.h

$(B)/tests/run: $(TEST_OBJ) $(B)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

$(B)/mkscenario: $(MKSCENARIO_OBJ) $(B)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

check: check-includes $(B)/mtcheck $(B)/tests/run
	@rm -rf $(B)/tmp && mkdir -p $(B)/tmp
	$(B)/tests/run

# Modules include only their own headers and those of modules before them in
# the pipeline (README.md, "Design"): data flows one way.
check-includes:
	@sh tests/check-includes.sh

# The same suite under valgrind, mtcheck processes included; no fork per test so
# leaks in the test process itself are seen too.
check-valgrind: $(B)/mtcheck $(B)/tests/run
	@command -v valgrind >/dev/null || { echo "check-valgrind: install valgrind" >&2; exit 2; }
	@rm -rf $(B)/tmp && mkdir -p $(B)/tmp
	MT_TEST_VALGRIND=1 CK_FORK=no CK_DEFAULT_TIMEOUT=600 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --suppressions=$(abspath tests/valgrind.supp) \
	  --error-exitcode=99 --trace-children=yes --trace-children-skip='*/git,*/sh,*/cp,*/chmod,*/rm' $(B)/tests/run

demo: $(B)/mtcheck $(B)/mkscenario
	@rm -rf $(DEMO_REPO)
	@$(B)/mkscenario tests/scenarios/demo/demo.json $(DEMO_REPO)
	@echo "\$$ mtcheck --repo $(DEMO_REPO) audit"
	@$(B)/mtcheck --repo $(DEMO_REPO) audit; st=$$?; \
	  if [ $$st -gt 1 ]; then exit $$st; fi
	@echo
	@echo "\$$ mtcheck --repo $(DEMO_REPO) check staging-10.0 --since stable-10.0"
	@$(B)/mtcheck --repo $(DEMO_REPO) check staging-10.0 --since stable-10.0; st=$$?; \
	  if [ $$st -gt 1 ]; then exit $$st; fi
	@echo
	@echo "\$$ mtcheck --repo $(DEMO_REPO) suggest stable-9.2 --all"
	@$(B)/mtcheck --repo $(DEMO_REPO) suggest stable-9.2 --all

# `make accuracy QEMU=DIR` scores mtcheck against the labelled real backports of
# tests/accuracy/cases.txt on the QEMU history in DIR (README: "Accuracy on real
# backports"). The scorer is plain C and jansson.
ACC_OBJ := $(B)/tests/accuracy/accuracy.o $(B)/tests/accuracy/score.o
$(B)/accuracy-score: $(ACC_OBJ)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $$(pkg-config --libs jansson)

ACCURACY_EVIDENCE ?= yes
accuracy: $(B)/mtcheck $(B)/accuracy-score
	@sh tests/accuracy/run.sh $(B)/mtcheck $(B)/accuracy-score tests/accuracy/cases.txt "$(QEMU)" \
	  $(B)/accuracy $(ACCURACY_EVIDENCE)

# The RULES section of the manual page is generated from rules/rules.json (one
# source for each rule's text); test_explain fails when the two disagree.
MAN_BEGIN := .\\" BEGIN RULES generated from rules/rules.json by make man
MAN_END := .\\" END RULES
man: $(B)/mtcheck
	@$(B)/mtcheck --rules rules explain --all --man > $(B)/rules.mdoc
	@awk -v gen=$(B)/rules.mdoc -v begin='$(MAN_BEGIN)' -v end='$(MAN_END)' \
	  '$$0 == begin { print; while ((getline l < gen) > 0) print l; skip = 1; next } \
	   $$0 == end { skip = 0; found = 1 } !skip { print } \
	   END { if (!found) { print "man/mtcheck.1: RULES markers missing" > "/dev/stderr"; exit 1 } }' \
	  man/mtcheck.1 > $(B)/mtcheck.1.tmp
	@mv $(B)/mtcheck.1.tmp man/mtcheck.1
	@echo "man/mtcheck.1: RULES section regenerated from rules/rules.json"

install: $(B)/mtcheck
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/rules \
	  $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(B)/mtcheck $(DESTDIR)$(BINDIR)/mtcheck
	install -m 644 man/mtcheck.1 $(DESTDIR)$(MANDIR)/man1/mtcheck.1
	install -m 644 rules/*.json $(DESTDIR)$(DATADIR)/rules/
	install -m 644 man/mtcheck.bash-completion $(DESTDIR)$(COMPLETIONDIR)/mtcheck

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mtcheck $(DESTDIR)$(MANDIR)/man1/mtcheck.1 \
	  $(DESTDIR)$(COMPLETIONDIR)/mtcheck
	rm -rf $(DESTDIR)$(DATADIR)

# `make dist`: the committed tree at HEAD as mtcheck-VERSION.tar.gz. git archive
# stamps every file with the commit's time and gzip -n leaves out its own name
# and time, so the same commit always gives the same bytes.
dist:
	@mkdir -p $(B)
	git archive --format=tar --prefix=mtcheck-$(VERSION)/ HEAD | gzip -9n > $(B)/mtcheck-$(VERSION).tar.gz
	@echo "$(B)/mtcheck-$(VERSION).tar.gz"

# `make deb`: a binary package of `make install PREFIX=/usr` built with dpkg-deb;
# the control file is written here (Depends from the libraries the binary links,
# through dpkg -S), the man page and changelog compressed as Debian wants them.
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_ROOT := $(B)/deb/mtcheck
DEB_DOC := $(DEB_ROOT)/usr/share/doc/mtcheck
DEB_FILE = $(B)/mtcheck_$(VERSION)_$(DEB_ARCH).deb
DEB_DATE = $(shell git log -1 --format=%cD 2>/dev/null || echo 'Thu, 01 Jan 2026 00:00:00 +0000')
deb: $(B)/mtcheck
	@command -v dpkg-deb >/dev/null || { echo "deb: needs dpkg-deb (Debian's dpkg)" >&2; exit 2; }
	@rm -rf $(B)/deb && mkdir -p $(DEB_ROOT)/DEBIAN $(DEB_DOC)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr B=$(B) >/dev/null
	$(Q)strip --remove-section=.comment --remove-section=.note --strip-unneeded \
	  $(DEB_ROOT)/usr/bin/mtcheck
	$(Q)gzip -9n $(DEB_ROOT)/usr/share/man/man1/mtcheck.1
	$(Q)printf '%s\n' 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
	  'Upstream-Name: mtcheck' '' 'Files: *' 'Copyright: 2026 the mtcheck authors' \
	  'License: unspecified' ' The source tree states no licence yet.' > $(DEB_DOC)/copyright
	$(Q)printf 'mtcheck (%s) unstable; urgency=medium\n\n  * Built by make deb from the source tree.\n\n -- mtcheck maintainers <mtcheck@example.org>  %s\n' \
	  '$(VERSION)' '$(DEB_DATE)' | gzip -9n > $(DEB_DOC)/changelog.gz
	$(Q)deps=$$(for so in $$(readelf -d $(B)/mtcheck | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do \
	  ldd $(B)/mtcheck | awk -v so="$$so" '$$1 == so {print $$3}'; done | while read -r lib; do \
	  dpkg -S "$$(readlink -f "$$lib")" 2>/dev/null || dpkg -S "$$lib" 2>/dev/null; done | \
	  cut -d: -f1 | sort -u | while read -r p; do \
	  printf '%s (>= %s), ' "$$p" "$$(dpkg-query -W -f='$${Version}' "$$p" | sed 's/-[^-]*$$//')"; done); \
	{ echo "Package: mtcheck"; echo "Version: $(VERSION)"; echo "Architecture: $(DEB_ARCH)"; \
	  echo "Maintainer: mtcheck maintainers <mtcheck@example.org>"; \
	  echo "Installed-Size: $$(du -sk $(DEB_ROOT)/usr | cut -f1)"; \
	  echo "Depends: $${deps%, }"; echo "Recommends: git"; \
	  echo "Section: devel"; echo "Priority: optional"; \
	  echo "Description: check QEMU stable branches against the machine-type policy"; \
	  echo " mtcheck reads a QEMU git repository and reports backports to stable"; \
	  echo " branches that change guest ABI of released machine types without a"; \
	  echo " bugfix machine, and other breaches of the stable machine-type policy."; \
	} > $(DEB_ROOT)/DEBIAN/control
	$(Q)cd $(DEB_ROOT) && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums
	$(Q)find $(DEB_ROOT) -type d -exec chmod 755 {} + && chmod 644 $(DEB_ROOT)/DEBIAN/*
	$(Q)dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB_FILE) >/dev/null
	@echo "$(DEB_FILE)"

clean:
	rm -rf build build-san build-san-clang build-fuzz

include tests/bench/bench.mk

# ---- Fuzzing: clang + libFuzzer, in build-fuzz/ ----
# `make fuzz FUZZ_SECONDS=N` builds every tests/fuzz/fuzz_<name>.c and runs it
# for N seconds from a seed corpus generated into build-fuzz/corpus/<name>/;
# FUZZ_TARGETS="a b" runs only those. A new target is one file plus its line
# below: the seeds (files are copied whole, a *.seeds file gives one seed per
# line with \n for a newline, a directory gives its files).
FUZZ_SEEDS_jsonfile := rules tests/scenarios/builder tests/scenarios/abi/signals.json \
	tests/scenarios/demo/demo.json
FUZZ_SEEDS_abi_config := rules/abi-signals.json
FUZZ_SEEDS_abi_text := tests/scenarios/abi tests/scenarios/demo tests/scenarios/builder/pc_q35.c
FUZZ_SEEDS_qversion := tests/fuzz/qversion.seeds
FUZZ_SEEDS_date := tests/fuzz/date.seeds
FUZZ_SEEDS_csrc := tests/scenarios/machines tests/scenarios/demo tests/scenarios/abi \
	tests/scenarios/jsontext/machine-latin1.c tests/scenarios/builder/pc_q35.c
FUZZ_SEEDS_machines := tests/scenarios/machines tests/scenarios/demo \
	tests/scenarios/abi/machine.c tests/scenarios/abi/q35.c
FUZZ_SEEDS_trailer := tests/fuzz/trailers.seeds
FUZZ_SEEDS_policy := rules/rules.json tests/policy tests/scenarios/policy
FUZZ_SEEDS_families := rules/families.json
FUZZ_SEEDS_delta := tests/fuzz/delta-seeds
FUZZ_SEEDS_pack = $(FB)/repo-seeds
FUZZ_SEEDS_refs = $(FB)/repo-seeds
FUZZ_SEEDS_cli = $(FB)/repo-seeds

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FB := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -pthread $(WARNINGS) -O1 -g $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link -Iinclude -Isrc -Itests/fuzz $(PKG_CFLAGS) \
	-DMT_TEST_DIR='"$(abspath tests)"' -MMD -MP
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FB)/obj/%.o,$(filter-out src/cli/main.c,$(SRC)))

$(FB)/obj/%.o: src/%.c $(B)/config.mk
	@mkdir -p $(@D)
	$(quiet) FUZZCC $<
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/fuzz/%.o: tests/fuzz/%.c $(B)/config.mk
	@mkdir -p $(@D)
	$(quiet) FUZZCC $<
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_LIBFUZZER -c -o $@ $<

$(FB)/libmtcheck.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FB)/fuzz_%: $(FB)/fuzz/fuzz_%.o $(FB)/fuzz/fuzz.o $(FB)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -pthread -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

.SECONDARY: $(patsubst %,$(FB)/fuzz/fuzz_%.o,$(FUZZ_TARGETS)) $(FB)/fuzz/fuzz.o

fuzz-build:
	@sh .ci/deps-fuzz
	@$(MAKE) --no-print-directory $(addprefix $(FB)/fuzz_,$(FUZZ_TARGETS))

# The repository targets' seeds: packed scenario repositories, each as one
# file of index, pack and packed-refs (tests/fuzz/fuzz.h).
REPO_SEED_SCENARIOS := engine/guard builder/basic
$(FB)/repo-seeds: $(B)/mkscenario tests/fuzz/repo-seed.sh
	@rm -rf $@ && mkdir -p $@
	@for s in $(REPO_SEED_SCENARIOS); do \
	  sh tests/fuzz/repo-seed.sh $(B)/mkscenario tests/scenarios/$$s.json \
	    $@/$$(echo $$s | tr / -) || exit 1; done

fuzz: fuzz-build $(FB)/repo-seeds
	@$(foreach t,$(FUZZ_TARGETS),sh tests/fuzz/run.sh $(t) $(FB) $(FUZZ_SECONDS) $(FUZZ_SEEDS_$(t)) &&) true

-include $(wildcard $(B)/obj/*/*.d $(B)/tests/*.d $(B)/tests/*/*.d $(FB)/obj/*/*.d $(FB)/fuzz/*.d)
