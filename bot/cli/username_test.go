package cli_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/handlers"
)

// bsuid is the business-scoped user id of a shopper whose number WhatsApp
// withholds because they took a username.
const bsuid = "US.13491208655302741918"

// usernameMessage is Meta's webhook of one message from that shopper: no
// from and no wa_id, only their user id and username.
func usernameMessage(id, message string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"` + clitest.Business + `","phone_number_id":"555"},
"contacts":[{"profile":{"name":"Asha","username":"@asha"},"user_id":"` + bsuid + `"}],
"messages":[{"from_user_id":"` + bsuid + `","id":"` + id + `","timestamp":"` + fmt.Sprint(time.Now().Unix()) + `",` + message + `}]}}]}]}`
}

// TestUsernameShopper plays, on a real server, a shopper known only by
// their user id: souk answers them through Meta's recipient field, keeps
// one conversation across their messages, greets them by name, takes a
// status that names them the same way, and logs the id only masked.
func TestUsernameShopper(t *testing.T) {
	flow := clitest.WriteFlow(t, `flow: u
start: ask
states:
  ask:
    send: [{text: "Hi {{.Contact.Name}}, what would you like?"}]
    text: done
  done:
    send: [{text: "Noted, {{.Contact.Name}}"}]
`)
	k := clitest.NewKaleyra(t)
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	srv := clitest.Serve(t, reg, k.Env(map[string]string{"SOUK_FLOW": flow}))
	post := func(body string) {
		t.Helper()
		if code, resp := srv.Post(t, "/webhook", body); code != http.StatusOK {
			t.Fatalf("webhook answered %d: %s", code, resp)
		}
	}
	post(usernameMessage("wamid.u1", `"type":"text","text":{"body":"hi"}`))
	first := k.Wait(t, 1)[0]
	if got := first.Field("messaging_object", "recipient"); got != bsuid {
		t.Fatalf("reply's recipient %q, want %q; body %s", got, bsuid, first.Body)
	}
	if strings.Contains(string(first.Body), `"to"`) {
		t.Fatalf("reply names a to beside the recipient: %s", first.Body)
	}
	if got := first.Text(); got != "Hi Asha, what would you like?" {
		t.Fatalf("first reply %q", got)
	}
	post(usernameMessage("wamid.u2", `"type":"text","text":{"body":"two pizzas"}`))
	if got := k.Wait(t, 1)[0].Text(); got != "Noted, Asha" {
		t.Fatalf("second reply %q: the conversation did not move on", got)
	}
	post(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"` + clitest.Business + `","phone_number_id":"555"},
"statuses":[{"id":"wamid.out-1","status":"read","timestamp":"1763713200","recipient_user_id":"` + bsuid + `"}]}}]}]}`)
	if logs := srv.Logs(); strings.Contains(logs, bsuid) || !strings.Contains(logs, "US****") {
		t.Fatalf("the logs show the user id in full, or not masked:\n%s", logs)
	}
}
