package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("outbox", "outbox list [--limit N] | redrive ID... | redrive --all | status [--phone P] ID   dead letters and message statuses", runOutbox)
}

// runOutbox lists and re-drives dead letters and shows message statuses,
// on the Redis of REDIS_URL under SOUK_REDIS_PREFIX.
func runOutbox(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "usage: souk outbox list [--limit N] | redrive ID... | redrive --all | status [--phone P] ID")
		return 2
	}
	st, code := openServesStore(env, "outbox")
	if st == nil {
		return code
	}
	defer st.Close()
	switch args[0] {
	case "list":
		return outboxList(ctx, env, st, args[1:])
	case "redrive":
		return outboxRedrive(ctx, env, st, args[1:])
	case "status":
		return outboxStatus(ctx, env, st, args[1:])
	}
	fmt.Fprintf(env.Stderr, "souk outbox: unknown subcommand %q\n", args[0])
	return 2
}

// deadLine is one dead letter as `souk outbox list` prints it (JSON lines).
type deadLine struct {
	ID       string `json:"id"`
	Message  string `json:"message"`
	Shopper  string `json:"shopper"`
	Attempts int    `json:"attempts"`
	Reason   string `json:"reason"`
	At       string `json:"at"`
}

func outboxList(ctx context.Context, env *Env, st store.Outbox, args []string) int {
	fs := newFlags(env, "outbox list")
	limit := fs.Int("limit", 100, "most dead letters to list")
	if fs.Parse(args) != nil {
		return 2
	}
	if *limit < 1 {
		fmt.Fprintf(env.Stderr, "souk outbox list: --limit must be at least 1, got %d\n", *limit)
		return 2
	}
	dls, err := st.DeadLetters(ctx, *limit)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk outbox: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(env.Stdout)
	for _, d := range dls {
		_ = enc.Encode(deadLine{ID: d.StreamID, Message: d.Message.ID, Shopper: bot.MaskPhone(d.Message.Phone),
			Attempts: d.Message.Attempts, Reason: d.Reason, At: d.At.UTC().Format("2006-01-02T15:04:05Z")})
	}
	fmt.Fprintf(env.Stderr, "%d dead letter(s)\n", len(dls))
	return 0
}

func outboxRedrive(ctx context.Context, env *Env, st store.Outbox, args []string) int {
	fs := newFlags(env, "outbox redrive")
	all := fs.Bool("all", false, "re-drive every dead letter")
	ids, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if *all {
		dls, err := st.DeadLetters(ctx, store.MaxDeadLetters)
		if err != nil {
			fmt.Fprintf(env.Stderr, "souk outbox: %v\n", err)
			return 1
		}
		for _, d := range dls {
			ids = append(ids, d.StreamID)
		}
		if len(ids) == 0 {
			fmt.Fprintln(env.Stderr, "0 dead letter(s): nothing to re-drive")
			return 0
		}
	}
	if len(ids) == 0 {
		fmt.Fprintln(env.Stderr, "souk outbox redrive: name dead letter ids (from `souk outbox list`) or --all")
		return 2
	}
	code := 0
	for _, id := range ids {
		err := st.Redrive(ctx, id)
		switch {
		case err == nil:
			fmt.Fprintf(env.Stdout, "requeued %s\n", id)
		case *all && (errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrRedriving)):
			fmt.Fprintf(env.Stdout, "skipped %s: another redrive took it\n", id)
		default:
			fmt.Fprintf(env.Stderr, "souk outbox: %v\n", err)
			code = 1
		}
	}
	return code
}

func outboxStatus(ctx context.Context, env *Env, st store.Outbox, args []string) int {
	fs := newFlags(env, "outbox status")
	phone := fs.String("phone", "", "only a message to this shopper (the id alone finds any)")
	ids, err := parseInterspersed(fs, args)
	if err != nil || len(ids) != 1 {
		fmt.Fprintln(env.Stderr, "usage: souk outbox status [--phone P] ID  (souk's message id or Kaleyra's message_id)")
		return 2
	}
	shopper := ""
	if *phone != "" {
		var ok bool
		if shopper, ok = shopperArg(env, "outbox status", *phone); !ok {
			return 2
		}
	}
	ms, err := outbox.Lookup(ctx, st, shopper, ids[0])
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(env.Stderr, "souk outbox: no message %s%s: neither souk's id nor a message_id it recorded (records are kept %d days)\n",
			ids[0], forShopper(shopper), int(store.DefaultStatusTTL.Hours()/24))
		return 1
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk outbox: %v\n", err)
		return 1
	}
	ms.Phone = bot.MaskPhone(ms.Phone)
	_ = json.NewEncoder(env.Stdout).Encode(ms)
	return 0
}

// forShopper is " to SHOPPER", masked, or nothing for no shopper.
func forShopper(shopper string) string {
	if shopper == "" {
		return ""
	}
	return " to " + bot.MaskPhone(shopper)
}
