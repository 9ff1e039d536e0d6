GO ?= go
FLOW ?= examples/pizzeria/flow.yaml

.PHONY: run build test lint fuzz bench bench-go

## run: serve examples/pizzeria on :8080 (embedded Redis, dry-run sender without KALEYRA_API_KEY)
run:
	$(GO) run ./cmd/souk serve --flow $(FLOW)

## build: build bin/souk
build:
	$(GO) build -o bin/souk ./cmd/souk

## test: the whole test suite (tests needing a real Redis use REDIS_URL, skipped when unset)
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 10m ./...

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: end-to-end benchmark, souk beside a stateless reference bot at 1, 16 and 256 shoppers (REDIS_URL or embedded)
bench:
	$(GO) run ./cmd/soukbench -shoppers 1,16,256 -duration 15s -rounds 3

## bench-go: Go benchmarks of the hot path with allocations (webhook decode, triggers, rendering, store)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./bot ./bot/whatsapp ./flows ./store
