package cli

import (
	"context"
	"fmt"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("handoff", "handoff resume PHONE                      let the bot answer a handed-off shopper again", runHandoff)
}

func runHandoff(ctx context.Context, env *Env, args []string) int {
	if len(args) != 2 || args[0] != "resume" {
		fmt.Fprintln(env.Stderr, "usage: souk handoff resume PHONE")
		return 2
	}
	phone := whatsapp.Digits(args[1])
	if !whatsapp.ValidPhone(phone) {
		fmt.Fprintf(env.Stderr, "souk handoff: %q is not an E.164 phone number\n", args[1])
		return 2
	}
	st, code := openServesStore(env, "handoff")
	if st == nil {
		return code
	}
	defer st.Close()
	return resume(ctx, env, st, phone)
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
