package simulator

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/souk-commerce/souk/store"
)

// Conversations is the read and reset the side panel needs; *store.Redis
// implements it.
type Conversations interface {
	Load(ctx context.Context, phone string) (store.Conversation, error)
	store.Deleter
}

// Config configures a Simulator. Feed and Conversations are required.
type Config struct {
	Feed          *Feed
	Conversations Conversations
	// Products names, prices and describes products on the page, and
	// prices the carts the page sends (see souk serve, which looks them up
	// in the products file of the flow it runs at each request); nil shows
	// retailer ids and sends carts at price 0 in Currency.
	Products Products
	// Currency is used for cart items of products Products does not know;
	// default EUR.
	Currency string
	// FlowName is shown in the page's title bar until SetFlowStatus names
	// another.
	FlowName string
	// Live says replies go to a real sender: the page then warns that
	// messages reach real WhatsApp numbers.
	Live bool
	// Business fills the envelope's metadata.
	Business Business
	// AppSecret signs each webhook (X-Hub-Signature-256); Token, when set,
	// travels in TokenHeader. They are those of the server's own /webhook.
	AppSecret   string
	Token       string
	TokenHeader string
	// WebhookURL is where actions are posted; SetWebhookURL can set it
	// once the server listens.
	WebhookURL string
	// Client posts the webhooks; default a client with a 30 s timeout.
	Client *http.Client
	Logger *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
}

// Validate reports what is missing from c.
func (c Config) Validate() error {
	if c.Feed == nil || c.Conversations == nil {
		return errors.New("simulator: Config.Feed and Config.Conversations are required")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if c.TokenHeader == "" {
		c.TokenHeader = "X-Webhook-Token"
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c
}

// Simulator serves the page and its API. It is an http.Handler for the
// paths under /simulator, safe for concurrent use.
type Simulator struct {
	cfg     Config
	mux     *http.ServeMux
	webhook atomic.Pointer[string]
	flow    *flowWatch
}

// New builds a Simulator; bad configuration fails here.
func New(cfg Config) (*Simulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Simulator{cfg: cfg.withDefaults(), mux: http.NewServeMux(), flow: newFlowWatch(cfg.FlowName)}
	s.cfg.Feed.SetProducts(s.cfg.Products)
	s.SetWebhookURL(cfg.WebhookURL)
	s.routes()
	return s, nil
}

// SetWebhookURL sets where actions are posted: the server's own POST
// /webhook, normally over loopback.
func (s *Simulator) SetWebhookURL(u string) { s.webhook.Store(&u) }

// Close ends the page's event streams, so a server can shut down.
func (s *Simulator) Close() { s.cfg.Feed.Close() }

// ServeHTTP implements http.Handler.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Simulator) routes() {
	s.mux.HandleFunc("GET /simulator", s.page)
	s.mux.HandleFunc("GET /simulator/{$}", s.page)
	s.mux.Handle("GET /simulator/assets/", assets())
	s.mux.HandleFunc("GET /simulator/info", s.info)
	s.mux.HandleFunc("GET /simulator/events", s.events)
	s.mux.HandleFunc("POST /simulator/send", s.send)
	s.mux.HandleFunc("GET /simulator/conversation", s.conversation)
	s.mux.HandleFunc("DELETE /simulator/conversation", s.reset)
}
