GO ?= go
FLOW ?= examples/pizzeria/flow.yaml

.PHONY: run run-shop build test lint fuzz bench bench-open bench-go bench-outbox

## run: serve examples/pizzeria on :8080 (embedded Redis, dry-run sender without KALEYRA_API_KEY), reloading it when the file changes
run:
	$(GO) run ./cmd/souk serve --flow $(FLOW) --watch

## run-shop: serve examples/shop-with-handlers (its own binary with Go handlers) on :8080
run-shop:
	$(GO) run ./examples/shop-with-handlers serve --flow examples/shop-with-handlers/flow.yaml --watch

## build: build bin/souk
build:
	$(GO) build -o bin/souk ./cmd/souk

## test: the whole test suite (tests needing a real Redis use REDIS_URL, skipped when unset), then the
## store, the engine and the outbox senders again under the race detector
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 10m ./...
	$(GO) test -race -count=1 -timeout 10m ./store/... ./bot/ ./bot/outbox/

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## fuzz: run every fuzz target for FUZZTIME each (their seed corpora also run in `make test`)
FUZZTIME ?= 20s
FUZZ_TARGETS = ./bot/kaleyra:FuzzMessageID ./bot/whatsapp:FuzzDecode ./bot/whatsapp:FuzzDecodeSame ./bot/whatsapp:FuzzDecodeOnePass ./bot/whatsapp:FuzzScanSame ./internal/jsonfast:FuzzSame ./bot:FuzzDecodeResolve ./bot/webhook:FuzzWebhook ./flows:FuzzParse ./flows:FuzzTemplate ./flows:FuzzKey ./bot/recording:FuzzRedact ./store:FuzzEncodeEntry ./store:FuzzDecodeEntry ./store:FuzzRecord ./internal/yamldoc:FuzzOne
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

## bench-outbox: Go benchmarks of webhook-to-outbox and commit-to-send at 1, 16, 256 shoppers on REDIS_URL (default the local Redis)
bench-outbox:
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(GO) test -run '^$$' -bench BenchmarkWebhookToOutbox -benchtime 3s ./bot/webhook/
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(GO) test -run '^$$' -bench BenchmarkCommitToSend -benchtime 3s -benchmem ./bot/outbox/

## bench: end-to-end benchmark, souk beside a stateless reference bot at 1, 16 and 256 shoppers (REDIS_URL or embedded)
bench:
	$(GO) run ./cmd/soukbench -shoppers 1,16,256 -duration 15s -rounds 3

## bench-open: the same with shoppers arriving on their own, asking for 1000, 2000, 3000, 4000 and 5000 replies/s: latency below saturation
bench-open:
	$(GO) run ./cmd/soukbench -rate 1000,2000,3000,4000,5000 -duration 15s -rounds 3

## bench-go: Go benchmarks of the hot path with allocations (webhook decode, triggers, rendering, store)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./bot ./bot/whatsapp ./flows ./store
