package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func init() {
	register("optout", "optout show | set | clear PHONE              whether a shopper opted out of reminders and offers; record it, or undo it", runOptOut)
}

const optOutUsage = "usage: souk optout show PHONE | souk optout set PHONE | souk optout clear PHONE"

// shopperArg reads a command's PHONE argument: a phone number, in any
// common spelling, or a WhatsApp user id. false, after saying why on
// stderr, when it is neither.
func shopperArg(env *Env, cmd, arg string) (string, bool) {
	id := whatsapp.ShopperID(arg)
	if !whatsapp.ValidShopper(id) {
		fmt.Fprintf(env.Stderr, "souk %s: %q is neither an E.164 phone number nor a WhatsApp user id\n", cmd, arg)
		return "", false
	}
	return id, true
}

// runOptOut reads or records a shopper's opt-out in the Redis `souk serve`
// uses, as the opt_out and opt_in built-ins do: for a stop sent while
// handed off to a person, or through another channel.
func runOptOut(ctx context.Context, env *Env, args []string) int {
	if len(args) != 2 || (args[0] != "show" && args[0] != "set" && args[0] != "clear") {
		fmt.Fprintln(env.Stderr, optOutUsage)
		return 2
	}
	phone, ok := shopperArg(env, "optout", args[1])
	if !ok {
		return 2
	}
	st, code := openServesStore(env, "optout")
	if st == nil {
		return code
	}
	defer st.Close()
	var err error
	switch args[0] {
	case "set":
		err = st.SetOptOut(ctx, phone, time.Now())
	case "clear":
		err = st.SetOptOut(ctx, phone, time.Time{})
	}
	var since time.Time
	if err == nil {
		since, err = st.OptedOut(ctx, phone)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk optout: %v\n", err)
		return 1
	}
	if since.IsZero() {
		fmt.Fprintf(env.Stdout, "%s has not opted out: reminders and re-engagement are sent\n", bot.MaskPhone(phone))
		return 0
	}
	fmt.Fprintf(env.Stdout, "%s opted out at %s: no reminders or re-engagement\n", bot.MaskPhone(phone), since.Format(time.RFC3339))
	return 0
}
