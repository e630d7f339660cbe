# Strata — two commands: `make run` and `make test`. The scripts in .ci/ do the work.
.PHONY: run build test bench release release-check install clean

## run: install what is missing, build (debug), migrate, seed the demo once, serve on :3000
run: build
	./target/debug/strata migrate
	./target/debug/strata demo --if-empty
	./target/debug/strata serve

## build: debug browser bundle (target/site) and server (target/debug/strata)
build: install
	.ci/build.sh debug

install:
	.ci/install.sh

## test: fmt, clippy (ssr + hydrate), unit, store and HTTP tests on SQLite and PostgreSQL, e2e
test:
	.ci/test.sh

## bench: release build, then every page and chart route at 5,000 workloads on SQLite and PostgreSQL
bench:
	.ci/bench.sh $(BENCH_ARGS)

## release: optimized server and size-optimized wasm (wasm-opt from npm binaryen)
release:
	.ci/install.sh test
	.ci/build.sh release

## release-check: build the release and run the browser suite against it
release-check: release
	.ci/e2e.sh release

clean:
	cargo clean
