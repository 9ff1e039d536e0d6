package recording

import (
	"crypto/rand"
	"io"
	"log/slog"
	"os"
	"sync"
)

// Recorder appends pseudonymised webhook bodies to a writer, one JSON
// document per line. It is safe for concurrent use.
type Recorder struct {
	P   *Pseudonymizer
	Log *slog.Logger

	mu sync.Mutex
	w  io.Writer
	c  io.Closer
}

// New returns a Recorder writing to w with pseudonyms keyed by secret; an
// empty secret picks a random one (pseudonyms then differ between runs).
func New(w io.Writer, secret []byte, log *slog.Logger) *Recorder {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Recorder{P: NewPseudonymizer(secret), Log: log, w: w}
}

// Open returns a Recorder appending to the file at path, created with
// mode 0600 when missing.
func Open(path string, secret []byte, log *slog.Logger) (*Recorder, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	r := New(f, secret, log)
	r.c = f
	return r, nil
}

// Record appends one body. A body that cannot be pseudonymised is dropped
// and logged, never written raw.
func (r *Recorder) Record(body []byte) {
	line, err := r.P.Redact(body)
	if err != nil {
		r.Log.Error("webhook not recorded", "err", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.w.Write(append(line, '\n')); err != nil {
		r.Log.Error("webhook not recorded", "err", err)
	}
}

// Close closes the file Open opened.
func (r *Recorder) Close() error {
	if r.c == nil {
		return nil
	}
	return r.c.Close()
}
