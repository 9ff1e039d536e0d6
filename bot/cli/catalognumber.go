package cli

import (
	"fmt"
	"log/slog"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/flows"
)

// warnFlow logs what the Kaleyra settings leave f unable to do: at start
// and after every reload.
func warnFlow(log *slog.Logger, f *flows.Flow, cfg kaleyra.Config) {
	warnCatalogNumber(log, f, cfg.Number)
	warnWABA(log, f, cfg)
}

// warnCatalogNumber logs a warning for each catalog_link of f that needs
// the business number when number (KALEYRA_NUMBER) is empty. Only a dry
// run gets this far without one: a real sender requires it.
func warnCatalogNumber(log *slog.Logger, f *flows.Flow, number string) {
	for _, d := range f.NeedsBusinessNumber(number) {
		log.Warn("KALEYRA_NUMBER is not set: catalogue links read "+flows.NoNumberCatalogURL, "diagnostic", d.String())
	}
}

// warnWABA logs a warning for each template message of f when a real
// sender has no WhatsApp Business Account id (KALEYRA_WABA_ID): templates
// go to the WABA path, so every one of them would be dead-lettered.
func warnWABA(log *slog.Logger, f *flows.Flow, cfg kaleyra.Config) {
	if cfg.APIKey == "" || cfg.WABAID != "" {
		return
	}
	log.Warn("KALEYRA_WABA_ID is not set: template messages (and POST /send, souk send) will fail")
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			if s.Kind == "template" {
				log.Warn("template message cannot be sent without KALEYRA_WABA_ID", "at", fmt.Sprintf("%s:%d:%d", f.File, s.Pos.Line, s.Pos.Col))
			}
		}
	}
}
