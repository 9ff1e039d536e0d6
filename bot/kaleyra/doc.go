// Package kaleyra is souk's client for the Kaleyra WhatsApp API v2: it turns
// a typed whatsapp.Outbound into one HTTPS request, sends it to the account's
// pod (or a configured base URL), and decodes Kaleyra's answer into a Result
// or a typed error that says whether a retry can help.
//
// Two Senders are provided. Client talks to Kaleyra; DryRun sends nothing and
// logs each request it would make, for running souk without credentials.
// NewSender picks one from a Config.
//
//	cfg := kaleyra.ConfigFromEnv(os.Getenv)
//	sender, err := kaleyra.NewSender(cfg, slog.Default())
//	if err != nil {
//		return err
//	}
//	res, err := sender.Send(ctx, out)
//	if kaleyra.Retryable(err) {
//		// schedule another attempt with backoff
//	}
//
// Session messages go to /v2/{SID}/whatsapp/{NUMBER}/messages and template
// messages to /v2/{SID}/whatsapp/{WABA_ID}/messages. The API key travels only
// in the api-key header and never appears in an error string.
package kaleyra
