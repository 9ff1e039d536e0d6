package outbox_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// observer records what a Runner reports.
type observer struct {
	mu      sync.Mutex
	retries map[string]int
	dead    map[string]int // kind/code
	depth   int
	oldest  time.Duration
	reports int
}

func newObserver() *observer { return &observer{retries: map[string]int{}, dead: map[string]int{}} }

func (o *observer) SendRetry(kind string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.retries[kind]++
}

func (o *observer) DeadLetter(kind, code string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dead[kind+"/"+code]++
}

func (o *observer) Outbox(depth int, oldest time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.depth, o.oldest = depth, oldest
	o.reports++
}

func (o *observer) get(f func(o *observer) bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return f(o)
}

func startObserved(t *testing.T, st *store.Redis, k *kaleyratest.Listener, obs outbox.Observer, backoff time.Duration) {
	startWith(t, st, k, outbox.Config{Workers: 2, MaxAttempts: 5, Backoff: backoff, MaxBackoff: backoff,
		Poll: 10 * time.Millisecond, Observer: obs, StatsEvery: 10 * time.Millisecond})
}

func TestObserverRetriesAndDeadLetters(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			var fails atomic.Int32
			k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
				switch {
				case r.Text() == "first" && fails.Add(1) <= 2:
					return kaleyratest.Fail(kaleyra.CodeInternal)
				case r.Text() == "second":
					return kaleyratest.Fail(kaleyra.CodeBadPayload)
				}
				return kaleyratest.Accept("kal-" + r.Ref())
			})
			queue(t, st, "w1", "first", "second", "third")
			obs := newObserver()
			startObserved(t, st, k, obs, 5*time.Millisecond)
			eventually(t, "first and third delivered", func() bool { return len(k.Texts(shopper)) == 2 })
			eventually(t, "the outbox reported empty", func() bool {
				return obs.get(func(o *observer) bool { return o.reports > 0 && o.depth == 0 && o.oldest == 0 })
			})
			obs.get(func(o *observer) bool {
				if len(o.retries) != 1 || o.retries["text"] != 2 {
					t.Errorf("retries %v, want text: 2", o.retries)
				}
				if len(o.dead) != 1 || o.dead["text/WA400"] != 1 {
					t.Errorf("dead letters %v, want text/WA400: 1", o.dead)
				}
				return true
			})
		})
	}
}

func TestObserverOutboxGauges(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			k.FailRate(kaleyra.CodeInternal, 1) // every send fails, retryably
			queue(t, st, "w1", "waits", "behind")
			obs := newObserver()
			// A minute's backoff keeps both replies waiting while the
			// gauges are read every 10ms.
			startObserved(t, st, k, obs, time.Minute)
			eventually(t, "the first attempt", func() bool { return k.Len() == 1 })
			var seen int
			obs.get(func(o *observer) bool { seen = o.reports; return true })
			// Readings taken after the failed attempt: both still wait.
			eventually(t, "two replies waiting, the oldest aging", func() bool {
				return obs.get(func(o *observer) bool {
					return o.reports > seen+1 && o.depth == 2 && o.oldest > 0 && o.oldest < time.Minute
				})
			})
			if n := k.Len(); n != 1 {
				t.Fatalf("%d sends, want 1 before the backoff ends", n)
			}
		})
	}
}

// TestUnreadableEntrySkipped checks that an outbox entry that does not
// decode (a damaged one, here written by hand) is dead-lettered and
// counted, and that the replies behind it are sent.
func TestUnreadableEntrySkipped(t *testing.T) {
	st := storetest.Miniredis(t)
	k := kaleyratest.Run(t)
	queue(t, st, "w1", "behind")
	out := store.DefaultPrefix + ":{" + shopper + "}:out"
	if err := st.Client().LPush(context.Background(), out, "not an entry").Err(); err != nil {
		t.Fatal(err)
	}
	obs := newObserver()
	startObserved(t, st, k, obs, 5*time.Millisecond)
	eventually(t, "the reply behind it sent", func() bool { return len(k.Texts(shopper)) == 1 })
	obs.get(func(o *observer) bool {
		if len(o.dead) != 1 || o.dead["invalid/invalid"] != 1 {
			t.Errorf("dead letters %v, want invalid/invalid: 1", o.dead)
		}
		return true
	})
	if dls, err := st.DeadLetters(context.Background(), 10); err != nil || len(dls) != 1 || dls[0].Reason != "unreadable" {
		t.Errorf("dead letters %+v, %v; want the unreadable entry", dls, err)
	}
}

// TestObserverStoreUnreadable checks that a store that cannot be read is
// reported as depth -1, not left at the last figure.
func TestObserverStoreUnreadable(t *testing.T) {
	st := store.NewRedis(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}), store.Config{})
	t.Cleanup(func() { st.Close() })
	obs := newObserver()
	obs.depth = 3
	startObserved(t, st, kaleyratest.Run(t), obs, 5*time.Millisecond)
	eventually(t, "the unread outbox reported as -1", func() bool {
		return obs.get(func(o *observer) bool { return o.reports > 0 && o.depth == -1 })
	})
}
