# Benchmarks (included by the Makefile). `make bench` generates a QEMU-scale
# history once per scale into build/bench/ and times mtcheck beside git
# command-line baselines; `make bench-scaling` times audit at 1/4, 1/2 and full
# size. BENCH_SCALE=quarter|half|full (default full), BENCH_RUNS=N (default 5),
# BENCH_REPO=/path/to/qemu.git measures a real history instead.

BENCH_SCALE ?= full
BENCH_RUNS ?= 5
BENCH_DIR := build/bench
BENCH_SRC := tests/bench/genhistory.c tests/bench/genmodel.c tests/bench/fastimport.c
BENCH_GEN := $(B)/bench/genhistory
# A repository is regenerated only when the generator's sources change.
BENCH_GEN_DEPS := $(BENCH_SRC) tests/bench/genmodel.h tests/bench/fastimport.h
bench_repo = $(BENCH_DIR)/qemu-scale$(if $(filter full,$(1)),,-$(1)).git

.PHONY: bench bench-scaling

$(B)/bench/%.o: tests/bench/%.c $(B)/config.mk
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BENCH_GEN): $(patsubst tests/bench/%.c,$(B)/bench/%.o,$(BENCH_SRC)) $(B)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

$(B)/bench/bench: $(B)/bench/bench.o $(B)/libmtcheck.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^

# The stamp holds the generator's summary (sizes, time); the repository sits beside it.
define bench_generate
$(call bench_repo,$(1)).stamp: $(BENCH_GEN_DEPS) | $(BENCH_GEN)
	@mkdir -p $(BENCH_DIR)
	@rm -rf $(call bench_repo,$(1)) $$@
	$(BENCH_GEN) --scale $(1) $(call bench_repo,$(1)) > $$@.tmp
	@git --git-dir=$(call bench_repo,$(1)) count-objects -vH | \
	  sed -n 's/^in-pack: /objects: /p; s/^size-pack: /pack size: /p' >> $$@.tmp
	@mv $$@.tmp $$@
endef
$(foreach s,quarter half full,$(eval $(call bench_generate,$(s))))

bench: $(B)/mtcheck $(B)/bench/bench $(if $(BENCH_REPO),,$(call bench_repo,$(BENCH_SCALE)).stamp)
	@$(if $(BENCH_REPO),,cat $(call bench_repo,$(BENCH_SCALE)).stamp; echo)
	$(B)/bench/bench --mtcheck $(B)/mtcheck --runs $(BENCH_RUNS) \
	  $(or $(BENCH_REPO),$(call bench_repo,$(BENCH_SCALE)))

bench-scaling: $(B)/mtcheck $(B)/bench/bench $(foreach s,quarter half full,$(call bench_repo,$(s)).stamp)
	@cat $(foreach s,quarter half full,$(call bench_repo,$(s)).stamp); echo
	$(B)/bench/bench --scaling --mtcheck $(B)/mtcheck --runs $(BENCH_RUNS) \
	  $(foreach s,quarter half full,$(call bench_repo,$(s)))

# The generator's own test runs it at a tiny scale.
TEST_DEFS += -DMT_TEST_GENHISTORY='"$(abspath $(BENCH_GEN))"'
check check-valgrind: $(BENCH_GEN)

-include $(wildcard $(B)/bench/*.d)
