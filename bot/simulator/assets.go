package simulator

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed assets
var files embed.FS

// contentSecurity lets the page load nothing but its own files.
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// page serves the simulator's HTML.
func (s *Simulator) page(w http.ResponseWriter, r *http.Request) {
	b, err := files.ReadFile("assets/index.html")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "page missing")
		return
	}
	secure(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b)
}

// assets serves the script and style sheet under /simulator/assets/.
func assets() http.Handler {
	sub, _ := fs.Sub(files, "assets")
	fsrv := http.StripPrefix("/simulator/assets/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w.Header())
		w.Header().Set("Cache-Control", "no-cache")
		fsrv.ServeHTTP(w, r)
	})
}

func secure(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}
