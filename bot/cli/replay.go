package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("replay", "replay --flow FILE RECORDING.jsonl           replay recorded webhooks (dry-run)", runReplay)
}

// replayer feeds recorded webhook bodies through an engine on an
// in-process store whose clock follows the recorded timestamps, and prints
// every request the dry-run sender would make.
type replayer struct {
	out    io.Writer
	engine *bot.Engine
	store  store.Store
	now    time.Time // the clock: latest, or the wall clock before any timestamp
	latest time.Time // the latest recorded timestamp
	bad    int
	sent   []string // requests of the event being applied
}

func runReplay(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "replay")
	flowPath := fs.String("flow", env.Getenv("SOUK_FLOW"), "flow file")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) != 1 || *flowPath == "" {
		fmt.Fprintln(env.Stderr, "usage: souk replay --flow FILE RECORDING.jsonl   (one webhook body per line)")
		return 2
	}
	in, err := os.Open(files[0])
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk replay: %v\n", err)
		return 1
	}
	defer in.Close()
	r, err := newReplayer(env, *flowPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk replay: %v\n", err)
		return 1
	}
	defer r.store.Close()
	if err := r.run(ctx, files[0], in); err != nil {
		fmt.Fprintf(env.Stderr, "souk replay: %v\n", err)
		return 1
	}
	if r.bad > 0 {
		return 1
	}
	return 0
}

func newReplayer(env *Env, flowPath string) (*replayer, error) {
	f, diags := flows.Load(flowPath, flowOptions(env, false))
	for _, d := range diags {
		fmt.Fprintln(env.Stderr, d)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("flow %s has errors", flowPath)
	}
	kcfg := kaleyra.ConfigFromEnv(env.Getenv)
	kcfg.APIKey = "" // a replay never sends
	if err := kaleyra.CheckNumber(kcfg.Number); err != nil {
		return nil, err
	}
	st, _, err := store.OpenEmbedded(store.Config{})
	if err != nil {
		return nil, err
	}
	r := &replayer{out: env.Stdout, store: st}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dry := kaleyra.NewDryRun(slog.New(slog.DiscardHandler), kcfg)
	dry.OnSend = func(method, path string, body []byte) {
		r.sent = append(r.sent, fmt.Sprintf("  %s %s\n  %s\n", method, path, body))
	}
	r.engine, err = bot.New(bot.Config{Flow: f, Store: st, Handlers: env.Handlers, Logger: log, Clock: r.clock,
		Dispatcher: bot.Direct{Sender: dry, Log: log}, BusinessNumber: kcfg.Number})
	if err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// idleUntil runs, at their own times, the idle timers that ran out
// between the last recorded event and t, as `souk serve` would have, and
// prints each reminder before the event at where.
func (r *replayer) idleUntil(ctx context.Context, where string, t time.Time) error {
	index, ok := r.store.(store.IdleIndex)
	if !ok {
		return nil
	}
	return idleSteps(ctx, r.engine, index, t, func(at time.Time) { r.now = at },
		func() { r.sent = r.sent[:0] },
		func(moved []bot.Result) {
			for _, res := range moved {
				fmt.Fprintf(r.out, "%s: (before) idle timer of %s: %s -> %s (%s), %d sent\n", where, bot.MaskPhone(res.Phone), res.From, res.To, res.Trigger.Step, res.Sent)
			}
			for _, s := range r.sent {
				fmt.Fprint(r.out, s)
			}
		})
}

// clock is the latest recorded timestamp, so sessions expire as they did.
func (r *replayer) clock() time.Time { return r.now }

func (r *replayer) run(ctx context.Context, name string, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 5<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		events, err := whatsapp.Decode(line)
		if err != nil {
			fmt.Fprintf(r.out, "%s:%d: %v\n", name, n, err)
			r.bad++
			continue
		}
		for _, ev := range events {
			if err := r.apply(ctx, fmt.Sprintf("%s:%d", name, n), ev); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

func (r *replayer) apply(ctx context.Context, where string, ev whatsapp.Event) error {
	if ev.Timestamp.After(r.latest) {
		if !r.latest.IsZero() {
			if err := r.idleUntil(ctx, where, ev.Timestamp); err != nil {
				return err
			}
		}
		r.latest = ev.Timestamp
	}
	r.now = r.latest
	if r.now.IsZero() { // no recorded time yet; the first timestamp sets the clock back
		r.now = time.Now()
	}
	r.sent = r.sent[:0]
	res, err := r.engine.Handle(ctx, ev)
	fmt.Fprintf(r.out, "%s: %s %s from %s", where, ev.Envelope, ev.Kind, bot.MaskPhone(ev.From))
	defer func() {
		for _, s := range r.sent {
			fmt.Fprint(r.out, s)
		}
	}()
	switch {
	case err != nil:
		fmt.Fprintln(r.out, ": failed")
		return err
	case res.Duplicate:
		fmt.Fprintln(r.out, ": duplicate, nothing moves")
	case res.Ignored != "":
		fmt.Fprintf(r.out, ": ignored (%s)\n", res.Ignored)
	default:
		fmt.Fprintf(r.out, ": %s -> %s (%s), %d sent\n", orDefault(res.From, "(new)"), res.To, res.Trigger.Step, res.Sent)
	}
	return nil
}
