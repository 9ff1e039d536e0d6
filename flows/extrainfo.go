package flows

import (
	"fmt"
	"unicode/utf8"

	wa "github.com/souk-commerce/souk/bot/whatsapp"
)

// checkExtraInfo reports extra_info refs longer than Kaleyra keeps (an
// error: they would be cut) and a wa_source Kaleyra does not document (a
// warning: it is sent as "api").
func checkExtraInfo(w *walker, f *Flow, _ Options) {
	x := f.ExtraInfo
	for _, r := range []struct{ key, val string }{{"ref", x.Ref}, {"ref1", x.Ref1}, {"ref2", x.Ref2}} {
		if n := utf8.RuneCountInString(r.val); n > wa.MaxRef {
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: f.keyPos["extra_info."+r.key], Code: "ref-too-long",
				Message: fmt.Sprintf("extra_info.%s is %d characters long; Kaleyra keeps at most %d", r.key, n, wa.MaxRef)})
		}
	}
	if !wa.KnownWASource(x.WASource) {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: f.keyPos["extra_info.wa_source"], Code: "unknown-wa-source", Warning: true,
			Message: fmt.Sprintf("extra_info.wa_source %q is not a source Kaleyra documents; it will be sent as \"api\"", x.WASource)})
	}
}
