package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/chatview"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
	"golang.org/x/term"
)

func init() {
	register("chat", "chat FILE [--phone DIGITS] [--name NAME]     talk to a flow in the terminal (dry-run)", runChat)
}

const chatHelp = `type a message, or:
  /tap ID                                  tap a list row or reply button, on the newest message that offered it
  /cart ID:QTY[:PRICE[:CURRENCY]] ...      send a cart (unless given: the products file's price, else 0)
  /location LAT,LONG [ADDRESS]             share a location pin, with its address
  /media TYPE [CAPTION]                    send a file with its caption; TYPE is image, video, audio or document
  /state                                   show the state, vars, handoff, cart, held answer, last location and file
  /resume                                  end a handoff: the bot answers again (as an operator's resume does)
  /wait DURATION                           let time pass in silence (30m, 2h): the flow's idle reminders run
  /reset                                   forget the conversation and start over
  /help                                    this list
  /quit                                    leave`

func runChat(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "chat")
	phone := fs.String("phone", "15550001111", "the shopper's WhatsApp number (digits)")
	name := fs.String("name", "Shopper", "the shopper's profile name")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) != 1 {
		fmt.Fprintln(env.Stderr, "usage: souk chat FILE [--phone DIGITS] [--name NAME]")
		return 2
	}
	shopper := whatsapp.ShopperID(*phone)
	if !whatsapp.ValidShopper(shopper) {
		fmt.Fprintf(env.Stderr, "souk chat: --phone %q is not a WhatsApp number: want 8 to 15 digits, not starting with 0, with an optional leading +, or a WhatsApp user id such as US.13491208655302741918\n", *phone)
		return 2
	}
	number := kaleyra.ConfigFromEnv(env.Getenv).Number
	if err := kaleyra.CheckNumber(number); err != nil {
		fmt.Fprintf(env.Stderr, "souk chat: %v\n", err)
		return 2
	}
	f, ok := loadFlow(env, files[0])
	if !ok {
		return 1
	}
	for _, d := range f.NeedsBusinessNumber(number) {
		fmt.Fprintln(env.Stderr, d)
	}
	c := &chat{env: env, flow: f, phone: shopper, number: number, name: *name, out: env.Stdout, echo: !isTerminal(env.Stdin),
		log: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := c.open(); err != nil {
		fmt.Fprintf(env.Stderr, "souk chat: %v\n", err)
		return 1
	}
	defer func() { c.store.Close() }()
	return c.run(ctx)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// chat is one terminal conversation with a flow, on an embedded store and a
// dry-run sender.
type chat struct {
	env         *Env
	flow        *flows.Flow
	phone, name string
	number      string // the business number (KALEYRA_NUMBER), for catalogue links
	out         io.Writer
	echo        bool // print each input line, when it does not come from a terminal
	log         *slog.Logger

	store   store.Store
	engine  *bot.Engine
	n       int
	offered map[string]offer // ids the last replies offered
	earlier map[string]offer // ids any reply offered, each by the newest that did
	replies strings.Builder  // what the current event sent, printed after its move
	skew    time.Duration    // how far /wait moved the chat's clock ahead of the real one
}

// offer is a row or button the shopper can tap, and the id of the
// message that offered it.
type offer struct {
	kind  whatsapp.EventKind
	title string
	menu  string
}

// open starts a fresh embedded store and an engine on it.
func (c *chat) open() error {
	st, _, err := store.OpenEmbedded(store.Config{})
	if err != nil {
		return err
	}
	dry := kaleyra.NewDryRun(slog.New(slog.NewTextHandler(io.Discard, nil)), kaleyra.Config{Number: c.number})
	eng, err := bot.New(bot.Config{Flow: c.flow, Store: st, Handlers: c.env.Handlers, Logger: c.log, BusinessNumber: c.number, Clock: c.now,
		Dispatcher: bot.Direct{Sender: chatSender{dry: dry, c: c}, Log: c.log}})
	if err != nil {
		st.Close()
		return err
	}
	c.store, c.engine, c.offered, c.earlier = st, eng, map[string]offer{}, map[string]offer{}
	return nil
}

func (c *chat) run(ctx context.Context) int {
	who := c.phone
	if whatsapp.ValidPhone(who) {
		who = "+" + who
	}
	fmt.Fprintf(c.out, "chatting with flow %s as %s (%s); /help for commands\n", c.flow.Name, c.name, who)
	sc := bufio.NewScanner(c.env.Stdin)
	for fmt.Fprint(c.out, "you> "); sc.Scan(); fmt.Fprint(c.out, "you> ") {
		line := strings.TrimSpace(sc.Text())
		if c.echo {
			fmt.Fprintln(c.out, line)
		}
		if line == "/quit" || line == "/exit" {
			return 0
		}
		if line != "" {
			c.handle(ctx, line)
		}
	}
	fmt.Fprintln(c.out)
	return 0
}

// handle runs one input line: a command or a message to the flow.
func (c *chat) handle(ctx context.Context, line string) {
	cmd, rest, _ := strings.Cut(line, " ")
	switch cmd {
	case "/help":
		fmt.Fprintln(c.out, chatHelp)
	case "/state":
		c.showState(ctx)
	case "/reset":
		c.reset()
	case "/tap":
		c.tap(ctx, strings.TrimSpace(rest))
	case "/cart":
		c.cart(ctx, strings.Fields(rest))
	case "/location":
		c.location(ctx, rest)
	case "/media":
		c.media(ctx, rest)
	case "/wait":
		c.wait(ctx, strings.TrimSpace(rest))
	case "/resume":
		c.resume(ctx)
	default:
		if strings.HasPrefix(cmd, "/") {
			fmt.Fprintf(c.out, "unknown command %s; /help lists them\n", cmd)
			return
		}
		c.send(ctx, whatsapp.Event{Kind: whatsapp.KindText, Type: "text", Text: line})
	}
}

// send hands ev to the engine as if the shopper had sent it.
func (c *chat) send(ctx context.Context, ev whatsapp.Event) {
	c.n++
	ev.ID, ev.From, ev.Name, ev.Timestamp = fmt.Sprintf("wamid.chat.%d", c.n), c.phone, c.name, c.now()
	before := c.offered
	c.offered = map[string]offer{}
	c.replies.Reset()
	res, err := c.engine.Handle(ctx, ev)
	switch {
	case err != nil:
		fmt.Fprintf(c.out, "(error: %v)\n", err)
	case res.Trigger.Step == "gather":
		c.offered = before // nothing new was offered
		fmt.Fprintln(c.out, heldNote(c.engine.Flow(), res.To))
	case res.Ignored != "":
		fmt.Fprintf(c.out, "· ignored (%s)\n", res.Ignored) // held for a person, say
	case res.From == "":
		fmt.Fprintf(c.out, "· (new conversation) → %s (%s)\n", res.To, res.Trigger.Step)
	default:
		fmt.Fprintf(c.out, "· %s → %s (%s)\n", res.From, res.To, res.Trigger.Step)
	}
	fmt.Fprint(c.out, c.replies.String())
}

// show prints a message the flow sent and remembers what it offers;
// menu is the message's id.
func (c *chat) show(m whatsapp.Message, menu string) {
	c.replies.WriteString(chatview.Render(m))
	switch m := m.(type) {
	case whatsapp.List:
		for _, s := range m.Sections {
			for _, r := range s.Rows {
				c.offer(r.ID, offer{whatsapp.KindListReply, r.Title, menu})
			}
		}
	case whatsapp.Buttons:
		for _, b := range m.Buttons {
			c.offer(b.ID, offer{whatsapp.KindButtonReply, b.Title, menu})
		}
	}
}

// offer remembers that the message being shown offers id to tap.
func (c *chat) offer(id string, o offer) {
	c.offered[flows.Key(id)], c.earlier[flows.Key(id)] = o, o
}

// chatSender builds each request like the real sender would (so a message
// WhatsApp would reject fails here too) and prints the message.
type chatSender struct {
	dry *kaleyra.DryRun
	c   *chat
}

func (s chatSender) Send(ctx context.Context, out whatsapp.Outbound) (kaleyra.Result, error) {
	res, err := s.dry.Send(ctx, out)
	if err != nil {
		fmt.Fprintf(&s.c.replies, "(not sent: %v)\n", err)
		return res, err
	}
	s.c.show(out.Message, res.MessageID)
	return res, nil
}

// heldNote says that typed text was held as part of an answer by state's
// gather, and how to let it go on.
func heldNote(f *flows.Flow, state string) string {
	wait := "a while"
	if st := f.States[state]; st != nil {
		wait = st.Gather.String()
	}
	return fmt.Sprintf("· %s: held as part of the answer, which goes on once nothing more is typed for %s (/wait %s)", state, wait, wait)
}
