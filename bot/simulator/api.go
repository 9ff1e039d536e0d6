package simulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// maxAction bounds the body of POST /simulator/send.
const maxAction = 64 << 10

// info tells the page what it simulates.
func (s *Simulator) info(w http.ResponseWriter, r *http.Request) {
	st := s.FlowStatus()
	writeJSON(w, http.StatusOK, map[string]any{
		"flow": st.Name, "flow_status": st, "live": s.cfg.Live, "currency": s.cfg.Currency,
		"signed": s.cfg.AppSecret != "", "head": s.cfg.Feed.Head(),
	})
}

// sent is the answer to POST /simulator/send: the webhook as posted and
// the server's answer to it.
type sent struct {
	Webhook  string          `json:"webhook"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response,omitempty"`
}

// send turns the page's action into a webhook and posts it to /webhook.
func (s *Simulator) send(w http.ResponseWriter, r *http.Request) {
	a, err := readAction(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	body, err := s.priced(a).Envelope(s.cfg.Business, newMessageID(), s.cfg.Clock())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	status, resp, err := s.post(r.Context(), body)
	if err != nil {
		s.cfg.Logger.Error("simulator: posting webhook", "err", err)
		writeError(w, http.StatusBadGateway, "posting the webhook failed: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, sent{Webhook: string(body), Status: status, Response: jsonOrNil(resp)})
}

// priced gives each cart item that Products lists the catalogue's price
// and currency, the way WhatsApp prices a cart from the business's
// catalogue; the catalogue is looked up now, so a reloaded products file
// counts at once. Other items keep what the page sent, in Currency when
// it sent none.
func (s *Simulator) priced(a Action) Action {
	if a.Type != "order" {
		return a
	}
	items := make([]CartItem, len(a.Items))
	for i, it := range a.Items {
		if s.cfg.Products != nil {
			if p, ok := s.cfg.Products.Product(it.ProductRetailerID); ok {
				it.ItemPrice = p.Price
				if p.Currency != "" {
					it.Currency = p.Currency
				}
			}
		}
		if it.Currency == "" {
			it.Currency = s.cfg.Currency
		}
		items[i] = it
	}
	a.Items = items
	return a
}

// readAction decodes and checks the body of POST /simulator/send. It
// insists on JSON, which a cross-site form cannot send without asking.
func readAction(w http.ResponseWriter, r *http.Request) (Action, error) {
	var a Action
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return a, errors.New("Content-Type must be application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAction))
	if err != nil {
		return a, fmt.Errorf("decoding action: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, fmt.Errorf("decoding action: %w", err)
	}
	if a.Type == "location" && !bothCoordinates(body) {
		return a, fmt.Errorf("%w: location needs both a latitude and a longitude", ErrBadAction)
	}
	return a, a.Validate()
}

// bothCoordinates reports whether an action's location gives a latitude
// and a longitude, which decoding alone would take as 0 when missing.
func bothCoordinates(body []byte) bool {
	var probe struct {
		Location struct {
			Latitude, Longitude json.RawMessage
		}
	}
	_ = json.Unmarshal(body, &probe)
	given := func(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }
	return given(probe.Location.Latitude) && given(probe.Location.Longitude)
}

// post sends one webhook body to the server's own /webhook, authenticated
// the way the platform would.
func (s *Simulator) post(ctx context.Context, body []byte) (int, []byte, error) {
	u := *s.webhook.Load()
	if u == "" {
		return 0, nil, errors.New("the server's webhook address is not known yet")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.cfg.AppSecret != "" {
		req.Header.Set("X-Hub-Signature-256", Sign(body, s.cfg.AppSecret))
	}
	if s.cfg.Token != "" {
		req.Header.Set(s.cfg.TokenHeader, s.cfg.Token)
	}
	res, err := s.cfg.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	resp, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, resp, err
}

// Sign returns the X-Hub-Signature-256 value Meta sends with body.
func Sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// view is what the side panel shows of a conversation.
type view struct {
	Phone      string            `json:"phone"`
	Exists     bool              `json:"exists"`
	Name       string            `json:"name,omitempty"`
	State      string            `json:"state,omitempty"`
	Vars       map[string]any    `json:"vars"`
	Order      whatsapp.Order    `json:"order,omitzero"`
	Location   whatsapp.Location `json:"location,omitzero"`
	Media      whatsapp.Media    `json:"media,omitzero"`
	LastActive *time.Time        `json:"last_active,omitempty"`
	Version    int64             `json:"version"`
	// HandedOff is set while a person, not the flow, answers the shopper.
	HandedOff bool `json:"handed_off,omitempty"`
	// Held is the answer a state's gather holds, until it goes on.
	Held string `json:"held,omitempty"`
}

// conversation answers the shopper's current state and vars.
func (s *Simulator) conversation(w http.ResponseWriter, r *http.Request) {
	phone, ok := phoneParam(w, r)
	if !ok {
		return
	}
	c, err := s.cfg.Conversations.Load(r.Context(), phone)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	v := view{Phone: phone, Exists: c.Exists(), Name: c.Name, State: c.State, Vars: c.Vars, Order: c.Order, Location: c.Location, Media: c.Media, Version: c.Version,
		HandedOff: c.HandedOff(), Held: c.Gathered}
	if v.Vars == nil {
		v.Vars = map[string]any{}
	}
	if !c.LastActive.IsZero() {
		v.LastActive = &c.LastActive
	}
	writeJSON(w, http.StatusOK, v)
}

// reset forgets the shopper's conversation.
func (s *Simulator) reset(w http.ResponseWriter, r *http.Request) {
	phone, ok := phoneParam(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Conversations.Delete(r.Context(), phone); err != nil {
		writeError(w, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// phoneParam reads ?phone=, answering 400 when it is not a number.
func phoneParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	p := whatsapp.Digits(r.URL.Query().Get("phone"))
	if !whatsapp.ValidPhone(p) {
		writeError(w, http.StatusBadRequest, "phone must be an E.164 number")
		return "", false
	}
	return p, true
}

func jsonOrNil(b []byte) json.RawMessage {
	if json.Valid(b) {
		return b
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
