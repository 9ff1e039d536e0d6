package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/webhook"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("handoff", "handoff list [--limit N] | resume PHONE      who waits for a person; let the bot answer one again", runHandoff)
}

const handoffUsage = "usage: souk handoff list [--limit N] | souk handoff resume PHONE"

func runHandoff(ctx context.Context, env *Env, args []string) int {
	switch {
	case len(args) >= 1 && args[0] == "list":
		return runHandoffList(ctx, env, args[1:])
	case len(args) == 2 && args[0] == "resume":
		return runResume(ctx, env, args[1])
	}
	fmt.Fprintln(env.Stderr, handoffUsage)
	return 2
}

func runResume(ctx context.Context, env *Env, arg string) int {
	phone, ok := shopperArg(env, "handoff", arg)
	if !ok {
		return 2
	}
	st, code := openServesStore(env, "handoff")
	if st == nil {
		return code
	}
	defer st.Close()
	return resume(ctx, env, st, phone)
}

func runHandoffList(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "handoff list")
	limit := fs.Int("limit", webhook.DefaultWaitingLimit, fmt.Sprintf("list at most this many shoppers (1 to %d)", webhook.MaxWaitingLimit))
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() > 0 || *limit < 1 || *limit > webhook.MaxWaitingLimit {
		fmt.Fprintln(env.Stderr, handoffUsage+fmt.Sprintf("   (--limit from 1 to %d)", webhook.MaxWaitingLimit))
		return 2
	}
	st, code := openServesStore(env, "handoff")
	if st == nil {
		return code
	}
	defer st.Close()
	waiting, err := st.Waiting(ctx, *limit)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk handoff: %v\n", err)
		return 1
	}
	printWaiting(env, waiting, time.Now())
	return 0
}

// printWaiting shows who waits for a person, the longest first: full
// numbers, as an operator needs them to answer and to resume.
func printWaiting(env *Env, waiting []store.Waiting, now time.Time) {
	fmt.Fprintf(env.Stdout, "%d shopper(s) waiting for a person, the longest first\n", len(waiting))
	for _, w := range waiting {
		line := fmt.Sprintf("  %s  since %s (%s)  %d held", w.Phone, w.Since.Format("2006-01-02 15:04:05Z07:00"),
			now.Sub(w.Since).Round(time.Second), w.Held)
		if w.Last != nil {
			line += fmt.Sprintf("  last: %s %q", w.Last.Kind, cutRunes(w.Last.Text, 60))
		}
		fmt.Fprintln(env.Stdout, line)
	}
}

// cutRunes cuts s to at most n characters, marking a cut with an ellipsis.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func resume(ctx context.Context, env *Env, hs store.Handoffs, phone string) int {
	was, held, err := hs.Resume(ctx, phone)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk handoff: %v\n", err)
		return 1
	}
	if !was {
		fmt.Fprintf(env.Stdout, "%s was not handed off; nothing to resume\n", bot.MaskPhone(phone))
		return 0
	}
	fmt.Fprintf(env.Stdout, "resumed %s; %d message(s) arrived meanwhile:\n", bot.MaskPhone(phone), len(held))
	for _, h := range held {
		fmt.Fprintf(env.Stdout, "  %s  %-12s %s\n", h.At.Format("2006-01-02 15:04:05Z07:00"), h.Kind, h.Text)
	}
	return 0
}
