GO ?= go
FLOW ?= examples/pizzeria/flow.yaml

.PHONY: run run-shop build test lint fuzz bench

## run: serve examples/pizzeria on :8080 (embedded Redis, dry-run sender without KALEYRA_API_KEY)
run:
	$(GO) run ./cmd/souk serve --flow $(FLOW)

## run-shop: serve examples/shop-with-handlers (its own binary with Go handlers) on :8080
run-shop:
	$(GO) run ./examples/shop-with-handlers serve --flow examples/shop-with-handlers/flow.yaml

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

## fuzz: run every fuzz target for FUZZTIME each (their seed corpora also run in `make test`)
FUZZTIME ?= 20s
FUZZ_TARGETS = ./bot/whatsapp:FuzzDecode ./bot:FuzzDecodeResolve ./bot/webhook:FuzzWebhook ./flows:FuzzParse ./flows:FuzzTemplate
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done
## bench: webhook-to-outbox throughput on the Redis of REDIS_URL (default the local one)
bench:
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(GO) test -run '^$$' -bench BenchmarkWebhookToOutbox -benchtime 3s ./bot/webhook/
