package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// failingCommits is a store whose reads work and whose commits fail, as
// when Redis goes away between the two.
type failingCommits struct{ *store.Redis }

func (failingCommits) Commit(context.Context, store.Commit) error {
	return errors.New("dial tcp 127.0.0.1:6379: connection refused")
}

// TestSendReportsAStoreOutage checks that an operator's message the store
// could not read for or queue is reported as ErrStoreUnavailable (POST
// /send answers 503 for it, to be retried) and not as a failed send.
func TestSendReportsAStoreOutage(t *testing.T) {
	mr := miniredis.RunT(t)
	st := store.NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1}), store.Config{})
	t.Cleanup(func() { st.Close() })
	newEng := func(s store.Store) *Engine {
		eng, err := New(Config{Flow: mustFlow(t, "flow: r\nstart: a\ncatalog: \"123\"\nstates:\n  a:\n    send: [{text: hi}]\n"),
			Store: s, Dispatcher: &recorder{}, Outbox: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return eng
	}
	ctx := context.Background()
	offer := Reengagement{To: "919811100001", Template: "offer", Language: "en", Product: "p1"}
	text := whatsapp.Text{Body: "Your order has shipped"}

	queueing := newEng(failingCommits{st})
	if _, err := queueing.Reengage(ctx, offer); !errors.Is(err, ErrStoreUnavailable) {
		t.Errorf("Reengage with commits failing: %v, want ErrStoreUnavailable", err)
	}

	eng := newEng(st)
	mr.SetError("LOADING Redis is loading the dataset in memory")
	if _, err := eng.Reengage(ctx, offer); !errors.Is(err, ErrStoreUnavailable) {
		t.Errorf("Reengage with Redis down: %v, want ErrStoreUnavailable", err)
	}
	if _, err := eng.Send(ctx, offer.To, text); !errors.Is(err, ErrStoreUnavailable) {
		t.Errorf("Send with Redis down: %v, want ErrStoreUnavailable", err)
	}
	mr.SetError("")
	if _, err := eng.Send(ctx, offer.To, text); err == nil || errors.Is(err, ErrStoreUnavailable) {
		t.Errorf("Send outside the window with Redis back: %v, want a window refusal", err)
	}
	if _, err := eng.Reengage(ctx, offer); err != nil {
		t.Errorf("Reengage with Redis back: %v", err)
	}
}
