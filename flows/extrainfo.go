package flows

import (
	"fmt"

	wa "github.com/souk-commerce/souk/bot/whatsapp"
)

// checkExtraInfo reports extra_info refs longer than Kaleyra keeps (an
// error: they would be cut) and a wa_source Kaleyra does not document (a
// warning: it is sent as "api").
func checkExtraInfo(w *walker, f *Flow, _ Options) {
	x := f.ExtraInfo
	for _, r := range []struct {
		key string
		val Str
	}{{"ref", f.refs.ref}, {"ref1", f.refs.ref1}, {"ref2", f.refs.ref2}} {
		if n, literal := fixedLen(r.val); n > wa.MaxRef {
			at := "is"
			if !literal {
				at = "is at least"
			}
			w.diags = append(w.diags, Diagnostic{File: w.file, Pos: f.keyPos["extra_info."+r.key], Code: "ref-too-long",
				Message: fmt.Sprintf("extra_info.%s %s %d characters long; Kaleyra keeps at most %d", r.key, at, n, wa.MaxRef)})
		}
	}
	if !wa.KnownWASource(x.WASource) {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: f.keyPos["extra_info.wa_source"], Code: "unknown-wa-source", Warning: true,
			Message: fmt.Sprintf("extra_info.wa_source %q is not a source Kaleyra documents; it will be sent as \"api\"", x.WASource)})
	}
}
